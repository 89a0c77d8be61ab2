import { Hono, type Context } from 'hono';
import type { Db } from '../../db/index.ts';
import {
  feedbackScores,
  getService,
  listChecks,
  recentReviews,
  listServices,
  scoreHistory,
  scorePeriods,
  serviceImprovements,
  serviceLifeSituations,
  serviceSettings,
} from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import {
  CHANNELS,
  classifyScore,
  KPI_BASE_PERIOD_KEY,
  LOW_SCORE_MIN_VOTES_KEY,
  LOW_SCORE_THRESHOLD_KEY,
  parseServiceForm,
  parseSettingsForm,
  SERVICE_LEVELS,
  type FormData,
} from '../../domain/services/index.ts';
import { requireRole } from '../auth/index.ts';
import { idParam, localized } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDate } from '../i18n/index.ts';
import { StatusBadge } from '../views/components.tsx';
import { ServiceFeedbackSection } from '../views/feedback-views.tsx';
import {
  Csrf,
  described,
  Field,
  fieldValue,
  fieldValues,
  formatScore,
  formData,
  formErrors,
  ImprovementBadge,
  periodLabel,
  ScoreBadge,
  type FormErrors,
} from '../views/service-views.tsx';

export const projectOffice = requireRole('working_group', 'admin');
export const canManage = (c: Context<AppEnv>) => {
  const r = c.var.user?.role;
  return r === 'working_group' || r === 'admin';
};

async function formOptions(db: Db) {
  const [agencies, users, lifeSituations] = await Promise.all([
    db
      .selectFrom('agency')
      .select(['id', 'code', 'short_ru', 'title_ru', 'title_en'])
      .orderBy('code')
      .execute(),
    db
      .selectFrom('app_user as u')
      .leftJoin('agency as a', 'a.id', 'u.agency_id')
      .select(['u.id', 'u.display_name', 'u.position', 'a.short_ru as agency'])
      .where('u.disabled', '=', false)
      .where('u.role', '!=', 'observer')
      .orderBy('u.display_name')
      .execute(),
    db
      .selectFrom('life_situation')
      .select(['id', 'title_ru', 'title_en'])
      .orderBy('sort')
      .orderBy('id')
      .execute(),
  ]);
  return { agencies, users, lifeSituations };
}
type Options = Awaited<ReturnType<typeof formOptions>>;

async function loadService(c: Context<AppEnv>, id: number) {
  const s = await getService(c.var.deps.db, id);
  if (!s) throw new ShtabError('not_found', `service ${id} not found`, { key: 'svc.notFound' });
  return s;
}

