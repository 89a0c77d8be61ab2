import { Hono, type Context } from 'hono';
import type { Selectable } from 'kysely';
import type { ImportJobTable } from '../../db/schema/index.ts';
import { RECURRENCES } from '../../domain/control-item/index.ts';
import type { ImportIssue, ImportJobResult } from '../../domain/imports/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { isHtmx, requireRole } from '../auth/index.ts';
import { actorOf, currentUser, idParam } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { queueRoadmapImport } from '../../app/imports/index.ts';
import { fieldValue, readForm } from '../forms.ts';
import { formatDate, formatDateTime, type Translate } from '../i18n/index.ts';
import { FieldError } from '../views/components.tsx';
import { DeadlineReadings } from '../views/deadline-reading.tsx';

type Job = Selectable<ImportJobTable>;
type JobView = Omit<Job, 'content'>;

interface FormState {
  roadmap?: string;
  newRoadmapTitle?: string;
  openEndedEvery?: string;
  problems?: Partial<Record<string, string>>;
}

const JOB_COLUMNS = [
  'id',
  'kind',
  'roadmap_id',
  'new_roadmap_title',
  'filename',
  'size_bytes',
  'status',
  'phase',
  'rows_total',
  'rows_done',
  'workflows_total',
  'workflows_done',
  'errors',
  'result',
  'applied_at',
  'workflow_id',
  'created_by',
  'created_at',
  'started_at',
  'finished_at',
  'open_ended_every',
] as const;

async function loadJob(c: Context<AppEnv>, id: number): Promise<JobView> {
  const job = await c.var.deps.db
    .selectFrom('import_job')
    .select(JOB_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!job) throw new ShtabError('not_found', `import job ${id} not found`, { key: 'error.import.notFound' });
  return job;
}

