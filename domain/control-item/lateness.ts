import { countWorkingDays } from '../calendar/index.ts';
import type { LocalDate } from '../local-date.ts';
import type { ItemStatus } from './types.ts';

// One definition of lateness for every screen, export and API: in working days of the Russian production
// calendar (the unit of the escalation ladder, the RAG thresholds and the chase policy), counted from the
// control date (контрольный срок), which only an approved extension moves. docs/decisions.md §32.

/** The unit every "days overdue" figure is in; pages label it («раб. дн.», "working days"). */
export const LATENESS_UNIT = 'working_days' as const;

/** Waiting on the executor (a report under review is the working group's turn, not the executor's). */
export const WAITING_ON_EXECUTOR: readonly ItemStatus[] = ['assigned', 'in_progress', 'returned'];

export interface LatenessItem {
  status: ItemStatus;
  /** The control date (current_due). */
  currentDue: LocalDate;
  /** The region's calendar date of acceptance, for done items. */
  accepted?: LocalDate | null;
}

export interface Lateness {
  /**
   * overdue: open, waiting on the executor, the control date has passed; late: accepted after the control
   * date (lateness stays on record); none: neither.
   */
  state: 'overdue' | 'late' | 'none';
  /** Working days after the control date: until today (overdue) or until acceptance (late); else 0. */
  workingDays: number;
}

/** Overdue as everywhere in Shtab: waiting on the executor and the control date has passed. */
export function isOverdue(item: LatenessItem, today: LocalDate): boolean {
  return WAITING_ON_EXECUTOR.includes(item.status) && item.currentDue < today;
}

/**
 * Working days in (control date, until], at least 1: an item due on Friday is one working day late on the
 * Saturday after, not "0 days overdue" (the figure a page would otherwise show until Monday).
 */
const daysPast = (due: LocalDate, until: LocalDate) => Math.max(1, countWorkingDays(due, until));

export function lateness(item: LatenessItem, today: LocalDate): Lateness {
  if (isOverdue(item, today)) return { state: 'overdue', workingDays: daysPast(item.currentDue, today) };
  if (item.status === 'done' && item.accepted && item.accepted > item.currentDue) {
    return { state: 'late', workingDays: daysPast(item.currentDue, item.accepted) };
  }
  return { state: 'none', workingDays: 0 };
}

/** Working days an item is past its control date on `today` (0 if it is not overdue). */
export function overdueWorkingDays(item: LatenessItem, today: LocalDate): number {
  const l = lateness(item, today);
  return l.state === 'overdue' ? l.workingDays : 0;
}
