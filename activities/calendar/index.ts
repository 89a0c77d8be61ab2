import { ApplicationFailure, Context } from '@temporalio/activity';
import { rollOutCalendar, workflowCalendar, type RolloutProgress } from '../../app/calendar/index.ts';
import type { TemporalHandle } from '../../app/temporal.ts';
import type { Db } from '../../db/index.ts';
import type { CalendarActivities } from './types.ts';

export type * from './types.ts';

export function createCalendarActivities(deps: { db: Db; temporal?: TemporalHandle }): CalendarActivities {
  return {
    currentCalendar: () => workflowCalendar(deps.db),
    async rollOutCalendar({ workflowIdPrefix }) {
      if (!deps.temporal)
        throw ApplicationFailure.nonRetryable('this worker has no Temporal client for the calendar rollout');
      const ctx = Context.current();
      const resume = ctx.info.heartbeatDetails as RolloutProgress | undefined;
      return rollOutCalendar(
        { db: deps.db, temporal: deps.temporal },
        { workflowIdPrefix, resume, heartbeat: (p) => ctx.heartbeat(p) },
      );
    },
  };
}
