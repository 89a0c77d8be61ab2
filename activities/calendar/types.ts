import type { WorkingCalendar } from '../../domain/calendar/index.ts';

/** The calendar's activities. Workflows import this type only. */
export interface CalendarActivities {
  /** The calendar in force now (this year on), for a workflow that starts without one. */
  currentCalendar(): Promise<WorkingCalendar>;
  /** Tells every open item's workflow the current calendar (heartbeats; a retry resumes). */
  rollOutCalendar(input: { version: number; workflowIdPrefix: string }): Promise<{
    version: number;
    signalled: number;
    missing: number;
  }>;
}
