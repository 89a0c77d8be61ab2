import { Hono, type Context } from 'hono';
import { saveLifeSituation, saveRoadmap } from '../../../app/reference/index.ts';
import {
  lifeSituationAdminDetail,
  lifeSituationAdminList,
  roadmapAdminDetail,
  roadmapAdminList,
} from '../../../db/read-models/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../../domain/control-item/index.ts';
import { notFound, type FieldIssue } from '../../../domain/errors.ts';
import {
  lifeSituationProblems,
  parseNumberList,
  roadmapProblems,
  policyFromStored,
  type LifeSituationInput,
  type RoadmapInput,
  type RoadmapPolicyInput,
} from '../../../domain/reference/index.ts';
import { requireRole } from '../../auth/index.ts';
import { actorOf, currentUser, idParam, localized } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { flash } from '../../flash.ts';
import { fieldValue, joinDateFields, mergeIssues, readForm, type FormValues } from '../../forms.ts';
import { formatDate } from '../../i18n/index.ts';
import { adminForm, CodeAndTitles, History, type AdminFormProps } from '../../views/admin-form.tsx';
import { AdminTabs, sectionTitle } from '../../views/admin-tabs.tsx';
import { CheckboxField, DateField, ErrorSummary, SelectField, TextField } from '../../views/form.tsx';
import { Csrf } from '../../views/service-views.tsx';
import { UserText } from '../../views/components.tsx';
import { DataTable } from '../../views/table.tsx';

// The programme's own reference data for the working group and the administrator: roadmaps (approving
// act, horizon, head sign-off rule, chase policy in working days) and life situations (federal /
// regional, period; the target state is edited on the life situation's own page).

const office = requireRole('working_group', 'admin');

const dateOrNull = (v: string) => (v.trim() === '' ? null : v.trim());
const numberOr = (v: string) => (/^\d{1,4}$/.test(v.trim()) ? Number(v.trim()) : NaN);

type Kind = 'roadmaps' | 'life-situations';

/** Form fields as numbers; a list that does not read is a problem of its own. */
function policyOf(v: FormValues): { policy: RoadmapPolicyInput | null; problems: FieldIssue[] } {
  if (fieldValue(v, 'ownPolicy') !== '1') return { policy: null, problems: [] };
  const problems: FieldIssue[] = [];
  const list = (name: string) => {
    const xs = parseNumberList(fieldValue(v, name));
    if (xs === null) problems.push({ field: name, key: 'error.reference.numberList' });
    return xs ?? [];
  };
  return {
    policy: {
      reminders: list('reminders'),
      reworkReminders: list('reworkReminders'),
      recurringReminders: list('recurringReminders'),
      ladder: [1, 2, 3, 4].map((l) => numberOr(fieldValue(v, `ladder${l}`))) as RoadmapPolicyInput['ladder'],
      repeatEvery: numberOr(fieldValue(v, 'repeatEvery')),
      reworkDays: numberOr(fieldValue(v, 'reworkDays')),
    },
    problems,
  };
}

function roadmapInput(v: FormValues): { input: RoadmapInput; problems: FieldIssue[] } {
  const { policy, problems } = policyOf(v);
  const horizon = dateOrNull(fieldValue(v, 'horizon'));
  return {
    input: {
      code: fieldValue(v, 'code'),
      titleRu: fieldValue(v, 'titleRu'),
      titleEn: fieldValue(v, 'titleEn') || null,
      act: fieldValue(v, 'act') || null,
      horizon,
      headSignoffRequired: fieldValue(v, 'headSignoffRequired') === '1',
      policy,
    },
    problems,
  };
}

function lifeSituationInput(v: FormValues): LifeSituationInput {
  const level = fieldValue(v, 'level');
  return {
    code: fieldValue(v, 'code'),
    titleRu: fieldValue(v, 'titleRu'),
    titleEn: fieldValue(v, 'titleEn') || null,
    level: (level === 'federal' ? 'federal' : level === 'regional' ? 'regional' : level) as
      'federal' | 'regional',
    periodFrom: dateOrNull(fieldValue(v, 'periodFrom')),
    periodTo: dateOrNull(fieldValue(v, 'periodTo')),
  };
}

