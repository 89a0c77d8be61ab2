import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from '../../domain/calendar/index.ts';
import type { DigestSnapshot } from '../../domain/check-in/index.ts';
import {
  addDays,
  instantToLocalDate,
  isoWeekday,
  localTimeToInstant,
  type LocalDate,
} from '../../domain/local-date.ts';

let seq = 0;

export async function insertRoadmap(db: Db, code = `RM${process.pid}-${++seq}`) {
  return db
    .insertInto('roadmap')
    .values({ code, title_ru: `Дорожная карта ${code}`, title_en: `Roadmap ${code}` })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertLifeSituation(db: Db, code: string) {
  const ls = await db
    .insertInto('life_situation')
    .values({ code, title_ru: `Ситуация ${code}`, title_en: `Situation ${code}`, level: 'regional' })
    .returningAll()
    .executeTakeFirstOrThrow();
  const ind = await db
    .insertInto('indicator')
    .values({
      life_situation_id: ls.id,
      code: 'TERM_DAYS',
      title_ru: 'Срок',
      title_en: 'Term',
      unit: 'дн.',
      higher_is_better: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('indicator_value')
    .values(
      ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1'].map((period, i) => ({
        indicator_id: ind.id,
        period,
        plan: 30 - i * 3,
        actual: 31 - i * 2,
      })),
    )
    .execute();
  return ls;
}

/** Local wall-clock time in the region as an instant (ms). */
export const localAt = (d: LocalDate, hhmm: string, utcOffsetMinutes: number) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return localTimeToInstant(d, h * 60 + m, utcOffsetMinutes);
};

/**
 * The first meeting weekday on or after `from` whose week, the `weeks - 1` following weeks and the
 * `weeksBefore` preceding ones are Monday–Friday working weeks: tests then do not depend on which holidays
 * lie around the real date (items overdue since before the first meeting count working days back there).
 */
export function cleanMeetingDate(
  from: LocalDate,
  weekday: number,
  weeks: number,
  weeksBefore = 0,
): LocalDate {
  let d = from;
  while (isoWeekday(d) !== weekday) d = addDays(d, 1);
  for (;;) {
    const monday = addDays(d, 1 - weekday - 7 * weeksBefore);
    const ok = Array.from({ length: (weeks + weeksBefore) * 7 }, (_, i) => addDays(monday, i)).every(
      (x) => isoWeekday(x) >= 6 || isWorkingDay(x),
    );
    if (ok) return d;
    d = addDays(d, 7);
  }
}

/**
 * The digest's numbers recomputed with plain SQL over the same tables, independent of the read models and
 * of assembleDigest: the time-skipping test compares them field by field.
 */
