import { Hono, type Context } from 'hono';
import {
  importFeedbackFile,
  raiseSystemicProblem,
  saveTopicRules,
  type FeedbackFileResult,
} from '../../app/feedback/index.ts';
import {
  feedbackTopics,
  feedbackTopicTitle,
  lifeSituationList,
  municipalities,
  regionalAgencies,
  rematchProgress,
  recentFeedbackImports,
  serviceTitle,
  servicesByTopic,
  topProblems,
} from '../../db/read-models/index.ts';
import { READ_SCOPES } from '../../db/read-models/scopes.ts';
import { ShtabError, type FieldIssue } from '../../domain/errors.ts';
import { formatFeedbackPeriod, recentPeriods } from '../../domain/feedback/index.ts';
import { actorOf, cachedRead, currentUser, idParam, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { feedbackDepsOf } from '../feedback-deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import { Quoted, UserText } from '../views/components.tsx';
import { WorriesPanel } from '../views/feedback-views.tsx';
import {
  CheckboxField,
  DateField,
  ErrorSummary,
  FileField,
  formView,
  refusalIssues,
  SelectField,
  TextareaField,
  TextField,
  translateIssues,
  type FormView,
} from '../views/form.tsx';
import { ImportIssues } from '../views/import-issues.tsx';
import { Csrf } from '../views/service-views.tsx';
import { DataTable } from '../views/table.tsx';
import { flash } from '../flash.ts';
import { fieldValue, readForm, withDateFields, type FormValues } from '../forms.ts';
import { parseRemediationForm } from '../../domain/services/index.ts';
import { canManage, projectOffice } from './services/shared.tsx';

// "Голос граждан": what worries citizens (top problems per period, scope and trend), the upload of
// review exports, and the taxonomy the working group edits.

const PERIOD = /^20\d{2}-(Q[1-4]|0[1-9]|1[0-2])$/;

/** The period before a month or quarter key. */
function previousPeriod(p: string): string {
  const [y, rest] = [Number(p.slice(0, 4)), p.slice(5)];
  if (rest.startsWith('Q')) {
    const q = Number(rest.slice(1));
    return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
  }
  const m = Number(rest);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

async function ImportPage({
  c,
  result,
  f = formView('fbi'),
}: {
  c: Context<AppEnv>;
  /** A refused file's problems (an accepted one is told by the flash message). */
  result?: FeedbackFileResult;
  /** The upload form (prefix `fbi`), posted back. */
  f?: FormView;
}) {
  const { t, locale } = c.var;
  const recent = await recentFeedbackImports(c.var.deps.db);
  return (
    <section>
      <h1>{t('fb.import.title')}</h1>
      {result && !result.ok && (
        <ImportIssues
          issues={result.errors}
          t={t}
          summary={t('svc.import.failed', { n: result.errors.length })}
        />
      )}
      <form method="post" action="/citizens/import" enctype="multipart/form-data" class="stacked import-form">
        <Csrf c={c} />
        <TextField
          f={f}
          t={t}
          name="source"
          label={t('fb.import.source')}
          hint={t('fb.import.sourceHint')}
          value="file"
          maxlength={64}
          required
        />
        <FileField
          f={f}
          t={t}
          name="file"
          label={t('svc.import.file')}
          hint={t('fb.import.hint')}
          accept=".csv,.xlsx,text/csv"
          required
        />
        <button type="submit">{t('svc.import.submit')}</button>
      </form>
      <h2>{t('svc.import.recent')}</h2>
      <DataTable
        rows={recent}
        empty={<p class="muted">{t('svc.import.none')}</p>}
        columns={[
          {
            label: t('svc.import.when'),
            cell: (r) => formatDateTime(r.imported_at, locale, c.var.deps.config.timeZone),
          },
          { label: t('svc.import.file'), wide: true, cell: (r) => <UserText text={r.filename} /> },
          { label: t('fb.import.source'), cell: (r) => <UserText text={r.source} /> },
          {
            label: t('svc.import.counts'),
            cell: (r) =>
              t('fb.import.counts', { rows: r.rows, inserted: r.inserted, duplicates: r.duplicates }),
          },
          {
            label: t('svc.import.by'),
            cell: (r) => (r.imported_by_name ? <UserText text={r.imported_by_name} /> : '—'),
          },
        ]}
      />
    </section>
  );
}

type Rematch = Awaited<ReturnType<typeof rematchProgress>>;

/**
 * The re-matching of the reviews on record after the latest edit: running (polls itself every 2 s, as the
 * import's panel does), finished, or never run. The figures are the workflow's own progress rows.
 */
function RematchPanel({ r, c }: { r: Rematch; c: Context<AppEnv> }) {
  const { t, locale } = c.var;
  if (!r) return null;
  const running = !r.finished_at;
  const poll = running
    ? { 'hx-get': '/citizens/topics/rematch', 'hx-trigger': 'every 2s', 'hx-swap': 'outerHTML' }
    : {};
  const total = Math.max(r.max_id ?? 0, r.last_id, 1);
  const done = Math.min(r.last_id, total);
  const when = (d: Date) => formatDateTime(d, locale, c.var.deps.config.timeZone);
  return (
    <section
      id="rematch"
      class="notice"
      aria-labelledby="rematch-title"
      aria-live="polite"
      aria-busy={running}
      {...poll}
    >
      <h2 id="rematch-title">{t('fb.rematch.title')}</h2>
      {running ? (
        <>
          <p>
            {r.started_at
              ? t('fb.rematch.running', { version: r.version })
              : t('fb.rematch.queued', { version: r.version })}
          </p>
          {r.started_at ? (
            <progress max={total} value={done} aria-label={t('fb.rematch.title')}>
              {Math.round((done / total) * 100)}%
            </progress>
          ) : (
            <progress aria-label={t('fb.rematch.title')}></progress>
          )}
        </>
      ) : (
        <p>{t('fb.rematch.finished', { version: r.version, when: when(r.finished_at!) })}</p>
      )}
      <p class="muted">
        {t('fb.rematch.counts', { scanned: r.scanned, changed: r.changed })}
        {' · '}
        {t('fb.rematch.requested', { when: when(r.requested_at) })}
        {r.requested_by_name && (
          <>
            {' · '}
            <UserText text={r.requested_by_name} />
          </>
        )}
      </p>
    </section>
  );
}

async function TopicsPage({ c, refused }: { c: Context<AppEnv>; refused?: { id: number; f: FormView } }) {
  const { t, locale } = c.var;
  const [topics, rematch] = await Promise.all([
    feedbackTopics(c.var.deps.db),
    rematchProgress(c.var.deps.db),
  ]);
  return (
    <section>
      <h1>{t('fb.topics.title')}</h1>
      <p class="muted">
        <Quoted text={t('fb.topics.hint')} />
      </p>
      <RematchPanel r={rematch} c={c} />
      {topics.map((tp) => {
        const f = refused?.id === tp.id ? refused.f : formView(`tp-${tp.id}`);
        return (
          <form method="post" action={`/citizens/topics/${tp.id}`} class="stacked" novalidate>
            <Csrf c={c} />
            <h2>{localized(locale, tp.title_ru, tp.title_en)}</h2>
            <ErrorSummary f={f} t={t} />
            <TextareaField
              f={f}
              t={t}
              name="rules"
              label={t('fb.topics.rules')}
              hint={t('fb.topics.rulesHint')}
              rows={3}
              value={tp.rules.join('\n')}
            />
            <CheckboxField f={f} t={t} name="active" label={t('fb.topics.active')} checked={tp.active} />
            <button type="submit">{t('svc.save')}</button>
          </form>
        );
      })}
    </section>
  );
}

export function citizenRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const today = readContext(c).today;
    const quarters = recentPeriods(today, 'quarter', 4);
    const months = recentPeriods(today, 'month', 6);
    const asked = c.req.query('period') ?? '';
    const period = PERIOD.test(asked) ? asked : quarters.at(-1)!;
    const num = (k: string) => {
      const v = Number(c.req.query(k));
      return Number.isSafeInteger(v) && v > 0 && v < 2_147_483_647 ? v : undefined;
    };
    const scope = {
      lifeSituationId: num('ls'),
      municipalityId: num('mo'),
      agencyId: num('agency'),
      serviceId: num('service'),
    };
    const topicId = num('topic');
    const [problems, lss, mos, agencies, topicServices] = await Promise.all([
      cachedRead(
        c,
        ['citizens', period, JSON.stringify(scope)],
        () => topProblems(db, scope, period, previousPeriod(period), 10),
        READ_SCOPES.citizensProblems,
      ),
      lifeSituationList(db),
      municipalities(db),
      regionalAgencies(db),
      topicId ? servicesByTopic(db, topicId, period) : Promise.resolve(null),
    ]);
    const manage = canManage(c);
    const filters = formView('ct');
    return c.render(
      <section>
        <h1>{t('fb.citizens.title')}</h1>
        <p class="toolbar">
          <a href="/cases">{t('fb.cases.title')}</a>
          <a href="/citizens/principles">{t('fb.principles.title')}</a>
          <a href="/citizens/rating">{t('fb.rating.title')}</a>
          <a href="/citizens/plan">{t('fb.plan.title')}</a>
          {manage && <a href="/citizens/import">{t('fb.import.title')}</a>}
          {manage && <a href="/citizens/topics">{t('fb.topics.title')}</a>}
        </p>
        <form method="get" action="/citizens" class="filters">
          <SelectField
            f={filters}
            t={t}
            name="period"
            label={t('svc.period')}
            value={period}
            options={[...quarters, ...months]
              .reverse()
              .map((p) => ({ value: p, label: formatFeedbackPeriod(p, locale) }))}
          />
          <SelectField
            f={filters}
            t={t}
            name="ls"
            label={t('svc.lifeSituation')}
            empty={t('svc.all')}
            value={String(scope.lifeSituationId ?? '')}
            options={lss.map((l) => ({
              value: String(l.id),
              label: localized(locale, l.title_ru, l.title_en),
            }))}
          />
          <SelectField
            f={filters}
            t={t}
            name="mo"
            label={t('fb.municipality')}
            empty={t('svc.all')}
            value={String(scope.municipalityId ?? '')}
            options={mos.map((m) => ({
              value: String(m.id),
              label: localized(locale, m.short_ru ?? m.title_ru, m.title_en),
            }))}
          />
          <SelectField
            f={filters}
            t={t}
            name="agency"
            label={t('svc.agency')}
            empty={t('svc.all')}
            value={String(scope.agencyId ?? '')}
            options={agencies.map((a) => ({
              value: String(a.id),
              label: localized(locale, a.short_ru ?? a.title_ru, a.title_en),
            }))}
          />
          <div class="buttons">
            <button type="submit">{t('items.filter')}</button>
          </div>
        </form>
        <WorriesPanel problems={problems} t={t} locale={locale} moreHref={null} />
        {topicServices && (
          <section aria-labelledby="ct-services">
            <h2 id="ct-services">{t('fb.citizens.servicesOfTopic')}</h2>
            {topicServices.length === 0 ? (
              <p class="muted">{t('fb.worries.none')}</p>
            ) : (
              <ol>
                {topicServices.map((s) => (
                  <li>
                    <a href={`/services/${s.id}`}>{localized(locale, s.title_ru, s.title_en)}</a> — {s.n}
                    {manage && (
                      <>
                        {' '}
                        <a
                          href={`/citizens/remediation?service=${s.id}&topic=${topicId}&period=${encodeURIComponent(period)}`}
                        >
                          {t('fb.remediation.raise')}
                        </a>
                      </>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
        )}
      </section>,
      { title: t('fb.citizens.title'), section: 'citizens' },
    );
  });

  // A systemic problem → a remediation item linked to its evidence (the period's reviews on the topic).
  const remediationForm = async (c: Context<AppEnv>, v: FormValues, f: FormView) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const period = fieldValue(v, 'period');
    const [svc, topic] = await Promise.all([
      serviceTitle(db, Number(fieldValue(v, 'service')) || 0),
      feedbackTopicTitle(db, Number(fieldValue(v, 'topic')) || 0),
    ]);
    if (!svc || !topic || !PERIOD.test(period))
      throw new ShtabError('not_found', 'no such service or topic', { key: 'error.notFound' });
    return c.render(
      <section>
        <h1>{t('fb.remediation.title')}</h1>
        <p>
          {t('fb.remediation.what', {
            topic: localized(locale, topic.title_ru, topic.title_en),
            service: localized(locale, svc.title_ru, svc.title_en),
            period: formatFeedbackPeriod(period, locale),
          })}
        </p>
        <ErrorSummary f={f} t={t} />
        <form method="post" action="/citizens/remediation" class="stacked" novalidate>
          <Csrf c={c} />
          <input type="hidden" name="service" value={String(svc.id)} />
          <input type="hidden" name="topic" value={String(topic.id)} />
          <input type="hidden" name="period" value={period} />
          <DateField f={f} t={t} name="due" label={t('fb.remediation.due')} />
          <TextareaField f={f} t={t} name="description" label={t('fb.remediation.description')} rows={4} />
          <button type="submit">{t('fb.remediation.submit')}</button>
        </form>
      </section>,
      { title: t('fb.remediation.title'), section: 'citizens' },
    );
  };

  app.get('/remediation', projectOffice, (c) =>
    remediationForm(
      c,
      {
        service: c.req.query('service') ?? '',
        topic: c.req.query('topic') ?? '',
        period: c.req.query('period') ?? '',
      },
      formView('rm'),
    ),
  );

  app.post('/remediation', projectOffice, async (c) => {
    const { values } = await readForm(c);
    const period = fieldValue(values, 'period');
    if (!PERIOD.test(period))
      throw new ShtabError('validation', 'period', { key: 'error.svc.period', field: 'period' });
    const today = readContext(c).today;
    let r: Awaited<ReturnType<typeof raiseSystemicProblem>> | { ok: false; problems: FieldIssue[] };
    try {
      r = await withDateFields(
        values,
        (v) => parseRemediationForm(v, today),
        (v) =>
          raiseSystemicProblem(
            { ...feedbackDepsOf(c), chasePolicy: c.var.deps.policy },
            {
              actor: actorOf(currentUser(c)),
              serviceId: Number(fieldValue(v, 'service')) || 0,
              topicId: Number(fieldValue(v, 'topic')) || 0,
              period,
              form: v,
            },
          ),
      );
    } catch (e) {
      if (!(e instanceof ShtabError) || e.code !== 'validation' || !e.detail.field) throw e;
      c.status(422);
      return remediationForm(c, values, formView('rm', { values, issues: refusalIssues(c.var.t, e.detail) }));
    }
    if ('problems' in r) {
      c.status(422);
      return remediationForm(
        c,
        values,
        formView('rm', { values, issues: translateIssues(c.var.t, r.problems) }),
      );
    }
    flash(c, 'flash.svc.remediation');
    return c.redirect(`/items/${r.itemId}`, 303);
  });

  // A printable poster for an МФЦ window: the service, its QR code and the short address.
  app.get('/poster/:id', async (c) => {
    const { t, locale } = c.var;
    const svc = await serviceTitle(c.var.deps.db, idParam(c));
    if (!svc) throw new ShtabError('not_found', 'service not found', { key: 'error.svc.notFound' });
    const url = `${c.var.deps.config.publicUrl.replace(/\/$/, '')}/feedback/${encodeURIComponent(svc.code)}`;
    return c.render(
      <section class="poster">
        <h1>{t('fb.poster.title')}</h1>
        <p class="poster-service">{localized(locale, svc.title_ru, svc.title_en)}</p>
        <img src={`/feedback/${encodeURIComponent(svc.code)}/qr.svg?via=mfc`} alt={t('fb.poster.qrAlt')} />
        <p>{t('fb.poster.scan')}</p>
        <p class="poster-url">{url}?via=mfc</p>
        <p class="no-print">
          <a href={`/services/${svc.id}`}>{t('fb.poster.back')}</a>
        </p>
      </section>,
      { title: t('fb.poster.title'), section: 'services' },
    );
  });

  app.get('/import', projectOffice, (c) =>
    c.render(<ImportPage c={c} />, { title: c.var.t('fb.import.title'), section: 'citizens' }),
  );

  app.post('/import', projectOffice, async (c) => {
    const user = currentUser(c);
    const form = await readForm(c);
    const [file] = form.files('file');
    const source = fieldValue(form.values, 'source').trim();
    const result: FeedbackFileResult = file
      ? await importFeedbackFile(feedbackDepsOf(c), {
          bytes: new Uint8Array(await file.arrayBuffer()),
          filename: file.name || 'upload',
          source,
          userId: user.id,
        })
      : { ok: false, errors: [{ row: null, column: null, key: 'error.svc.import.noFile' }] };
    if (result.ok)
      flash(c, 'flash.fb.imported', {
        rows: result.rows,
        inserted: result.inserted,
        duplicates: result.duplicates,
        cases: result.cases,
      });
    else c.status(422);
    return c.render(
      <ImportPage c={c} {...(result.ok ? {} : { result })} f={formView('fbi', { values: form.values })} />,
      { title: c.var.t('fb.import.title'), section: 'citizens' },
    );
  });

  app.get('/topics', projectOffice, (c) =>
    c.render(<TopicsPage c={c} />, { title: c.var.t('fb.topics.title'), section: 'citizens' }),
  );

  // The re-matching's panel alone, which polls itself while the run goes on.
  app.get('/topics/rematch', projectOffice, async (c) =>
    c.html(<RematchPanel r={await rematchProgress(c.var.deps.db)} c={c} />),
  );

  app.post('/topics/:id', projectOffice, async (c) => {
    const user = currentUser(c);
    const id = idParam(c);
    const { values } = await readForm(c);
    let version: number | null;
    try {
      version = await saveTopicRules(c.var.deps, {
        topicId: id,
        rulesText: fieldValue(values, 'rules'),
        active: fieldValue(values, 'active') === '1',
        userId: user.id,
      });
    } catch (e) {
      if (!(e instanceof ShtabError) || e.code !== 'validation') throw e;
      c.status(422);
      // The rules are the topic's one text: a problem of no named field is still about them.
      const issues = refusalIssues(c.var.t, { ...e.detail, field: e.detail.field ?? 'rules' });
      return c.render(<TopicsPage c={c} refused={{ id, f: formView(`tp-${id}`, { values, issues }) }} />, {
        title: c.var.t('fb.topics.title'),
        section: 'citizens',
      });
    }
    flash(c, version === null ? 'flash.fb.topicUnchanged' : 'flash.fb.topicSaved');
    return c.redirect('/citizens/topics', 303);
  });

  return app;
}
