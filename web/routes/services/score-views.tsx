// The low-scoring list (with the KPI) and the score import page.
import type { Context } from 'hono';
import {
  scorePeriods,
  serviceSettings,
  lowScoring,
  openImprovements,
  recentScoreImports,
  serviceKpi,
} from '../../../db/read-models/index.ts';
import { localized, readContext } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { formatDateTime } from '../../i18n/index.ts';
import {
  DateField,
  ErrorSummary,
  FileField,
  fieldError,
  fieldTexts,
  formView,
  SelectField,
  TextField,
  type FormView,
} from '../../views/form.tsx';
import { ImportIssues } from '../../views/import-issues.tsx';
import { itemAgency } from '../../views/item-columns.tsx';
import { Csrf, formatScore, ImprovementBadge, periodLabel } from '../../views/service-views.tsx';
import { DataTable } from '../../views/table.tsx';
import type { ScoreImportResult } from '../../../app/services/score-import.ts';
import { addWorkingDays, precedingWorkingDay } from '../../../domain/calendar/index.ts';
import { canManage } from './shared.tsx';

export const pct = (x: number) => `${Math.round(x * 100)}%`;

export async function LowScoringPage({
  c,
  period,
  f = formView('sel'),
}: {
  c: Context<AppEnv>;
  period: string | null;
  /** The selection form (prefix `sel`), posted back after a refusal. */
  f?: FormView;
}) {
  const { t, locale } = c.var;
  const { db } = c.var.deps;
  const ctx = readContext(c);
  const [settings, periods, kpi, open] = await Promise.all([
    serviceSettings(db),
    scorePeriods(db),
    serviceKpi(db, ctx),
    openImprovements(db),
  ]);
  const list = period ? await lowScoring(db, period, settings.threshold) : { low: [], unrated: [] };
  const manage = canManage(c);
  const selectable = list.low.filter((r) => !r.improvement_id);
  const chosen = new Set(fieldTexts(f, 'service'));
  const firstSelectable = selectable[0]?.id;
  const ratio = kpi.lowAtStart > 0 ? kpi.improved / kpi.lowAtStart : null;
  return (
    <section>
      <h1>{t('svc.lowScoring.title')}</h1>
      <section class="kpi-block" aria-labelledby="kpi-h">
        <h2 id="kpi-h">{t('svc.kpi.title')}</h2>
        {kpi.period ? (
          <>
            <ul class="kpis">
              <li>
                <span class="kpi-value">{kpi.lowAtStart}</span>{' '}
                <span class="kpi-label">
                  {t('svc.kpi.lowAtStart', { period: periodLabel(kpi.period, locale) })}
                </span>
              </li>
              <li>
                <span class="kpi-value">{kpi.improved}</span>{' '}
                <span class="kpi-label">{t('svc.kpi.improved')}</span>
              </li>
              <li class={ratio !== null && ratio >= kpi.target ? 'good' : 'bad'}>
                <span class="kpi-value">{ratio === null ? '—' : pct(ratio)}</span>{' '}
                <span class="kpi-label">{t('svc.kpi.ratio', { target: pct(kpi.target) })}</span>
              </li>
            </ul>
            {kpi.trajectory.length > 0 && (
              <DataTable
                rows={kpi.trajectory}
                class="trajectory"
                caption={t('svc.kpi.trajectory')}
                empty={null}
                columns={[
                  { label: t('svc.period'), cell: (p) => periodLabel(p.period, locale) },
                  { label: t('svc.kpi.improved'), class: 'num', cell: (p) => p.improved },
                  {
                    label: t('svc.kpi.share'),
                    class: 'num',
                    cell: (p) => (p.lowAtStart ? pct(p.improved / p.lowAtStart) : '—'),
                  },
                  {
                    label: t('svc.kpi.needed'),
                    class: 'num',
                    cell: (p) => Math.ceil(p.lowAtStart * kpi.target),
                  },
                ]}
              />
            )}
            <p class="muted">{t('svc.kpi.definition')}</p>
          </>
        ) : (
          <p class="muted">{t('svc.noScores')}</p>
        )}
      </section>

      <form method="get" action="/services/low-scoring" class="filters">
        <SelectField
          f={formView('lp')}
          t={t}
          name="period"
          label={t('svc.period')}
          value={period ?? ''}
          options={[...periods].reverse().map((p) => ({ value: p, label: periodLabel(p, locale) }))}
        />
        <div class="buttons">
          <button type="submit">{t('items.filter')}</button>
        </div>
        <p class="muted">
          {t('svc.lowScoring.rule', { threshold: formatScore(settings.threshold, locale) })}
          {manage && (
            <>
              {' '}
              <a href="/services/settings">{t('svc.settings.title')}</a>
            </>
          )}
        </p>
      </form>

      {period && (
        <>
          <h2>{t('svc.lowScoring.low', { period: periodLabel(period, locale), n: list.low.length })}</h2>
          {list.low.length === 0 ? (
            <p class="muted">{t('svc.lowScoring.none')}</p>
          ) : (
            <form method="post" action="/services/improvements" class="stacked">
              <ErrorSummary f={f} t={t} />
              <Csrf c={c} />
              <input type="hidden" name="period" value={period} />
              {fieldError(f, 'service') && (
                <p class="field-error" id="sel-service-error">
                  {fieldError(f, 'service')}
                </p>
              )}
              <DataTable
                rows={list.low}
                empty={null}
                columns={[
                  manage && {
                    label: t('svc.lowScoring.select'),
                    hideLabel: true,
                    cell: (r) =>
                      !r.improvement_id && (
                        <input
                          type="checkbox"
                          name="service"
                          value={String(r.id)}
                          // The first one is what the error summary's link focuses.
                          id={r.id === firstSelectable ? 'sel-service' : `sel-${r.id}`}
                          checked={chosen.has(String(r.id))}
                          aria-label={t('svc.lowScoring.selectLabel', { code: r.code })}
                          aria-describedby={fieldError(f, 'service') ? 'sel-service-error' : undefined}
                        />
                      ),
                  },
                  { label: t('svc.code'), class: 'nowrap', cell: (r) => r.code },
                  {
                    label: t('svc.title'),
                    wide: true,
                    cell: (r) => (
                      <a href={`/services/${r.id}`}>{localized(locale, r.title_ru, r.title_en)}</a>
                    ),
                  },
                  { label: t('svc.agency'), cell: (r) => itemAgency(locale, r) },
                  { label: t('svc.curator'), cell: (r) => r.curator_name ?? '—' },
                  { label: t('svc.average'), class: 'num', cell: (r) => formatScore(r.avg_score, locale) },
                  { label: t('svc.votes'), class: 'num', cell: (r) => r.votes },
                  {
                    label: t('svc.improvement'),
                    cell: (r) =>
                      r.improvement_status ? <ImprovementBadge status={r.improvement_status} t={t} /> : '—',
                  },
                ]}
              />
              {manage && selectable.length > 0 && (
                <fieldset>
                  <legend>{t('svc.lowScoring.selectTitle')}</legend>
                  <TextField
                    f={f}
                    t={t}
                    name="target"
                    label={t('svc.improvement.target')}
                    inputmode="decimal"
                    value={String(settings.threshold)}
                  />
                  <DateField
                    f={f}
                    t={t}
                    name="planDue"
                    label={t('svc.improvement.planDue')}
                    value={precedingWorkingDay(addWorkingDays(ctx.today, 20))}
                  />
                  <DateField
                    f={f}
                    t={t}
                    name="implementationDue"
                    label={t('svc.improvement.implementationDue')}
                    value={precedingWorkingDay(addWorkingDays(ctx.today, 90))}
                  />
                  <button type="submit">{t('svc.lowScoring.selectButton')}</button>
                </fieldset>
              )}
            </form>
          )}
          <h2>
            {t('svc.lowScoring.unrated', { period: periodLabel(period, locale), n: list.unrated.length })}
          </h2>
          {list.unrated.length === 0 ? (
            <p class="muted">{t('svc.lowScoring.none')}</p>
          ) : (
            <details>
              <summary>{t('svc.lowScoring.showUnrated')}</summary>
              <ul>
                {list.unrated.map((r) => (
                  <li>
                    <a href={`/services/${r.id}`}>
                      {r.code} — {localized(locale, r.title_ru, r.title_en)}
                    </a>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}

      <h2>{t('svc.open.title', { n: open.length })}</h2>
      <DataTable
        rows={open}
        empty={<p class="muted">{t('svc.open.none')}</p>}
        columns={[
          { label: t('svc.code'), class: 'nowrap', cell: (i) => i.code },
          {
            label: t('svc.title'),
            wide: true,
            cell: (i) => (
              <a href={`/services/${i.service_id}`}>{localized(locale, i.title_ru, i.title_en)}</a>
            ),
          },
          { label: t('svc.improvement'), cell: (i) => <ImprovementBadge status={i.status} t={t} /> },
          {
            label: t('svc.improvement.baseline'),
            cell: (i) => `${formatScore(i.baseline_avg, locale)} (${periodLabel(i.period_selected, locale)})`,
          },
          {
            label: t('svc.improvement.target'),
            class: 'num',
            cell: (i) => formatScore(i.target_avg, locale),
          },
          {
            label: t('svc.improvement.latest'),
            cell: (i) => {
              const below = i.last_score_avg !== null && i.last_score_avg < i.target_avg;
              return i.last_score_period ? (
                <span class={below ? 'below-target' : undefined}>
                  {`${formatScore(i.last_score_avg, locale)} (${periodLabel(i.last_score_period, locale)})${
                    below ? ` — ${t('svc.open.belowTarget')}` : ''
                  }`}
                </span>
              ) : (
                '—'
              );
            },
          },
        ]}
      />
    </section>
  );
}

export async function ImportPage({
  c,
  result,
  missing,
}: {
  c: Context<AppEnv>;
  result?: ScoreImportResult;
  missing?: number[];
}) {
  const { t, locale } = c.var;
  const recent = await recentScoreImports(c.var.deps.db);
  return (
    <section>
      <h1>{t('svc.import.title')}</h1>
      {result && !result.ok && (
        <ImportIssues
          issues={result.errors}
          t={t}
          summary={t('svc.import.failed', { n: result.errors.length })}
        />
      )}
      {result && result.ok && (
        <div class="notice" role="status">
          <p>
            {t('svc.import.done', {
              rows: result.rows,
              inserted: result.inserted,
              updated: result.updated,
              unchanged: result.unchanged,
            })}
          </p>
          <p>
            {t('svc.import.periods')}: {result.periods.map((p) => periodLabel(p, locale)).join(', ')}
          </p>
          {result.improvements.length > 0 && (
            <p>{t('svc.import.notified', { n: result.improvements.length })}</p>
          )}
          {missing && missing.length > 0 && (
            <p class="alert">{t('svc.import.notRunning', { ids: missing.join(', ') })}</p>
          )}
          <p>
            <a href={`/services/low-scoring?period=${encodeURIComponent(result.periods.at(-1) ?? '')}`}>
              {t('svc.lowScoring.title')}
            </a>
          </p>
        </div>
      )}
      <form method="post" action="/services/scores/import" enctype="multipart/form-data" class="stacked">
        <Csrf c={c} />
        <FileField
          f={formView('imp')}
          t={t}
          name="file"
          label={t('svc.import.file')}
          hint={t('svc.import.hint')}
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
          { label: t('svc.import.file'), cell: (r) => r.filename },
          {
            label: t('svc.import.periods'),
            cell: (r) => r.periods.map((p) => periodLabel(p, locale)).join(', '),
          },
          {
            label: t('svc.import.counts'),
            cell: (r) =>
              t('svc.import.countsValue', {
                rows: r.rows,
                inserted: r.inserted,
                updated: r.updated,
                unchanged: r.unchanged,
              }),
          },
          { label: t('svc.import.by'), cell: (r) => r.imported_by_name ?? '—' },
        ]}
      />
    </section>
  );
}
