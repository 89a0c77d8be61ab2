import type { FieldIssue } from '../errors.ts';
import { isLocalDate, isoWeekday, type LocalDate } from '../local-date.ts';
import { fixedHolidays } from './rules.ts';

// A production-calendar year as the admin types or uploads it: the weekdays off and the working
// weekends of the government decree. Checked whole; the problems name the field and the date.

export interface CalendarYearInput {
  year: number;
  daysOff: LocalDate[];
  workingWeekends: LocalDate[];
  /** The decree («Постановление Правительства РФ от … № …»). */
  source: string;
}

export const CALENDAR_LIMITS = { daysOff: 60, workingWeekends: 20, source: 500 } as const;

const isWeekend = (d: LocalDate) => isoWeekday(d) >= 6;

/**
 * Dates typed in one field: separated by commas, spaces, semicolons or lines; written 2028-01-03,
 * 03.01.2028 or 03.01 (the year of the table). Unreadable pieces are returned as they were typed.
 */
export function parseDateList(text: string, year: number): { dates: LocalDate[]; bad: string[] } {
  const dates: LocalDate[] = [];
  const bad: string[] = [];
  for (const raw of text.split(/[\s,;]+/).filter(Boolean)) {
    let d: string | null = null;
    const ru = /^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?$/.exec(raw);
    if (isLocalDate(raw)) d = raw;
    else if (ru) d = `${ru[3] ?? year}-${ru[2]!.padStart(2, '0')}-${ru[1]!.padStart(2, '0')}`;
    if (d && isLocalDate(d)) {
      if (!dates.includes(d)) dates.push(d);
    } else bad.push(raw.slice(0, 40));
  }
  return { dates: dates.sort(), bad };
}

/**
 * The year as it will be stored: weekend dates among the days off are dropped (weekends are off anyway),
 * both lists sorted. Apply after the check.
 */
export function normalizeCalendarYear(x: CalendarYearInput): CalendarYearInput {
  return {
    year: x.year,
    daysOff: [...new Set(x.daysOff)].filter((d) => !isWeekend(d)).sort(),
    workingWeekends: [...new Set(x.workingWeekends)].sort(),
    source: x.source.trim(),
  };
}

export function calendarYearProblems(x: CalendarYearInput): FieldIssue[] {
  const p: FieldIssue[] = [];
  if (!Number.isInteger(x.year) || x.year < 2000 || x.year > 2100) {
    p.push({ field: 'year', key: 'error.field.range', params: { min: 2000, max: 2100 } });
    return p;
  }
  const source = x.source.trim();
  if (!source) p.push({ field: 'source', key: 'error.field.required' });
  else if (source.length > CALENDAR_LIMITS.source)
    p.push({ field: 'source', key: 'error.field.tooLong', params: { max: CALENDAR_LIMITS.source } });
  const outside = (ds: LocalDate[]) => ds.find((d) => !isLocalDate(d) || !d.startsWith(`${x.year}-`));
  const offOutside = outside(x.daysOff);
  if (offOutside !== undefined)
    p.push({
      field: 'daysOff',
      key: 'error.calendar.otherYear',
      params: { value: offOutside, year: x.year },
    });
  else if (x.daysOff.length > CALENDAR_LIMITS.daysOff)
    p.push({ field: 'daysOff', key: 'error.reference.tooMany', params: { max: CALENDAR_LIMITS.daysOff } });
  else {
    // Art. 112: the fixed holidays are days off whatever the decree transfers.
    const missing = fixedHolidays(x.year).find((d) => !isWeekend(d) && !x.daysOff.includes(d));
    if (missing)
      p.push({ field: 'daysOff', key: 'error.calendar.holidayMissing', params: { value: missing } });
  }
  const workOutside = outside(x.workingWeekends);
  if (workOutside !== undefined)
    p.push({
      field: 'workingWeekends',
      key: 'error.calendar.otherYear',
      params: { value: workOutside, year: x.year },
    });
  else if (x.workingWeekends.length > CALENDAR_LIMITS.workingWeekends)
    p.push({
      field: 'workingWeekends',
      key: 'error.reference.tooMany',
      params: { max: CALENDAR_LIMITS.workingWeekends },
    });
  else {
    const weekday = x.workingWeekends.find((d) => !isWeekend(d));
    if (weekday)
      p.push({ field: 'workingWeekends', key: 'error.calendar.notWeekend', params: { value: weekday } });
    const both = x.workingWeekends.find((d) => x.daysOff.includes(d));
    if (both) p.push({ field: 'workingWeekends', key: 'error.calendar.both', params: { value: both } });
  }
  return p;
}
