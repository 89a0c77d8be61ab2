export {
  isWorkingDay,
  precedingWorkingDay,
  nextWorkingDay,
  addWorkingDays,
  workingDaysBetween,
  isProvisionalYear,
} from './rules.ts';
export { RU_CALENDAR, type YearCalendar } from './ru-production-calendar.ts';
export { countWorkingDays, workingDayOrdinal } from './working-day-index.ts';
