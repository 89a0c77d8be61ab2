import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { answerCase, canAnswer, recordCaseFix } from '../../app/feedback/index.ts';
import { caseCounts, getCase, listCases } from '../../db/read-models/feedback.ts';
import { ShtabError } from '../../domain/errors.ts';
import { CASE_ANSWER_MAX, CASE_STATUSES } from '../../domain/feedback/index.ts';
import { isAgencyRole } from '../../domain/roles.ts';
import { actorOf, currentUser, idParam, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { feedbackDepsOf } from '../feedback-deps.ts';
import { formatDate, formatDateTime } from '../i18n/index.ts';
import { Field } from '../views/components.tsx';
import { Csrf, described, type FormErrors } from '../views/service-views.tsx';
import { fieldValue, readForm } from '../forms.ts';

// Curator cases: the list (an agency's users see their agency's, everyone else all of them), a case with
// the citizen's remark and the answer form. Answers go through the case's workflow (app/feedback).

const STATUS_FILTERS = [...CASE_STATUSES, 'overdue'] as const;

function CaseBadge({
  status,
  overdue,
  t,
}: {
  status: string;
  overdue: boolean;
  t: AppEnv['Variables']['t'];
}) {
  return (
    <span class={`badge case-${status}${overdue ? ' overdue' : ''}`}>
      {t(`fb.case.status.${status}`)}
      {overdue ? ` · ${t('status.overdue')}` : ''}
    </span>
  );
}

async function loadCase(c: Context<AppEnv>) {
  const row = await getCase(c.var.deps.db, idParam(c));
  if (!row) throw new ShtabError('not_found', 'case not found', { key: 'error.feedback.caseNotFound' });
  return row;
}

async function CasePage({
  c,
  errors,
  values,
}: {
  c: Context<AppEnv>;
  errors?: FormErrors;
  values?: Record<string, string>;
}) {
  const { t, locale } = c.var;
  const row = await loadCase(c);
  const user = currentUser(c);
  const tz = c.var.deps.config.timeZone;
  const today = readContext(c).today;
  const may = canAnswer(actorOf(user), { curatorUserId: row.curator_user_id, agencyId: row.agency_id });
  const e = errors ?? {};
  return (
    <article>
      <p class="muted">
        {t('fb.case.kicker', { id: row.id })} · <a href="/cases">{t('fb.cases.title')}</a>
      </p>
      <h1>
        <a href={`/services/${row.service_id}`}>
          {localized(locale, row.service_title_ru, row.service_title_en)}
        </a>
      </h1>
      <p>
        <CaseBadge status={row.status} overdue={row.status === 'open' && row.due < today} t={t} />
      </p>
      <dl class="facts">
        <dt>{t('fb.case.rating')}</dt>
        <dd>
          {row.rating} / 5 — {t(`fb.public.rating${row.rating}`)}
        </dd>
        <dt>{t('fb.case.received')}</dt>
        <dd>
          {formatDate(row.received_on, locale)} · {t(`fb.channel.${row.channel}`)}
          {row.municipality && ` · ${row.municipality}`}
          {row.office && ` · ${row.office}`}
        </dd>
        <dt>{t('fb.case.due')}</dt>
        <dd>{formatDate(row.due, locale)}</dd>
        <dt>{t('svc.curator')}</dt>
        <dd>
          {row.curator_name ?? t('svc.noCurator')}{' '}
          <span class="muted">
            ({localized(locale, row.agency_short_ru ?? row.agency_title_ru, row.agency_title_en)})
          </span>
        </dd>
        <dt>{t('fb.case.escalation')}</dt>
        <dd>{t(`fb.case.level.${row.escalation_level}`)}</dd>
        <dt>{t('fb.case.citizenContact')}</dt>
        <dd>{row.citizen_can_get_answer ? t('fb.case.citizenGetsEmail') : t('fb.case.anonymous')}</dd>
      </dl>
      <h2>{t('fb.case.remark')}</h2>
      <blockquote class="remark" lang="ru">
        {row.body}
      </blockquote>
      {row.answer && (
        <>
          <h2>{t('fb.case.answer')}</h2>
          <blockquote class="remark">{row.answer}</blockquote>
          <p class="muted">
            {row.answered_by_name ?? '—'}
            {row.answered_at && `, ${formatDateTime(row.answered_at, locale, tz)}`} ·{' '}
            {t(
              row.fixed === true
                ? 'fb.case.fixedYes'
                : row.fixed === false
                  ? 'fb.case.fixedNo'
                  : 'fb.case.fixedUnknown',
            )}
            {row.citizen_notified && ` · ${t('fb.case.citizenNotified')}`}
          </p>
        </>
      )}
      {may && row.status === 'open' && (
        <form method="post" action={`/cases/${row.id}/answer`} class="stacked" novalidate>
          <Csrf c={c} />
          <input type="hidden" name="eventId" value={values?.eventId ?? randomUUID()} />
          <Field
            id="case-text"
            label={t('fb.case.answerLabel')}
            hint={t('fb.case.answerHint')}
            error={e.text}
          >
            <textarea
              id="case-text"
              name="text"
              rows={5}
              maxlength={CASE_ANSWER_MAX}
              {...described('case-text', e.text)}
            >
              {values?.text ?? ''}
            </textarea>
          </Field>
          <fieldset class={e.fixed ? 'has-error' : undefined}>
            <legend>{t('fb.case.fixedQuestion')}</legend>
            {(['yes', 'no', 'unknown'] as const).map((v) => (
              <label class="check">
                <input type="radio" name="fixed" value={v} checked={values?.fixed === v} />{' '}
                {t(`fb.case.fixed.${v}`)}
              </label>
            ))}
            {e.fixed && <p class="field-error">{e.fixed}</p>}
          </fieldset>
          <button type="submit">{t('fb.case.send')}</button>
        </form>
      )}
      {may && row.status === 'answered' && (
        <form method="post" action={`/cases/${row.id}/fix`} class="stacked">
          <Csrf c={c} />
          <input type="hidden" name="eventId" value={randomUUID()} />
          <fieldset class={e.fixed ? 'has-error' : undefined}>
            <legend>{t('fb.case.fixedQuestion')}</legend>
            {(['yes', 'no'] as const).map((v) => (
              <label class="check">
                <input type="radio" name="fixed" value={v} /> {t(`fb.case.fixed.${v}`)}
              </label>
            ))}
            {e.fixed && <p class="field-error">{e.fixed}</p>}
          </fieldset>
          <button type="submit">{t('fb.case.recordFix')}</button>
        </form>
      )}
    </article>
  );
}

export function caseRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const user = currentUser(c);
    const { db } = c.var.deps;
    const today = readContext(c).today;
    const raw = c.req.query('status');
    const status = STATUS_FILTERS.find((s) => s === raw);
    // Agency users see their own agency's cases; everyone else the whole programme.
    const scope = isAgencyRole(user.role) ? { agencyId: user.agencyId ?? -1 } : {};
    const mine = c.req.query('mine') === '1';
    const [rows, counts] = await Promise.all([
      listCases(db, { ...scope, ...(mine ? { curatorUserId: user.id } : {}), status, today }),
      caseCounts(db, today, scope),
    ]);
    return c.render(
      <section>
        <h1>{t('fb.cases.title')}</h1>
        <ul class="kpis">
          <li class={counts.overdue ? 'bad' : undefined}>
            <span class="kpi-value">{counts.overdue}</span>{' '}
            <span class="kpi-label">{t('fb.cases.overdue')}</span>
          </li>
          <li>
            <span class="kpi-value">{counts.open}</span> <span class="kpi-label">{t('fb.cases.open')}</span>
          </li>
          <li>
            <span class="kpi-value">{counts.answered + counts.closed}</span>{' '}
            <span class="kpi-label">{t('fb.cases.answered')}</span>
          </li>
          <li class="good">
            <span class="kpi-value">{counts.fixed}</span> <span class="kpi-label">{t('fb.cases.fixed')}</span>
          </li>
        </ul>
        <form method="get" action="/cases" class="filters">
          <label for="case-status">{t('fb.cases.filter')}</label>
          <select id="case-status" name="status">
            <option value="">{t('svc.all')}</option>
            {STATUS_FILTERS.map((s) => (
              <option value={s} selected={s === status}>
                {t(s === 'overdue' ? 'status.overdue' : `fb.case.status.${s}`)}
              </option>
            ))}
          </select>
          <label class="check">
            <input type="checkbox" name="mine" value="1" checked={mine} /> {t('fb.cases.mine')}
          </label>
          <button type="submit">{t('items.filter')}</button>
        </form>
        {rows.length === 0 ? (
          <p class="muted">{t('fb.cases.none')}</p>
        ) : (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">№</th>
                  <th scope="col">{t('fb.case.service')}</th>
                  <th scope="col">{t('fb.case.rating')}</th>
                  <th scope="col">{t('fb.case.remark')}</th>
                  <th scope="col">{t('fb.case.due')}</th>
                  <th scope="col">{t('svc.curator')}</th>
                  <th scope="col">{t('fb.case.state')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td class="num">
                      <a href={`/cases/${r.id}`}>{r.id}</a>
                    </td>
                    <td>
                      <a href={`/cases/${r.id}`}>
                        {localized(locale, r.service_title_ru, r.service_title_en)}
                      </a>
                    </td>
                    <td class="num">{r.rating}</td>
                    <td lang="ru">{(r.body ?? '').length > 140 ? `${r.body!.slice(0, 140)}…` : r.body}</td>
                    <td>{formatDate(r.due, locale)}</td>
                    <td>{r.curator_name ?? '—'}</td>
                    <td>
                      <CaseBadge status={r.status} overdue={r.status === 'open' && r.due < today} t={t} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>,
      { title: t('fb.cases.title'), section: 'cases' },
    );
  });

  app.get('/:id', async (c) =>
    c.render(<CasePage c={c} />, { title: c.var.t('fb.case.kicker', { id: idParam(c) }), section: 'cases' }),
  );

  const fail = async (c: Context<AppEnv>, e: unknown, values: Record<string, string>) => {
    if (e instanceof ShtabError && e.code === 'validation' && e.detail.field) {
      c.status(422);
      return c.render(
        <CasePage
          c={c}
          values={values}
          errors={{ [e.detail.field]: c.var.t(e.detail.key, e.detail.params) }}
        />,
        { title: c.var.t('fb.case.kicker', { id: idParam(c) }), section: 'cases' },
      );
    }
    throw e;
  };

  app.post('/:id/answer', async (c) => {
    const user = currentUser(c);
    const f = (await readForm(c)).values;
    const values = {
      text: fieldValue(f, 'text'),
      fixed: fieldValue(f, 'fixed'),
      eventId: fieldValue(f, 'eventId'),
    };
    const id = idParam(c);
    await loadCase(c);
    try {
      await answerCase(feedbackDepsOf(c), {
        caseId: id,
        actor: actorOf(user),
        form: { text: values.text, fixed: values.fixed },
        ...(/^[\w-]{8,64}$/.test(values.eventId) ? { eventId: values.eventId } : {}),
      });
    } catch (e) {
      return fail(c, e, values);
    }
    return c.redirect(`/cases/${id}`, 303);
  });

  app.post('/:id/fix', async (c) => {
    const user = currentUser(c);
    const f = (await readForm(c)).values;
    const id = idParam(c);
    await loadCase(c);
    const eventId = fieldValue(f, 'eventId');
    try {
      await recordCaseFix(feedbackDepsOf(c), {
        caseId: id,
        actor: actorOf(user),
        fixed: fieldValue(f, 'fixed'),
        ...(/^[\w-]{8,64}$/.test(eventId) ? { eventId } : {}),
      });
    } catch (e) {
      return fail(c, e, {});
    }
    return c.redirect(`/cases/${id}`, 303);
  });

  return app;
}
