import { Hono, type Context } from 'hono';
import { recordPrincipleRound, saveChecklist, savePrincipleSettings } from '../../app/feedback/index.ts';
import { latestRounds, principleSettings, principles, roundsOfService } from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { KPI_BASES } from '../../domain/principles/index.ts';
import { actorOf, currentUser, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { fieldValue, readForm } from '../forms.ts';
import { formatDate } from '../i18n/index.ts';
import { Field } from '../views/components.tsx';
import { formatScore } from '../views/format.ts';
import { Csrf, described } from '../views/service-views.tsx';
import { canManage, projectOffice } from './services/shared.tsx';

// Client-centricity principles (issue 16): the low-graded list, check rounds per service with a grade
// per principle and a total, the checklist and the KPI's basis — /citizens/principles.

type Errors = Record<string, string>;
const errorsOf = (
  c: Context<AppEnv>,
  issues: { field: string; key: string; params?: Record<string, string | number> }[],
) => Object.fromEntries(issues.map((i) => [i.field, c.var.t(i.key, i.params)]));

async function ListPage({
  c,
  errors,
  values,
}: {
  c: Context<AppEnv>;
  errors?: Errors;
  values?: Record<string, string>;
}) {
  const { t, locale } = c.var;
  const { db } = c.var.deps;
  const settings = await principleSettings(db);
  const [low, all] = await Promise.all([
    latestRounds(db, { lowOnly: true, threshold: settings.lowThreshold }),
    latestRounds(db, { threshold: settings.lowThreshold, limit: 50 }),
  ]);
  const manage = canManage(c);
  const e = errors ?? {};
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
      {low.length === 0 ? <p class="muted">{t('fb.principles.none')}</p> : <RoundsTable rows={low} c={c} />}
      <h2>{t('fb.principles.latest')}</h2>
      {all.length === 0 ? <p class="muted">{t('fb.principles.none')}</p> : <RoundsTable rows={all} c={c} />}
      {manage && (
        <form method="post" action="/citizens/principles/settings" class="stacked" novalidate>
          <Csrf c={c} />
          <h2>{t('fb.principles.settings')}</h2>
          <Field id="pr-low" label={t('fb.principles.threshold')} error={e.lowThreshold}>
            <input
              id="pr-low"
              name="lowThreshold"
              inputmode="decimal"
              value={values?.lowThreshold ?? String(settings.lowThreshold)}
              {...described('pr-low', e.lowThreshold)}
            />
          </Field>
          <fieldset class={e.basis ? 'has-error' : undefined}>
            <legend>{t('fb.principles.basis')}</legend>
            {KPI_BASES.map((b) => (
              <label class="check">
                <input
                  type="radio"
                  name="basis"
                  value={b}
                  checked={(values?.basis ?? settings.basis) === b}
                />{' '}
                {t(`fb.principles.basis.${b}`)}
              </label>
            ))}
            {e.basis && <p class="field-error">{e.basis}</p>}
          </fieldset>
          <button type="submit">{t('svc.save')}</button>
        </form>
      )}
    </section>
  );
}

