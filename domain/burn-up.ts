import { addDays, fromEpochDay, isoWeekday, toEpochDay, type LocalDate } from './local-date.ts';

// Burn-up of a roadmap: per calendar week, how many items are in scope, how many the baseline plan says
// should be done by then, and how many are done. Pure maths; the web draws it.

export interface BurnUpItem {
  /** The day the item was put on control. */
  created: LocalDate;
  /** The deadline the plan was made with (original, before extensions). */
  plannedDue: LocalDate;
  /** The day it was accepted, if done. */
  done: LocalDate | null;
  /** The day it was cancelled, if cancelled: it leaves the scope from then on. */
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
 * Weekly series from the week of the first item to the week of the later of the last planned deadline
 * and today. The current week's `done` counts up to today. Empty input gives an empty series.
 *
 * Linear in items + weeks (a 100k-item programme over three years is 100k + 160 steps, not their
 * product): each item adds +1/−1 at the weeks where it enters and leaves each count, and a running sum
 * over the weeks gives the series.
 */
export function weeklyBurnUp(items: readonly BurnUpItem[], today: LocalDate): BurnUpWeek[] {
  if (items.length === 0) return [];
  let first = items[0]!.created;
  let last = today;
  for (const i of items) {
    if (i.created < first) first = i.created;
    if (i.plannedDue > last) last = i.plannedDue;
    if (i.done && i.done > last) last = i.done;
  }
  const start0 = toEpochDay(mondayOf(first));
  // Nothing to draw when every date lies before the first item's week (a future programme viewed early).
  const weekCount = Math.max(0, Math.floor((toEpochDay(last) - start0) / 7) + 1);
  // Week index of the week (Monday–Sunday) a date falls in; the counts hold from the end of that week.
  const weekOf = (d: LocalDate) => Math.floor((toEpochDay(d) - start0) / 7);
  const scope = new Int32Array(weekCount + 1);
  const planned = new Int32Array(weekCount + 1);
  const done = new Int32Array(weekCount + 1);
  const span = (diff: Int32Array, from: number, to: number) => {
    const a = Math.max(0, from);
    const b = Math.min(weekCount, to);
    if (a >= b) return;
    diff[a]!++;
    diff[b]!--;
  };
  for (const i of items) {
    const inFrom = weekOf(i.created);
    // Cancelled during a week: out of scope at that week's end.
    const inTo = i.cancelled === null ? weekCount : weekOf(i.cancelled);
    span(scope, inFrom, inTo);
    span(planned, Math.max(inFrom, weekOf(i.plannedDue)), inTo);
    // Done counts up to today only (a week's figure is as of min(its end, today)).
    if (i.done !== null && i.done <= today) span(done, Math.max(inFrom, weekOf(i.done)), inTo);
  }
  const weeks: BurnUpWeek[] = [];
  let s = 0;
  let p = 0;
  let d = 0;
  for (let w = 0; w < weekCount; w++) {
    s += scope[w]!;
    p += planned[w]!;
    d += done[w]!;
    const start = fromEpochDay(start0 + 7 * w);
    weeks.push({
      weekStart: start,
      weekEnd: addDays(start, 6),
      scope: s,
      planned: p,
      done: start > today ? null : d,
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
