import { isLocalDate } from '../local-date.ts';
import { setEnteredYears } from './rules.ts';
import { resetWorkingDayIndex } from './working-day-index.ts';

// The calendar in force: the built-in tables (ru-production-calendar.ts) plus the years the admin
// entered. Every process installs the database's version (app/calendar); every item workflow installs the
// version it was started with or last told about (workflows/control-item.ts), so timers are planned on
// the same days the pages show. docs/decisions.md §41.

/** One entered year: weekdays off (holidays and transferred days off) and working Saturdays/Sundays. */
export interface EnteredYear {
  daysOff: string[];
  workingWeekends: string[];
}

/** A version of the entered years. Version 0 with no years is the built-in calendar alone. */
export interface WorkingCalendar {
  version: number;
  years: Record<string, EnteredYear>;
}

export const BUILT_IN_CALENDAR: WorkingCalendar = { version: 0, years: {} };

let installed: WorkingCalendar = BUILT_IN_CALENDAR;

/** Makes `c` the calendar every working-day function of this module instance uses. */
export function installCalendar(c: WorkingCalendar) {
  installed = c;
  setEnteredYears(c.years);
  resetWorkingDayIndex();
}

export const installedCalendar = (): WorkingCalendar => installed;

/** The years a workflow needs: this one and later (timers lie ahead), with last year for safety. */
export function calendarFrom(c: WorkingCalendar, year: number): WorkingCalendar {
  return {
    version: c.version,
    years: Object.fromEntries(Object.entries(c.years).filter(([y]) => Number(y) >= year - 1)),
  };
}

/** A calendar received from outside (a signal, a workflow input): well-formed, else null. */
export function asWorkingCalendar(v: unknown): WorkingCalendar | null {
  if (!v || typeof v !== 'object') return null;
  const c = v as Partial<WorkingCalendar>;
  if (typeof c.version !== 'number' || !Number.isInteger(c.version) || c.version < 0) return null;
  if (!c.years || typeof c.years !== 'object') return null;
  for (const [y, t] of Object.entries(c.years)) {
    if (!/^\d{4}$/.test(y) || !t || !Array.isArray(t.daysOff) || !Array.isArray(t.workingWeekends))
      return null;
    if (![...t.daysOff, ...t.workingWeekends].every((d) => isLocalDate(d) && d.startsWith(y))) return null;
  }
  return c as WorkingCalendar;
}
