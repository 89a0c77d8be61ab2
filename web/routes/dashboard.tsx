import { Hono } from 'hono';
import {
  citizensWorries,
  programmeProgress,
  redList,
  roadmapBurnUp,
  serviceKpi,
  upcomingDeadlines,
} from '../../db/read-models/index.ts';
import { RAG_ORDER } from '../../domain/rag.ts';
import { allAgencyStats, allFigures, allLifeSituationSummaries, cachedView } from '../cached-reads.ts';
import { cachedRead, localized } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDate } from '../i18n/index.ts';
import { BurnUpChart } from '../views/burn-up-chart.tsx';
import { ItemCells, StatusBadge } from '../views/components.tsx';
import { formatPercent, formatPeriod } from '../views/format.ts';
import { RagBadge, RagLegend, RagWhy } from '../views/rag.tsx';
import { WorriesPanel } from '../views/feedback-views.tsx';

// The leadership dashboard: one screen, read-only, everything links to the page with the detail.

/** Rows shown in the red list and the deadlines list; the rest are a link away in the roadmap list. */
const SHOWN = 25;

export function dashboardRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const body = await cachedView(c, ['dashboard'], async (ctx) => {
      const [[total, kpi, weeks, red, upcoming], lss, agencies, worries] = await Promise.all([
        cachedRead(c, ['dashboard'], (ctx) =>
          Promise.all([
            programmeProgress(db, ctx, allFigures(c)),
            cachedRead(c, ['serviceKpi'], (ctx) => serviceKpi(db, ctx)),
            roadmapBurnUp(db, ctx),
            redList(db, ctx, SHOWN, allFigures(c)),
            upcomingDeadlines(db, ctx, 10, SHOWN),
          ]),
        ),
        allLifeSituationSummaries(c),
        allAgencyStats(c),
        citizensWorries(db, ctx.today),
      ]);
      const kpiTarget = Math.ceil(kpi.lowAtStart * kpi.target);
      const agencyRows = agencies
        .filter((a) => a.counts.total > 0)
        .sort((a, b) => RAG_ORDER[a.rag.rag] - RAG_ORDER[b.rag.rag] || b.counts.overdue - a.counts.overdue);
      const agencyName = (r: {
        agency_short_ru: string | null;
        agency_code: string;
        agency_title_en: string;
      }) => localized(locale, r.agency_short_ru ?? r.agency_code, r.agency_title_en);
      return (
        <section class="dashboard">
          <h1>{t('dashboard.title')}</h1>

          <section aria-labelledby="dash-progress">
            <h2 id="dash-progress">{t('dash.progress')}</h2>
            <ul class="kpis">
              <li>
                <a href="/items">
                  <span class="kpi-value">{total.total}</span>{' '}
                  <span class="kpi-label">{t('dashboard.total')}</span>
                </a>
              </li>
              <li>
                <a href="/items?status=done">
                  <span class="kpi-value">{total.done}</span>{' '}
                  <span class="kpi-label">{t('dashboard.done')}</span>
                </a>
              </li>
              <li>
                <span class="kpi-value">{total.inProgress}</span>{' '}
                <span class="kpi-label">{t('dashboard.inProgress')}</span>
              </li>
              <li class="bad">
                <a href="/items?status=overdue">
                  <span class="kpi-value">{total.overdue}</span>{' '}
                  <span class="kpi-label">{t('dashboard.overdue')}</span>
                </a>
              </li>
              <li>
                <span class="kpi-value">{formatPercent(total.onTimeRate, locale)}</span>{' '}
                <span class="kpi-label">{t('dashboard.onTimeRate')}</span>
              </li>
              <li class="kpi-wide">
                <span class="kpi-value">
                  {t('dash.kpi.value', { improved: kpi.improved, of: kpi.lowAtStart })}
                </span>{' '}
                <span class="kpi-label">
                  {t('dash.kpi.label', { target: formatPercent(kpi.target, locale), n: kpiTarget })}
                </span>
                {kpi.lowAtStart > 0 && (
                  <meter
                    min={0}
                    max={kpi.lowAtStart}
                    value={kpi.improved}
                    low={kpiTarget}
                    optimum={kpi.lowAtStart}
                    aria-label={t('dash.kpi.meter')}
                  >
                    {kpi.improved}/{kpi.lowAtStart}
                  </meter>
                )}
                {kpi.period && (
                  <span class="kpi-note">
                    {t('dash.kpi.trajectory')}:{' '}
                    {kpi.trajectory
                      .map((p) => `${formatPeriod(p.period, locale)} — ${p.improved}`)
                      .join(', ')}
                  </span>
                )}
              </li>
            </ul>
            <p class="muted">{t('dash.progressNote')}</p>
          </section>

          <WorriesPanel problems={worries} t={t} locale={locale} />

          <section aria-labelledby="dash-burnup">
            <h2 id="dash-burnup">{t('dash.burnup.title')}</h2>
            <BurnUpChart weeks={weeks} today={ctx.today} t={t} locale={locale} />
          </section>

          <section aria-labelledby="dash-red">
            <h2 id="dash-red">{t('dash.redList', { n: red.total })}</h2>
            {red.total > red.rows.length && (
              <p>
                {t('dash.shownOf', { shown: red.rows.length, total: red.total })}{' '}
                <a href="/items?status=overdue">{t('dash.redListAll')}</a>
              </p>
            )}
            {red.total === 0 ? (
              <p>{t('dash.redList.empty')}</p>
            ) : (
              <table class="red-list">
                <thead>
                  <tr>
                    <th scope="col">{t('item.number')}</th>
                    <th scope="col">{t('item.title')}</th>
                    <th scope="col">{t('item.agency')}</th>
                    <th scope="col">{t('item.currentDue')}</th>
                    <th scope="col">{t('dash.daysOverdue')}</th>
                    <th scope="col">{t('item.escalation')}</th>
                  </tr>
                </thead>
                <tbody>
                  {red.rows.map((r) => (
                    <tr>
                      <ItemCells item={r} locale={locale} t={t} />
                      <td>
                        <a href={`/agencies/${r.agency_id}`}>{agencyName(r)}</a>
                      </td>
                      <td class="nowrap">{formatDate(r.current_due, locale)}</td>
                      <td class="num">{r.workingDaysOverdue}</td>
                      <td>
                        <span class={`esc esc-${r.escalation_level}`}>
                          {r.escalation_level} — {t(`dash.esc.${r.escalation_level}`)}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="dash-upcoming">
            <h2 id="dash-upcoming">{t('dash.upcoming')}</h2>
            <p class="muted">
              {t('dash.upcomingNote', {
                from: formatDate(ctx.today, locale),
                to: formatDate(upcoming.until, locale),
              })}{' '}
              {upcoming.total > upcoming.rows.length &&
                `${t('dash.shownOf', { shown: upcoming.rows.length, total: upcoming.total })} `}
              <a href="/items?status=open&due=2w">{t('dash.upcomingAll')}</a>
            </p>
            {upcoming.rows.length === 0 ? (
              <p>{t('dash.upcoming.empty')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('item.number')}</th>
                    <th scope="col">{t('item.title')}</th>
                    <th scope="col">{t('item.agency')}</th>
                    <th scope="col">{t('item.currentDue')}</th>
                    <th scope="col">{t('dash.workingDaysLeft')}</th>
                    <th scope="col">{t('item.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {upcoming.rows.map((r) => (
                    <tr>
                      <ItemCells item={r} locale={locale} t={t} />
                      <td>
                        <a href={`/agencies/${r.agency_id}`}>{agencyName(r)}</a>
                      </td>
                      <td class="nowrap">{formatDate(r.current_due, locale)}</td>
                      <td class="num">{r.workingDaysLeft}</td>
                      <td>
                        <StatusBadge status={r.status} t={t} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="dash-rag-ls">
            <h2 id="dash-rag-ls">{t('dashboard.byLifeSituation')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('item.lifeSituation')}</th>
                  <th scope="col">{t('dash.rag.column')}</th>
                  <th scope="col">{t('dashboard.total')}</th>
                  <th scope="col">{t('dashboard.done')}</th>
                  <th scope="col">{t('dashboard.overdue')}</th>
                </tr>
              </thead>
              <tbody>
                {lss.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={`/life-situations/${r.id}`}>{localized(locale, r.title_ru, r.title_en)}</a>
                    </th>
                    <td>
                      <RagBadge result={r.rag} t={t} /> <RagWhy result={r.rag} t={t} />
                    </td>
                    <td class="num">{r.counts.total}</td>
                    <td class="num">{r.counts.done}</td>
                    <td class="num">{r.counts.overdue}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <section aria-labelledby="dash-rag-agency">
            <h2 id="dash-rag-agency">{t('dash.byAgency')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('agencyPage.name')}</th>
                  <th scope="col">{t('dash.rag.column')}</th>
                  <th scope="col">{t('dashboard.total')}</th>
                  <th scope="col">{t('dashboard.overdue')}</th>
                  <th scope="col">{t('dashboard.onTimeRate')}</th>
                </tr>
              </thead>
              <tbody>
                {agencyRows.map((a) => (
                  <tr>
                    <th scope="row">
                      <a href={`/agencies/${a.id}`}>
                        {localized(locale, a.short_ru ?? a.title_ru, a.title_en)}
                      </a>
                    </th>
                    <td>
                      <RagBadge result={a.rag} t={t} /> <RagWhy result={a.rag} t={t} />
                    </td>
                    <td class="num">{a.counts.total}</td>
                    <td class="num">{a.counts.overdue}</td>
                    <td class="num">{formatPercent(a.counts.onTimeRate, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              <a href="/agencies">{t('dash.leagueLink')}</a>
            </p>
          </section>

          <RagLegend t={t} locale={locale} />
        </section>
      );
    });
    return c.render(body, { title: t('dashboard.title'), section: 'dashboard' });
  });
  return app;
}
