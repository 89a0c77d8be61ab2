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
import type { Locale, Translate } from '../i18n/index.ts';
import { formatNumber, formatPercent } from '../views/format.ts';
import { wantsFragment } from '../views/fragment.ts';
import {
  agencyShort,
  dueColumn,
  lifeSituationColumn,
  numberColumn,
  roadmapColumn,
  statusColumn,
  titleColumn,
} from '../views/item-columns.tsx';
import { DataTable, type Column } from '../views/table.tsx';
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
  const col = (key: LeagueSort, label: string, cell: Column<AgencyStats>['cell'], cls = 'num') => ({
    label,
    class: cls,
    sort: key,
    firstDir: FIRST_DIR[key],
    cell,
  });
  return (
    <DataTable
      rows={rows}
      class="league"
      empty={<p>{t('items.empty')}</p>}
      caption={t('league.caption', { sort: t(`league.sort.${sort}`), dir: t(`league.dir.${dir}`) })}
      hideCaption
      sorting={{
        current: { key: sort, dir },
        href: (s) => leagueUrl(s.key as LeagueSort, s.dir),
        target: LEAGUE,
      }}
      columns={[
        col('rank', t('league.rank'), (a, i) =>
          sort === 'rank' && dir === 'asc' && a.counts.total === 0 ? '—' : i + 1,
        ),
        {
          ...col(
            'name',
            t('agencyPage.name'),
            (a) => <a href={`/agencies/${a.id}`}>{agencyShort(locale, a)}</a>,
            '',
          ),
          rowHeader: true,
          wide: true,
        },
        { label: t('dash.rag.column'), cell: (a) => <RagBadge result={a.rag} t={t} /> },
        col('items', t('league.items'), (a) => a.counts.total),
        { label: t('dashboard.done'), class: 'num', cell: (a) => a.counts.done },
        col('onTime', t('dashboard.onTimeRate'), (a) => formatPercent(a.counts.onTimeRate, locale)),
        col('overdue', t('dashboard.overdue'), (a) =>
          a.counts.overdue > 0 ? <a href={`/items?agency=${a.id}&status=overdue`}>{a.counts.overdue}</a> : 0,
        ),
        col('delay', t('league.avgDelay'), (a) => formatNumber(a.avgDelayWorkingDays, locale)),
        col('chases', t('league.chases'), (a) => a.chases),
        col('rework', t('league.rework'), (a) => a.reworkRounds),
      ]}
    />
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
  const cx = { t, locale };
  return (
    <DataTable
      rows={rows}
      empty={<p class="muted">{t('items.empty')}</p>}
      rowClass={(r) => (r.overdue ? 'overdue' : undefined)}
      columns={[
        numberColumn(cx),
        titleColumn(cx),
        roadmapColumn(cx),
        lifeSituationColumn(cx),
        dueColumn(cx),
        statusColumn(cx),
      ]}
    />
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
