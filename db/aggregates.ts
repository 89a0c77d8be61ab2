import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { burnUpDays, type BurnUpDay } from '../domain/burn-up.ts';
import type { ItemKind, ItemStatus } from '../domain/control-item/index.ts';
import { figuresByKey, LATE_CHASE_TYPES, type GroupFigures } from '../domain/group-figures.ts';
import { instantToLocalDate, type LocalDate } from '../domain/local-date.ts';
import { RAG_THRESHOLDS } from '../domain/rag.ts';
import type { Db } from './connect.ts';
import { AGGREGATES_LOCK, WORK_DAY_RANGE, workDayRows } from './migrations/0015-aggregates.ts';
import type { ReadContext } from './read-models/items.ts';

// The programme-wide figures kept by the database (migration 0015, docs/decisions.md §44): per agency and
// life situation, running totals that item writes keep current in their own transaction, and the burn-up
// as changes per day. A few of them count "as of today" (overdue, working days overdue, due soon): they are
// kept for one day, the anchor, and rebuilt — from the items, with the domain's functions — when the day
// changes, by whichever process notices first (startAggregatesKeeper). A read whose day, time zone,
// calendar or thresholds differ from the anchor's gets null and recomputes from the items instead.

export interface ProgrammeFigures {
  byAgency: Map<number, GroupFigures>;
  byLifeSituation: Map<number, GroupFigures>;
  /** Late chases and returns for rework, per agency of the item. */
  events: Map<number, { chases: number; rework: number }>;
}

let fingerprint: string | null = null;
/** The domain calendar's working days over the kept range: a rebuild follows any change to it. */
export function calendarFingerprint(): string {
  if (fingerprint === null) {
    const { ordinals } = workDayRows(...WORK_DAY_RANGE);
    fingerprint = createHash('sha256').update(Int32Array.from(ordinals)).digest('base64url').slice(0, 22);
  }
  return fingerprint;
}

interface AnchorRow {
  day: string;
  time_zone: string;
  calendar: string;
  soon_days: number;
}

const isCurrent = (a: AnchorRow | null | undefined, ctx: ReadContext) =>
  !!a &&
  a.day === ctx.today &&
  a.time_zone === ctx.timeZone &&
  a.soon_days === RAG_THRESHOLDS.amberDueWithinWorkingDays &&
  a.calendar === calendarFingerprint();

interface GroupRow {
  scope: 'a' | 'l';
  group_id: number;
  total: number;
  done: number;
  open: number;
  done_on_time: number;
  late_done: number;
  late_done_days: number;
  waiting: number;
  overdue: number;
  overdue_days: number;
  due_soon: number;
  m_total: number;
  m_done: number;
  m_open: number;
  m_overdue: number;
  m_done_on_time: number;
  min_waiting_due: string | null;
}

const fromRow = (r: GroupRow): GroupFigures => ({
  total: r.total,
  done: r.done,
  open: r.open,
  doneOnTime: r.done_on_time,
  overdue: r.overdue,
  lateDone: r.late_done,
  lateDoneDays: r.late_done_days,
  waiting: r.waiting,
  overdueDays: r.overdue_days,
  dueSoon: r.due_soon,
  minWaitingDue: r.min_waiting_due,
  measures: {
    total: r.m_total,
    done: r.m_done,
    open: r.m_open,
    doneOnTime: r.m_done_on_time,
    overdue: r.m_overdue,
  },
});

/**
 * The kept figures, read in one statement (one snapshot), when they are kept for `ctx`'s day; null when
 * they are not (not built yet, or the day has changed and the keeper has not caught up).
 */
export async function keptFigures(db: Db, ctx: ReadContext): Promise<ProgrammeFigures | null> {
  const { rows } = await sql<{ anchor: AnchorRow | null; groups: GroupRow[]; events: EventRow[] }>`
    select (select row_to_json(a) from agg_anchor a) as anchor,
      coalesce((select json_agg(g) from agg_group g), '[]') as groups,
      coalesce((select json_agg(e) from agg_agency_events e), '[]') as events`.execute(db);
  const r = rows[0]!;
  if (!isCurrent(r.anchor, ctx)) return null;
  const byAgency = new Map<number, GroupFigures>();
  const byLifeSituation = new Map<number, GroupFigures>();
  for (const g of r.groups) (g.scope === 'a' ? byAgency : byLifeSituation).set(g.group_id, fromRow(g));
  return { byAgency, byLifeSituation, events: eventMap(r.events) };
}

