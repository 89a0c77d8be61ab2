import { Hono } from 'hono';
import {
  countItems,
  getAgency,
  LEAGUE_SORTS,
  listItems,
  servicesWithScores,
  sortLeague,
  type AgencyStats,
  type LeagueSort,
} from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { allAgencyStats, cachedView } from '../cached-reads.ts';
import { idParam, localized } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDate, type Locale, type Translate } from '../i18n/index.ts';
import { ItemCells, StatusBadge } from '../views/components.tsx';
import { formatNumber, formatPercent } from '../views/format.ts';
import { hxLoad, wantsFragment } from '../views/fragment.ts';
import { RagBadge, RagLegend, RagWhy } from '../views/rag.tsx';
import { ServicesTable } from '../views/services-table.tsx';

const LEAGUE = 'league';
const ITEMS_SHOWN = 100;

/** The direction a column sorts in when first clicked: "more is better" columns start high. */
const FIRST_DIR: Record<LeagueSort, 'asc' | 'desc'> = {
  rank: 'asc',
  name: 'asc',
  items: 'desc',
  onTime: 'desc',
  overdue: 'desc',
  delay: 'desc',
  chases: 'desc',
  rework: 'desc',
};

const leagueUrl = (sort: LeagueSort, dir: 'asc' | 'desc') =>
  sort === 'rank' && dir === 'asc' ? '/agencies' : `/agencies?${new URLSearchParams({ sort, dir })}`;

function SortHeader({
  col,
  label,
  sort,
  dir,
}: {
  col: LeagueSort;
  label: string;
  sort: LeagueSort;
  dir: 'asc' | 'desc';
}) {
  const active = col === sort;
  const next = active ? (dir === 'asc' ? 'desc' : 'asc') : FIRST_DIR[col];
  const href = leagueUrl(col, next);
  return (
    <th scope="col" aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <a href={href} {...hxLoad(href, LEAGUE)}>
        {label}
        {active && (
          <span class="sort-mark" aria-hidden="true">
            {dir === 'asc' ? ' ▲' : ' ▼'}
          </span>
        )}
      </a>
    </th>
  );
}

