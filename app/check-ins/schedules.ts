// The weekly check-in's Temporal Schedule per roadmap: created or updated from the working group's
// settings (web, npm start, worker).
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleDescription } from '@temporalio/client';
import {
  DEFAULT_CHECK_IN_POLICY,
  type CheckInPolicy,
  type CheckInScheduleSettings,
} from '../../domain/check-in/index.ts';
import {
  checkInScheduleId,
  checkInWorkflowIdBase,
  WEEKLY_CHECK_IN_WORKFLOW,
  type WeeklyCheckInInput,
} from '../../workflows/check-in-definitions.ts';
import { ensureScheduleSettings } from '../../db/check-ins.ts';
import type { Db } from '../../db/index.ts';
import { createOrUpdateSchedule, type TemporalHandle } from '../temporal.ts';
import type { weeklyCheckIn } from '../../workflows/weekly-check-in.ts';

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;

/**
 * A run missed while Temporal was down starts late if it is at most this late. The run opens the cycle of
 * the next week's meeting, so three days late still leaves time to ask for notes; a longer outage skips
 * the week (use backfill), and the window stays well below the 7-day period so catching up can never
 * start two runs for one slot.
 */
export const CHECK_IN_CATCHUP_WINDOW = '3 days';

export interface CheckInScheduleConfig {
  /** REGION_TZ: the calendar is evaluated in the region's zone. */
  timeZone: string;
  utcOffsetMinutes: number;
  /** Policy overrides (tests use short ones); the settings' request days always win. */
  policy?: Partial<CheckInPolicy>;
}

export function checkInPolicyOf(s: CheckInScheduleSettings, cfg: CheckInScheduleConfig): CheckInPolicy {
  return {
    ...DEFAULT_CHECK_IN_POLICY,
    ...(cfg.policy ?? {}),
    requestWorkingDaysBefore: s.requestWorkingDaysBefore,
    utcOffsetMinutes: cfg.utcOffsetMinutes,
  };
}

function options(t: TemporalHandle, s: CheckInScheduleSettings, cfg: CheckInScheduleConfig) {
  const prefix = t.workflowIdPrefix ?? '';
  const input: WeeklyCheckInInput = {
    roadmapId: s.roadmapId,
    slot: s.slot,
    policy: checkInPolicyOf(s, cfg),
    workflowIdPrefix: prefix,
  };
  return {
    // Fires at the meeting slot; each run prepares the following week's meeting (domain/check-in/timeline.ts).
    spec: {
      calendars: [
        {
          dayOfWeek: DAYS[s.slot.weekday - 1]!,
          hour: Math.floor(s.slot.minute / 60),
          minute: s.slot.minute % 60,
          comment: 'weekly check-in slot',
        },
      ],
      timezone: cfg.timeZone,
    },
    action: {
      type: 'startWorkflow' as const,
      workflowType: WEEKLY_CHECK_IN_WORKFLOW,
      taskQueue: t.taskQueue,
      workflowId: checkInWorkflowIdBase(s.roadmapId, prefix),
      args: [input] as Parameters<typeof weeklyCheckIn>,
    },
    policies: {
      // Last week's run may still wait for its minutes when the next one starts.
      overlap: ScheduleOverlapPolicy.ALLOW_ALL,
      catchupWindow: CHECK_IN_CATCHUP_WINDOW,
      pauseOnFailure: false,
    },
    state: { paused: s.paused, note: s.paused ? 'paused by the working group' : 'weekly check-in' },
  };
}

export const checkInScheduleHandle = (t: TemporalHandle, roadmapId: number) =>
  t.client.schedule.getHandle(checkInScheduleId(roadmapId, t.workflowIdPrefix));

/** Creates the roadmap's Schedule, or brings an existing one in line with the settings. */
export async function ensureCheckInSchedule(
  t: TemporalHandle,
  s: CheckInScheduleSettings,
  cfg: CheckInScheduleConfig,
): Promise<'created' | 'updated'> {
  return createOrUpdateSchedule(t, checkInScheduleHandle(t, s.roadmapId).scheduleId, options(t, s, cfg));
}

export async function setCheckInSchedulePaused(t: TemporalHandle, roadmapId: number, paused: boolean) {
  const handle = checkInScheduleHandle(t, roadmapId);
  if (paused) await handle.pause('paused by the working group');
  else await handle.unpause('resumed by the working group');
}

/** "Run now": a run as if scheduled this moment, i.e. the cycle of the next meeting to come. */
export async function triggerCheckIn(t: TemporalHandle, roadmapId: number) {
  await checkInScheduleHandle(t, roadmapId).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
}

/** Runs for every slot in [start, end], as if that time passed now (recovering missed weeks). */
export async function backfillCheckIns(t: TemporalHandle, roadmapId: number, start: Date, end: Date) {
  await checkInScheduleHandle(t, roadmapId).backfill({
    start,
    end,
    overlap: ScheduleOverlapPolicy.ALLOW_ALL,
  });
}

export async function describeCheckInSchedule(
  t: TemporalHandle,
  roadmapId: number,
): Promise<ScheduleDescription | null> {
  try {
    return await checkInScheduleHandle(t, roadmapId).describe();
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) return null;
    throw e;
  }
}

/**
 * Every roadmap has its weekly check-in Schedule, as its settings say (default Friday 10:00 in the
 * region's zone). Safe to run on every start and from several processes: create-or-update.
 */
export async function ensureCheckInSchedules(
  db: Db,
  temporal: TemporalHandle,
  cfg: CheckInScheduleConfig,
): Promise<number> {
  const settings = await ensureScheduleSettings(db);
  for (const s of settings) await ensureCheckInSchedule(temporal, s, cfg);
  return settings.length;
}
