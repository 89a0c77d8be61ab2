import { Hono, type Context } from 'hono';
import {
  citizensWorries,
  programmeProgress,
  READ_SCOPES,
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
import { formatPercent, formatPeriod } from '../views/format.ts';
import {
  agencyColumn,
  agencyShort,
  dueColumn,
  numberColumn,
  roadmapColumn,
  statusColumn,
  titleColumn,
} from '../views/item-columns.tsx';
import { RagBadge, RagLegend, RagWhy } from '../views/rag.tsx';
import { WorriesPanel } from '../views/feedback-views.tsx';
import { DataTable } from '../views/table.tsx';

// The leadership dashboard: one screen, read-only, everything links to the page with the detail.

/** Rows shown in the red list and the deadlines list; the rest are a link away in the roadmap list. */
const SHOWN = 25;

export function dashboardRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/dashboard', (c) => renderDashboard(c));
  return app;
}

/**
 * The programme dashboard: at /dashboard for everyone (the menu's link), and the landing page of the roles
 * without a home of their own (admin, observer).
 */
export async function renderDashboard(c: Context<AppEnv>) {
  const { t, locale } = c.var;
  const { db } = c.var.deps;
  const body = await cachedView(c, ['dashboard'], async (ctx) => {
    // Each part is kept until the kind of data it reads changes: a submission recomputes the first one, a
    // batch of reviews the worries.
    const [[total, weeks, red, upcoming], kpi, lss, agencies, worries] = await Promise.all([
      cachedRead(
        c,
        ['dashboard'],
        (ctx) =>
          Promise.all([
            programmeProgress(db, ctx, allFigures(c)),
            roadmapBurnUp(db, ctx),
            redList(db, ctx, SHOWN, allFigures(c)),
            upcomingDeadlines(db, ctx, 10, SHOWN),
          ]),
        READ_SCOPES.programme,
      ),
      cachedRead(c, ['serviceKpi'], (ctx) => serviceKpi(db, ctx), READ_SCOPES.serviceKpi),
      allLifeSituationSummaries(c),
      allAgencyStats(c),
      cachedRead(
        c,
        ['citizensWorries'],
        (ctx) => citizensWorries(db, ctx.today),
        READ_SCOPES.citizensProblems,
      ),
    ]);
    const kpiTarget = Math.ceil(kpi.lowAtStart * kpi.target);
    const agencyRows = agencies
      .filter((a) => a.counts.total > 0)
      .sort((a, b) => RAG_ORDER[a.rag.rag] - RAG_ORDER[b.rag.rag] || b.counts.overdue - a.counts.overdue);
    const cx = { t, locale };
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
                  {kpi.trajectory.map((p) => `${formatPeriod(p.period, locale)} — ${p.improved}`).join(', ')}
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
          <DataTable
            rows={red.rows}
            class="red-list"
            empty={<p>{t('dash.redList.empty')}</p>}
            rowClass={(r) => `level-${r.escalation_level}`}
            columns={[
              numberColumn(cx),
              titleColumn(cx),
              roadmapColumn(cx),
              agencyColumn(cx),
              dueColumn(cx),
              { label: t('dash.daysOverdue'), class: 'num', cell: (r) => r.workingDaysOverdue },
              {
                label: t('item.escalation'),
                cell: (r) => (
                  <span class={`esc esc-${r.escalation_level}`}>
                    {r.escalation_level} — {t(`dash.esc.${r.escalation_level}`)}
                  </span>
                ),
              },
            ]}
          />
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
          <DataTable
            rows={upcoming.rows}
            empty={<p>{t('dash.upcoming.empty')}</p>}
            columns={[
              numberColumn(cx),
              titleColumn(cx),
              roadmapColumn(cx),
              agencyColumn(cx),
              dueColumn(cx),
              { label: t('dash.workingDaysLeft'), class: 'num', cell: (r) => r.workingDaysLeft },
              statusColumn(cx),
            ]}
          />
        </section>

        <section aria-labelledby="dash-rag-ls">
          <h2 id="dash-rag-ls">{t('dashboard.byLifeSituation')}</h2>
          <DataTable
            rows={lss}
            empty={<p>{t('items.empty')}</p>}
            columns={[
              {
                label: t('item.lifeSituation'),
                rowHeader: true,
                wide: true,
                cell: (r) => (
                  <a href={`/life-situations/${r.id}`}>{localized(locale, r.title_ru, r.title_en)}</a>
                ),
              },
              {
                label: t('dash.rag.column'),
                cell: (r) => (
                  <>
                    <RagBadge result={r.rag} t={t} /> <RagWhy result={r.rag} t={t} />
                  </>
                ),
              },
              { label: t('dashboard.total'), class: 'num', cell: (r) => r.counts.total },
              { label: t('dashboard.done'), class: 'num', cell: (r) => r.counts.done },
              { label: t('dashboard.overdue'), class: 'num', cell: (r) => r.counts.overdue },
            ]}
          />
        </section>

        <section aria-labelledby="dash-rag-agency">
          <h2 id="dash-rag-agency">{t('dash.byAgency')}</h2>
          <DataTable
            rows={agencyRows}
            empty={<p>{t('items.empty')}</p>}
            columns={[
              {
                label: t('agencyPage.name'),
                rowHeader: true,
                wide: true,
                cell: (a) => <a href={`/agencies/${a.id}`}>{agencyShort(locale, a)}</a>,
              },
              {
                label: t('dash.rag.column'),
                cell: (a) => (
                  <>
                    <RagBadge result={a.rag} t={t} /> <RagWhy result={a.rag} t={t} />
                  </>
                ),
              },
              { label: t('dashboard.total'), class: 'num', cell: (a) => a.counts.total },
              { label: t('dashboard.overdue'), class: 'num', cell: (a) => a.counts.overdue },
              {
                label: t('dashboard.onTimeRate'),
                class: 'num',
                cell: (a) => formatPercent(a.counts.onTimeRate, locale),
              },
            ]}
          />
          <p>
            <a href="/agencies">{t('dash.leagueLink')}</a>
          </p>
        </section>

        <RagLegend t={t} locale={locale} />
      </section>
    );
  });
  return c.render(body, { title: t('dashboard.title'), section: 'dashboard' });
}
