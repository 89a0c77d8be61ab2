import { addDays, fromEpochDay, isoWeekday, toEpochDay, type LocalDate } from './local-date.ts';

// Burn-up of a roadmap: per calendar week, how many items are in scope, how many the baseline plan says
// should be done by then, and how many are done. Pure maths; the web draws it.

export interface BurnUpItem {
  /** The day the item was put on control. */
  created: LocalDate;
  /** The deadline the plan was made with (original, before extensions). */
  plannedDue: LocalDate;
  /** The day it was accepted, if done (counted from the later of this day and `created`). */
  done: LocalDate | null;
  /** The day it was cancelled, if cancelled: it leaves the scope from then on. An item is done or
   *  cancelled, never both (`done` is ignored when this is set). */
  cancelled: LocalDate | null;
}

export interface BurnUpWeek {
  /** Monday. */
  weekStart: LocalDate;
  /** Sunday: the counts are as of the end of this day. */
  weekEnd: LocalDate;
  scope: number;
  planned: number;
  /** null for weeks that start after today: the future is not drawn. */
  done: number | null;
}

export const mondayOf = (d: LocalDate): LocalDate => addDays(d, 1 - isoWeekday(d));

/**
 * What one day changes in the series: items entering (+) or leaving (−) the scope, the plan and the done
 * count from that day's week on, and how many items mark the series' first week (created that day) or
 * its last (a planned deadline or an acceptance that day). Items reduce to these, and so can a table kept
 * by the database (db/aggregates.ts): the series is the same whether it is built from items or from days.
 */
export interface BurnUpDay {
  day: LocalDate;
  scope: number;
  planned: number;
  /** Counted only once the day has come (the current week's figure is as of today). */
  done: number;
  firsts: number;
  lasts: number;
}

const later = (a: LocalDate, b: LocalDate) => (a > b ? a : b);

/**
 * One item's days. In scope from its creation until its cancellation; planned from its planned deadline
 * (not before it exists) until its cancellation; done from its acceptance (not before it exists). A span
 * that ends before or on the day it starts is no span at all (within one week, +1 and −1 cancel out).
 */
export function burnUpDays(i: BurnUpItem): BurnUpDay[] {
  const out: BurnUpDay[] = [];
  const add = (day: LocalDate, d: Partial<Omit<BurnUpDay, 'day'>>) =>
    out.push({ day, scope: 0, planned: 0, done: 0, firsts: 0, lasts: 0, ...d });
  const span = (field: 'scope' | 'planned', from: LocalDate) => {
    if (i.cancelled === null) add(from, { [field]: 1 });
    else if (from < i.cancelled) {
      add(from, { [field]: 1 });
      add(i.cancelled, { [field]: -1 });
    }
  };
  span('scope', i.created);
  span('planned', later(i.created, i.plannedDue));
  const done = i.cancelled === null ? i.done : null;
  if (done !== null) add(later(i.created, done), { done: 1 });
  add(i.created, { firsts: 1 });
  add(i.plannedDue, { lasts: 1 });
  if (done !== null) add(done, { lasts: 1 });
  return out;
}

/**
 * Weekly series from the week of the first item to the week of the later of the last planned deadline
 * and today. The current week's `done` counts up to today. Empty input gives an empty series.
 *
 * Linear in items + weeks (a 100k-item programme over three years is 100k + 160 steps, not their
 * product): each item adds +1/−1 at the weeks where it enters and leaves each count (burnUpDays), and a
 * running sum over the weeks gives the series.
 */
export function weeklyBurnUp(items: readonly BurnUpItem[], today: LocalDate): BurnUpWeek[] {
  return weeklyBurnUpFromDays(items.flatMap(burnUpDays), today);
}

/** The series from days (any order; several rows for one day add up). */
export function weeklyBurnUpFromDays(days: readonly BurnUpDay[], today: LocalDate): BurnUpWeek[] {
  let first: LocalDate | null = null;
  let last = today;
  for (const d of days) {
    if (d.firsts > 0 && (first === null || d.day < first)) first = d.day;
    if (d.lasts > 0 && d.day > last) last = d.day;
  }
  if (first === null) return [];
  const start0 = toEpochDay(mondayOf(first));
  // Nothing to draw when every date lies before the first item's week (a future programme viewed early).
  const weekCount = Math.max(0, Math.floor((toEpochDay(last) - start0) / 7) + 1);
  // Week index of the week (Monday–Sunday) a date falls in; the counts hold from the end of that week.
  const weekOf = (d: LocalDate) => Math.floor((toEpochDay(d) - start0) / 7);
  const scope = new Int32Array(weekCount + 1);
  const planned = new Int32Array(weekCount + 1);
  const done = new Int32Array(weekCount + 1);
  for (const d of days) {
    const w = weekOf(d.day);
    // Every change starts at or after an item's creation, so never before the first week; changes after
    // the last week are not drawn.
    if (w < 0 || w >= weekCount) continue;
    scope[w]! += d.scope;
    planned[w]! += d.planned;
    if (d.day <= today) done[w]! += d.done;
  }
  const weeks: BurnUpWeek[] = [];
  let s = 0;
  let p = 0;
  let n = 0;
  for (let w = 0; w < weekCount; w++) {
    s += scope[w]!;
    p += planned[w]!;
    n += done[w]!;
    const start = fromEpochDay(start0 + 7 * w);
    weeks.push({
      weekStart: start,
      weekEnd: addDays(start, 6),
      scope: s,
      planned: p,
      done: start > today ? null : n,
    });
  }
  return weeks;
}

/**
 * A round axis maximum and its ticks (0 included) for counts: integer steps of 1, 2 or 5 × 10^k, about
 * `count` of them. max 0 still gives a usable axis [0, 1].
 */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(
    1,
    [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= rough)!,
  );
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return ticks;
}