interface EventRow {
  agency_id: number;
  chases: number;
  rework: number;
}
const eventMap = (rows: EventRow[]) =>
  new Map(rows.map((e) => [e.agency_id, { chases: e.chases, rework: e.rework }]));

/** The burn-up's days as kept (null when nothing is kept for this time zone yet). */
export async function keptBurnUpDays(db: Db, ctx: ReadContext): Promise<BurnUpDay[] | null> {
  const { rows } = await sql<{
    anchor: AnchorRow | null;
    days: (Omit<BurnUpDay, 'day'> & { day: string })[];
  }>`
    select (select row_to_json(a) from agg_anchor a) as anchor,
      coalesce((select json_agg(b) from agg_burnup b), '[]') as days`.execute(db);
  const r = rows[0]!;
  // The burn-up does not depend on the day, only on the region's calendar dates of timestamps.
  if (!r.anchor || r.anchor.time_zone !== ctx.timeZone) return null;
  return r.days;
}

/** What the figures read of every item (cancelled ones included: the burn-up needs them). */
export async function itemFigureRows(db: Db, timeZone: string) {
  const local = (col: 'i.created_at' | 'i.accepted_at' | 'i.closed_at') =>
    sql<string | null>`(${sql.ref(col)} at time zone ${timeZone})::date::text`;
  const rows = await db
    .selectFrom('control_item as i')
    .select([
      'i.agency_id',
      'i.life_situation_id',
      'i.kind',
      'i.status',
      'i.current_due',
      'i.original_due',
      local('i.created_at').as('created'),
      local('i.accepted_at').as('accepted_at_local'),
      local('i.closed_at').as('closed'),
    ])
    .execute();
  return rows.map((r) => ({
    agencyId: r.agency_id,
    lifeSituationId: r.life_situation_id,
    kind: r.kind as ItemKind,
    status: r.status as ItemStatus,
    currentDue: r.current_due,
    originalDue: r.original_due,
    accepted: r.status === 'done' ? r.accepted_at_local : null,
    created: r.created!,
    closed: r.closed,
  }));
}
type ItemFigureRow = Awaited<ReturnType<typeof itemFigureRows>>[number];

/** Late chases and returns per agency of the item, counted from the audit trail. */
export async function eventCountsByAgency(db: Db) {
  const rows = await db
    .selectFrom('event as e')
    .innerJoin('control_item as i', 'i.id', 'e.control_item_id')
    .select([
      'i.agency_id',
      sql<number>`count(*) filter (where e.type <> 'returned')::int`.as('chases'),
      sql<number>`count(*) filter (where e.type = 'returned')::int`.as('rework'),
    ])
    .where('e.type', 'in', [...LATE_CHASE_TYPES, 'returned'])
    .groupBy('i.agency_id')
    .execute();
  return eventMap(rows);
}

/** Every figure recomputed from the items with the domain's functions: the fallback and the oracle. */
export async function recomputeFigures(db: Db, ctx: ReadContext): Promise<ProgrammeFigures> {
  const [items, events] = await Promise.all([itemFigureRows(db, ctx.timeZone), eventCountsByAgency(db)]);
  return figuresOfRows(items, events, ctx.today);
}

function figuresOfRows(
  items: ItemFigureRow[],
  events: ProgrammeFigures['events'],
  today: LocalDate,
): ProgrammeFigures {
  return {
    byAgency: figuresByKey(items, (i) => i.agencyId, today),
    byLifeSituation: figuresByKey(items, (i) => i.lifeSituationId, today),
    events,
  };
}

