import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import {
  asWorkingCalendar,
  BUILT_IN_CALENDAR,
  calendarFrom,
  calendarYearProblems,
  installCalendar,
  installedCalendar,
  normalizeCalendarYear,
  type CalendarYearInput,
  type WorkingCalendar,
} from '../../domain/calendar/index.ts';
import { notFound } from '../../domain/errors.ts';
import type { Actor } from '../../domain/roles.ts';
import { audit, requireAdmin, type Outcome, type Trx } from '../reference/shared.ts';

// The working-day calendar as the database keeps it: the years the admin entered (calendar_year) under
// one version number (setting `calendar.version`). Every process installs the current version into
// domain/calendar (at start, every CALENDAR_REFRESH_MS, at once after its own change); every open item's
// workflow is told by the rollout (rollout.ts). docs/decisions.md §41.

const VERSION_KEY = 'calendar.version';
type Q = Db | Trx;

export async function calendarVersion(q: Q): Promise<number> {
  const r = await q.selectFrom('setting').select('value').where('key', '=', VERSION_KEY).executeTakeFirst();
  return typeof r?.value === 'number' ? r.value : 0;
}

/** The entered years and their version, as stored. */
export async function loadCalendar(q: Q): Promise<WorkingCalendar> {
  const [version, rows] = await Promise.all([
    calendarVersion(q),
    q.selectFrom('calendar_year').select(['year', 'days_off', 'working_weekends']).orderBy('year').execute(),
  ]);
  return {
    version,
    years: Object.fromEntries(
      rows.map((r) => [String(r.year), { daysOff: r.days_off, workingWeekends: r.working_weekends }]),
    ),
  };
}

/** Installs the stored calendar in this process when its version differs from the installed one. */
export async function refreshCalendar(q: Q): Promise<WorkingCalendar> {
  const version = await calendarVersion(q);
  if (version !== installedCalendar().version) installCalendar(await loadCalendar(q));
  return installedCalendar();
}

/** The calendar a new item workflow starts with: the current one, from last year on. */
export async function workflowCalendar(q: Q, now = Date.now()): Promise<WorkingCalendar> {
  return calendarFrom(await refreshCalendar(q), new Date(now).getUTCFullYear());
}

export const CALENDAR_REFRESH_MS = 15_000;

/**
 * Keeps this process's calendar in step with the database (web and worker processes): a change made by
 * another process is in force here within `everyMs`. Returns a stop function.
 */
export function startCalendarRefresh(
  db: Db,
  o: { everyMs?: number; onError?: (e: unknown) => void } = {},
): () => void {
  let stopped = false;
  const tick = () =>
    refreshCalendar(db).catch((e) => {
      if (!stopped) o.onError?.(e);
    });
  void tick();
  const timer = setInterval(tick, o.everyMs ?? CALENDAR_REFRESH_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

async function bumpVersion(trx: Trx): Promise<number> {
  await sql`select pg_advisory_xact_lock(hashtext('shtab.calendar'))`.execute(trx);
  const next = (await calendarVersion(trx)) + 1;
  await trx
    .insertInto('setting')
    .values({ key: VERSION_KEY, value: JSON.stringify(next) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_at: sql`now()` }))
    .execute();
  return next;
}

export interface CalendarChange {
  version: number;
  calendar: WorkingCalendar;
}

/**
 * Saves a year as the admin entered it (checked whole; weekend days off dropped) under a new calendar
 * version, audited with the year before and after; installs it in this process. The caller rolls it out
 * to the open items' workflows (app/calendar rolloutCalendar).
 */
export async function saveCalendarYear(
  db: Db,
  actor: Actor,
  input: CalendarYearInput,
): Promise<Outcome<CalendarChange>> {
  requireAdmin(actor);
  const problems = calendarYearProblems(input);
  if (problems.length) return { ok: false, problems };
  const y = normalizeCalendarYear(input);
  const version = await db.transaction().execute(async (trx) => {
    const v = await bumpVersion(trx);
    const before = await trx
      .selectFrom('calendar_year')
      .selectAll()
      .where('year', '=', y.year)
      .executeTakeFirst();
    const values = {
      days_off: y.daysOff,
      working_weekends: y.workingWeekends,
      source: y.source,
      version: v,
      updated_by: actor.userId || null,
      updated_at: sql<Date>`now()`,
    };
    await trx
      .insertInto('calendar_year')
      .values({ year: y.year, ...values })
      .onConflict((oc) => oc.column('year').doUpdateSet(values))
      .execute();
    await audit(
      trx,
      actor,
      'calendar.year.saved',
      { kind: 'calendar', id: y.year, label: String(y.year) },
      {
        before: before
          ? { daysOff: before.days_off, workingWeekends: before.working_weekends, source: before.source }
          : null,
        after: { daysOff: y.daysOff, workingWeekends: y.workingWeekends, source: y.source },
        data: { version: v },
      },
    );
    return v;
  });
  const calendar = await refreshCalendar(db);
  return { ok: true, version, calendar };
}

/** Drops an entered year: the built-in table (or the rule-based fallback) applies again. */
export async function removeCalendarYear(db: Db, actor: Actor, year: number): Promise<CalendarChange> {
  requireAdmin(actor);
  const version = await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('calendar_year')
      .selectAll()
      .where('year', '=', year)
      .executeTakeFirst();
    if (!before) throw notFound('error.calendar.notFound', `no entered year ${year}`);
    const v = await bumpVersion(trx);
    await trx.deleteFrom('calendar_year').where('year', '=', year).execute();
    await audit(
      trx,
      actor,
      'calendar.year.removed',
      { kind: 'calendar', id: year, label: String(year) },
      {
        before: { daysOff: before.days_off, workingWeekends: before.working_weekends, source: before.source },
        data: { version: v },
      },
    );
    return v;
  });
  return { version, calendar: await refreshCalendar(db) };
}

export { asWorkingCalendar, BUILT_IN_CALENDAR };