export async function digestBySql(
  db: Db,
  d: DigestSnapshot,
  o: { utcOffsetMinutes: number; atRiskWorkingDays: number; upcomingDays: number },
) {
  const today = d.today;
  const since = new Date(d.since);
  const until = new Date(d.generatedAt);
  const sinceDate = instantToLocalDate(since.getTime(), o.utcOffsetMinutes);
  const rm = d.roadmapId;
  const waiting = sql.raw(`status in ('assigned','in_progress','returned')`);
  const totals = (
    await sql<{
      total: number;
      done: number;
      open: number;
      overdue: number;
      at_risk: number;
      submitted: number;
    }>`
      select count(*) filter (where status <> 'cancelled')::int as total,
             count(*) filter (where status = 'done')::int as done,
             count(*) filter (where status not in ('done','cancelled'))::int as open,
             count(*) filter (where ${waiting} and current_due < ${today}::date)::int as overdue,
             count(*) filter (where ${waiting} and current_due between ${today}::date and ${addWorkingDays(today, o.atRiskWorkingDays)}::date)::int as at_risk,
             count(*) filter (where status = 'submitted')::int as submitted
      from control_item where roadmap_id = ${rm}`.execute(db)
  ).rows[0]!;
  const red = (
    await sql<{ id: number; level: number; due: string }>`
      select id, escalation_level as level, current_due::text as due
      from control_item where roadmap_id = ${rm} and ${waiting} and current_due < ${today}::date
      order by escalation_level desc, current_due asc, id`.execute(db)
  ).rows.map((r) => ({
    ...r,
    // Working days past the control date, at least 1 (lateness.ts), counted by the calendar's day-by-day
    // walk rather than the ordinal table the digest's function uses.
    days: Math.max(1, workingDaysBetween(r.due, today)),
  }));
  const newly = (
    await sql<{ id: number }>`
      select id from control_item where roadmap_id = ${rm} and ${waiting}
        and current_due < ${today}::date and current_due >= ${sinceDate}::date order by current_due, id`.execute(
      db,
    )
  ).rows.map((r) => r.id);
  const eventIds = async (type: string, extra = sql``) =>
    (
      await sql<{ id: number }>`
        select e.control_item_id as id from event e join control_item i on i.id = e.control_item_id
        where i.roadmap_id = ${rm} and e.type = ${type} and e.at > ${since} and e.at <= ${until} ${extra}
        order by e.at, e.id`.execute(db)
    ).rows.map((r) => r.id);
  const closed = [...new Set(await eventIds('accepted', sql`and i.status = 'done'`))];
  const extensions = await eventIds('extension_approved');
  const rework = await eventIds('returned');
  const upcoming = (
    await sql<{ id: number }>`
      select id from control_item where roadmap_id = ${rm} and status not in ('done','cancelled')
        and current_due between ${today}::date and ${addDays(today, o.upcomingDays)}::date order by current_due, id`.execute(
      db,
    )
  ).rows.map((r) => r.id);
  const league = (
    await sql<{
      agency_id: number;
      total: number;
      done: number;
      done_on_time: number;
      open: number;
      overdue: number;
      requested: number;
      given: number;
    }>`
      select i.agency_id,
             count(*)::int as total,
             count(*) filter (where i.status = 'done')::int as done,
             count(*) filter (where i.status = 'done'
               and (i.accepted_at at time zone ${`UTC${o.utcOffsetMinutes > 0 ? '-' : '+'}${Math.abs(o.utcOffsetMinutes / 60)}`})::date <= i.current_due)::int as done_on_time,
             count(*) filter (where i.status <> 'done')::int as open,
             count(*) filter (where i.${waiting} and i.current_due < ${today}::date)::int as overdue,
             coalesce((select cardinality(r.item_ids) from status_request r
                        where r.check_in_id = ${d.checkInId} and r.agency_id = i.agency_id), 0)::int as requested,
             (select count(*) from status_note n join status_request r
                on r.check_in_id = n.check_in_id and n.control_item_id = any(r.item_ids)
              where n.check_in_id = ${d.checkInId} and r.agency_id = i.agency_id)::int as given
      from control_item i where i.roadmap_id = ${rm} and i.status <> 'cancelled'
      group by i.agency_id order by i.agency_id`.execute(db)
  ).rows;
  const lifeSituations = (
    await sql<{ id: number; total: number; done: number; overdue: number }>`
      select ls.id, count(i.id)::int as total, count(i.id) filter (where i.status = 'done')::int as done,
             count(i.id) filter (where i.${waiting} and i.current_due < ${today}::date)::int as overdue
      from life_situation ls join control_item i on i.life_situation_id = ls.id
        and i.kind = 'measure' and i.status <> 'cancelled'
      group by ls.id order by ls.id`.execute(db)
  ).rows;
  const notes = (
    await sql<{
      n: number;
    }>`select count(*)::int as n from status_note where check_in_id = ${d.checkInId}`.execute(db)
  ).rows[0]!.n;
  const instructions = (
    await sql<{ id: number; status: string; special: boolean; check_in_id: number }>`
      select i.id, i.status, d.special_control as special, d.check_in_id
      from check_in_decision d join control_item i on i.id = d.control_item_id
      where d.check_in_id = ${d.previousCheckInId ?? -1}
         or (d.special_control and (i.status not in ('done','cancelled') or i.closed_at > ${since}))
      order by (d.check_in_id = ${d.previousCheckInId ?? -1}) desc, i.current_due, i.id`.execute(db)
  ).rows;
  const kpiPoints = (
    await sql<{ n: number }>`
      select coalesce(sum(least(c, 4)), 0)::int as n from
        (select count(*) as c from indicator_value group by indicator_id) x`.execute(db)
  ).rows[0]!.n;
  return {
    totals: {
      total: totals.total,
      done: totals.done,
      open: totals.open,
      overdue: totals.overdue,
      atRisk: totals.at_risk,
      submitted: totals.submitted,
    },
    redList: red.map((r) => [r.id, r.level, r.days]),
    newlyOverdue: newly,
    closed,
    extensions,
    rework,
    upcoming,
    league: league.map((l) => ({
      agencyId: l.agency_id,
      total: l.total,
      done: l.done,
      doneOnTime: l.done_on_time,
      open: l.open,
      overdue: l.overdue,
      notesRequested: l.requested,
      notesGiven: l.given,
    })),
    lifeSituations: lifeSituations.map((l) => ({
      id: l.id,
      total: l.total,
      done: l.done,
      overdue: l.overdue,
    })),
    notes,
    instructions: instructions.map((i) => ({
      id: i.id,
      status: i.status,
      fromPrevious: i.check_in_id === d.previousCheckInId,
    })),
    kpiPoints,
  };
}

/** The same shape taken from a stored digest. */
export function digestNumbers(d: DigestSnapshot) {
  return {
    totals: d.totals,
    redList: d.redList.map((r) => [r.id, r.escalationLevel, r.daysOverdue]),
    newlyOverdue: d.changes.newlyOverdue.map((i) => i.id),
    closed: d.changes.closed.map((i) => i.id),
    extensions: d.changes.extensions.map((i) => i.id),
    rework: d.changes.rework.map((i) => i.id),
    upcoming: d.upcoming.map((i) => i.id),
    league: [...d.league]
      .sort((a, b) => a.agencyId - b.agencyId)
      .map(({ agencyId, total, done, doneOnTime, open, overdue, notesRequested, notesGiven }) => ({
        agencyId,
        total,
        done,
        doneOnTime,
        open,
        overdue,
        notesRequested,
        notesGiven,
      })),
    lifeSituations: d.lifeSituations.map((l) => ({
      id: l.id,
      total: l.total,
      done: l.done,
      overdue: l.overdue,
    })),
    notes: d.notes.length,
    instructions: d.instructions.map((i) => ({ id: i.id, status: i.status, fromPrevious: i.fromPrevious })),
    kpiPoints: d.kpis.reduce((n, k) => n + k.points.length, 0),
  };
}
