// Message definitions of the working-day calendar's rollout, shared by the workflows and app/calendar.
import { defineSignal } from '@temporalio/workflow';
import type { WorkingCalendar } from '../domain/calendar/index.ts';

/** Tells an item workflow the calendar changed: it installs a newer version and re-plans its timers. */
export const calendarChangedSignal = defineSignal<[WorkingCalendar]>('calendarChanged');

export const CALENDAR_ROLLOUT_WORKFLOW = 'calendarRollout';
/** One rollout per calendar version (starting it twice is a no-op). */
export const calendarRolloutWorkflowId = (version: number, prefix = '') =>
  `${prefix}calendar-rollout-${version}`;

export interface CalendarRolloutInput {
  version: number;
  /** The item workflows' id prefix (TemporalHandle.workflowIdPrefix). */
  workflowIdPrefix: string;
}
