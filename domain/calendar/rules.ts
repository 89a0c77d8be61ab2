import { addDays, isoWeekday, type LocalDate } from '../local-date.ts';
import { RU_CALENDAR } from './ru-production-calendar.ts';

// Fixed non-working holidays (art. 112 TK RF), month-day.
const FIXED_HOLIDAYS = [
  '01-01',
  '01-02',
  '01-03',
  '01-04',
  '01-05',
  '01-06',
  '01-07',
  '01-08',
  '02-23',
  '03-08',
  '05-01',
  '05-09',
  '06-12',
  '11-04',
];

const DAYS_OFF = new Set<string>();
const WORKING_WEEKENDS = new Set<string>();
for (const year of Object.values(RU_CALENDAR)) {
  for (const d of year.daysOff) DAYS_OFF.add(d);
  for (const d of year.workingWeekends) WORKING_WEEKENDS.add(d);
}

/** Years the admin entered (the decree of the autumn before): they replace the built-in table. */
let entered = new Map<number, { off: Set<string>; work: Set<string> }>();

/**
 * Replaces the entered years (installed.ts is the one caller, so the day index is reset with it). In a
 * workflow this is the workflow's own module state: Temporal gives every workflow its own module instances.
 */
export function setEnteredYears(years: Record<string, { daysOff: string[]; workingWeekends: string[] }>) {
  entered = new Map(
    Object.entries(years).map(([y, t]) => [
      Number(y),
      { off: new Set(t.daysOff), work: new Set(t.workingWeekends) },
    ]),
  );
}

export const isEnteredYear = (year: number) => entered.has(year);

function isWeekend(d: LocalDate): boolean {
  return isoWeekday(d) >= 6;
}

/**
 * Years outside the table: fixed holidays, and a non-January holiday that falls on a weekend gives the
 * following Monday off (art. 112 part 2; January days are redistributed by decree, unknown in advance).
 */
function fallbackIsDayOff(d: LocalDate): boolean {
  if (isWeekend(d)) return true;
  if (FIXED_HOLIDAYS.includes(d.slice(5))) return true;
  if (isoWeekday(d) !== 1) return false;
  return [addDays(d, -1), addDays(d, -2)].some(
    (w) => !w.slice(5).startsWith('01-') && FIXED_HOLIDAYS.includes(w.slice(5)),
  );
}

export function isWorkingDay(d: LocalDate): boolean {
  const year = +d.slice(0, 4);
  const own = entered.size ? entered.get(year) : undefined;
  if (own) return own.work.has(d) || (!own.off.has(d) && !isWeekend(d));
  if (!RU_CALENDAR[year]) return !fallbackIsDayOff(d);
  if (WORKING_WEEKENDS.has(d)) return true;
  if (DAYS_OFF.has(d)) return false;
  return !isWeekend(d);
}

/** A deadline that falls on a non-working day moves to the preceding working day. */
export function precedingWorkingDay(d: LocalDate): LocalDate {
  let x = d;
  while (!isWorkingDay(x)) x = addDays(x, -1);
  return x;
}

export function nextWorkingDay(d: LocalDate): LocalDate {
  let x = d;
  while (!isWorkingDay(x)) x = addDays(x, 1);
  return x;
}

/**
 * Moves n working days from d (n may be negative). From a non-working day, the first step lands on the
 * nearest working day in that direction, so "1 working day after Saturday" is Monday.
 */
export function addWorkingDays(d: LocalDate, n: number): LocalDate {
  const step = n >= 0 ? 1 : -1;
  let x = d;
  let left = Math.abs(n);
  while (left > 0) {
    x = addDays(x, step);
    if (isWorkingDay(x)) left--;
  }
  return x;
}

/** Working days in (from, to]: how many working days after `from` the date `to` is; negative if before. */
export function workingDaysBetween(from: LocalDate, to: LocalDate): number {
  if (to === from) return 0;
  const step = to > from ? 1 : -1;
  let x = from;
  let count = 0;
  while (x !== to) {
    x = addDays(x, step);
    if (isWorkingDay(x)) count += step;
  }
  return count;
}

export function isProvisionalYear(year: number): boolean {
  if (entered.has(year)) return false;
  return RU_CALENDAR[year]?.provisional === true || !RU_CALENDAR[year];
}

/**
 * Where a year's working days come from: entered by the admin, the built-in decree table (or draft), or
 * the rule-based fallback (fixed holidays of art. 112 and the weekend carry; January transfers unknown).
 */
export function yearSource(year: number): 'entered' | 'decree' | 'draft' | 'fallback' {
  if (entered.has(year)) return 'entered';
  const t = RU_CALENDAR[year];
  if (!t) return 'fallback';
  return t.provisional ? 'draft' : 'decree';
}

/** The fixed public holidays of art. 112 in a year (for checking an entered table). */
export const fixedHolidays = (year: number): LocalDate[] => FIXED_HOLIDAYS.map((md) => `${year}-${md}`);

export { fallbackIsDayOff };
