import { Hono } from 'hono';
import {
  getLifeSituation,
  lifeSituationDetail,
  type LifeSituationSummary,
} from '../../db/read-models/index.ts';
import type { TargetState } from '../../db/schema/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { allLifeSituationSummaries, cachedView } from '../cached-reads.ts';
import { idParam, localized } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDate, type Locale, type Translate } from '../i18n/index.ts';
import {
  agencyColumn,
  dueColumn,
  numberColumn,
  roadmapColumn,
  statusColumn,
  titleColumn,
} from '../views/item-columns.tsx';
import { DataTable } from '../views/table.tsx';
import { formatNumber, formatPercent, formatPeriod, unitLabel } from '../views/format.ts';
import { RagBadge, RagLegend, RagWhy } from '../views/rag.tsx';
import { ServicesTable } from '../views/services-table.tsx';

const TARGET_FIELDS = [
  'termDays',
  'visits',
  'documents',
  'applications',
  'avgRating',
  'shareOnline',
] as const;

function Counts({ s, t, locale }: { s: LifeSituationSummary; t: Translate; locale: Locale }) {
  return (
    <ul class="kpis">
      <li>
        <span class="kpi-value">{s.counts.total}</span> <span class="kpi-label">{t('dashboard.total')}</span>
      </li>
      <li>
        <span class="kpi-value">{s.counts.done}</span> <span class="kpi-label">{t('dashboard.done')}</span>
      </li>
      <li class={s.counts.overdue > 0 ? 'bad' : undefined}>
        <span class="kpi-value">{s.counts.overdue}</span>{' '}
        <span class="kpi-label">{t('dashboard.overdue')}</span>
      </li>
      <li>
        <span class="kpi-value">{formatPercent(s.counts.onTimeRate, locale)}</span>{' '}
        <span class="kpi-label">{t('dashboard.onTimeRate')}</span>
      </li>
      <li>
        <span class="kpi-value">
          {s.lowScoring}/{s.services}
        </span>{' '}
        <span class="kpi-label">{t('ls.lowOfServices')}</span>
      </li>
    </ul>
  );
}

function TargetStateView({ ts, t, locale }: { ts: TargetState | null; t: Translate; locale: Locale }) {
  if (!ts) return <p class="muted">{t('ls.noTargetState')}</p>;
  // Scenario steps and phase names exist only in Russian: mark them so screen readers pronounce them right.
  const ruText = locale === 'ru' ? undefined : 'ru';
  const yesNo = (v: boolean | undefined) => (v === undefined ? '—' : v ? t('ls.yes') : t('ls.no'));
  return (
    <>
      <DataTable
        rows={[
          ...TARGET_FIELDS.filter((f) => ts.asIs[f] !== undefined || ts.toBe[f] !== undefined).map((f) => ({
            label: t(`ls.ts.${f}`),
            asIs: formatNumber(ts.asIs[f], locale),
            toBe: formatNumber(ts.toBe[f], locale),
          })),
          { label: t('ls.ts.eForm'), asIs: '—', toBe: yesNo(ts.toBe.eForm) },
          { label: t('ls.ts.proactive'), asIs: '—', toBe: yesNo(ts.toBe.proactive) },
        ]}
        class="compact"
        caption={t('ls.targetState')}
        hideCaption
        empty={null}
        columns={[
          { label: t('ls.parameter'), rowHeader: true, cell: (r) => r.label },
          { label: t('ls.asIs'), class: 'num', cell: (r) => r.asIs },
          { label: t('ls.toBe'), class: 'num', cell: (r) => r.toBe },
        ]}
      />
      {ts.scenarioSteps && ts.scenarioSteps.length > 0 && (
        <>
          <h3>{t('ls.scenario')}</h3>
          <ol class="scenario" lang={ruText}>
            {ts.scenarioSteps.map((s) => (
              <li>{s}</li>
            ))}
          </ol>
        </>
      )}
      {ts.phases && ts.phases.length > 0 && (
        <>
          <h3>{t('ls.phases')}</h3>
          <ul>
            {ts.phases.map((p) => (
              <li>
                <span lang={ruText}>{p.name}</span> — {formatDate(p.deadline, locale)}
              </li>
            ))}
          </ul>
        </>
      )}
      {ts.approvedBy && (
        <p class="muted">
          {t('ls.approved')}: <span lang={ruText}>{ts.approvedBy}</span>
          {ts.approvalDate ? `, ${formatDate(ts.approvalDate, locale)}` : ''}
        </p>
      )}
    </>
  );
}