const policyValues = (p: RoadmapPolicyInput): FormValues => ({
  reminders: p.reminders.join(', '),
  reworkReminders: p.reworkReminders.join(', '),
  recurringReminders: p.recurringReminders.join(', '),
  ladder1: String(p.ladder[0]),
  ladder2: String(p.ladder[1]),
  ladder3: String(p.ladder[2]),
  ladder4: String(p.ladder[3]),
  repeatEvery: String(p.repeatEvery),
  reworkDays: String(p.reworkDays),
});

const regionPolicy = (c: Context<AppEnv>) => ({ ...DEFAULT_CHASE_POLICY, ...c.var.deps.policy });

const LS_DATES = ['periodFrom', 'periodTo'] as const;
const RM_DATES = ['horizon'] as const;

function RoadmapForm({ c, action, values, problems, submit }: AdminFormProps) {
  const { t } = c.var;
  const f = adminForm(t, 'roadmap', values, problems, RM_DATES);
  const days = (name: string, label: string, hint?: string) => (
    <TextField f={f} t={t} name={name} label={label} hint={hint} maxlength={60} width="short" />
  );
  return (
    <form method="post" action={action} class="stacked narrow-form" novalidate>
      <Csrf c={c} />
      <ErrorSummary f={f} t={t} />
      <CodeAndTitles f={f} t={t} titleLabel={t('admin.roadmap.titleRu')} />
      <TextField
        f={f}
        t={t}
        name="act"
        label={t('admin.roadmap.act')}
        hint={t('admin.roadmap.actHint')}
        maxlength={1000}
      />
      <DateField
        f={f}
        t={t}
        name="horizon"
        label={t('admin.roadmap.horizon')}
        hint={t('admin.roadmap.horizonHint')}
      />
      <CheckboxField f={f} t={t} name="headSignoffRequired" label={t('admin.roadmap.headSignoff')} />
      <fieldset>
        <legend>{t('admin.roadmap.policy')}</legend>
        <CheckboxField
          f={f}
          t={t}
          name="ownPolicy"
          label={t('admin.roadmap.ownPolicy')}
          hint={t('admin.roadmap.policyHint')}
        />
        {days('reminders', t('admin.roadmap.reminders'), t('admin.roadmap.listHint'))}
        {days('reworkReminders', t('admin.roadmap.reworkReminders'))}
        {days('recurringReminders', t('admin.roadmap.recurringReminders'))}
        {[1, 2, 3, 4].map((l) => days(`ladder${l}`, t(`admin.roadmap.ladder${l}`)))}
        {days('repeatEvery', t('admin.roadmap.repeatEvery'))}
        {days('reworkDays', t('admin.roadmap.reworkDays'))}
      </fieldset>
      <button type="submit">{submit}</button>
    </form>
  );
}

function LifeSituationForm({ c, action, values, problems, submit }: AdminFormProps) {
  const { t } = c.var;
  const f = adminForm(t, 'ls', values, problems, LS_DATES);
  return (
    <form method="post" action={action} class="stacked narrow-form" novalidate>
      <Csrf c={c} />
      <ErrorSummary f={f} t={t} />
      <CodeAndTitles f={f} t={t} titleLabel={t('admin.ls.titleRu')} />
      <SelectField
        f={f}
        t={t}
        name="level"
        label={t('admin.ls.level')}
        options={(['regional', 'federal'] as const).map((l) => ({
          value: l,
          label: t(`admin.ls.level.${l}`),
        }))}
      />
      <DateField f={f} t={t} name="periodFrom" label={t('admin.ls.periodFrom')} />
      <DateField f={f} t={t} name="periodTo" label={t('admin.ls.periodTo')} />
      <button type="submit">{submit}</button>
    </form>
  );
}

const tab = (kind: Kind): 'roadmaps' | 'lifeSituations' =>
  kind === 'roadmaps' ? 'roadmaps' : 'lifeSituations';

