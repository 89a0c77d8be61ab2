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
import { isLocalDate } from '../../../domain/local-date.ts';
import {
  parseNumberList,
  policyFromStored,
  type LifeSituationInput,
  type RoadmapInput,
  type RoadmapPolicyInput,
} from '../../../domain/reference/index.ts';
import { requireRole } from '../../auth/index.ts';
import { actorOf, currentUser, idParam, localized } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { fieldValue, readForm, type FormValues } from '../../forms.ts';
import { formatDate } from '../../i18n/index.ts';
import { fieldProblems, History, Notice, ProblemSummary } from '../../views/admin-form.tsx';
import { AdminTabs, sectionTitle } from '../../views/admin-tabs.tsx';
import { Field } from '../../views/components.tsx';
import { Csrf } from '../../views/service-views.tsx';

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

function RoadmapForm({
  c,
  action,
  values,
  problems,
  submit,
}: {
  c: Context<AppEnv>;
  action: string;
  values: FormValues;
  problems?: FieldIssue[] | undefined;
  submit: string;
}) {
  const { t } = c.var;
  const { err, aria } = fieldProblems(t, problems);
  const id = (f: string) => `roadmap-${f}`;
  const input = (
    name: string,
    o: { required?: boolean; max?: number; type?: string; inputmode?: string } = {},
  ) => (
    <input
      id={id(name)}
      name={name}
      type={o.type ?? 'text'}
      value={fieldValue(values, name)}
      maxlength={o.max ?? 500}
      required={o.required}
      inputmode={o.inputmode as 'numeric' | undefined}
      {...aria(name, id(name))}
    />
  );
  return (
    <form method="post" action={action} class="stacked narrow-form" novalidate>
      <Csrf c={c} />
      <ProblemSummary t={t} problems={problems} idOf={id} />
      <Field id={id('code')} label={t('admin.agency.code')} error={err('code')}>
        {input('code', { required: true, max: 40 })}
      </Field>
      <Field id={id('titleRu')} label={t('admin.roadmap.titleRu')} error={err('titleRu')}>
        {input('titleRu', { required: true })}
      </Field>
      <Field id={id('titleEn')} label={t('admin.agency.titleEn')} error={err('titleEn')}>
        {input('titleEn')}
      </Field>
      <Field
        id={id('act')}
        label={t('admin.roadmap.act')}
        hint={t('admin.roadmap.actHint')}
        error={err('act')}
      >
        {input('act', { max: 1000 })}
      </Field>
      <Field
        id={id('horizon')}
        label={t('admin.roadmap.horizon')}
        hint={t('admin.roadmap.horizonHint')}
        error={err('horizon')}
      >
        {input('horizon', { type: 'date' })}
      </Field>
      <label class="check">
        <input
          type="checkbox"
          name="headSignoffRequired"
          value="1"
          checked={fieldValue(values, 'headSignoffRequired') === '1'}
        />{' '}
        {t('admin.roadmap.headSignoff')}
      </label>
      <fieldset>
        <legend>{t('admin.roadmap.policy')}</legend>
        <label class="check">
          <input
            type="checkbox"
            name="ownPolicy"
            value="1"
            checked={fieldValue(values, 'ownPolicy') === '1'}
          />{' '}
          {t('admin.roadmap.ownPolicy')}
        </label>
        <p class="hint">{t('admin.roadmap.policyHint')}</p>
        <Field
          id={id('reminders')}
          label={t('admin.roadmap.reminders')}
          hint={t('admin.roadmap.listHint')}
          error={err('reminders')}
        >
          {input('reminders', { max: 60 })}
        </Field>
        <Field
          id={id('reworkReminders')}
          label={t('admin.roadmap.reworkReminders')}
          error={err('reworkReminders')}
        >
          {input('reworkReminders', { max: 60 })}
        </Field>
        <Field
          id={id('recurringReminders')}
          label={t('admin.roadmap.recurringReminders')}
          error={err('recurringReminders')}
        >
          {input('recurringReminders', { max: 60 })}
        </Field>
        {[1, 2, 3, 4].map((l) => (
          <Field
            id={id(`ladder${l}`)}
            label={t(`admin.roadmap.ladder${l}`)}
            error={err(`ladder${l}`) ?? (l === 4 ? err('ladder') : undefined)}
          >
            {input(`ladder${l}`, { max: 3, inputmode: 'numeric' })}
          </Field>
        ))}
        <Field id={id('repeatEvery')} label={t('admin.roadmap.repeatEvery')} error={err('repeatEvery')}>
          {input('repeatEvery', { max: 3, inputmode: 'numeric' })}
        </Field>
        <Field id={id('reworkDays')} label={t('admin.roadmap.reworkDays')} error={err('reworkDays')}>
          {input('reworkDays', { max: 3, inputmode: 'numeric' })}
        </Field>
      </fieldset>
      <button type="submit">{submit}</button>
    </form>
  );
}

