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
import { StatusBadge } from '../views/components.tsx';
import { formatNumber, formatPercent, formatPeriod } from '../views/format.ts';
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

/** Units as stored by the reference data (Russian), shown in the reader's language. */
const unitLabel = (unit: string, t: Translate) => {
  const key = { 'дн.': 'ls.unit.days', 'ед.': 'ls.unit.pcs', балл: 'ls.unit.points', '%': 'ls.unit.percent' }[
    unit
  ];
  return key ? t(key) : unit;
};

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
      <table class="compact">
        <caption class="sr-only">{t('ls.targetState')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ls.parameter')}</th>
            <th scope="col">{t('ls.asIs')}</th>
            <th scope="col">{t('ls.toBe')}</th>
          </tr>
        </thead>
        <tbody>
          {TARGET_FIELDS.filter((f) => ts.asIs[f] !== undefined || ts.toBe[f] !== undefined).map((f) => (
            <tr>
              <th scope="row">{t(`ls.ts.${f}`)}</th>
              <td class="num">{formatNumber(ts.asIs[f], locale)}</td>
              <td class="num">{formatNumber(ts.toBe[f], locale)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t('ls.ts.eForm')}</th>
            <td>—</td>
            <td>{yesNo(ts.toBe.eForm)}</td>
          </tr>
          <tr>
            <th scope="row">{t('ls.ts.proactive')}</th>
            <td>—</td>
            <td>{yesNo(ts.toBe.proactive)}</td>
          </tr>
        </tbody>
      </table>
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
        <table>
          <thead>
            <tr>
              <th scope="col">{t('item.lifeSituation')}</th>
              <th scope="col">{t('ls.level')}</th>
              <th scope="col">{t('dash.rag.column')}</th>
              <th scope="col">{t('dashboard.total')}</th>
              <th scope="col">{t('dashboard.done')}</th>
              <th scope="col">{t('dashboard.overdue')}</th>
              <th scope="col">{t('dashboard.onTimeRate')}</th>
              <th scope="col">{t('ls.services')}</th>
              <th scope="col">{t('ls.lowScoring')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">
                  <a href={`/life-situations/${r.id}`}>{localized(locale, r.title_ru, r.title_en)}</a>
                </th>
                <td>{t(`ls.level.${r.level}`)}</td>
                <td>
                  <RagBadge result={r.rag} t={t} /> <RagWhy result={r.rag} t={t} />
                </td>
                <td class="num">{r.counts.total}</td>
                <td class="num">{r.counts.done}</td>
                <td class="num">
                  {r.counts.overdue > 0 ? (
                    <a href={`/items?ls=${r.id}&status=overdue`}>{r.counts.overdue}</a>
                  ) : (
                    0
                  )}
                </td>
                <td class="num">{formatPercent(r.counts.onTimeRate, locale)}</td>
                <td class="num">{r.services}</td>
                <td class="num">{r.lowScoring}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
            {indicators.rows.length === 0 ? (
              <p class="muted">{t('ls.noIndicators')}</p>
            ) : (
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">{t('ls.indicator')}</th>
                    <th scope="col">{t('ls.unit')}</th>
                    {indicators.periods.map((p) => (
                      <th scope="col">{formatPeriod(p, locale)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {indicators.rows.map((ind) => (
                    <tr>
                      <th scope="row">{localized(locale, ind.title_ru, ind.title_en)}</th>
                      <td>{unitLabel(ind.unit, t)}</td>
                      {ind.values.map((v) => (
                        <td class={`num${v.onTrack === false ? ' off-track' : ''}`}>
                          <span class="actual">{formatNumber(v.actual, locale, 2)}</span>
                          <span class="plan">
                            {t('ls.plan')}: {formatNumber(v.plan, locale, 2)}
                          </span>
                          {v.onTrack === false && <span class="flag">{t('ls.offTrack')}</span>}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="ls-items">
            <h2 id="ls-items">{t('ls.items')}</h2>
            {detail.items.length === 0 ? (
              <p class="muted">{t('items.empty')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('item.number')}</th>
                    <th scope="col">{t('item.title')}</th>
                    <th scope="col">{t('item.agency')}</th>
                    <th scope="col">{t('item.currentDue')}</th>
                    <th scope="col">{t('item.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.items.map((r) => (
                    <tr>
                      <td class="num">{r.number ?? r.id}</td>
                      <td>
                        <a href={`/items/${r.id}`}>{localized(locale, r.title_ru, r.title_en)}</a>
                      </td>
                      <td>
                        <a href={`/agencies/${r.agency_id}`}>
                          {localized(locale, r.agency_short_ru ?? r.agency_code, r.agency_title_en)}
                        </a>
                      </td>
                      <td class="nowrap">{formatDate(r.current_due, locale)}</td>
                      <td>
                        <StatusBadge status={r.status} overdue={r.overdue} t={t} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
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
            {detail.agencies.length === 0 ? (
              <p class="muted">{t('items.empty')}</p>
            ) : (
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">{t('agencyPage.name')}</th>
                    <th scope="col">{t('ls.asResponsible')}</th>
                    <th scope="col">{t('ls.asCoExecutor')}</th>
                    <th scope="col">{t('ls.services')}</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.agencies.map((a) => (
                    <tr>
                      <th scope="row">
                        <a href={`/agencies/${a.id}`}>{localized(locale, a.title_ru, a.title_en)}</a>
                      </th>
                      <td class="num">{a.responsible}</td>
                      <td class="num">{a.coExecutor}</td>
                      <td class="num">{a.services}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <RagLegend t={t} locale={locale} />
        </article>
      );
    });
    return c.render(body, { title, section: 'life' });
  });

  return app;
}