async function ListPage({ c, kind }: { c: Context<AppEnv>; kind: Kind }) {
  const { t, locale } = c.var;
  const db = c.var.deps.db;
  const role = currentUser(c).role;
  const when = (d: string | null) => (d ? formatDate(d, locale) : '—');
  if (kind === 'roadmaps') {
    const rows = await roadmapAdminList(db);
    return (
      <section>
        <h1>{sectionTitle(t, role)}</h1>
        <AdminTabs t={t} current="roadmaps" role={role} />
        <h2>{t('admin.roadmaps.title')}</h2>
        <p>
          <a href="/admin/roadmaps/new" class="button">
            {t('admin.roadmaps.new')}
          </a>
        </p>
        <DataTable
          rows={rows}
          class="admin-list"
          empty={<p class="muted">{t('admin.roadmaps.empty')}</p>}
          columns={[
            {
              label: t('admin.agency.code'),
              rowHeader: true,
              cell: (r) => <a href={`/admin/roadmaps/${r.id}`}>{r.code}</a>,
            },
            {
              label: t('admin.roadmap.titleRu'),
              wide: true,
              cell: (r) => localized(locale, r.title_ru, r.title_en),
            },
            { label: t('admin.roadmap.act'), cell: (r) => (r.act ? <UserText text={r.act} /> : '—') },
            { label: t('admin.roadmap.horizon'), cell: (r) => when(r.horizon) },
            { label: t('admin.roadmaps.items'), class: 'num', cell: (r) => `${r.open_items} / ${r.items}` },
            {
              label: t('admin.roadmaps.actions'),
              cell: (r) => (
                <span class="row-actions">
                  <a href={`/imports?roadmap=${r.id}`}>{t('admin.roadmaps.import')}</a>
                  <a href={`/items?roadmap=${r.id}`}>{t('admin.roadmaps.itemsLink')}</a>
                </span>
              ),
            },
          ]}
        />
      </section>
    );
  }
  const rows = await lifeSituationAdminList(db);
  return (
    <section>
      <h1>{sectionTitle(t, role)}</h1>
      <AdminTabs t={t} current="lifeSituations" role={role} />
      <h2>{t('admin.ls.title')}</h2>
      <p>
        <a href="/admin/life-situations/new" class="button">
          {t('admin.ls.new')}
        </a>
      </p>
      <DataTable
        rows={rows}
        class="admin-list"
        empty={<p class="muted">{t('admin.ls.empty')}</p>}
        columns={[
          {
            label: t('admin.agency.code'),
            rowHeader: true,
            cell: (l) => <a href={`/admin/life-situations/${l.id}`}>{l.code}</a>,
          },
          {
            label: t('admin.ls.titleRu'),
            wide: true,
            cell: (l) => localized(locale, l.title_ru, l.title_en),
          },
          { label: t('admin.ls.level'), cell: (l) => t(`admin.ls.level.${l.level}`) },
          {
            label: t('admin.ls.period'),
            cell: (l) =>
              l.period_from || l.period_to ? `${when(l.period_from)} — ${when(l.period_to)}` : '—',
          },
          { label: t('admin.roadmaps.items'), class: 'num', cell: (l) => l.items },
        ]}
      />
    </section>
  );
}