function LifeSituationForm({
  c,
  action,
  values,
  problems,
  submit,
}: {
  c: Context<AppEnv>;
  action: string;
  values: FormValues;
  problems?: FieldIssue[] | undefined;
  submit: string;
}) {
  const { t } = c.var;
  const { err, aria } = fieldProblems(t, problems);
  const id = (f: string) => `ls-${f}`;
  const input = (name: string, o: { required?: boolean; max?: number; type?: string } = {}) => (
    <input
      id={id(name)}
      name={name}
      type={o.type ?? 'text'}
      value={fieldValue(values, name)}
      maxlength={o.max ?? 500}
      required={o.required}
      {...aria(name, id(name))}
    />
  );
  return (
    <form method="post" action={action} class="stacked narrow-form" novalidate>
      <Csrf c={c} />
      <ProblemSummary t={t} problems={problems} idOf={id} />
      <Field id={id('code')} label={t('admin.agency.code')} error={err('code')}>
        {input('code', { required: true, max: 40 })}
      </Field>
      <Field id={id('titleRu')} label={t('admin.ls.titleRu')} error={err('titleRu')}>
        {input('titleRu', { required: true })}
      </Field>
      <Field id={id('titleEn')} label={t('admin.agency.titleEn')} error={err('titleEn')}>
        {input('titleEn')}
      </Field>
      <Field id={id('level')} label={t('admin.ls.level')} error={err('level')}>
        <select id={id('level')} name="level" {...aria('level', id('level'))}>
          {(['regional', 'federal'] as const).map((l) => (
            <option value={l} selected={(fieldValue(values, 'level') || 'regional') === l}>
              {t(`admin.ls.level.${l}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={id('periodFrom')} label={t('admin.ls.periodFrom')} error={err('periodFrom')}>
        {input('periodFrom', { type: 'date' })}
      </Field>
      <Field id={id('periodTo')} label={t('admin.ls.periodTo')} error={err('periodTo')}>
        {input('periodTo', { type: 'date' })}
      </Field>
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
        <h1>{sectionTitle(t, currentUser(c).role)}</h1>
        <AdminTabs t={t} current="roadmaps" role={role} />
        <h2>{t('admin.roadmaps.title')}</h2>
        <p>
          <a href="/admin/roadmaps/new" class="button">
            {t('admin.roadmaps.new')}
          </a>
        </p>
        <div class="table-scroll">
          <table class="admin-list">
            <thead>
              <tr>
                <th scope="col">{t('admin.agency.code')}</th>
                <th scope="col">{t('admin.roadmap.titleRu')}</th>
                <th scope="col">{t('admin.roadmap.act')}</th>
                <th scope="col">{t('admin.roadmap.horizon')}</th>
                <th scope="col" class="num">
                  {t('admin.roadmaps.items')}
                </th>
                <th scope="col">{t('admin.roadmaps.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/admin/roadmaps/${r.id}`}>{r.code}</a>
                  </td>
                  <td>{localized(locale, r.title_ru, r.title_en)}</td>
                  <td>{r.act ?? '—'}</td>
                  <td>{when(r.horizon)}</td>
                  <td class="num">
                    {r.open_items} / {r.items}
                  </td>
                  <td class="row-actions">
                    <a href={`/imports?roadmap=${r.id}`}>{t('admin.roadmaps.import')}</a>
                    <a href={`/items?roadmap=${r.id}`}>{t('admin.roadmaps.itemsLink')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    );
  }
  const rows = await lifeSituationAdminList(db);
  return (
    <section>
      <h1>{sectionTitle(t, currentUser(c).role)}</h1>
      <AdminTabs t={t} current="lifeSituations" role={role} />
      <h2>{t('admin.ls.title')}</h2>
      <p>
        <a href="/admin/life-situations/new" class="button">
          {t('admin.ls.new')}
        </a>
      </p>
      <div class="table-scroll">
        <table class="admin-list">
          <thead>
            <tr>
              <th scope="col">{t('admin.agency.code')}</th>
              <th scope="col">{t('admin.ls.titleRu')}</th>
              <th scope="col">{t('admin.ls.level')}</th>
              <th scope="col">{t('admin.ls.period')}</th>
              <th scope="col" class="num">
                {t('admin.roadmaps.items')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((l) => (
              <tr>
                <td>
                  <a href={`/admin/life-situations/${l.id}`}>{l.code}</a>
                </td>
                <td>{localized(locale, l.title_ru, l.title_en)}</td>
                <td>{t(`admin.ls.level.${l.level}`)}</td>
                <td>
                  {l.period_from || l.period_to ? `${when(l.period_from)} — ${when(l.period_to)}` : '—'}
                </td>
                <td class="num">{l.items}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

async function EditPage({
  c,
  kind,
  id,
  values,
  problems,
  message,
}: {
  c: Context<AppEnv>;
  kind: Kind;
  id: number | null;
  values?: FormValues | undefined;
  problems?: FieldIssue[] | undefined;
  message?: string | undefined;
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
      <Notice message={message} />
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
      const actor = actorOf(currentUser(c));
      let r;
      if (kind === 'roadmaps') {
        const parsed = roadmapInput(values);
        if (parsed.input.horizon !== null && !isLocalDate(parsed.input.horizon))
          parsed.problems.push({ field: 'horizon', key: 'error.field.date' });
        r = parsed.problems.length
          ? { ok: false as const, problems: parsed.problems }
          : await saveRoadmap(c.var.deps.db, actor, id, parsed.input);
      } else r = await saveLifeSituation(c.var.deps.db, actor, id, lifeSituationInput(values));
      if (!r.ok) {
        c.status(422);
        return c.render(
          <EditPage c={c} kind={kind} id={id} values={values} problems={r.problems} />,
          title(c, kind),
        );
      }
      return c.redirect(`/admin/${kind}/${r.id}?saved=1`, 303);
    };
    app.get(`/${kind}`, office, (c) => c.render(<ListPage c={c} kind={kind} />, title(c, kind)));
    app.get(`/${kind}/new`, office, (c) =>
      c.render(<EditPage c={c} kind={kind} id={null} />, title(c, kind)),
    );
    app.post(`/${kind}`, office, (c) => save(c, null));
    app.get(`/${kind}/:id`, office, (c) =>
      c.render(
        <EditPage
          c={c}
          kind={kind}
          id={idParam(c)}
          message={c.req.query('saved') ? c.var.t('admin.saved') : undefined}
        />,
        title(c, kind),
      ),
    );
    app.post(`/${kind}/:id`, office, (c) => save(c, idParam(c)));
  }
  return app;
}