/** "Строка 12, столбец C «Срок исполнения»" — where to look in the file. */
function IssueList({ issues, t }: { issues: ImportIssue[]; t: Translate }) {
  return (
    <table class="import-errors">
      <caption>{t('imports.errors.caption', { count: issues.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('imports.errors.row')}</th>
          <th scope="col">{t('imports.errors.column')}</th>
          <th scope="col">{t('imports.errors.problem')}</th>
        </tr>
      </thead>
      <tbody>
        {issues.map((i) => (
          <tr>
            <td>{i.row ?? '—'}</td>
            <td>{i.column ? `${i.column}${i.header ? ` «${i.header}»` : ''}` : '—'}</td>
            <td>{t(i.key, i.params)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ResultSummary({ r, t, locale }: { r: ImportJobResult; t: Translate; locale: 'ru' | 'en' }) {
  const applied = r.lifecycle.filter((l) => l.outcome === 'applied').length;
  const rejected = r.lifecycle.filter((l) => l.outcome === 'rejected');
  return (
    <div class="import-result">
      <ul class="kpis">
        <li>
          <span class="kpi-value">{r.inserted}</span>{' '}
          <span class="kpi-label">{t('imports.result.inserted')}</span>
        </li>
        <li>
          <span class="kpi-value">{r.updated}</span>{' '}
          <span class="kpi-label">{t('imports.result.updated')}</span>
        </li>
        <li>
          <span class="kpi-value">{r.unchanged}</span>{' '}
          <span class="kpi-label">{t('imports.result.unchanged')}</span>
        </li>
        <li>
          <span class="kpi-value">{applied}</span>{' '}
          <span class="kpi-label">{t('imports.result.lifecycle')}</span>
        </li>
        <li class={r.missing.length ? 'bad' : ''}>
          <span class="kpi-value">{r.missing.length}</span>{' '}
          <span class="kpi-label">{t('imports.result.missing')}</span>
        </li>
      </ul>
      <p>
        <a href="/items">{t('imports.result.openItems')}</a>
      </p>
      {r.lifecycle.length > 0 && (
        <>
          <h2>{t('imports.result.lifecycleTitle')}</h2>
          <ul>
            {r.lifecycle.map((l) => (
              <li>
                <a href={`/items/${l.itemId}`}>№ {l.number}</a>
                {l.changeDeadline &&
                  ` — ${t('imports.result.newDeadline', { due: formatDate(l.changeDeadline.due, locale) })}`}
                {l.reassign && ` — ${t('imports.result.reassigned')}`}
                {l.outcome === 'rejected' && l.error && (
                  <span class="field-error"> {t(l.error.key, l.error.params)}</span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {rejected.length > 0 && <p class="alert">{t('imports.result.rejected', { count: rejected.length })}</p>}
      {r.missing.length > 0 && (
        <>
          <h2>{t('imports.result.missingTitle')}</h2>
          <p class="muted">{t('imports.result.missingHint')}</p>
          <ul>
            {r.missing.map((m) => (
              <li>
                <a href={`/items/${m.itemId}`}>№ {m.number}</a> {m.title}
              </li>
            ))}
          </ul>
        </>
      )}
      {r.closedSkipped.length > 0 && (
        <p class="muted">
          {t('imports.result.closedSkipped', { numbers: r.closedSkipped.map((x) => x.number).join(', ') })}
        </p>
      )}
      {r.pastDeadlines.length > 0 && (
        <p class="muted">
          {t('imports.result.pastDeadlines', { numbers: r.pastDeadlines.map((x) => x.number).join(', ') })}
        </p>
      )}
      {r.movedDeadlines > 0 && <p class="muted">{t('imports.result.moved', { count: r.movedDeadlines })}</p>}
      {r.readings && r.readings.length > 0 && (
        <DeadlineReadings readings={r.readings} t={t} locale={locale} />
      )}
      {r.ignoredColumns.length > 0 && (
        <p class="muted">{t('imports.result.ignored', { columns: r.ignoredColumns.join('», «') })}</p>
      )}
    </div>
  );
}

/**
 * The job's state. While it runs the panel polls itself (hx-trigger="every 1s" is a trigger, not a
 * JavaScript filter, so it needs no 'unsafe-eval'); the finished panel carries no trigger and polling stops.
 */
function JobPanel({ job, t, locale }: { job: JobView; t: Translate; locale: 'ru' | 'en' }) {
  const running = job.status === 'queued' || job.status === 'running';
  const poll = running
    ? { 'hx-get': `/imports/${job.id}/progress`, 'hx-trigger': 'every 1s', 'hx-swap': 'outerHTML' }
    : {};
  const total = job.rows_total + job.workflows_total;
  const value = job.rows_done + job.workflows_done;
  const determinate = running && job.phase !== 'queued' && job.phase !== 'reading' && total > 0;
  return (
    <section id="job-panel" class={`job job-${job.status}`} aria-live="polite" aria-busy={running} {...poll}>
      <p>
        <strong>{t(`imports.status.${job.status}`)}</strong>
        {running && <> · {t(`imports.phase.${job.phase}`)}</>}
      </p>
      {running && (
        <>
          {determinate ? (
            <progress max={total} value={value} aria-label={t('imports.progress')}>
              {Math.round((value / total) * 100)}%
            </progress>
          ) : (
            <progress aria-label={t('imports.progress')}></progress>
          )}
          <p class="muted">
            {t('imports.counts', {
              rows: job.rows_done,
              rowsTotal: job.rows_total,
              workflows: job.workflows_done,
              workflowsTotal: job.workflows_total,
            })}
          </p>
        </>
      )}
      {job.status === 'failed' && (
        <>
          <p class="alert" role="alert">
            {t('imports.failed')}
          </p>
          <IssueList issues={(job.errors ?? []) as ImportIssue[]} t={t} />
        </>
      )}
      {job.status === 'done' && job.result && (
        <ResultSummary r={job.result as unknown as ImportJobResult} t={t} locale={locale} />
      )}
    </section>
  );
}

async function UploadPage({ c, form = {} }: { c: Context<AppEnv>; form?: FormState }) {
  const { t, locale, csrfToken } = c.var;
  const { db, config } = c.var.deps;
  const [roadmaps, jobs] = await Promise.all([
    db.selectFrom('roadmap').select(['id', 'title_ru', 'title_en']).orderBy('id').execute(),
    db
      .selectFrom('import_job as j')
      .leftJoin('app_user as u', 'u.id', 'j.created_by')
      .select(['j.id', 'j.filename', 'j.status', 'j.created_at', 'u.display_name'])
      .orderBy('j.created_at', 'desc')
      .orderBy('j.id', 'desc')
      .limit(20)
      .execute(),
  ]);
  const p = form.problems ?? {};
  const selected = form.roadmap ?? String(roadmaps[0]?.id ?? 'new');
  return (
    <section>
      <h1>{t('imports.title')}</h1>
      <p>{t('imports.intro')}</p>
      <form method="post" action="/imports" enctype="multipart/form-data" class="import-form">
        <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
        <div class={`field${p.roadmap ? ' has-error' : ''}`}>
          <label for="import-roadmap">{t('imports.roadmap')}</label>
          <select
            id="import-roadmap"
            name="roadmap"
            aria-describedby={p.roadmap ? 'import-roadmap-error' : undefined}
          >
            {roadmaps.map((r) => (
              <option value={String(r.id)} selected={selected === String(r.id)}>
                {locale === 'en' && r.title_en ? r.title_en : r.title_ru}
              </option>
            ))}
            <option value="new" selected={selected === 'new'}>
              {t('imports.newRoadmap')}
            </option>
          </select>
          <FieldError id="import-roadmap-error" message={p.roadmap} />
        </div>
        <div class={`field${p.newRoadmapTitle ? ' has-error' : ''}`}>
          <label for="import-title">{t('imports.newRoadmapTitle')}</label>
          <input
            id="import-title"
            name="newRoadmapTitle"
            type="text"
            maxlength={300}
            value={form.newRoadmapTitle ?? ''}
            aria-describedby={p.newRoadmapTitle ? 'import-title-error' : undefined}
          />
          <FieldError id="import-title-error" message={p.newRoadmapTitle} />
        </div>
        <div class="field">
          <label for="import-open-ended">{t('imports.openEnded.label')}</label>
          <select id="import-open-ended" name="openEndedEvery" aria-describedby="import-open-ended-hint">
            {(['', ...RECURRENCES] as const).map((every) => (
              <option value={every} selected={(form.openEndedEvery ?? '') === every}>
                {t(every ? `imports.openEnded.${every}` : 'imports.openEnded.refuse')}
              </option>
            ))}
          </select>
          <p class="muted" id="import-open-ended-hint">
            {t('imports.openEnded.hint')}
          </p>
          <FieldError id="import-open-ended-error" message={p.openEndedEvery} />
        </div>
        <div class={`field${p.file ? ' has-error' : ''}`}>
          <label for="import-file">{t('imports.file')}</label>
          <input
            id="import-file"
            name="file"
            type="file"
            required
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={`import-file-hint${p.file ? ' import-file-error' : ''}`}
          />
          <p class="muted" id="import-file-hint">
            {t('imports.fileHint', { mb: Math.round(config.uploadMaxBytes / 1024 / 1024) })}
          </p>
          <FieldError id="import-file-error" message={p.file} />
        </div>
        <button type="submit">{t('imports.submit')}</button>
      </form>
      <h2>{t('exports.title')}</h2>
      <ul>
        {roadmaps.map((r) => (
          <li>
            <a href={`/exports/roadmap-status.xlsx?roadmap=${r.id}`}>
              {t('exports.roadmap', { title: locale === 'en' && r.title_en ? r.title_en : r.title_ru })}
            </a>
          </li>
        ))}
        <li>
          <a href="/exports/services.xlsx">{t('exports.services')}</a>
        </li>
      </ul>
      <h2>{t('imports.recent')}</h2>
      {jobs.length === 0 ? (
        <p class="muted">{t('imports.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('imports.job')}</th>
              <th scope="col">{t('imports.file')}</th>
              <th scope="col">{t('imports.when')}</th>
              <th scope="col">{t('imports.who')}</th>
              <th scope="col">{t('imports.statusLabel')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr>
                <td>
                  <a href={`/imports/${j.id}`}>№ {j.id}</a>
                </td>
                <td>{j.filename}</td>
                <td>{formatDateTime(j.created_at, locale, config.timeZone)}</td>
                <td>{j.display_name ?? '—'}</td>
                <td>{t(`imports.status.${j.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Roadmap imports (working group and admin): upload, background job, progress, result. */
export function importRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('working_group', 'admin'));

  app.get('/', (c) =>
    c.render(<UploadPage c={c} />, { title: c.var.t('imports.title'), section: 'imports' }),
  );

  app.post('/', async (c) => {
    const { t } = c.var;
    const form = await readForm(c);
    const roadmap = fieldValue(form.values, 'roadmap');
    const newRoadmapTitle = fieldValue(form.values, 'newRoadmapTitle').trim();
    const [file] = form.files('file');
    const openEndedEvery = fieldValue(form.values, 'openEndedEvery');
    const queued = await queueRoadmapImport(c.var.deps, {
      target:
        roadmap === 'new'
          ? { newRoadmapTitle }
          : { roadmapId: /^\d{1,9}$/.test(roadmap) ? Number(roadmap) : 0 },
      file: file ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : null,
      actor: actorOf(currentUser(c)),
      maxBytes: c.var.deps.config.uploadMaxBytes,
      openEndedEvery,
    });
    if (!queued.ok) {
      const problems = Object.fromEntries(queued.problems.map((p) => [p.field, t(p.key, p.params)]));
      c.status(422);
      return c.render(<UploadPage c={c} form={{ roadmap, newRoadmapTitle, openEndedEvery, problems }} />, {
        title: t('imports.title'),
        section: 'imports',
      });
    }
    return c.redirect(`/imports/${queued.jobId}`, 303);
  });

  app.get('/:id', async (c) => {
    const job = await loadJob(c, idParam(c));
    const { t, locale } = c.var;
    const title = t('imports.jobTitle', { id: job.id });
    return c.render(
      <article>
        <p class="muted">
          <a href="/imports">{t('imports.title')}</a>
        </p>
        <h1>{title}</h1>
        <p class="muted">
          {job.filename}
          {job.new_roadmap_title ? ` → ${job.new_roadmap_title}` : ''}
        </p>
        <JobPanel job={job} t={t} locale={locale} />
      </article>,
      { title, section: 'imports' },
    );
  });

  // The polling target: a fragment for htmx; a plain request gets the whole page instead.
  app.get('/:id/progress', async (c) => {
    const id = idParam(c);
    if (!isHtmx(c)) return c.redirect(`/imports/${id}`, 303);
    const job = await loadJob(c, id);
    return c.html(<JobPanel job={job} t={c.var.t} locale={c.var.locale} />);
  });

  return app;
}
