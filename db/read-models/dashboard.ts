import { sql } from 'kysely';
import type { Db } from '../connect.ts';
import { overdueSql, type ReadContext } from './items.ts';

export interface ProgressCounts {
  total: number;
  done: number;
  inProgress: number;
  overdue: number;
  /** Done items accepted by their current deadline ÷ done items (null when nothing is done yet). */
  onTimeRate: number | null;
}

/** Accepted on or before the deadline, by the region's calendar. */
const onTimeSql = (timeZone: string) =>
  sql<boolean>`(i.status = 'done' and (i.accepted_at at time zone ${timeZone})::date <= i.current_due)`;

const countsSelect = ({ today, timeZone }: ReadContext) =>
  [
    sql<number>`count(i.id)::int`.as('total'),
    sql<number>`count(i.id) filter (where i.status = 'done')::int`.as('done'),
    sql<number>`count(i.id) filter (where i.status not in ('done','cancelled'))::int`.as('open'),
    sql<number>`count(i.id) filter (where ${overdueSql(today)})::int`.as('overdue'),
    sql<number>`count(i.id) filter (where ${onTimeSql(timeZone)})::int`.as('done_on_time'),
  ] as const;

function toCounts(r: {
  total: number;
  done: number;
  open: number;
  overdue: number;
  done_on_time: number;
}): ProgressCounts {
  return {
    total: r.total,
    done: r.done,
    inProgress: r.open - r.overdue,
    overdue: r.overdue,
    onTimeRate: r.done > 0 ? r.done_on_time / r.done : null,
  };
}

/** Programme-wide progress of roadmap measures (cancelled ones excluded). */
export async function programmeProgress(db: Db, ctx: ReadContext): Promise<ProgressCounts> {
  const r = await db
    .selectFrom('control_item as i')
    .select(countsSelect(ctx))
    .where('i.kind', '=', 'measure')
    .where('i.status', '!=', 'cancelled')
    .executeTakeFirstOrThrow();
  return toCounts(r);
}

export async function progressByLifeSituation(db: Db, ctx: ReadContext) {
  const rows = await db
    .selectFrom('life_situation as ls')
    .leftJoin('control_item as i', (j) =>
      j
        .onRef('i.life_situation_id', '=', 'ls.id')
        .on('i.kind', '=', 'measure')
        .on('i.status', '!=', 'cancelled'),
    )
    .select(['ls.id', 'ls.code', 'ls.title_ru', 'ls.title_en', 'ls.level', 'ls.sort'])
    .select(countsSelect(ctx))
    .groupBy(['ls.id', 'ls.code', 'ls.title_ru', 'ls.title_en', 'ls.level', 'ls.sort'])
    .orderBy('ls.sort')
    .orderBy('ls.id')
    .execute();
  return rows.map((r) => ({ ...r, counts: toCounts(r) }));
}
