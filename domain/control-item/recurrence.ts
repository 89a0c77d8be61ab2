import { addWorkingDays, nextWorkingDay, precedingWorkingDay } from '../calendar/index.ts';
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

/** How a cadence fixes the day a period's report is due. */
export interface DueRule {
  /** N working days after the period ends: «не позднее 5 рабочего дня месяца, следующего за отчётным». */
  workingDaysAfterPeriodEnd: number;
  /** Or a day of a month: «до 10 числа месяца, следующего за отчётным» (10, 1), «до 25 числа» (25, 0). */
  dayOfMonth?: number | null;
  monthsAfterPeriodEnd?: number | null;
}

/**
 * The day a period's report is due when the cadence names a day of the month. A day that is not a working
 * day moves to the preceding working day of that month, as every deadline does; when the month has none
 * before it (10 January after the New Year holidays would become 30 December, before the quarter being
 * reported on has even ended) it moves to the next working day instead.
 */
export function dueOnDayOfMonth(periodEnd: LocalDate, day: number, monthsAfterPeriodEnd: number): LocalDate {
  const y = +periodEnd.slice(0, 4);
  const m0 = +periodEnd.slice(5, 7) - 1 + monthsAfterPeriodEnd;
  const first = `${y + Math.floor(m0 / 12)}-${String((m0 % 12) + 1).padStart(2, '0')}-01`;
  const last = endOfMonth(first);
  const d = `${first.slice(0, 8)}${String(day).padStart(2, '0')}`;
  const date = d > last ? last : d;
  const before = precedingWorkingDay(date);
  return before < first ? nextWorkingDay(date) : before;
}

/** The due date of the period `r` is in. */
export function periodDue(r: RecurrenceState): LocalDate {
  if (r.dueDayOfMonth) return dueOnDayOfMonth(r.periodEnd, r.dueDayOfMonth, r.dueMonthsAfterPeriodEnd ?? 0);
  return dueForPeriod(r.periodEnd, r.dueWorkingDaysAfterPeriodEnd);
}

function ruleFields(rule: DueRule): Pick<RecurrenceState, 'dueDayOfMonth' | 'dueMonthsAfterPeriodEnd'> {
  return rule.dayOfMonth
    ? { dueDayOfMonth: rule.dayOfMonth, dueMonthsAfterPeriodEnd: rule.monthsAfterPeriodEnd ?? 0 }
    : {};
}

/**
 * The first period to report on from `start`: the one containing it, or the next one when its report
 * was already due before `start` («ежемесячно до 25 числа» put under control on the 27th).
 */
export function firstPeriod(
  start: LocalDate,
  every: Recurrence,
  until: LocalDate | null,
  rule: DueRule | number,
): RecurrenceState {
  const r = typeof rule === 'number' ? { workingDaysAfterPeriodEnd: rule } : rule;
  const p: RecurrenceState = {
    every,
    periodKey: periodKeyOf(start, every),
    periodEnd: periodEndOf(start, every),
    until,
    dueWorkingDaysAfterPeriodEnd: r.workingDaysAfterPeriodEnd,
    ...ruleFields(r),
  };
  if (periodDue(p) >= start) return p;
  const start2 = addDays(p.periodEnd, 1);
  return { ...p, periodKey: periodKeyOf(start2, every), periodEnd: periodEndOf(start2, every) };
}

/** The period after r, or null when r was the last one before `until` (never for an open-ended one). */
export function nextPeriod(r: RecurrenceState): RecurrenceState | null {
  const start = addDays(r.periodEnd, 1);
  if (r.until !== null && start > r.until) return null;
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
