import { Hono, type Context } from 'hono';
import { recordPrincipleRound, saveChecklist, savePrincipleSettings } from '../../app/feedback/index.ts';
import {
  latestRounds,
  principleSettings,
  principles,
  roundsOfService,
  serviceTitle,
} from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { KPI_BASES } from '../../domain/principles/index.ts';
import { actorOf, currentUser, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { flash } from '../flash.ts';
import { joinDateFields, mergeIssues, readForm } from '../forms.ts';
import { formatDate } from '../i18n/index.ts';
import { UserText } from '../views/components.tsx';
import {
  CheckboxField,
  DateField,
  ErrorSummary,
  formView,
  RadiosField,
  TextareaField,
  TextField,
  translateIssues,
  type FormView,
} from '../views/form.tsx';
import { formatScore } from '../views/format.ts';
import { Csrf } from '../views/service-views.tsx';
import { DataTable } from '../views/table.tsx';
import { canManage, projectOffice } from './services/shared.tsx';

// Client-centricity principles (issue 16): the low-graded list, check rounds per service with a grade
// per principle and a total, the checklist and the KPI's basis — /citizens/principles.

async function ListPage({
  c,
  f = formView('pr'),
}: {
  c: Context<AppEnv>;
  /** The settings form (prefix `pr`), posted back after a refusal. */
  f?: FormView;
}) {
  const { t, locale } = c.var;
  const { db } = c.var.deps;
  const settings = await principleSettings(db);
  const [low, all] = await Promise.all([
    latestRounds(db, { lowOnly: true, threshold: settings.lowThreshold }),
    latestRounds(db, { threshold: settings.lowThreshold, limit: 50 }),
  ]);
  const manage = canManage(c);
  return (
    <section>
      <h1>{t('fb.principles.title')}</h1>
      <p class="toolbar">
        <a href="/citizens">{t('fb.citizens.title')}</a>
        {manage && <a href="/citizens/principles/checklist">{t('fb.principles.checklist')}</a>}
      </p>
      <p class="muted">
        {t('fb.principles.rule', { threshold: formatScore(settings.lowThreshold, locale) })}
      </p>
      <h2>{t('fb.principles.low', { n: low.length })}</h2>
      <RoundsTable rows={low} c={c} />
      <h2>{t('fb.principles.latest')}</h2>
      <RoundsTable rows={all} c={c} />
      {manage && (
        <form method="post" action="/citizens/principles/settings" class="stacked" novalidate>
          <Csrf c={c} />
          <h2>{t('fb.principles.settings')}</h2>
          <ErrorSummary f={f} t={t} />
          <TextField
            f={f}
            t={t}
            name="lowThreshold"
            label={t('fb.principles.threshold')}
            inputmode="decimal"
            width="short"
            value={String(settings.lowThreshold)}
          />
          <RadiosField
            f={f}
            t={t}
            name="basis"
            label={t('fb.principles.basis')}
            value={settings.basis}
            options={KPI_BASES.map((b) => ({ value: b, label: t(`fb.principles.basis.${b}`) }))}
          />
          <button type="submit">{t('svc.save')}</button>
        </form>
      )}
    </section>
  );
}

function RoundsTable({ rows, c }: { rows: Awaited<ReturnType<typeof latestRounds>>; c: Context<AppEnv> }) {
  const { t, locale } = c.var;
  return (
    <DataTable
      rows={rows}
      empty={<p class="muted">{t('fb.principles.none')}</p>}
      columns={[
        { label: t('svc.code'), class: 'nowrap', cell: (r) => r.code },
        {
          label: t('svc.title'),
          wide: true,
          cell: (r) => (
            <a href={`/citizens/principles/service/${r.service_id}`}>
              {localized(locale, r.title_ru, r.title_en)}
            </a>
          ),
        },
        { label: t('fb.principles.heldOn'), class: 'nowrap', cell: (r) => formatDate(r.held_on, locale) },
        { label: t('fb.principles.total'), class: 'num', cell: (r) => formatScore(r.total, locale) },
        {
          label: t('fb.principles.checker'),
          cell: (r) => (r.checker ? <UserText text={r.checker} /> : '—'),
        },
      ]}
    />
  );
}

type Round = Awaited<ReturnType<typeof roundsOfService>>[number];

/** The grades of a service's rounds: a row per principle, a column per round, the totals last. */
function GradesTable({
  c,
  list,
  rounds,
  threshold,
}: {
  c: Context<AppEnv>;
  list: Awaited<ReturnType<typeof principles>>;
  rounds: Round[];
  threshold: number;
}) {
  const { t, locale } = c.var;
  type Row = { title: string; grade: (r: Round) => number | undefined; total?: boolean };
  const rows: Row[] = [
    ...list.map((p) => ({
      title: localized(locale, p.title_ru, p.title_en),
      grade: (r: Round) => r.grades.find((x) => x.principle_id === p.id)?.grade,
    })),
    { title: t('fb.principles.total'), grade: (r: Round) => r.total, total: true },
  ];
  return (
    <DataTable
      rows={rows}
      class="compact"
      caption={t('fb.principles.rounds')}
      hideCaption
      empty={<p class="muted">{t('fb.principles.none')}</p>}
      rowClass={(row) => (row.total ? 'total' : undefined)}
      columns={[
        { label: t('fb.principles.principle'), rowHeader: true, wide: true, cell: (row) => row.title },
        ...rounds.map((r) => ({
          label: formatDate(r.held_on, locale),
          class: 'num',
          cell: (row: Row) => {
            const g = row.grade(r);
            const text = g === undefined ? '—' : row.total ? formatScore(g, locale) : String(g);
            const shown = g !== undefined && g < threshold ? <span class="low">{text}</span> : text;
            return row.total ? <strong>{shown}</strong> : shown;
          },
        })),
      ]}
    />
  );
}

async function ServicePage({
  c,
  f = formView('pr'),
}: {
  c: Context<AppEnv>;
  /** The round form (prefix `pr`), posted back after a refusal. */
  f?: FormView;
}) {
  const { t, locale } = c.var;
  const { db } = c.var.deps;
  const id = Number(c.req.param('id'));
  const svc =
    Number.isSafeInteger(id) && id > 0 && id < 2_147_483_647 ? await serviceTitle(db, id) : undefined;
  if (!svc) throw new ShtabError('not_found', 'service not found', { key: 'error.svc.notFound' });
  const [list, rounds, settings] = await Promise.all([
    principles(db),
    roundsOfService(db, svc.id),
    principleSettings(db),
  ]);
  const active = list.filter((p) => p.active);
  return (
    <section>
      <p class="muted">
        <a href="/citizens/principles">{t('fb.principles.title')}</a>
      </p>
      <h1>{localized(locale, svc.title_ru, svc.title_en)}</h1>
      <h2>{t('fb.principles.rounds')}</h2>
      {rounds.length === 0 ? (
        <p class="muted">{t('fb.principles.none')}</p>
      ) : (
        <GradesTable c={c} list={list} rounds={rounds} threshold={settings.lowThreshold} />
      )}
      {canManage(c) && (
        <form method="post" action={`/citizens/principles/service/${svc.id}`} class="stacked" novalidate>
          <Csrf c={c} />
          <h2>{t('fb.principles.newRound')}</h2>
          <ErrorSummary f={f} t={t} />
          <DateField
            f={f}
            t={t}
            name="heldOn"
            label={t('fb.principles.heldOn')}
            value={readContext(c).today}
          />
          {active.map((p) => (
            <RadiosField
              f={f}
              t={t}
              name={`grade.${p.id}`}
              label={localized(locale, p.title_ru, p.title_en)}
              inline
              options={[1, 2, 3, 4, 5].map((g) => ({ value: String(g), label: String(g) }))}
            />
          ))}
          <TextareaField f={f} t={t} name="note" label={t('fb.principles.note')} rows={3} />
          <button type="submit">{t('fb.principles.save')}</button>
        </form>
      )}
    </section>
  );
}

async function ChecklistPage({ c, f = formView('ck') }: { c: Context<AppEnv>; f?: FormView }) {
  const { t } = c.var;
  const list = await principles(c.var.deps.db);
  return (
    <section>
      <h1>{t('fb.principles.checklist')}</h1>
      {/* "Keep at least one principle" is a problem of the whole list: shown on top, unlinked. */}
      <ErrorSummary f={f} t={t} fields={['title_ru', 'title_en']} />
      <form method="post" action="/citizens/principles/checklist" class="stacked" novalidate>
        <Csrf c={c} />
        {list.map((p) => (
          <fieldset>
            <legend>{p.code}</legend>
            <TextField
              f={f}
              t={t}
              name={`title_ru.${p.id}`}
              label={t('svc.titleRu')}
              value={p.title_ru}
              maxlength={200}
            />
            <TextField
              f={f}
              t={t}
              name={`title_en.${p.id}`}
              label={t('svc.titleEn')}
              value={p.title_en}
              maxlength={200}
            />
            <CheckboxField
              f={f}
              t={t}
              name={`active.${p.id}`}
              label={t('fb.principles.active')}
              checked={p.active}
            />
          </fieldset>
        ))}
        <button type="submit">{t('svc.save')}</button>
      </form>
    </section>
  );
}

export function principleRoutes() {
  const app = new Hono<AppEnv>();
  const title = (c: Context<AppEnv>) => ({
    title: c.var.t('fb.principles.title'),
    section: 'citizens' as const,
  });

  app.get('/', (c) => c.render(<ListPage c={c} />, title(c)));
  app.post('/settings', projectOffice, async (c) => {
    const { values } = await readForm(c);
    const r = await savePrincipleSettings(c.var.deps.db, { actor: actorOf(currentUser(c)), values });
    if (r.ok) {
      flash(c, 'flash.saved');
      return c.redirect('/citizens/principles', 303);
    }
    c.status(422);
    const f = formView('pr', { values, issues: translateIssues(c.var.t, r.issues) });
    return c.render(<ListPage c={c} f={f} />, title(c));
  });
  app.get('/checklist', projectOffice, (c) => c.render(<ChecklistPage c={c} />, title(c)));
  app.post('/checklist', projectOffice, async (c) => {
    const { values } = await readForm(c);
    const r = await saveChecklist(c.var.deps.db, { actor: actorOf(currentUser(c)), values });
    if (r.ok) {
      flash(c, 'flash.saved');
      return c.redirect('/citizens/principles/checklist', 303);
    }
    c.status(422);
    const f = formView('ck', { values, issues: translateIssues(c.var.t, r.issues) });
    return c.render(<ChecklistPage c={c} f={f} />, title(c));
  });
  app.get('/service/:id', (c) => c.render(<ServicePage c={c} />, title(c)));
  app.post('/service/:id', projectOffice, async (c) => {
    const { values } = await readForm(c);
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id <= 0 || id >= 2_147_483_647)
      throw new ShtabError('not_found', 'service not found', { key: 'error.svc.notFound' });
    // The date comes as day / month / year boxes; one that cannot be read leaves heldOn empty, so the
    // round is refused whole with the date's own problem and every other one.
    const dates = joinDateFields(values);
    const r = await recordPrincipleRound(c.var.deps.db, {
      actor: actorOf(currentUser(c)),
      serviceId: id,
      values: dates.values,
      today: readContext(c).today,
    });
    if (r.ok) {
      flash(c, 'flash.fb.roundRecorded', { total: formatScore(r.total, c.var.locale) });
      return c.redirect(`/citizens/principles/service/${id}`, 303);
    }
    c.status(422);
    // "Grade 1 to 5" twelve times says nothing in the summary: each problem names its principle.
    const { locale } = c.var;
    const titles = new Map(
      (await principles(c.var.deps.db)).map((p) => [
        `grade.${p.id}`,
        localized(locale, p.title_ru, p.title_en),
      ]),
    );
    const named = mergeIssues(dates.issues, r.issues).map((i) =>
      i.key === 'error.feedback.grade' && titles.has(i.field)
        ? { ...i, key: 'error.feedback.gradeOf', params: { principle: titles.get(i.field)! } }
        : i,
    );
    const issues = translateIssues(c.var.t, named);
    return c.render(<ServicePage c={c} f={formView('pr', { values, issues })} />, title(c));
  });
  return app;
}
