// The daily notification digest's Temporal Schedule (one per deployment): created or updated at start-up
// by the worker and `npm start`, like the weekly check-in's.
//
// A Schedule rather than a timer in the notification dispatcher: the dispatcher runs in every worker
// process, so a daily job there would need its own lock and its own catch-up after an outage; the Schedule
// is one per cluster, fires at the region's wall-clock time, catches up a missed day (catchupWindow), shows
// in the Temporal UI where it can be paused or run now, and is the mechanism the weekly check-in already
// uses. The job is idempotent per person and day (activities/notifications/digest.ts) either way.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { notificationDigest } from '../../workflows/notification-digest.ts';
import type { TemporalHandle } from '../temporal.ts';

import { NOTIFICATION_DIGEST_WORKFLOW } from '../../workflows/definitions.ts';
export const digestScheduleId = (prefix = '') => `${prefix}notification-digest`;

export interface DigestScheduleConfig {
  timeZone: string;
  utcOffsetMinutes: number;
  /** Local minute of the day the digest goes out (default 08:00, before the 09:00 chases). */
  minute?: number;
}

function options(t: TemporalHandle, cfg: DigestScheduleConfig) {
  const minute = cfg.minute ?? 8 * 60;
  return {
    spec: {
      calendars: [
        {
          dayOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as (
            'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY'
          )[],
          hour: Math.floor(minute / 60),
          minute: minute % 60,
          comment: 'daily notification digest (weekdays)',
        },
      ],
      timezone: cfg.timeZone,
    },
    action: {
      type: 'startWorkflow' as const,
      workflowType: NOTIFICATION_DIGEST_WORKFLOW,
      taskQueue: t.taskQueue,
      workflowId: `${t.workflowIdPrefix ?? ''}notification-digest-run`,
      args: [{ utcOffsetMinutes: cfg.utcOffsetMinutes }] as Parameters<typeof notificationDigest>,
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      // A day missed during an outage is sent when Temporal is back the same day.
      catchupWindow: '12 hours',
      pauseOnFailure: false,
    },
  };
}

export const digestScheduleHandle = (t: TemporalHandle) =>
  t.client.schedule.getHandle(digestScheduleId(t.workflowIdPrefix));

/** Creates the digest Schedule or brings it in line; safe from several processes at once. */
export async function ensureDigestSchedule(
  t: TemporalHandle,
  cfg: DigestScheduleConfig,
): Promise<'created' | 'updated'> {
  const o = options(t, cfg);
  const handle = digestScheduleHandle(t);
  // An update keeps the Schedule's state: paused in the Temporal UI stays paused.
  const update = () =>
    handle.update((prev) => ({ ...o, state: { paused: prev.state.paused, note: prev.state.note } }));
  try {
    await update();
    return 'updated';
  } catch (e) {
    if (!(e instanceof ScheduleNotFoundError)) throw e;
  }
  try {
    await t.client.schedule.create({ scheduleId: handle.scheduleId, ...o, state: { note: 'daily digest' } });
    return 'created';
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await update();
    return 'updated';
  }
}

/** "Run now" (tests, an admin in the Temporal UI does the same). */
export async function triggerDigest(t: TemporalHandle) {
  await digestScheduleHandle(t).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
}
