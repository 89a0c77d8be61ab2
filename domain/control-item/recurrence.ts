import { addWorkingDays, precedingWorkingDay } from '../calendar/index.ts';
import { addDays, endOfMonth, type LocalDate } from '../local-date.ts';
import type { Recurrence, RecurrenceState } from './types.ts';

export function periodKeyOf(d: LocalDate, every: Recurrence): string {
  const y = d.slice(0, 4);
  const m = +d.slice(5, 7);
  if (every === 'monthly') return d.slice(0, 7);
  if (every === 'quarterly') return `${y}-Q${Math.ceil(m / 3)}`;
  return y;
}

export function periodEndOf(d: LocalDate, every: Recurrence): LocalDate {
  const y = d.slice(0, 4);
  const m = +d.slice(5, 7);
  if (every === 'monthly') return endOfMonth(d);
  if (every === 'quarterly') return endOfMonth(`${y}-${String(Math.ceil(m / 3) * 3).padStart(2, '0')}-01`);
  return `${y}-12-31`;
}

/** Report due N working days after the period ends (e.g. quarterly reports by the 5th working day). */
export function dueForPeriod(periodEnd: LocalDate, dueWorkingDaysAfterPeriodEnd: number): LocalDate {
  return precedingWorkingDay(addWorkingDays(periodEnd, dueWorkingDaysAfterPeriodEnd));
}

export function firstPeriod(
  start: LocalDate,
  every: Recurrence,
  until: LocalDate,
  dueWorkingDaysAfterPeriodEnd: number,
): RecurrenceState {
  return {
    every,
    periodKey: periodKeyOf(start, every),
    periodEnd: periodEndOf(start, every),
    until,
    dueWorkingDaysAfterPeriodEnd,
  };
}

/** The period after r, or null when r was the last one before `until`. */
export function nextPeriod(r: RecurrenceState): RecurrenceState | null {
  const start = addDays(r.periodEnd, 1);
  if (start > r.until) return null;
  return { ...r, periodKey: periodKeyOf(start, r.every), periodEnd: periodEndOf(start, r.every) };
}

/** Last day of the period a key names ("2025-03", "2025-Q1", "2025"). */
export function periodEndOfKey(key: string): LocalDate {
  const q = /^(\d{4})-Q([1-4])$/.exec(key);
  if (q) return periodEndOf(`${q[1]}-${String(+q[2]! * 3).padStart(2, '0')}-01`, 'quarterly');
  if (/^\d{4}-\d{2}$/.test(key)) return periodEndOf(`${key}-01`, 'monthly');
  if (/^\d{4}$/.test(key)) return `${key}-12-31`;
  throw new RangeError(`not a period key: ${key}`);
}