function RoundsTable({ rows, c }: { rows: Awaited<ReturnType<typeof latestRounds>>; c: Context<AppEnv> }) {
  const { t, locale } = c.var;
  return (
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('svc.code')}</th>
            <th scope="col">{t('svc.title')}</th>
            <th scope="col">{t('fb.principles.heldOn')}</th>
            <th scope="col">{t('fb.principles.total')}</th>
            <th scope="col">{t('fb.principles.checker')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.code}</td>
              <td>
                <a href={`/citizens/principles/service/${r.service_id}`}>
                  {localized(locale, r.title_ru, r.title_en)}
                </a>
              </td>
              <td>{formatDate(r.held_on, locale)}</td>
              <td class="num">{formatScore(r.total, locale)}</td>
              <td>{r.checker ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

async function ServicePage({
  c,
  errors,
  values,
}: {
  c: Context<AppEnv>;
  errors?: Errors;
  values?: Record<string, string>;
}) {
  const { t, locale } = c.var;
  const { db } = c.var.deps;
  const id = Number(c.req.param('id'));
  const svc =
    Number.isSafeInteger(id) && id > 0 && id < 2_147_483_647
      ? await db
          .selectFrom('service')
          .select(['id', 'code', 'title_ru', 'title_en'])
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
  if (!svc) throw new ShtabError('not_found', 'service not found', { key: 'error.svc.notFound' });
  const [list, rounds, settings] = await Promise.all([
    principles(db),
    roundsOfService(db, svc.id),
    principleSettings(db),
  ]);
  const active = list.filter((p) => p.active);
  const e = errors ?? {};
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
        <div class="table-scroll">
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">{t('fb.principles.principle')}</th>
                {rounds.map((r) => (
                  <th scope="col">{formatDate(r.held_on, locale)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <tr>
                  <th scope="row">{localized(locale, p.title_ru, p.title_en)}</th>
                  {rounds.map((r) => {
                    const g = r.grades.find((x) => x.principle_id === p.id)?.grade;
                    return (
                      <td class={`num${g !== undefined && g < settings.lowThreshold ? ' low' : ''}`}>
                        {g ?? '—'}
                      </td>
                    );
                  })}
                </tr>
              ))}
              <tr>
                <th scope="row">{t('fb.principles.total')}</th>
                {rounds.map((r) => (
                  <td class={`num${r.total < settings.lowThreshold ? ' low' : ''}`}>
                    <strong>{formatScore(r.total, locale)}</strong>
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {canManage(c) && (
        <form method="post" action={`/citizens/principles/service/${svc.id}`} class="stacked" novalidate>
          <Csrf c={c} />
          <h2>{t('fb.principles.newRound')}</h2>
          {Object.keys(e).length > 0 && (
            <p class="alert" role="alert">
              {t('error.feedback.fix')}
            </p>
          )}
          <Field id="pr-held" label={t('fb.principles.heldOn')} error={e.heldOn}>
            <input
              id="pr-held"
              name="heldOn"
              type="date"
              value={values?.heldOn ?? readContext(c).today}
              {...described('pr-held', e.heldOn)}
            />
          </Field>
          {active.map((p) => (
            <fieldset class={e[`grade.${p.id}`] ? 'has-error' : undefined}>
              <legend>{localized(locale, p.title_ru, p.title_en)}</legend>
              {[1, 2, 3, 4, 5].map((g) => (
                <label class="check">
                  <input
                    type="radio"
                    name={`grade.${p.id}`}
                    value={String(g)}
                    checked={values?.[`grade.${p.id}`] === String(g)}
                  />{' '}
                  {g}
                </label>
              ))}
              {e[`grade.${p.id}`] && <p class="field-error">{e[`grade.${p.id}`]}</p>}
            </fieldset>
          ))}
          <Field id="pr-note" label={t('fb.principles.note')} error={e.note}>
            <textarea id="pr-note" name="note" rows={3} {...described('pr-note', e.note)}>
              {values?.note ?? ''}
            </textarea>
          </Field>
          <button type="submit">{t('fb.principles.save')}</button>
        </form>
      )}
    </section>
  );
}

async function ChecklistPage({ c, errors }: { c: Context<AppEnv>; errors?: Errors }) {
  const { t } = c.var;
  const list = await principles(c.var.deps.db);
  const e = errors ?? {};
  return (
    <section>
      <h1>{t('fb.principles.checklist')}</h1>
      {e.active && (
        <p class="alert" role="alert">
          {e.active}
        </p>
      )}
      <form method="post" action="/citizens/principles/checklist" class="stacked" novalidate>
        <Csrf c={c} />
        {list.map((p) => (
          <fieldset>
            <legend>{p.code}</legend>
            <Field id={`ru-${p.id}`} label={t('svc.titleRu')} error={e[`title_ru.${p.id}`]}>
              <input id={`ru-${p.id}`} name={`title_ru.${p.id}`} value={p.title_ru} maxlength={200} />
            </Field>
            <Field id={`en-${p.id}`} label={t('svc.titleEn')} error={e[`title_en.${p.id}`]}>
              <input id={`en-${p.id}`} name={`title_en.${p.id}`} value={p.title_en} maxlength={200} />
            </Field>
            <label class="check">
              <input type="checkbox" name={`active.${p.id}`} value="1" checked={p.active} />{' '}
              {t('fb.principles.active')}
            </label>
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
    if (r.ok) return c.redirect('/citizens/principles', 303);
    c.status(422);
    return c.render(
      <ListPage
        c={c}
        errors={errorsOf(c, r.issues)}
        values={{ lowThreshold: fieldValue(values, 'lowThreshold'), basis: fieldValue(values, 'basis') }}
      />,
      title(c),
    );
  });
  app.get('/checklist', projectOffice, (c) => c.render(<ChecklistPage c={c} />, title(c)));
  app.post('/checklist', projectOffice, async (c) => {
    const { values } = await readForm(c);
    const r = await saveChecklist(c.var.deps.db, { actor: actorOf(currentUser(c)), values });
    if (r.ok) return c.redirect('/citizens/principles/checklist', 303);
    c.status(422);
    return c.render(<ChecklistPage c={c} errors={errorsOf(c, r.issues)} />, title(c));
  });
  app.get('/service/:id', (c) => c.render(<ServicePage c={c} />, title(c)));
  app.post('/service/:id', projectOffice, async (c) => {
    const { values } = await readForm(c);
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id <= 0 || id >= 2_147_483_647)
      throw new ShtabError('not_found', 'service not found', { key: 'error.svc.notFound' });
    const r = await recordPrincipleRound(c.var.deps.db, {
      actor: actorOf(currentUser(c)),
      serviceId: id,
      values,
      today: readContext(c).today,
    });
    if (r.ok) return c.redirect(`/citizens/principles/service/${id}`, 303);
    c.status(422);
    const v = Object.fromEntries(Object.keys(values).map((k) => [k, fieldValue(values, k)]));
    return c.render(<ServicePage c={c} errors={errorsOf(c, r.issues)} values={v} />, title(c));
  });
  return app;
}
