import { firstPeriod, periodDue } from '../control-item/recurrence.ts';
import type { Recurrence, RecurrenceState } from '../control-item/types.ts';
import type { LocalDate } from '../local-date.ts';
import type { RoadmapRow } from './roadmap-sheet.ts';
import type { DeadlineReading, DeadlineSpec } from './types.ts';

/** Report cadence defaults: the report is due this many working days after the period ends. */
export const RECURRENCE_DUE_DAYS: Record<Recurrence, number> = { monthly: 3, quarterly: 5, yearly: 10 };

/**
 * The deadline a new item gets from its cell: the date, or for a cadence the first period to report on
 * from `today` (with the due day the cell names, else the default for the cadence) and its due date.
 */
export function firstDeadline(
  spec: DeadlineSpec,
  today: LocalDate,
): { due: LocalDate; recurrence: RecurrenceState | null } {
  if (spec.kind === 'date') return { due: spec.due, recurrence: null };
  const first = firstPeriod(today, spec.every, spec.until, {
    workingDaysAfterPeriodEnd: spec.dueWorkingDays ?? RECURRENCE_DUE_DAYS[spec.every],
    dayOfMonth: spec.dueDay ?? null,
    monthsAfterPeriodEnd: spec.dueMonthOffset ?? null,
  });
  return { due: periodDue(first), recurrence: first };
}

/** How each row's deadline was read, for the import result page (and the API's job result). */
export function deadlineReadings(rows: readonly RoadmapRow[], today: LocalDate): DeadlineReading[] {
  return rows.map((r) => ({
    row: r.row,
    number: r.number,
    written: r.deadlineText,
    spec: r.deadline,
    firstDue: firstDeadline(r.deadline, today).due,
  }));
}
