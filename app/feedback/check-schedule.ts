import { ScheduleOverlapPolicy } from '@temporalio/client';
import {
  CHECK_CHASE_WORKFLOW,
  checkChaseScheduleId,
  checkChaseWorkflowIdBase,
  type CheckChaseInput,
} from '../../workflows/check-chase-definitions.ts';
import type { chaseOverdueChecks } from '../../workflows/check-chase.ts';
import { createOrUpdateSchedule, type TemporalHandle } from '../temporal.ts';

/** A run missed while Temporal was down still runs if at most this late (it only sends reminders). */
export const CHECK_CHASE_CATCHUP = '1 day';

function options(t: TemporalHandle, cfg: { timeZone: string; utcOffsetMinutes: number }) {
  const input: CheckChaseInput = { utcOffsetMinutes: cfg.utcOffsetMinutes };
  return {
    spec: {
      calendars: [
        {
          dayOfWeek: [{ start: 'MONDAY' as const, end: 'FRIDAY' as const }],
          hour: 9,
          minute: 30,
          comment: 'working days, 09:30 region time',
        },
      ],
      timezone: cfg.timeZone,
    },
    action: {
      type: 'startWorkflow' as const,
      workflowType: CHECK_CHASE_WORKFLOW,
      taskQueue: t.taskQueue,
      workflowId: checkChaseWorkflowIdBase(t.workflowIdPrefix),
      args: [input] as Parameters<typeof chaseOverdueChecks>,
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      catchupWindow: CHECK_CHASE_CATCHUP,
      pauseOnFailure: false,
    },
    state: { note: 'mystery-shopping plan: chase overdue checks' },
  };
}

export const checkChaseHandle = (t: TemporalHandle) =>
  t.client.schedule.getHandle(checkChaseScheduleId(t.workflowIdPrefix));

/** The daily chase of overdue planned checks: created, or brought in line; safe from every process. */
export async function ensureCheckChaseSchedule(
  t: TemporalHandle,
  cfg: { timeZone: string; utcOffsetMinutes: number },
): Promise<'created' | 'updated'> {
  return createOrUpdateSchedule(t, checkChaseScheduleId(t.workflowIdPrefix), options(t, cfg));
}
