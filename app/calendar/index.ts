// The working-day calendar: the years the admin enters (the government decree of each autumn), kept in
// the database under a version; installed in every process and rolled out to every open item's workflow.
export {
  calendarVersion,
  CALENDAR_REFRESH_MS,
  loadCalendar,
  refreshCalendar,
  removeCalendarYear,
  saveCalendarYear,
  startCalendarRefresh,
  workflowCalendar,
  type CalendarChange,
} from './calendar.ts';
export { CALENDAR_COLUMNS, importCalendarYear, readCalendarFile } from './file.ts';
export {
  catchUpCalendar,
  ensureCalendarRollout,
  rollOutCalendar,
  signalItems,
  startCalendarRollout,
  type RolloutProgress,
} from './rollout.ts';
export { dropCalendarYear, enterCalendarYear, uploadCalendarYear, type Published } from './publish.ts';
