import { sql } from 'kysely';
import type { Db } from '../connect.ts';
import { addWorkingDays, countWorkingDays } from '../../domain/calendar/index.ts';
import { weeklyBurnUpFromDays, type BurnUpWeek } from '../../domain/burn-up.ts';
import { measuresProgress, type ProgressCounts } from '../../domain/group-figures.ts';
import { overdueWorkingDays } from '../../domain/rag.ts';
import { burnUpDaysOf, itemFigureRows, keptBurnUpDays, type ProgrammeFigures } from '../aggregates.ts';
import { programmeFigures } from './agencies.ts';
import { AGENCY_AND_ROADMAP_OF_ITEM, overdueSql, type ReadContext } from './items.ts';

export type { ProgressCounts };

/** Accepted on or before the deadline, by the region's calendar. */
export const onTimeSql = (timeZone: string) =>
  sql<boolean>`(i.status = 'done' and (i.accepted_at at time zone ${timeZone})::date <= i.current_due)`;

export const countsSelect = ({ today, timeZone }: ReadContext) =>
  [
    sql<number>`count(i.id)::int`.as('total'),
    sql<number>`count(i.id) filter (where i.status = 'done')::int`.as('done'),
    sql<number>`count(i.id) filter (where i.status not in ('done','cancelled'))::int`.as('open'),
    sql<number>`count(i.id) filter (where ${overdueSql(today)})::int`.as('overdue'),
    sql<number>`count(i.id) filter (where ${onTimeSql(timeZone)})::int`.as('done_on_time'),
  ] as const;

export function toCounts(r: {
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
export async function programmeProgress(
  db: Db,
  ctx: ReadContext,
  figures?: Promise<ProgrammeFigures>,
): Promise<ProgressCounts> {
  return measuresProgress((await (figures ?? programmeFigures(db, ctx))).byAgency.values());
}

/** Progress per life situation: roadmap measures, or with `allKinds` every controlled item linked to it. */
export async function progressByLifeSituation(db: Db, ctx: ReadContext, o: { allKinds?: boolean } = {}) {
  const rows = await db
    .selectFrom('life_situation as ls')
    .leftJoin('control_item as i', (j) => {
      const on = j.onRef('i.life_situation_id', '=', 'ls.id').on('i.status', '!=', 'cancelled');
      return o.allKinds ? on : on.on('i.kind', '=', 'measure');
    })
    .select(['ls.id', 'ls.code', 'ls.title_ru', 'ls.title_en', 'ls.level', 'ls.sort'])
    .select(countsSelect(ctx))
    .groupBy(['ls.id', 'ls.code', 'ls.title_ru', 'ls.title_en', 'ls.level', 'ls.sort'])
    .orderBy('ls.sort')
    .orderBy('ls.id')
    .execute();
  return rows.map((r) => ({ ...r, counts: toCounts(r) }));
}

/**
 * Controlled items of every kind past their deadline, most overdue first (the leadership red list): the
 * first `limit` rows and how many there are in all (from the programme's figures when given). The rows are
 * a range of the index of waiting items by deadline (migration 0015), not a scan of every overdue item.
 */
export async function redList(db: Db, ctx: ReadContext, limit = 10_000, figures?: Promise<ProgrammeFigures>) {
  const count = async () => {
    if (figures) {
      let n = 0;
      for (const g of (await figures).byAgency.values()) n += g.overdue;
      return n;
    }
    const r = await db
      .selectFrom('control_item as i')
      .select(sql<number>`count(*)::int`.as('n'))
      .where(overdueSql(ctx.today))
      .executeTakeFirstOrThrow();
    return r.n;
  };
  const page = db
    .selectFrom('control_item as i')
    .innerJoin('agency as a', 'a.id', 'i.agency_id')
    .leftJoin('roadmap as rm', 'rm.id', 'i.roadmap_id')
    .select([
      'i.id',
      'i.kind',
      'i.number',
      'i.title_ru',
      'i.title_en',
      'i.status',
      'i.current_due',
      'i.escalation_level',
      ...AGENCY_AND_ROADMAP_OF_ITEM,
    ])
    .where(overdueSql(ctx.today))
    .orderBy('i.current_due')
    .orderBy('i.id')
    .limit(limit)
    .execute();
  const [total, rows] = await Promise.all([count(), page]);
  return {
    total,
    rows: rows.map((r) => ({
      ...r,
      workingDaysOverdue: overdueWorkingDays({ status: r.status, currentDue: r.current_due }, ctx.today),
    })),
  };
}

/**
 * Open items (any kind) whose current deadline falls within the next `workingDays` working days, today
 * included, soonest first (the first `limit` and the total). Two weeks = 10 working days by the
 * production calendar.
 */
export async function upcomingDeadlines(db: Db, ctx: ReadContext, workingDays = 10, limit = 10_000) {
  const until = addWorkingDays(ctx.today, workingDays);
  const open = db
    .selectFrom('control_item as i')
    .where('i.status', 'not in', ['done', 'cancelled'])
    .where('i.current_due', '>=', ctx.today)
    .where('i.current_due', '<=', until);
  const page = open
    .innerJoin('agency as a', 'a.id', 'i.agency_id')
    .leftJoin('roadmap as rm', 'rm.id', 'i.roadmap_id')
    .select([
      'i.id',
      'i.kind',
      'i.number',
      'i.title_ru',
      'i.title_en',
      'i.status',
      'i.current_due',
      ...AGENCY_AND_ROADMAP_OF_ITEM,
    ])
    .orderBy('i.current_due')
    .orderBy('i.id')
    .limit(limit)
    .execute();
  const [total, rows] = await Promise.all([
    open.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    page,
  ]);
  return {
    until,
    total: total.n,
    rows: rows.map((r) => ({
      ...r,
      workingDaysLeft: countWorkingDays(ctx.today, r.current_due),
    })),
  };
}

/** Weekly burn-up of the roadmap's measures (see domain/burn-up.ts), from the kept days or the items. */
export async function roadmapBurnUp(db: Db, ctx: ReadContext): Promise<BurnUpWeek[]> {
  const days = (await keptBurnUpDays(db, ctx)) ?? burnUpDaysOf(await itemFigureRows(db, ctx.timeZone));
  return weeklyBurnUpFromDays(days, ctx.today);
}
