import { addDays, isoWeekday, type LocalDate } from '../local-date.ts';
import { isOverdue } from '../control-item/lateness.ts';
import type { ItemStatus } from '../control-item/types.ts';

// An executor's week on landing: what is overdue, what is due this week, what comes later, and what waits
// for someone else's decision (review, the head's sign-off, an extension request).

export type WeekGroup = 'overdue' | 'thisWeek' | 'later' | 'waiting';
export const WEEK_GROUPS: readonly WeekGroup[] = ['overdue', 'thisWeek', 'later', 'waiting'];

export interface WeekItem {
  status: ItemStatus;
  /** The control date, or the rework due date while the item is back for rework. */
  currentDue: LocalDate;
  reworkDue?: LocalDate | null;
  signoffPending?: boolean;
  extensionPending?: boolean;
  /** An internal deadline the head set (an assignment): the executor works to it. */
  internalDue?: LocalDate | null;
}

/** The last day of "this week": Sunday of the current week; at the weekend, of the week to come. */
export function weekEnd(today: LocalDate): LocalDate {
  const wd = isoWeekday(today);
  return wd >= 6 ? addDays(today, 14 - wd) : addDays(today, 7 - wd);
}

/** The date the executor works to: the internal deadline, the rework due date, else the control date. */
export function workingDue(i: WeekItem): LocalDate {
  const rework = i.status === 'returned' && i.reworkDue ? i.reworkDue : null;
  const dates = [i.currentDue, rework, i.internalDue].filter((d): d is LocalDate => !!d);
  return dates.sort()[0]!;
}

export function weekGroupOf(i: WeekItem, today: LocalDate): WeekGroup {
  if (i.status === 'submitted' || i.signoffPending || i.extensionPending) return 'waiting';
  // Past the control date, or past the internal deadline the head set: late either way for the executor.
  if (isOverdue({ status: i.status, currentDue: i.currentDue }, today)) return 'overdue';
  if (i.internalDue && isOverdue({ status: i.status, currentDue: i.internalDue }, today)) return 'overdue';
  return workingDue(i) <= weekEnd(today) ? 'thisWeek' : 'later';
}

/** Items in the four groups, each by the date the executor works to (then as given). */
export function groupWeek<T extends WeekItem>(items: T[], today: LocalDate): Record<WeekGroup, T[]> {
  const out: Record<WeekGroup, T[]> = { overdue: [], thisWeek: [], later: [], waiting: [] };
  for (const i of items) out[weekGroupOf(i, today)].push(i);
  for (const g of WEEK_GROUPS)
    out[g].sort((a, b) => (workingDue(a) < workingDue(b) ? -1 : workingDue(a) > workingDue(b) ? 1 : 0));
  return out;
}
