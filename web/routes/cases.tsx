import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { answerCase, canAnswer, recordCaseFix } from '../../app/feedback/index.ts';
import { caseCounts, getCase, listCases } from '../../db/read-models/feedback.ts';
import { ShtabError } from '../../domain/errors.ts';
import { CASE_ANSWER_MAX, CASE_STATUSES, checkCaseAnswer } from '../../domain/feedback/index.ts';
import { isAgencyRole } from '../../domain/roles.ts';
import { actorOf, currentUser, idParam, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { feedbackDepsOf } from '../feedback-deps.ts';
import { formatDate, formatDateTime } from '../i18n/index.ts';
import { ruOf, UserText } from '../views/components.tsx';
import {
  CheckboxField,
  ErrorSummary,
  FormSecrets,
  formView,
  RadiosField,
  refusalIssues,
  SelectField,
  TextareaField,
  translateIssues,
  type FormView,
} from '../views/form.tsx';
import { DataTable } from '../views/table.tsx';
import { flash } from '../flash.ts';
import { fieldValue, readForm, type FormValues } from '../forms.ts';

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
  answer = formView('case'),
  fix = formView('fix'),
}: {
  c: Context<AppEnv>;
  /** The answer form (prefix `case`), posted back after a refusal. */
  answer?: FormView;
  /** The "was it fixed" form (prefix `fix`). */
  fix?: FormView;
}) {
  const { t, locale } = c.var;
  const row = await loadCase(c);
  const user = currentUser(c);
  const tz = c.var.deps.config.timeZone;
  const today = readContext(c).today;
  const may = canAnswer(actorOf(user), { curatorUserId: row.curator_user_id, agencyId: row.agency_id });
  const csrf = c.var.csrfToken ?? '';
  // A refused post keeps its idempotency key: sending it again is the same action.
  const eventOf = (f: FormView) => (f.posted && fieldValue(f.values, 'eventId')) || randomUUID();
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
          {row.municipality && ` · ${localized(locale, row.municipality, row.municipality_en)}`}
          {row.office && (
            <>
              {' · '}
              <UserText text={row.office} />
            </>
          )}
        </dd>
        <dt>{t('fb.case.due')}</dt>
        <dd>{formatDate(row.due, locale)}</dd>
        <dt>{t('svc.curator')}</dt>
        <dd>
          {row.curator_name ? <UserText text={row.curator_name} /> : t('svc.noCurator')}{' '}
          <span class="muted">
            (
            {localized(
              locale,
              row.agency_short_ru ?? row.agency_title_ru,
              row.agency_short_en ?? row.agency_title_en,
            )}
            )
          </span>
        </dd>
        <dt>{t('fb.case.escalation')}</dt>
        <dd>{t(`fb.case.level.${row.escalation_level}`)}</dd>
        <dt>{t('fb.case.citizenContact')}</dt>
        <dd>{row.citizen_can_get_answer ? t('fb.case.citizenGetsEmail') : t('fb.case.anonymous')}</dd>
      </dl>
      <h2>{t('fb.case.remark')}</h2>
      <blockquote class="remark" lang={ruOf(row.body)}>
        {row.body}
      </blockquote>
      {row.answer && (
        <>
          <h2>{t('fb.case.answer')}</h2>
          <blockquote class="remark" lang={ruOf(row.answer)}>
            {row.answer}
          </blockquote>
          <p class="muted">
            {row.answered_by_name ? <UserText text={row.answered_by_name} /> : '—'}
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
          <FormSecrets csrf={csrf} eventId={eventOf(answer)} />
          <ErrorSummary f={answer} t={t} />
          <TextareaField
            f={answer}
            t={t}
            name="text"
            label={t('fb.case.answerLabel')}
            hint={t('fb.case.answerHint')}
            rows={5}
            maxlength={CASE_ANSWER_MAX}
          />
          <RadiosField
            f={answer}
            t={t}
            name="fixed"
            label={t('fb.case.fixedQuestion')}
            inline
            options={(['yes', 'no', 'unknown'] as const).map((v) => ({
              value: v,
              label: t(`fb.case.fixed.${v}`),
            }))}
          />
          <button type="submit">{t('fb.case.send')}</button>
        </form>
      )}
      {may && row.status === 'answered' && (
        <form method="post" action={`/cases/${row.id}/fix`} class="stacked" novalidate>
          <FormSecrets csrf={csrf} eventId={eventOf(fix)} />
          <ErrorSummary f={fix} t={t} />
          <RadiosField
            f={fix}
            t={t}
            name="fixed"
            label={t('fb.case.fixedQuestion')}
            inline
            options={(['yes', 'no'] as const).map((v) => ({ value: v, label: t(`fb.case.fixed.${v}`) }))}
          />
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
          <SelectField
            f={formView('cs')}
            t={t}
            name="status"
            label={t('fb.cases.filter')}
            empty={t('svc.all')}
            value={status ?? ''}
            options={STATUS_FILTERS.map((s) => ({
              value: s,
              label: t(s === 'overdue' ? 'status.overdue' : `fb.case.status.${s}`),
            }))}
          />
          <CheckboxField f={formView('cs')} t={t} name="mine" label={t('fb.cases.mine')} checked={mine} />
          <div class="buttons">
            <button type="submit">{t('items.filter')}</button>
          </div>
        </form>
        <DataTable
          rows={rows}
          caption={t('fb.cases.title')}
          hideCaption
          empty={<p class="muted">{t('fb.cases.none')}</p>}
          columns={[
            {
              label: t('fb.cases.number'),
              class: 'num',
              cell: (r) => <a href={`/cases/${r.id}`}>{r.id}</a>,
            },
            {
              label: t('fb.case.service'),
              wide: true,
              cell: (r) => (
                <a href={`/cases/${r.id}`}>{localized(locale, r.service_title_ru, r.service_title_en)}</a>
              ),
            },
            { label: t('fb.case.rating'), class: 'num', cell: (r) => r.rating },
            {
              label: t('fb.case.remark'),
              cell: (r) => (
                <UserText text={(r.body ?? '').length > 140 ? `${r.body!.slice(0, 140)}…` : r.body} />
              ),
            },
            { label: t('fb.case.due'), class: 'nowrap', cell: (r) => formatDate(r.due, locale) },
            {
              label: t('svc.curator'),
              cell: (r) => (r.curator_name ? <UserText text={r.curator_name} /> : '—'),
            },
            {
              label: t('fb.case.state'),
              cell: (r) => (
                <CaseBadge status={r.status} overdue={r.status === 'open' && r.due < today} t={t} />
              ),
            },
          ]}
        />
      </section>,
      { title: t('fb.cases.title'), section: 'cases' },
    );
  });

  app.get('/:id', async (c) =>
    c.render(<CasePage c={c} />, { title: c.var.t('fb.case.kicker', { id: idParam(c) }), section: 'cases' }),
  );

  const page = (c: Context<AppEnv>, forms: { answer?: FormView; fix?: FormView }) =>
    c.render(<CasePage c={c} {...forms} />, {
      title: c.var.t('fb.case.kicker', { id: idParam(c) }),
      section: 'cases',
    });

  // A refused answer shows every problem of the form at once (the use case names the first only); who
  // may answer was checked before anything about the form was said.
  const refused = (c: Context<AppEnv>, e: unknown, form: 'answer' | 'fix', values: FormValues) => {
    if (!(e instanceof ShtabError) || e.code !== 'validation' || !e.detail.field) throw e;
    c.status(422);
    const { t } = c.var;
    const all =
      form === 'answer'
        ? checkCaseAnswer({ text: fieldValue(values, 'text'), fixed: fieldValue(values, 'fixed') })
        : null;
    const issues = all && !all.ok ? translateIssues(t, all.issues) : refusalIssues(t, e.detail);
    return page(c, { [form]: formView(form === 'answer' ? 'case' : 'fix', { values, issues }) });
  };

  app.post('/:id/answer', async (c) => {
    const user = currentUser(c);
    const { values } = await readForm(c);
    const id = idParam(c);
    await loadCase(c);
    const eventId = fieldValue(values, 'eventId');
    try {
      await answerCase(feedbackDepsOf(c), {
        caseId: id,
        actor: actorOf(user),
        form: { text: fieldValue(values, 'text'), fixed: fieldValue(values, 'fixed') },
        ...(/^[\w-]{8,64}$/.test(eventId) ? { eventId } : {}),
      });
    } catch (e) {
      return refused(c, e, 'answer', values);
    }
    flash(c, 'flash.case.answered');
    return c.redirect(`/cases/${id}`, 303);
  });

  app.post('/:id/fix', async (c) => {
    const user = currentUser(c);
    const { values } = await readForm(c);
    const id = idParam(c);
    await loadCase(c);
    const eventId = fieldValue(values, 'eventId');
    try {
      await recordCaseFix(feedbackDepsOf(c), {
        caseId: id,
        actor: actorOf(user),
        fixed: fieldValue(values, 'fixed'),
        ...(/^[\w-]{8,64}$/.test(eventId) ? { eventId } : {}),
      });
    } catch (e) {
      return refused(c, e, 'fix', values);
    }
    flash(c, 'flash.case.fixRecorded');
    return c.redirect(`/cases/${id}`, 303);
  });

  return app;
}
