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
import type { FormData } from '../../../domain/services/index.ts';
import { localized, readContext } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { fieldValue, fieldValues } from '../../forms.ts';
import { formatDateTime, type Translate } from '../../i18n/index.ts';
import {
  Csrf,
  described,
  Field,
  formatScore,
  ImprovementBadge,
  periodLabel,
  type FormErrors,
} from '../../views/service-views.tsx';
import type { ScoreImportResult } from '../../../app/services/score-import.ts';
import type { ImportIssue } from '../../../app/services/table-file.ts';
import { addWorkingDays, precedingWorkingDay } from '../../../domain/calendar/index.ts';
import { canManage } from './shared.tsx';

export const pct = (x: number) => `${Math.round(x * 100)}%`;

export async function LowScoringPage({
  c,
  period,
  values,
  errors,
  notice,
}: {
  c: Context<AppEnv>;
  period: string | null;
  values?: FormData;
  errors?: FormErrors;
  notice?: string;
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
  const list = period ? await lowScoring(db, period, settings.rule) : { low: [], unrated: [] };
  const manage = canManage(c);
  const selectable = list.low.filter((r) => !r.improvement_id);
  const chosen = new Set(fieldValues(values, 'service'));
  const e = errors ?? {};
  const defaults = {
    target: fieldValue(values, 'target') || String(settings.threshold),
    planDue: fieldValue(values, 'planDue') || precedingWorkingDay(addWorkingDays(ctx.today, 20)),
    implementationDue:
      fieldValue(values, 'implementationDue') || precedingWorkingDay(addWorkingDays(ctx.today, 90)),
  };
  const ratio = kpi.lowAtStart > 0 ? kpi.improved / kpi.lowAtStart : null;
  return (
    <section>
      <h1>{t('svc.lowScoring.title')}</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
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
              <table class="trajectory">
                <caption>{t('svc.kpi.trajectory')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('svc.period')}</th>
                    <th scope="col">{t('svc.kpi.improved')}</th>
                    <th scope="col">{t('svc.kpi.share')}</th>
                    <th scope="col">{t('svc.kpi.needed')}</th>
                  </tr>
                </thead>
                <tbody>
                  {kpi.trajectory.map((p) => (
                    <tr>
                      <td>{periodLabel(p.period, locale)}</td>
                      <td>{p.improved}</td>
                      <td>{p.lowAtStart ? pct(p.improved / p.lowAtStart) : '—'}</td>
                      <td>{Math.ceil(p.lowAtStart * kpi.target)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p class="muted">{t('svc.kpi.definition')}</p>
          </>
        ) : (
          <p class="muted">{t('svc.noScores')}</p>
        )}
      </section>

      <form method="get" action="/services/low-scoring" class="filters">
        <label for="lp-period">{t('svc.period')}</label>
        <select id="lp-period" name="period">
          {[...periods].reverse().map((p) => (
            <option value={p} selected={p === period}>
              {periodLabel(p, locale)}
            </option>
          ))}
        </select>
        <button type="submit">{t('items.filter')}</button>
        <span class="muted">
          {t('svc.lowScoring.rule', { threshold: formatScore(settings.threshold, locale) })}
          {manage && (
            <>
              {' '}
              <a href="/services/settings">{t('svc.settings.title')}</a>
            </>
          )}
        </span>
      </form>

      {period && (
        <>
          <h2>{t('svc.lowScoring.low', { period: periodLabel(period, locale), n: list.low.length })}</h2>
          {list.low.length === 0 ? (
            <p class="muted">{t('svc.lowScoring.none')}</p>
          ) : (
            <form method="post" action="/services/improvements" class="stacked">
              <Csrf c={c} />
              <input type="hidden" name="period" value={period} />
              {e.service && (
                <p class="field-error" id="sel-service-error" role="alert">
                  {e.service}
                </p>
              )}
              <table>
                <thead>
                  <tr>
                    {manage && <th scope="col">{t('svc.lowScoring.select')}</th>}
                    <th scope="col">{t('svc.code')}</th>
                    <th scope="col">{t('svc.title')}</th>
                    <th scope="col">{t('svc.agency')}</th>
                    <th scope="col">{t('svc.curator')}</th>
                    <th scope="col">{t('svc.average')}</th>
                    <th scope="col">{t('svc.votes')}</th>
                    <th scope="col">{t('svc.improvement')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.low.map((r) => (
                    <tr>
                      {manage && (
                        <td>
                          {!r.improvement_id && (
                            <input
                              type="checkbox"
                              name="service"
                              value={String(r.id)}
                              id={`sel-${r.id}`}
                              checked={chosen.has(String(r.id))}
                              aria-label={t('svc.lowScoring.selectLabel', { code: r.code })}
                            />
                          )}
                        </td>
                      )}
                      <td>{r.code}</td>
                      <td>
                        <a href={`/services/${r.id}`}>{localized(locale, r.title_ru, r.title_en)}</a>
                      </td>
                      <td>{localized(locale, r.agency_short_ru ?? r.agency_code, r.agency_title_en)}</td>
                      <td>{r.curator_name ?? '—'}</td>
                      <td>{formatScore(r.avg_score, locale)}</td>
                      <td>{r.votes}</td>
                      <td>
                        {r.improvement_status ? (
                          <ImprovementBadge status={r.improvement_status} t={t} />
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {manage && selectable.length > 0 && (
                <fieldset>
                  <legend>{t('svc.lowScoring.selectTitle')}</legend>
                  <Field id="sel-target" label={t('svc.improvement.target')} error={e.target}>
                    <input
                      id="sel-target"
                      name="target"
                      inputmode="decimal"
                      value={defaults.target}
                      {...described('sel-target', e.target)}
                    />
                  </Field>
                  <Field id="sel-planDue" label={t('svc.improvement.planDue')} error={e.planDue}>
                    <input
                      id="sel-planDue"
                      name="planDue"
                      type="date"
                      value={defaults.planDue}
                      {...described('sel-planDue', e.planDue)}
                    />
                  </Field>
                  <Field
                    id="sel-implementationDue"
                    label={t('svc.improvement.implementationDue')}
                    error={e.implementationDue}
                  >
                    <input
                      id="sel-implementationDue"
                      name="implementationDue"
                      type="date"
                      value={defaults.implementationDue}
                      {...described('sel-implementationDue', e.implementationDue)}
                    />
                  </Field>
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
      {open.length === 0 ? (
        <p class="muted">{t('svc.open.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('svc.code')}</th>
              <th scope="col">{t('svc.title')}</th>
              <th scope="col">{t('svc.improvement')}</th>
              <th scope="col">{t('svc.improvement.baseline')}</th>
              <th scope="col">{t('svc.improvement.target')}</th>
              <th scope="col">{t('svc.improvement.latest')}</th>
            </tr>
          </thead>
          <tbody>
            {open.map((i) => (
              <tr>
                <td>{i.code}</td>
                <td>
                  <a href={`/services/${i.service_id}`}>{localized(locale, i.title_ru, i.title_en)}</a>
                </td>
                <td>
                  <ImprovementBadge status={i.status} t={t} />
                </td>
                <td>
                  {formatScore(i.baseline_avg, locale)} ({periodLabel(i.period_selected, locale)})
                </td>
                <td>{formatScore(i.target_avg, locale)}</td>
                <td
                  class={
                    i.last_score_avg !== null && i.last_score_avg < i.target_avg ? 'below-target' : undefined
                  }
                >
                  {i.last_score_period
                    ? `${formatScore(i.last_score_avg, locale)} (${periodLabel(i.last_score_period, locale)})${
                        i.last_score_avg !== null && i.last_score_avg < i.target_avg
                          ? ` — ${t('svc.open.belowTarget')}`
                          : ''
                      }`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ImportIssues({ errors, t }: { errors: ImportIssue[]; t: Translate }) {
  const shown = errors.slice(0, 500);
  return (
    <>
      <p class="alert" role="alert">
        {t('svc.import.failed', { n: errors.length })}
      </p>
      <table class="import-errors">
        <thead>
          <tr>
            <th scope="col">{t('svc.import.row')}</th>
            <th scope="col">{t('svc.import.column')}</th>
            <th scope="col">{t('svc.import.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
            <tr>
              <td>{e.row ?? '—'}</td>
              <td>{e.column ?? '—'}</td>
              <td>{t(e.key, e.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {errors.length > shown.length && (
        <p class="muted">{t('svc.import.more', { n: errors.length - shown.length })}</p>
      )}
    </>
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
      {result && !result.ok && <ImportIssues errors={result.errors} t={t} />}
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
        <Field id="imp-file" label={t('svc.import.file')} hint={t('svc.import.hint')}>
          <input id="imp-file" name="file" type="file" accept=".csv,.xlsx,text/csv" required />
        </Field>
        <button type="submit">{t('svc.import.submit')}</button>
      </form>
      <h2>{t('svc.import.recent')}</h2>
      {recent.length === 0 ? (
        <p class="muted">{t('svc.import.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('svc.import.when')}</th>
              <th scope="col">{t('svc.import.file')}</th>
              <th scope="col">{t('svc.import.periods')}</th>
              <th scope="col">{t('svc.import.counts')}</th>
              <th scope="col">{t('svc.import.by')}</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((r) => (
              <tr>
                <td>{formatDateTime(r.imported_at, locale, c.var.deps.config.timeZone)}</td>
                <td>{r.filename}</td>
                <td>{r.periods.map((p) => periodLabel(p, locale)).join(', ')}</td>
                <td>
                  {t('svc.import.countsValue', {
                    rows: r.rows,
                    inserted: r.inserted,
                    updated: r.updated,
                    unchanged: r.unchanged,
                  })}
                </td>
                <td>{r.imported_by_name ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