function LeagueTable({
  rows,
  sort,
  dir,
  t,
  locale,
}: {
  rows: AgencyStats[];
  sort: LeagueSort;
  dir: 'asc' | 'desc';
  t: Translate;
  locale: Locale;
}) {
  const h = (col: LeagueSort, label: string) => <SortHeader col={col} label={label} sort={sort} dir={dir} />;
  return (
    <table class="league">
      <caption class="sr-only">
        {t('league.caption', { sort: t(`league.sort.${sort}`), dir: t(`league.dir.${dir}`) })}
      </caption>
      <thead>
        <tr>
          {h('rank', t('league.rank'))}
          {h('name', t('agencyPage.name'))}
          <th scope="col">{t('dash.rag.column')}</th>
          {h('items', t('league.items'))}
          <th scope="col">{t('dashboard.done')}</th>
          {h('onTime', t('dashboard.onTimeRate'))}
          {h('overdue', t('dashboard.overdue'))}
          {h('delay', t('league.avgDelay'))}
          {h('chases', t('league.chases'))}
          {h('rework', t('league.rework'))}
        </tr>
      </thead>
      <tbody>
        {rows.map((a, i) => (
          <tr>
            <td class="num">{sort === 'rank' && dir === 'asc' && a.counts.total === 0 ? '—' : i + 1}</td>
            <th scope="row">
              <a href={`/agencies/${a.id}`}>{localized(locale, a.short_ru ?? a.title_ru, a.title_en)}</a>
            </th>
            <td>
              <RagBadge result={a.rag} t={t} />
            </td>
            <td class="num">{a.counts.total}</td>
            <td class="num">{a.counts.done}</td>
            <td class="num">{formatPercent(a.counts.onTimeRate, locale)}</td>
            <td class="num">
              {a.counts.overdue > 0 ? (
                <a href={`/items?agency=${a.id}&status=overdue`}>{a.counts.overdue}</a>
              ) : (
                0
              )}
            </td>
            <td class="num">{formatNumber(a.avgDelayWorkingDays, locale)}</td>
            <td class="num">{a.chases}</td>
            <td class="num">{a.reworkRounds}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StatsStrip({ a, t, locale }: { a: AgencyStats; t: Translate; locale: Locale }) {
  const kpi = (value: string | number, label: string, bad = false) => (
    <li class={bad ? 'bad' : undefined}>
      <span class="kpi-value">{value}</span> <span class="kpi-label">{label}</span>
    </li>
  );
  return (
    <ul class="kpis">
      {kpi(a.counts.total, t('league.items'))}
      {kpi(a.counts.done, t('dashboard.done'))}
      {kpi(a.counts.overdue, t('dashboard.overdue'), a.counts.overdue > 0)}
      {kpi(formatPercent(a.counts.onTimeRate, locale), t('dashboard.onTimeRate'))}
      {kpi(formatNumber(a.avgDelayWorkingDays, locale), t('league.avgDelay'))}
      {kpi(a.chases, t('league.chases'))}
      {kpi(a.reworkRounds, t('league.rework'))}
    </ul>
  );
}

type Items = Awaited<ReturnType<typeof listItems>>;

function ItemsTable({ rows, t, locale }: { rows: Items; t: Translate; locale: Locale }) {
  if (rows.length === 0) return <p class="muted">{t('items.empty')}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('item.number')}</th>
          <th scope="col">{t('item.title')}</th>
          <th scope="col">{t('item.lifeSituation')}</th>
          <th scope="col">{t('item.currentDue')}</th>
          <th scope="col">{t('item.status')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <ItemCells item={r} locale={locale} t={t} />
            <td>{r.ls_title_ru ? localized(locale, r.ls_title_ru, r.ls_title_en) : '—'}</td>
            <td class="nowrap">{formatDate(r.current_due, locale)}</td>
            <td>
              <StatusBadge status={r.status} overdue={r.overdue} t={t} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function agencyRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const sortParam = c.req.query('sort');
    const sort: LeagueSort = (LEAGUE_SORTS as readonly string[]).includes(sortParam ?? '')
      ? (sortParam as LeagueSort)
      : 'rank';
    const dirParam = c.req.query('dir');
    const dir = dirParam === 'asc' || dirParam === 'desc' ? dirParam : FIRST_DIR[sort];
    const table = await cachedView(c, ['league', sort, dir], async () => (
      <LeagueTable
        rows={sortLeague(await allAgencyStats(c), sort, dir, locale)}
        sort={sort}
        dir={dir}
        t={t}
        locale={locale}
      />
    ));
    if (wantsFragment(c, LEAGUE)) {
      c.header('HX-Push-Url', leagueUrl(sort, dir));
      return c.html(table);
    }
    return c.render(
      <section>
        <h1>{t('league.title')}</h1>
        <p class="muted">{t('league.note')}</p>
        <div id={LEAGUE}>{table}</div>
        <section class="definitions" aria-labelledby="league-defs">
          <h2 id="league-defs">{t('league.defs.title')}</h2>
          <dl>
            <dt>{t('dashboard.onTimeRate')}</dt>
            <dd>{t('league.defs.onTime')}</dd>
            <dt>{t('league.avgDelay')}</dt>
            <dd>{t('league.defs.delay')}</dd>
            <dt>{t('league.chases')}</dt>
            <dd>{t('league.defs.chases')}</dd>
            <dt>{t('league.rework')}</dt>
            <dd>{t('league.defs.rework')}</dd>
            <dt>{t('league.rank')}</dt>
            <dd>{t('league.defs.rank')}</dd>
          </dl>
        </section>
        <RagLegend t={t} locale={locale} />
      </section>,
      { title: t('league.title'), section: 'agencies' },
    );
  });

  app.get('/:id', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const id = idParam(c);
    const agency = await getAgency(db, id);
    if (!agency)
      throw new ShtabError('not_found', `agency ${id} not found`, { key: 'error.agency.notFound' });
    const title = localized(locale, agency.title_ru, agency.title_en);
    const body = await cachedView(c, ['agency', id], async (ctx) => {
      // Read again after the data version (see cachedView): the row above may be older.
      const agency = await getAgency(db, id);
      if (!agency)
        throw new ShtabError('not_found', `agency ${id} not found`, { key: 'error.agency.notFound' });
      const title = localized(locale, agency.title_ru, agency.title_en);
      const [all, own, ownTotal, co, services] = await Promise.all([
        allAgencyStats(c),
        listItems(db, ctx.today, { agencyId: id, limit: ITEMS_SHOWN }),
        countItems(db, ctx.today, { agencyId: id }),
        listItems(db, ctx.today, { coAgencyId: id, limit: ITEMS_SHOWN }),
        servicesWithScores(db, { agencyId: id }),
      ]);
      const ranked = sortLeague(
        all.filter((a) => a.counts.total > 0),
        'rank',
        'asc',
      );
      const stats = all.find((a) => a.id === id)!;
      const rank = ranked.findIndex((a) => a.id === id);
      return (
        <article>
          {agency.short_ru && <p class="muted">{agency.short_ru}</p>}
          <h1>{title}</h1>
          <p>
            <RagBadge result={stats.rag} t={t} /> <RagWhy result={stats.rag} t={t} />{' '}
            <a href="#rag-legend">{t('dash.rag.legend.link')}</a>
            {rank >= 0 && (
              <>
                {' · '}
                <a href="/agencies">{t('agencyPage.rank', { rank: rank + 1, of: ranked.length })}</a>
              </>
            )}
          </p>
          <StatsStrip a={stats} t={t} locale={locale} />
          <section aria-labelledby="agency-items">
            <h2 id="agency-items">{t('agencyPage.items')}</h2>
            <ItemsTable rows={own} t={t} locale={locale} />
            <p>
              {ownTotal > own.length && `${t('dash.shownOf', { shown: own.length, total: ownTotal })} `}
              <a href={`/items?agency=${id}`}>{t('agencyPage.openInRoadmap')}</a>
            </p>
          </section>
          <section aria-labelledby="agency-co">
            <h2 id="agency-co">{t('agencyPage.coItems')}</h2>
            <ItemsTable rows={co} t={t} locale={locale} />
          </section>
          <section aria-labelledby="agency-services">
            <h2 id="agency-services">{t('agencyPage.services')}</h2>
            <ServicesTable services={services} t={t} locale={locale} showAgency={false} />
          </section>
          <RagLegend t={t} locale={locale} />
        </article>
      );
    });
    return c.render(body, { title, section: 'agencies' });
  });

  return app;
}
