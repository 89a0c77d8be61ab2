import { Hono, type Context } from 'hono';
import type { Selectable } from 'kysely';
import { importJobView, recentImportJobs, roadmapChoices } from '../../db/read-models/index.ts';
import type { ImportJobTable } from '../../db/schema/index.ts';
import { RECURRENCES } from '../../domain/control-item/index.ts';
import type { ImportIssue, ImportJobResult } from '../../domain/imports/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { isHtmx, requireRole } from '../auth/index.ts';
import { actorOf, currentUser, idParam, localized } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { queueRoadmapImport } from '../../app/imports/index.ts';
import { flash } from '../flash.ts';
import { fieldValue, readForm } from '../forms.ts';
import { formatDate, formatDateTime, type Translate } from '../i18n/index.ts';
import { DeadlineReadings } from '../views/deadline-reading.tsx';
import {
  ErrorSummary,
  FileField,
  formView,
  SelectField,
  TextField,
  translateIssues,
  type FormView,
} from '../views/form.tsx';
import { ImportIssues } from '../views/import-issues.tsx';
import { DataTable } from '../views/table.tsx';
import { Quoted, UserText } from '../views/components.tsx';

type Job = Selectable<ImportJobTable>;
type JobView = Omit<Job, 'content'>;

async function loadJob(c: Context<AppEnv>, id: number): Promise<JobView> {
  const job = await importJobView(c.var.deps.db, id);
  if (!job) throw new ShtabError('not_found', `import job ${id} not found`, { key: 'error.import.notFound' });
  return job;
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
                <a href={`/items/${l.itemId}`}>{t('item.ref', { number: l.number })}</a>
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
                <a href={`/items/${m.itemId}`}>{t('item.ref', { number: m.number })}</a> {m.title}
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
          <ImportIssues issues={(job.errors ?? []) as ImportIssue[]} t={t} />
        </>
      )}
      {job.status === 'done' && job.result && (
        <ResultSummary r={job.result as unknown as ImportJobResult} t={t} locale={locale} />
      )}
    </section>
  );
}

async function UploadPage({ c, f = formView('import') }: { c: Context<AppEnv>; f?: FormView }) {
  const { t, locale, csrfToken } = c.var;
  const { db, config } = c.var.deps;
  const [roadmaps, jobs] = await Promise.all([roadmapChoices(db), recentImportJobs(db)]);

  return (
    <section>
      <h1>{t('imports.title')}</h1>
      <p>{t('imports.intro')}</p>
      <ErrorSummary f={f} t={t} />
      <form method="post" action="/imports" enctype="multipart/form-data" class="import-form">
        <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
        <SelectField
          f={f}
          t={t}
          name="roadmap"
          label={t('imports.roadmap')}
          value={String(roadmaps[0]?.id ?? 'new')}
          options={[
            ...roadmaps.map((r) => ({
              value: String(r.id),
              label: localized(locale, r.title_ru, r.title_en),
            })),
            { value: 'new', label: t('imports.newRoadmap') },
          ]}
        />
        <TextField f={f} t={t} name="newRoadmapTitle" label={t('imports.newRoadmapTitle')} maxlength={300} />
        <SelectField
          f={f}
          t={t}
          name="openEndedEvery"
          label={<Quoted text={t('imports.openEnded.label')} />}
          hint={t('imports.openEnded.hint')}
          options={(['', ...RECURRENCES] as const).map((every) => ({
            value: every,
            label: t(every ? `imports.openEnded.${every}` : 'imports.openEnded.refuse'),
          }))}
        />
        <FileField
          f={f}
          t={t}
          name="file"
          label={t('imports.file')}
          hint={t('imports.fileHint', { mb: Math.round(config.uploadMaxBytes / 1024 / 1024) })}
          required
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        />
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
      <DataTable
        rows={jobs}
        empty={<p class="muted">{t('imports.none')}</p>}
        columns={[
          {
            label: t('imports.job'),
            cell: (j) => <a href={`/imports/${j.id}`}>{t('item.ref', { number: j.id })}</a>,
          },
          { label: t('imports.file'), wide: true, cell: (j) => <UserText text={j.filename} /> },
          { label: t('imports.when'), cell: (j) => formatDateTime(j.created_at, locale, config.timeZone) },
          {
            label: t('imports.who'),
            cell: (j) => (j.display_name ? <UserText text={j.display_name} /> : '—'),
          },
          { label: t('imports.statusLabel'), cell: (j) => t(`imports.status.${j.status}`) },
        ]}
      />
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
      c.status(422);
      const f = formView('import', { values: form.values, issues: translateIssues(t, queued.problems) });
      return c.render(<UploadPage c={c} f={f} />, {
        title: t('imports.title'),
        section: 'imports',
      });
    }
    flash(c, 'flash.import.queued');
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
