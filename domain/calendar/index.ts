export {
  isWorkingDay,
  precedingWorkingDay,
  nextWorkingDay,
  addWorkingDays,
  workingDaysBetween,
  isProvisionalYear,
  yearSource,
  fixedHolidays,
} from './rules.ts';
export { RU_CALENDAR, type YearCalendar } from './ru-production-calendar.ts';
export { countWorkingDays, workingDayOrdinal } from './working-day-index.ts';
export {
  asWorkingCalendar,
  BUILT_IN_CALENDAR,
  calendarFrom,
  installCalendar,
  installedCalendar,
  type EnteredYear,
  type WorkingCalendar,
} from './installed.ts';
export * from './year-input.ts';
