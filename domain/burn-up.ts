import { addDays, isoWeekday, type LocalDate } from './local-date.ts';

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
  const weeks: BurnUpWeek[] = [];
  for (let start = mondayOf(first); start <= last; start = addDays(start, 7)) {
    const end = addDays(start, 6);
    const doneBy = end < today ? end : today;
    let scope = 0;
    let planned = 0;
    let done = 0;
    for (const i of items) {
      const inScope = i.created <= end && (i.cancelled === null || i.cancelled > end);
      if (!inScope) continue;
      scope++;
      if (i.plannedDue <= end) planned++;
      if (i.done !== null && i.done <= doneBy) done++;
    }
    weeks.push({ weekStart: start, weekEnd: end, scope, planned, done: start > today ? null : done });
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
