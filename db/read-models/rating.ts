import { sql } from 'kysely';
import type { Db } from '../connect.ts';
import { overdueSql } from './items.ts';
import { monthsOfPeriod, rate, targets2030, type Rating } from '../../domain/feedback/index.ts';

export interface RatedRow {
  id: string | number;
  title_ru: string;
  title_en: string;
  votes: number;
  services: number;
  rating: Rating;
}

/**
 * The rating per direction (services and measures carry one) for a period: citizens' score from the
 * service tallies, principles from each service's latest check, measures from the open controlled items
 * (an item's own direction, else its service's).
 */
export async function ratingByDirection(db: Db, period: string, today: string): Promise<RatedRow[]> {
  const months = monthsOfPeriod(period);
  const [dirs, votes, totals, items, services] = await Promise.all([
    db.selectFrom('direction').selectAll().orderBy('sort').execute(),
    sql<{ d: string; votes: number; sum: number }>`select s.direction as d, sum(m.votes)::int as votes,
      sum(m.rating_sum)::int as sum from feedback_month m join service s on s.id = m.service_id
      where m.month in (${sql.join(months)}) and s.direction is not null group by 1`.execute(db),
    sql<{ d: string; total: number }>`select s.direction as d, r.total::float8 as total from service s
      join lateral (select total from principle_round where service_id = s.id order by held_on desc, id desc limit 1) r
        on true where s.direction is not null`.execute(db),
    sql<{ d: string; open: number; overdue: number }>`select coalesce(i.direction, s.direction) as d,
      count(*)::int as open,
      count(*) filter (where ${overdueSql(today)})::int as overdue
      from control_item i left join service s on s.id = i.service_id
      where i.status not in ('done','cancelled') and coalesce(i.direction, s.direction) is not null
      group by 1`.execute(db),
    sql<{ d: string; n: number }>`select direction as d, count(*)::int as n from service
      where direction is not null group by 1`.execute(db),
  ]);
  return dirs.map((d) => {
    const v = votes.rows.find((x) => x.d === d.code);
    const it = items.rows.find((x) => x.d === d.code);
    return {
      id: d.code,
      title_ru: d.title_ru,
      title_en: d.title_en,
      votes: v?.votes ?? 0,
      services: services.rows.find((x) => x.d === d.code)?.n ?? 0,
      rating: rate({
        votes: v?.votes ?? 0,
        ratingSum: v?.sum ?? 0,
        principleTotals: totals.rows.filter((x) => x.d === d.code).map((x) => x.total),
        openItems: it?.open ?? 0,
        overdueItems: it?.overdue ?? 0,
      }),
    };
  });
}

/** The rating per municipality: citizens' score from its reviews, measures its own agency owns. */
export async function ratingByMunicipality(db: Db, period: string, today: string): Promise<RatedRow[]> {
  const months = monthsOfPeriod(period);
  const [munis, votes, items] = await Promise.all([
    db
      .selectFrom('agency')
      .select(['id', 'title_ru', 'title_en', 'short_ru'])
      .where('kind', '=', 'municipality')
      .orderBy('title_ru')
      .execute(),
    sql<{ m: number; votes: number; sum: number }>`select municipality_id as m, sum(votes)::int as votes,
      sum(rating_sum)::int as sum from feedback_area_month where month in (${sql.join(months)}) group by 1`.execute(
      db,
    ),
    sql<{ a: number; open: number; overdue: number }>`select i.agency_id as a, count(*)::int as open,
      count(*) filter (where ${overdueSql(today)})::int as overdue
      from control_item i join agency a on a.id = i.agency_id and a.kind = 'municipality'
      where i.status not in ('done','cancelled') group by 1`.execute(db),
  ]);
  return munis.map((m) => {
    const v = votes.rows.find((x) => x.m === m.id);
    const it = items.rows.find((x) => x.a === m.id);
    return {
      id: m.id,
      title_ru: m.short_ru ?? m.title_ru,
      title_en: m.title_en,
      votes: v?.votes ?? 0,
      services: 0,
      rating: rate({
        votes: v?.votes ?? 0,
        ratingSum: v?.sum ?? 0,
        principleTotals: [],
        openItems: it?.open ?? 0,
        overdueItems: it?.overdue ?? 0,
      }),
    };
  });
}

export async function registerTargets(db: Db) {
  return targets2030(
    await db.selectFrom('service').select(['socially_significant', 'electronic', 'proactive']).execute(),
  );
}

export async function directions(db: Db) {
  return db.selectFrom('direction').selectAll().orderBy('sort').execute();
}
