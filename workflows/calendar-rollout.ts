import { proxyActivities } from '@temporalio/workflow';
import type { CalendarActivities } from '../activities/calendar/types.ts';
import type { CalendarRolloutInput } from './calendar-definitions.ts';

const work = proxyActivities<CalendarActivities>({
  startToCloseTimeout: '2 hours',
  // A crashed worker is noticed within a minute; the retry resumes after the last chunk it reported.
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One per calendar version (app/calendar/rollout.ts): tells every open item's workflow the calendar in
 * force, so that each re-plans its timers. The work is one heartbeating activity over the open items.
 */
export async function calendarRollout(input: CalendarRolloutInput) {
  return work.rollOutCalendar(input);
}