async function EditPage({
  c,
  kind,
  id,
  values,
  problems,
}: {
  c: Context<AppEnv>;
  kind: Kind;
  id: number | null;
  values?: FormValues | undefined;
  problems?: FieldIssue[] | undefined;
}) {
  const { t, locale } = c.var;
  const db = c.var.deps.db;
  const role = currentUser(c).role;
  const base = `/admin/${kind}`;
  let form = values;
  let heading: string;
  let history: Awaited<ReturnType<typeof roadmapAdminDetail>> extends infer D
    ? D extends { history: infer H }
      ? H
      : never
    : never = [];
  if (kind === 'roadmaps') {
    if (id === null) {
      heading = t('admin.roadmaps.new');
      form ??= { ...policyValues(policyFromStored(null, regionPolicy(c))) };
    } else {
      const d = await roadmapAdminDetail(db, id);
      if (!d) throw notFound('error.roadmap.notFound', `roadmap ${id} not found`);
      heading = localized(locale, d.row.title_ru, d.row.title_en);
      history = d.history;
      form ??= {
        code: d.row.code,
        titleRu: d.row.title_ru,
        titleEn: d.row.title_en === d.row.title_ru ? '' : d.row.title_en,
        act: d.row.act ?? '',
        horizon: d.row.horizon ?? '',
        headSignoffRequired: d.row.head_signoff_required ? '1' : '',
        ownPolicy: d.row.chase_policy ? '1' : '',
        ...policyValues(
          policyFromStored(d.row.chase_policy as Record<string, unknown> | null, regionPolicy(c)),
        ),
      };
    }
  } else if (id === null) {
    heading = t('admin.ls.new');
    form ??= { level: 'regional' };
  } else {
    const d = await lifeSituationAdminDetail(db, id);
    if (!d) throw notFound('error.lifeSituation.notFound', `life situation ${id} not found`);
    heading = localized(locale, d.row.title_ru, d.row.title_en);
    history = d.history;
    form ??= {
      code: d.row.code,
      titleRu: d.row.title_ru,
      titleEn: d.row.title_en === d.row.title_ru ? '' : d.row.title_en,
      level: d.row.level,
      periodFrom: d.row.period_from ?? '',
      periodTo: d.row.period_to ?? '',
    };
  }
  const action = id === null ? base : `${base}/${id}`;
  const submit = id === null ? t('admin.create') : t('admin.save');
  return (
    <section>
      <h1>{heading}</h1>
      <AdminTabs t={t} current={tab(kind)} role={role} />
      <p>
        <a href={base}>{t('admin.back')}</a>
        {kind === 'life-situations' && id !== null && (
          <>
            {' · '}
            <a href={`/life-situations/${id}/target-state`}>{t('admin.ls.targetState')}</a>
          </>
        )}
      </p>
      {kind === 'roadmaps' ? (
        <RoadmapForm c={c} action={action} values={form} problems={problems} submit={submit} />
      ) : (
        <LifeSituationForm c={c} action={action} values={form} problems={problems} submit={submit} />
      )}
      {id !== null && (
        <History
          t={t}
          locale={locale}
          timeZone={c.var.deps.config.timeZone}
          events={history}
          subject={[kind === 'roadmaps' ? 'roadmap' : 'life_situation', id]}
        />
      )}
    </section>
  );
}

export function adminProgrammeRoutes() {
  const app = new Hono<AppEnv>();
  const title = (c: Context<AppEnv>, kind: Kind) => ({
    title: c.var.t(kind === 'roadmaps' ? 'admin.roadmaps.title' : 'admin.ls.title'),
    section: 'admin' as const,
  });
  for (const kind of ['roadmaps', 'life-situations'] as const) {
    const save = async (c: Context<AppEnv>, id: number | null) => {
      const { values } = await readForm(c);
      // The date boxes (day / month / year) become ISO dates; one that cannot be read is a problem too.
      const dates = joinDateFields(values);
      const actor = actorOf(currentUser(c));
      let r: { ok: true; id: number } | { ok: false; problems: FieldIssue[] };
      if (kind === 'roadmaps') {
        const parsed = roadmapInput(dates.values);
        const pure = [...parsed.problems, ...roadmapProblems(parsed.input)];
        // Nothing is saved while any field (a date included) is refused: all problems are shown at once.
        r =
          dates.issues.length || parsed.problems.length
            ? { ok: false, problems: pure }
            : await saveRoadmap(c.var.deps.db, actor, id, parsed.input);
      } else {
        const input = lifeSituationInput(dates.values);
        r = dates.issues.length
          ? { ok: false, problems: lifeSituationProblems(input) }
          : await saveLifeSituation(c.var.deps.db, actor, id, input);
      }
      if (!r.ok || dates.issues.length) {
        const problems = mergeIssues(dates.issues, r.ok ? [] : r.problems);
        c.status(422);
        return c.render(
          <EditPage c={c} kind={kind} id={id} values={values} problems={problems} />,
          title(c, kind),
        );
      }
      flash(c, 'flash.admin.saved');
      return c.redirect(`/admin/${kind}/${r.id}`, 303);
    };
    app.get(`/${kind}`, office, (c) => c.render(<ListPage c={c} kind={kind} />, title(c, kind)));
    app.get(`/${kind}/new`, office, (c) =>
      c.render(<EditPage c={c} kind={kind} id={null} />, title(c, kind)),
    );
    app.post(`/${kind}`, office, (c) => save(c, null));
    app.get(`/${kind}/:id`, office, (c) =>
      c.render(<EditPage c={c} kind={kind} id={idParam(c)} />, title(c, kind)),
    );
    app.post(`/${kind}/:id`, office, (c) => save(c, idParam(c)));
  }
  return app;
}