/** The roadmap measures' burn-up days, recomputed from the items (domain/burn-up.ts). */
export function burnUpDaysOf(items: readonly ItemFigureRow[]): BurnUpDay[] {
  const byDay = new Map<string, BurnUpDay>();
  for (const i of items) {
    if (i.kind !== 'measure') continue;
    const days = burnUpDays({
      created: i.created,
      plannedDue: i.originalDue,
      done: i.status === 'done' ? (i.accepted ?? i.closed) : null,
      cancelled: i.status === 'cancelled' ? (i.closed ?? i.created) : null,
    });
    for (const d of days) {
      const sum = byDay.get(d.day);
      if (!sum) byDay.set(d.day, { ...d });
      else for (const k of ['scope', 'planned', 'done', 'firsts', 'lasts'] as const) sum[k] += d[k];
    }
  }
  return [...byDay.values()];
}

/**
 * Rebuilds every kept figure from the items as of `ctx.today` (and the working-day table from the domain
 * calendar when it changed or does not cover the data). Exclusive with item writers: writers that come
 * while it runs wait for it, and it counts every change committed before it. Skipped when the figures are
 * current already (another process was first) unless `force`.
 */
export async function rebuildAggregates(
  db: Db,
  ctx: ReadContext,
  o: { force?: boolean; lockWaitMs?: number } = {},
): Promise<{ rebuilt: boolean; items: number; ms: number }> {
  const t0 = performance.now();
  return db.transaction().execute(async (trx) => {
    await takeRebuildLock(trx, o.lockWaitMs ?? 60_000);
    const anchor = await trx.selectFrom('agg_anchor').selectAll().executeTakeFirst();
    if (!o.force && isCurrent(anchor, ctx)) return { rebuilt: false, items: 0, ms: performance.now() - t0 };

    const [items, events] = await Promise.all([itemFigureRows(trx, ctx.timeZone), eventCountsByAgency(trx)]);
    await ensureWorkDays(trx, anchor?.calendar, items, ctx.today);
    const figures = figuresOfRows(items, events, ctx.today);
    await sql`delete from agg_group`.execute(trx);
    await sql`delete from agg_agency_events`.execute(trx);
    await sql`delete from agg_burnup`.execute(trx);
    const groups = [
      ...[...figures.byAgency].map(([id, g]) => toRow('a', id, g)),
      ...[...figures.byLifeSituation].map(([id, g]) => toRow('l', id, g)),
    ];
    for (let i = 0; i < groups.length; i += 1000)
      await trx
        .insertInto('agg_group')
        .values(groups.slice(i, i + 1000))
        .execute();
    const ev = [...figures.events].map(([agency_id, e]) => ({ agency_id, ...e }));
    if (ev.length) await trx.insertInto('agg_agency_events').values(ev).execute();
    const days = burnUpDaysOf(items).filter((d) => d.scope || d.planned || d.done || d.firsts || d.lasts);
    for (let i = 0; i < days.length; i += 1000)
      await trx
        .insertInto('agg_burnup')
        .values(days.slice(i, i + 1000))
        .execute();
    const kept = {
      day: ctx.today,
      day_ordinal: sql<number>`work_ordinal(${ctx.today}::date)`,
      soon_days: RAG_THRESHOLDS.amberDueWithinWorkingDays,
      time_zone: ctx.timeZone,
      calendar: calendarFingerprint(),
      rebuilt_at: sql<Date>`now()`,
    };
    await trx
      .insertInto('agg_anchor')
      .values({ id: 1, ...kept })
      .onConflict((oc) => oc.column('id').doUpdateSet(kept))
      .execute();
    return { rebuilt: true, items: items.length, ms: performance.now() - t0 };
  });
}

function toRow(scope: 'a' | 'l', group_id: number, g: GroupFigures) {
  return {
    scope,
    group_id,
    total: g.total,
    done: g.done,
    open: g.open,
    done_on_time: g.doneOnTime,
    late_done: g.lateDone,
    late_done_days: g.lateDoneDays,
    waiting: g.waiting,
    overdue: g.overdue,
    overdue_days: g.overdueDays,
    due_soon: g.dueSoon,
    m_total: g.measures.total,
    m_done: g.measures.done,
    m_open: g.measures.open,
    m_overdue: g.measures.overdue,
    m_done_on_time: g.measures.doneOnTime,
    min_waiting_due: g.minWaitingDue,
  };
}