function ServiceFormView({
  c,
  action,
  values,
  errors,
  options,
  heading,
}: {
  c: Context<AppEnv>;
  action: string;
  values: FormData;
  errors: FormErrors;
  options: Options;
  heading: string;
}) {
  const { t, locale } = c.var;
  const v = (k: string) => fieldValue(values, k);
  const channels = fieldValues(values, 'channels');
  const ls = fieldValues(values, 'lifeSituationIds');
  const flag = (k: string) => ['1', 'on', 'true'].includes(v(k));
  return (
    <section>
      <h1>{heading}</h1>
      {Object.keys(errors).length > 0 && (
        <p class="alert" role="alert">
          {t('svc.form.fix')}
        </p>
      )}
      <form method="post" action={action} class="stacked" novalidate>
        <Csrf c={c} />
        <Field id="svc-code" label={t('svc.code')} error={errors.code}>
          <input
            id="svc-code"
            name="code"
            value={v('code')}
            required
            maxlength={64}
            {...described('svc-code', errors.code)}
          />
        </Field>
        <Field id="svc-title_ru" label={t('svc.titleRu')} error={errors.title_ru}>
          <textarea
            id="svc-title_ru"
            name="title_ru"
            rows={2}
            required
            {...described('svc-title_ru', errors.title_ru)}
          >
            {v('title_ru')}
          </textarea>
        </Field>
        <Field id="svc-title_en" label={t('svc.titleEn')} error={errors.title_en}>
          <textarea
            id="svc-title_en"
            name="title_en"
            rows={2}
            {...described('svc-title_en', errors.title_en)}
          >
            {v('title_en')}
          </textarea>
        </Field>
        <Field id="svc-agency_id" label={t('svc.agency')} error={errors.agency_id}>
          <select
            id="svc-agency_id"
            name="agency_id"
            required
            {...described('svc-agency_id', errors.agency_id)}
          >
            <option value="">{t('svc.choose')}</option>
            {options.agencies.map((a) => (
              <option value={String(a.id)} selected={v('agency_id') === String(a.id)}>
                {localized(locale, a.short_ru ?? a.title_ru, a.title_en)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="svc-curator" label={t('svc.curator')} error={errors.curator_user_id}>
          <select
            id="svc-curator"
            name="curator_user_id"
            {...described('svc-curator', errors.curator_user_id)}
          >
            <option value="">{t('svc.noCurator')}</option>
            {options.users.map((u) => (
              <option value={String(u.id)} selected={v('curator_user_id') === String(u.id)}>
                {[u.display_name, u.position, u.agency].filter(Boolean).join(' — ')}
              </option>
            ))}
          </select>
        </Field>
        <Field id="svc-level" label={t('svc.level')} error={errors.level}>
          <select id="svc-level" name="level">
            {SERVICE_LEVELS.map((l) => (
              <option value={l} selected={(v('level') || 'regional') === l}>
                {t(`svc.level.${l}`)}
              </option>
            ))}
          </select>
        </Field>
        <fieldset class={errors.channels ? 'has-error' : undefined}>
          <legend>{t('svc.channels')}</legend>
          {CHANNELS.map((ch) => (
            <label class="check">
              <input type="checkbox" name="channels" value={ch} checked={channels.includes(ch)} />{' '}
              {t(`svc.channel.${ch}`)}
            </label>
          ))}
          {errors.channels && <p class="field-error">{errors.channels}</p>}
        </fieldset>
        <fieldset>
          <legend>{t('svc.flags')}</legend>
          <label class="check">
            <input type="checkbox" name="electronic" value="1" checked={flag('electronic')} />{' '}
            {t('svc.electronic')}
          </label>
          <label class="check">
            <input type="checkbox" name="proactive" value="1" checked={flag('proactive')} />{' '}
            {t('svc.proactive')}
          </label>
          <label class="check">
            <input
              type="checkbox"
              name="socially_significant"
              value="1"
              checked={flag('socially_significant')}
            />{' '}
            {t('svc.sociallySignificant')}
          </label>
        </fieldset>
        <fieldset class={errors.lifeSituationIds ? 'has-error' : undefined}>
          <legend>{t('svc.lifeSituations')}</legend>
          {options.lifeSituations.map((l) => (
            <label class="check">
              <input
                type="checkbox"
                name="lifeSituationIds"
                value={String(l.id)}
                checked={ls.includes(String(l.id))}
              />{' '}
              {localized(locale, l.title_ru, l.title_en)}
            </label>
          ))}
          {errors.lifeSituationIds && <p class="field-error">{errors.lifeSituationIds}</p>}
        </fieldset>
        <div class="buttons">
          <button type="submit">{t('svc.save')}</button>
          <a href="/services">{t('svc.cancel')}</a>
        </div>
      </form>
      {action !== '/services' && (
        <form method="post" action={`${action}/delete`} class="stacked">
          <Csrf c={c} />
          <p class="muted">{t('svc.deleteHint')}</p>
          <button type="submit" class="secondary">
            {t('svc.delete')}
          </button>
        </form>
      )}
    </section>
  );
}

/**
 * References the form names must point at real rows; a taken code is a field error too. Checked on the raw
 * fields, so they show together with the format errors.
 */
async function checkReferences(db: Db, f: FormData, selfId: number | null): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  const idOf = (k: string) => {
    const v = fieldValue(f, k).trim();
    return /^\d{1,9}$/.test(v) ? Number(v) : null;
  };
  const code = fieldValue(f, 'code').trim().toLowerCase();
  const agencyId = idOf('agency_id');
  const curatorId = idOf('curator_user_id');
  const lsIds = fieldValues(f, 'lifeSituationIds')
    .filter((x) => /^\d{1,9}$/.test(x))
    .map(Number);
  const [agency, curator, taken, ls] = await Promise.all([
    agencyId ? db.selectFrom('agency').select('id').where('id', '=', agencyId).executeTakeFirst() : undefined,
    curatorId
      ? db
          .selectFrom('app_user')
          .select('id')
          .where('id', '=', curatorId)
          .where('disabled', '=', false)
          .executeTakeFirst()
      : undefined,
    code
      ? db
          .selectFrom('service')
          .select('id')
          .where((eb) => eb(eb.fn('lower', ['code']), '=', code))
          .executeTakeFirst()
      : undefined,
    lsIds.length ? db.selectFrom('life_situation').select('id').where('id', 'in', lsIds).execute() : [],
  ]);
  if (agencyId && !agency) errors.agency_id = 'svc.err.choose';
  if (curatorId && !curator) errors.curator_user_id = 'svc.err.choose';
  if (taken && taken.id !== selfId) errors.code = 'svc.err.codeTaken';
  if (ls.length !== new Set(lsIds).size) errors.lifeSituationIds = 'svc.err.choose';
  return errors;
}

async function saveService(c: Context<AppEnv>, selfId: number | null) {
  const { db } = c.var.deps;
  const { t } = c.var;
  const values = await formData(c);
  const parsed = parseServiceForm(values);
  const refErrors = await checkReferences(db, values, selfId);
  const errors: FormErrors = {
    ...Object.fromEntries(Object.entries(refErrors).map(([k, key]) => [k, t(key)])),
    ...(parsed.ok ? {} : formErrors(t, parsed.errors)),
  };
  if (!parsed.ok || Object.keys(errors).length) {
    c.status(422);
    const heading = selfId ? t('svc.editTitle') : t('svc.newTitle');
    return c.render(
      <ServiceFormView
        c={c}
        action={selfId ? `/services/${selfId}` : '/services'}
        values={values}
        errors={errors}
        options={await formOptions(db)}
        heading={heading}
      />,
      { title: heading, section: 'services' },
    );
  }
  const v = parsed.value;
  const row = {
    code: v.code,
    title_ru: v.title_ru,
    title_en: v.title_en,
    agency_id: v.agency_id,
    curator_user_id: v.curator_user_id,
    level: v.level,
    electronic: v.electronic,
    proactive: v.proactive,
    socially_significant: v.socially_significant,
    channels: v.channels,
  };
  let id: number;
  try {
    id = await db.transaction().execute(async (trx) => {
      const sid = selfId
        ? (
            await trx
              .updateTable('service')
              .set(row)
              .where('id', '=', selfId)
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id
        : (await trx.insertInto('service').values(row).returning('id').executeTakeFirstOrThrow()).id;
      await trx.deleteFrom('service_life_situation').where('service_id', '=', sid).execute();
      if (v.lifeSituationIds.length)
        await trx
          .insertInto('service_life_situation')
          .values(v.lifeSituationIds.map((l) => ({ service_id: sid, life_situation_id: l })))
          .execute();
      return sid;
    });
  } catch (e) {
    // Two people saving the same new code at once: the unique index decides.
    if ((e as { code?: string }).code === '23505')
      throw new ShtabError('validation', 'service code taken', { key: 'svc.err.codeTaken', field: 'code' });
    throw e;
  }
  return c.redirect(`/services/${id}`, 303);
}

function valuesOfService(s: NonNullable<Awaited<ReturnType<typeof getService>>>, ls: number[]): FormData {
  return {
    code: s.code,
    title_ru: s.title_ru,
    title_en: s.title_en ?? '',
    agency_id: String(s.agency_id),
    curator_user_id: s.curator_user_id ? String(s.curator_user_id) : '',
    level: s.level,
    channels: s.channels,
    lifeSituationIds: ls.map(String),
    electronic: s.electronic ? '1' : '',
    proactive: s.proactive ? '1' : '',
    socially_significant: s.socially_significant ? '1' : '',
  };
}

function SettingsView({ c, values, errors }: { c: Context<AppEnv>; values: FormData; errors: FormErrors }) {
  const { t } = c.var;
  return (
    <section>
      <h1>{t('svc.settings.title')}</h1>
      <form method="post" action="/services/settings" class="stacked" novalidate>
        <Csrf c={c} />
        <Field
          id="set-threshold"
          label={t('svc.settings.threshold')}
          hint={t('svc.settings.thresholdHint')}
          error={errors.threshold}
        >
          <input
            id="set-threshold"
            name="threshold"
            inputmode="decimal"
            value={fieldValue(values, 'threshold')}
            {...described('set-threshold', errors.threshold)}
          />
        </Field>
        <Field
          id="set-minVotes"
          label={t('svc.settings.minVotes')}
          hint={t('svc.settings.minVotesHint')}
          error={errors.minVotes}
        >
          <input
            id="set-minVotes"
            name="minVotes"
            inputmode="numeric"
            value={fieldValue(values, 'minVotes')}
            {...described('set-minVotes', errors.minVotes)}
          />
        </Field>
        <Field
          id="set-base"
          label={t('svc.settings.basePeriod')}
          hint={t('svc.settings.basePeriodHint')}
          error={errors.basePeriod}
        >
          <input
            id="set-base"
            name="basePeriod"
            value={fieldValue(values, 'basePeriod')}
            placeholder="2025-Q1"
            {...described('set-base', errors.basePeriod)}
          />
        </Field>
        <button type="submit">{t('svc.save')}</button>
      </form>
    </section>
  );
}

export function serviceRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const agencyId = Number(c.req.query('agency')) || undefined;
    const lifeSituationId = Number(c.req.query('ls')) || undefined;
    const scoreRaw = c.req.query('score');
    const scoreClass = scoreRaw === 'low' || scoreRaw === 'unrated' ? scoreRaw : undefined;
    const q = c.req.query('q')?.slice(0, 200) || undefined;
    const [settings, periods, options] = await Promise.all([
      serviceSettings(db),
      scorePeriods(db),
      formOptions(db),
    ]);
    const period = periods.at(-1) ?? null;
    const rows = await listServices(db, period, settings.rule, {
      agencyId,
      lifeSituationId,
      scoreClass,
      q,
    });
    return c.render(
      <section>
        <h1>{t('svc.list.title')}</h1>
        <p class="toolbar">
          <a href="/services/low-scoring">{t('svc.lowScoring.title')}</a>
          <a href="/services/checks">{t('svc.checks.title')}</a>
          {canManage(c) && <a href="/services/new">{t('svc.new')}</a>}
          {canManage(c) && <a href="/services/scores/import">{t('svc.import.title')}</a>}
          {canManage(c) && <a href="/services/settings">{t('svc.settings.title')}</a>}
        </p>
        <form method="get" action="/services" class="filters">
          <label for="f-agency">{t('svc.agency')}</label>
          <select id="f-agency" name="agency">
            <option value="">{t('svc.all')}</option>
            {options.agencies.map((a) => (
              <option value={String(a.id)} selected={agencyId === a.id}>
                {localized(locale, a.short_ru ?? a.title_ru, a.title_en)}
              </option>
            ))}
          </select>
          <label for="f-ls">{t('svc.lifeSituation')}</label>
          <select id="f-ls" name="ls">
            <option value="">{t('svc.all')}</option>
            {options.lifeSituations.map((l) => (
              <option value={String(l.id)} selected={lifeSituationId === l.id}>
                {localized(locale, l.title_ru, l.title_en)}
              </option>
            ))}
          </select>
          <label for="f-score">{t('svc.score')}</label>
          <select id="f-score" name="score">
            <option value="">{t('svc.all')}</option>
            <option value="low" selected={scoreClass === 'low'}>
              {t('svc.filter.low')}
            </option>
            <option value="unrated" selected={scoreClass === 'unrated'}>
              {t('svc.filter.unrated')}
            </option>
          </select>
          <label for="f-q">{t('svc.search')}</label>
          <input id="f-q" name="q" type="search" value={q ?? ''} />
          <button type="submit">{t('items.filter')}</button>
        </form>
        <p class="muted">
          {period
            ? t('svc.list.periodNote', {
                period: periodLabel(period, locale),
                threshold: formatScore(settings.threshold, locale),
              })
            : t('svc.noScores')}
        </p>
        {rows.length === 0 ? (
          <p>{t('items.empty')}</p>
        ) : (
          <table class="services">
            <caption class="muted">{t('svc.list.count', { n: rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('svc.code')}</th>
                <th scope="col">{t('svc.title')}</th>
                <th scope="col">{t('svc.agency')}</th>
                <th scope="col">{t('svc.curator')}</th>
                <th scope="col">{t('svc.score')}</th>
                <th scope="col">{t('svc.improvement')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.code}</td>
                  <td>
                    <a href={`/services/${r.id}`}>{localized(locale, r.title_ru, r.title_en)}</a>
                  </td>
                  <td>{localized(locale, r.agency_short_ru ?? r.agency_code, r.agency_title_en)}</td>
                  <td>
                    {r.curator_name ?? '—'}
                    {r.curator_position && <span class="muted"> · {r.curator_position}</span>}
                  </td>
                  <td>
                    <ScoreBadge cls={r.score_class} avg={r.avg_score} t={t} locale={locale} />
                  </td>
                  <td>
                    {r.improvement_status ? <ImprovementBadge status={r.improvement_status} t={t} /> : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>,
      { title: t('svc.list.title'), section: 'services' },
    );
  });

  app.get('/new', projectOffice, async (c) => {
    const { t } = c.var;
    return c.render(
      <ServiceFormView
        c={c}
        action="/services"
        values={{ level: 'regional' }}
        errors={{}}
        options={await formOptions(c.var.deps.db)}
        heading={t('svc.newTitle')}
      />,
      { title: t('svc.newTitle'), section: 'services' },
    );
  });

  app.post('/', projectOffice, (c) => saveService(c, null));

  app.get('/settings', projectOffice, async (c) => {
    const s = await serviceSettings(c.var.deps.db);
    return c.render(
      <SettingsView
        c={c}
        values={{
          threshold: String(s.threshold),
          minVotes: String(s.minVotes),
          basePeriod: s.basePeriod ?? '',
        }}
        errors={{}}
      />,
      { title: c.var.t('svc.settings.title'), section: 'services' },
    );
  });

  app.post('/settings', projectOffice, async (c) => {
    const values = await formData(c);
    const parsed = parseSettingsForm(values);
    if (!parsed.ok) {
      c.status(422);
      return c.render(<SettingsView c={c} values={values} errors={formErrors(c.var.t, parsed.errors)} />, {
        title: c.var.t('svc.settings.title'),
        section: 'services',
      });
    }
    const { db } = c.var.deps;
    await db.transaction().execute(async (trx) => {
      const put = (key: string, value: unknown) =>
        trx
          .insertInto('setting')
          .values({ key, value: JSON.stringify(value), updated_at: new Date() })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: new Date() }),
          )
          .execute();
      await put(LOW_SCORE_THRESHOLD_KEY, parsed.value.threshold);
      await put(LOW_SCORE_MIN_VOTES_KEY, parsed.value.minVotes);
      if (parsed.value.basePeriod) await put(KPI_BASE_PERIOD_KEY, parsed.value.basePeriod);
      else await trx.deleteFrom('setting').where('key', '=', KPI_BASE_PERIOD_KEY).execute();
    });
    return c.redirect('/services/low-scoring', 303);
  });

  app.get('/:id', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const s = await loadService(c, idParam(c));
    const [ls, scores, improvements, checks, settings, fbScores, reviews] = await Promise.all([
      serviceLifeSituations(db, s.id),
      scoreHistory(db, s.id),
      serviceImprovements(db, s.id),
      listChecks(db, { serviceId: s.id }),
      serviceSettings(db),
      feedbackScores(db, s.id, 'quarter'),
      recentReviews(db, s.id, 10),
    ]);
    const title = localized(locale, s.title_ru, s.title_en);
    const manage = canManage(c);
    return c.render(
      <article>
        <p class="muted">
          {t('svc.service')} {s.code}
        </p>
        <h1>{title}</h1>
        {manage && (
          <p class="toolbar">
            <a href={`/services/${s.id}/edit`}>{t('svc.edit')}</a>
          </p>
        )}
        <dl class="facts">
          <dt>{t('svc.agency')}</dt>
          <dd>{localized(locale, s.agency_title_ru, s.agency_title_en)}</dd>
          <dt>{t('svc.curator')}</dt>
          <dd class="curator">
            {s.curator_name ? (
              <>
                <strong>{s.curator_name}</strong>
                {s.curator_position && <span>, {s.curator_position}</span>}
                {s.curator_agency && <span class="muted"> ({s.curator_agency})</span>}
              </>
            ) : (
              <span class="muted">{t('svc.noCurator')}</span>
            )}
          </dd>
          <dt>{t('svc.level')}</dt>
          <dd>{t(`svc.level.${s.level}`)}</dd>
          <dt>{t('svc.channels')}</dt>
          <dd>{s.channels.length ? s.channels.map((ch) => t(`svc.channel.${ch}`)).join(', ') : '—'}</dd>
          <dt>{t('svc.flags')}</dt>
          <dd>
            {[
              s.electronic && t('svc.electronic'),
              s.proactive && t('svc.proactive'),
              s.socially_significant && t('svc.sociallySignificant'),
            ]
              .filter(Boolean)
              .join(', ') || '—'}
          </dd>
          <dt>{t('svc.lifeSituations')}</dt>
          <dd>
            {ls.length === 0
              ? '—'
              : ls.map((l, i) => (
                  <>
                    {i > 0 && ', '}
                    <a href={`/life-situations/${l.id}`}>{localized(locale, l.title_ru, l.title_en)}</a>
                  </>
                ))}
          </dd>
        </dl>

        <h2>{t('svc.scores')}</h2>
        {scores.length === 0 ? (
          <p class="muted">{t('svc.noScores')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('svc.period')}</th>
                <th scope="col">{t('svc.average')}</th>
                <th scope="col">{t('svc.votes')}</th>
                <th scope="col">{t('svc.criteria')}</th>
              </tr>
            </thead>
            <tbody>
              {scores.map((sc) => (
                <tr>
                  <td>{periodLabel(sc.period, locale)}</td>
                  <td>
                    <ScoreBadge
                      cls={classifyScore(sc.avg_score, sc.votes, settings.rule)}
                      avg={sc.avg_score}
                      t={t}
                      locale={locale}
                    />
                  </td>
                  <td>{sc.votes}</td>
                  <td>
                    {sc.criteria
                      ? Object.entries(sc.criteria as Record<string, number>)
                          .map(([k, n]) => `${k}: ${formatScore(n, locale)}`)
                          .join('; ')
                      : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <ServiceFeedbackSection
          serviceId={s.id}
          code={s.code}
          scores={fbScores}
          imported={scores}
          reviews={reviews}
          rule={settings.rule}
          t={t}
          locale={locale}
        />

        <h2>{t('svc.improvements')}</h2>
        {improvements.length === 0 ? (
          <p class="muted">
            {t('svc.noImprovements')} <a href="/services/low-scoring">{t('svc.lowScoring.title')}</a>
          </p>
        ) : (
          <ul class="improvements">
            {improvements.map((i) => (
              <li>
                <ImprovementBadge status={i.status} t={t} />{' '}
                {t('svc.improvement.summary', {
                  period: periodLabel(i.period_selected, locale),
                  baseline: formatScore(i.baseline_avg, locale),
                  target: formatScore(i.target_avg, locale),
                })}
                <ul>
                  {i.plan_item_id && (
                    <li>
                      <a href={`/items/${i.plan_item_id}`}>{t('svc.improvement.plan')}</a>{' '}
                      {i.plan_status && <StatusBadge status={i.plan_status} t={t} />}{' '}
                      <span class="muted">{formatDate(i.plan_current_due, locale)}</span>
                    </li>
                  )}
                  {i.implementation_item_id && (
                    <li>
                      <a href={`/items/${i.implementation_item_id}`}>{t('svc.improvement.implementation')}</a>{' '}
                      {i.implementation_status && <StatusBadge status={i.implementation_status} t={t} />}{' '}
                      <span class="muted">{formatDate(i.implementation_current_due, locale)}</span>
                    </li>
                  )}
                  {i.last_score_period && (
                    <li>
                      {t('svc.improvement.lastScore', {
                        period: periodLabel(i.last_score_period, locale),
                        avg: formatScore(i.last_score_avg, locale),
                      })}
                    </li>
                  )}
                </ul>
              </li>
            ))}
          </ul>
        )}

        <h2>{t('svc.checks.title')}</h2>
        {checks.length === 0 ? (
          <p class="muted">{t('svc.checks.none')}</p>
        ) : (
          <ul>
            {checks.map((ch) => (
              <li>
                <a href={`/services/checks/${ch.id}`}>
                  {t(`svc.check.kind.${ch.kind}`)} — {formatDate(ch.performed_on ?? ch.scheduled_on, locale)}
                </a>{' '}
                <span class={`badge check-${ch.status}`}>{t(`svc.check.status.${ch.status}`)}</span>
              </li>
            ))}
          </ul>
        )}
        {manage && (
          <p>
            <a href={`/services/${s.id}/checks/new`}>{t('svc.checks.schedule')}</a>
          </p>
        )}
      </article>,
      { title, section: 'services' },
    );
  });

  app.get('/:id/edit', projectOffice, async (c) => {
    const { db } = c.var.deps;
    const s = await loadService(c, idParam(c));
    const ls = await serviceLifeSituations(db, s.id);
    const heading = c.var.t('svc.editTitle');
    return c.render(
      <ServiceFormView
        c={c}
        action={`/services/${s.id}`}
        values={valuesOfService(
          s,
          ls.map((l) => l.id),
        )}
        errors={{}}
        options={await formOptions(db)}
        heading={heading}
      />,
      { title: heading, section: 'services' },
    );
  });

  app.post('/:id', projectOffice, async (c) => {
    const s = await loadService(c, idParam(c));
    return saveService(c, s.id);
  });

  app.post('/:id/delete', projectOffice, async (c) => {
    const { db } = c.var.deps;
    const s = await loadService(c, idParam(c));
    await db.transaction().execute(async (trx) => {
      // Locked first: an intake writing reviews of this service holds it (FOR KEY SHARE) until it commits.
      await trx.selectFrom('service').select('id').where('id', '=', s.id).forUpdate().execute();
      const [items, improvements, checks, reviews] = await Promise.all([
        trx.selectFrom('control_item').select('id').where('service_id', '=', s.id).limit(1).execute(),
        trx.selectFrom('service_improvement').select('id').where('service_id', '=', s.id).limit(1).execute(),
        trx.selectFrom('service_check').select('id').where('service_id', '=', s.id).limit(1).execute(),
        trx.selectFrom('feedback').select('id').where('service_id', '=', s.id).limit(1).execute(),
      ]);
      // History (items, improvements, checks, citizens' reviews) must not vanish with the service.
      if (items.length || improvements.length || checks.length || reviews.length)
        throw new ShtabError('conflict', 'service has history', { key: 'svc.err.hasHistory' });
      await trx.deleteFrom('service').where('id', '=', s.id).execute();
    });
    return c.redirect('/services', 303);
  });

  return app;
}