export function lifeSituationRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const rows = await allLifeSituationSummaries(c);
    return c.render(
      <section>
        <h1>{t('ls.title')}</h1>
        <p class="muted">{t('ls.scopeNote')}</p>
        <DataTable
          rows={rows}
          empty={<p class="muted">{t('items.empty')}</p>}
          columns={[
            {
              label: t('item.lifeSituation'),
              rowHeader: true,
              wide: true,
              cell: (r) => (
                <a href={`/life-situations/${r.id}`}>{localized(locale, r.title_ru, r.title_en)}</a>
              ),
            },
            { label: t('ls.level'), cell: (r) => t(`ls.level.${r.level}`) },
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
            {
              label: t('dashboard.overdue'),
              class: 'num',
              cell: (r) =>
                r.counts.overdue > 0 ? (
                  <a href={`/items?ls=${r.id}&status=overdue`}>{r.counts.overdue}</a>
                ) : (
                  0
                ),
            },
            {
              label: t('dashboard.onTimeRate'),
              class: 'num',
              cell: (r) => formatPercent(r.counts.onTimeRate, locale),
            },
            { label: t('ls.services'), class: 'num', cell: (r) => r.services },
            { label: t('ls.lowScoring'), class: 'num', cell: (r) => r.lowScoring },
          ]}
        />
        <RagLegend t={t} locale={locale} />
      </section>,
      { title: t('ls.title'), section: 'life' },
    );
  });

  app.get('/:id', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const id = idParam(c);
    const ls = await getLifeSituation(db, id);
    if (!ls)
      throw new ShtabError('not_found', `life situation ${id} not found`, {
        key: 'error.lifeSituation.notFound',
      });
    const title = localized(locale, ls.title_ru, ls.title_en);
    const body = await cachedView(c, ['lifeSituation', id], async (ctx) => {
      // Read again after the data version (see cachedView): the row above may be older.
      const [ls, summaries, detail] = await Promise.all([
        getLifeSituation(db, id),
        allLifeSituationSummaries(c),
        lifeSituationDetail(db, ctx, id),
      ]);
      if (!ls)
        throw new ShtabError('not_found', `life situation ${id} not found`, {
          key: 'error.lifeSituation.notFound',
        });
      const summary = summaries.find((s) => s.id === id)!;
      const title = localized(locale, ls.title_ru, ls.title_en);
      const { indicators, services } = detail;
      const cx = { t, locale };
      return (
        <article>
          <p class="muted">
            {t(`ls.level.${ls.level}`)} ·{' '}
            {t(`ls.audience.${ls.audience === 'business' ? 'business' : 'citizen'}`)}
          </p>
          <h1>{title}</h1>
          <p>
            <RagBadge result={summary.rag} t={t} /> <RagWhy result={summary.rag} t={t} />{' '}
            <a href="#rag-legend">{t('dash.rag.legend.link')}</a>
          </p>
          <Counts s={summary} t={t} locale={locale} />

          <section aria-labelledby="ls-target">
            <h2 id="ls-target">{t('ls.targetState')}</h2>
            <TargetStateView ts={ls.target_state} t={t} locale={locale} />
          </section>

          <section aria-labelledby="ls-indicators">
            <h2 id="ls-indicators">{t('ls.indicators')}</h2>
            <DataTable
              rows={indicators.rows}
              class="compact"
              empty={<p class="muted">{t('ls.noIndicators')}</p>}
              columns={[
                {
                  label: t('ls.indicator'),
                  rowHeader: true,
                  wide: true,
                  cell: (ind) => localized(locale, ind.title_ru, ind.title_en),
                },
                { label: t('ls.unit'), cell: (ind) => unitLabel(ind.unit, t) },
                ...indicators.periods.map((p, k) => ({
                  label: formatPeriod(p, locale),
                  class: 'num',
                  cell: (ind: (typeof indicators.rows)[number]) => {
                    const v = ind.values[k]!;
                    return (
                      <span class={v.onTrack === false ? 'off-track' : undefined}>
                        <span class="actual">{formatNumber(v.actual, locale, 2)}</span>
                        <span class="plan">
                          {t('ls.plan')}: {formatNumber(v.plan, locale, 2)}
                        </span>
                        {v.onTrack === false && <span class="flag">{t('ls.offTrack')}</span>}
                      </span>
                    );
                  },
                })),
              ]}
            />
          </section>

          <section aria-labelledby="ls-items">
            <h2 id="ls-items">{t('ls.items')}</h2>
            <DataTable
              rows={detail.items}
              empty={<p class="muted">{t('items.empty')}</p>}
              rowClass={(r) => (r.overdue ? 'overdue' : undefined)}
              columns={[
                numberColumn(cx),
                titleColumn(cx),
                roadmapColumn(cx),
                agencyColumn(cx),
                dueColumn(cx),
                statusColumn(cx),
              ]}
            />
            <p>
              {detail.itemTotal > detail.items.length &&
                `${t('dash.shownOf', { shown: detail.items.length, total: detail.itemTotal })} `}
              <a href={`/items?ls=${id}`}>{t('ls.openInRoadmap')}</a>
            </p>
          </section>

          <section aria-labelledby="ls-services">
            <h2 id="ls-services">{t('ls.services')}</h2>
            <ServicesTable services={services} t={t} locale={locale} />
          </section>

          <section aria-labelledby="ls-agencies">
            <h2 id="ls-agencies">{t('ls.agencies')}</h2>
            <DataTable
              rows={detail.agencies}
              class="compact"
              empty={<p class="muted">{t('items.empty')}</p>}
              columns={[
                {
                  label: t('agencyPage.name'),
                  rowHeader: true,
                  wide: true,
                  cell: (a) => <a href={`/agencies/${a.id}`}>{localized(locale, a.title_ru, a.title_en)}</a>,
                },
                { label: t('ls.asResponsible'), class: 'num', cell: (a) => a.responsible },
                { label: t('ls.asCoExecutor'), class: 'num', cell: (a) => a.coExecutor },
                { label: t('ls.services'), class: 'num', cell: (a) => a.services },
              ]}
            />
          </section>
          <RagLegend t={t} locale={locale} />
        </article>
      );
    });
    return c.render(body, { title, section: 'life' });
  });

  return app;
}