/** The working-day table as the domain calendar has it, covering every date the items carry. */
async function ensureWorkDays(
  trx: Db,
  calendar: string | undefined,
  items: readonly ItemFigureRow[],
  today: LocalDate,
) {
  let [from, to]: string[] = [...WORK_DAY_RANGE];
  for (const i of items)
    for (const d of [i.currentDue, i.originalDue, i.created, i.accepted, i.closed, today]) {
      if (d === null) continue;
      if (d < from!) from = d;
      if (d > to!) to = d;
    }
  const have = await sql<{ lo: string | null; hi: string | null }>`
    select min(day)::text as lo, max(day)::text as hi from work_day`.execute(trx);
  const { lo, hi } = have.rows[0]!;
  if (calendar === calendarFingerprint() && lo !== null && lo <= from! && hi !== null && hi >= to!) return;
  const { days, ordinals } = workDayRows(from!, to!);
  await sql`delete from work_day`.execute(trx);
  await sql`insert into work_day (day, ordinal)
    select * from unnest(${days}::date[], ${ordinals}::int[])`.execute(trx);
}

/**
 * The aggregates lock, exclusively, without ever queueing for it. Writers take it shared at their first
 * staged change — after their row's lock (an AFTER trigger). A queued exclusive request makes every later
 * shared request wait behind it; a writer that waits so while holding an item row that an earlier writer
 * (holding the lock shared, which the rebuild waits for) needs closes a cycle, which Postgres's deadlock
 * check breaks only after deadlock_timeout (1 s) by letting the writer jump the queue: a second's stall of
 * writes at every rebuild under load. So it tries, and tries again in the gaps between the writers'
 * transactions; the keeper tries again a minute later if writes never pause for `waitMs`.
 */
async function takeRebuildLock(trx: Db, waitMs: number) {
  const until = Date.now() + waitMs;
  for (;;) {
    const { rows } = await sql<{ ok: boolean }>`
      select pg_try_advisory_xact_lock(${AGGREGATES_LOCK}) as ok`.execute(trx);
    if (rows[0]!.ok) return;
    if (Date.now() > until)
      throw new Error(
        `item writes did not pause for ${waitMs} ms: the figures' rebuild waits for the next try`,
      );
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Keeps the figures current in a running process: rebuilds them at start when they are not kept for
 * today, just after every midnight of the region, and whenever a check (every minute) finds them stale.
 * Every web and worker process runs one; the first to see a new day rebuilds, the others find it done.
 */
export function startAggregatesKeeper(o: {
  db: Db;
  log: Logger;
  timeZone: string;
  utcOffsetMinutes: number;
  checkEveryMs?: number;
}) {
  const ctx = (): ReadContext => ({
    today: instantToLocalDate(Date.now(), o.utcOffsetMinutes),
    timeZone: o.timeZone,
  });
  let running: Promise<void> | null = null;
  let stopped = false;
  const runOnce = () =>
    (running ??= (async () => {
      try {
        const anchor = await o.db.selectFrom('agg_anchor').selectAll().executeTakeFirst();
        if (isCurrent(anchor, ctx())) return;
        const r = await rebuildAggregates(o.db, ctx());
        if (r.rebuilt) o.log.info({ items: r.items, ms: Math.round(r.ms) }, 'programme figures rebuilt');
      } catch (e) {
        if (!stopped) o.log.warn({ err: e }, 'rebuilding the programme figures failed; pages recompute them');
      } finally {
        running = null;
      }
    })());
  const interval = setInterval(() => void runOnce(), o.checkEveryMs ?? 60_000);
  interval.unref();
  let midnight: NodeJS.Timeout | null = null;
  const atMidnight = () => {
    const day = 86_400_000;
    const local = Date.now() + o.utcOffsetMinutes * 60_000;
    // One second into the new day, so the clock has certainly moved on.
    midnight = setTimeout(
      () => {
        void runOnce();
        atMidnight();
      },
      day - (local % day) + 1_000,
    );
    midnight.unref();
  };
  atMidnight();
  const first = runOnce();
  return {
    /** The rebuild at start (resolves when it is done or was not needed). */
    ready: first,
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(interval);
      if (midnight) clearTimeout(midnight);
      await running;
    },
  };
}
