import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { CalendarActivities } from '../activities/calendar/types.ts';
import type { CheckInActivities } from '../activities/check-in/types.ts';
import { installCalendar } from '../domain/calendar/index.ts';
import {
  formatMinute,
  nextMeetingDate,
  planCheckIn,
  planSteps,
  validateMinutes,
} from '../domain/check-in/index.ts';
import { conflict, forbidden, ShtabError } from '../domain/errors.ts';
import { isProjectOffice } from '../domain/roles.ts';
import {
  checkInStateQuery,
  recordMinutesUpdate,
  type CheckInStage,
  type RecordMinutesArgs,
  type WeeklyCheckInInput,
  type WeeklyCheckInResult,
} from './check-in-definitions.ts';
import { createLock } from './lock.ts';

const acts = proxyActivities<CheckInActivities>({
  startToCloseTimeout: '2 minutes',
  // No attempt limit: an outage delays the check-in, it must not lose it. Rule violations are final.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const calendarActs = proxyActivities<CalendarActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** patched() ids of this workflow (replay of histories recorded before each change: test/workflows). */
export const CHECK_IN_PATCHES = {
  /**
   * A run reads the working-day calendar in force before planning (holidays skip a meeting; requests go
   * out working days before it). A run lasts a week: later calendar changes need not reach it.
   */
  calendarAtStart: 'calendar-at-start',
} as const;

const DAY_MS = 86_400_000;

function toFailure(e: unknown): unknown {
  if (e instanceof ShtabError) {
    return ApplicationFailure.create({
      message: e.message,
      type: e.code,
      nonRetryable: true,
      details: [e.detail],
    });
  }
  // A final failure of an activity (rule violation) goes back to the caller as it is.
  if (e instanceof ActivityFailure && e.cause instanceof ApplicationFailure) return e.cause;
  return e;
}

/** Set by the Schedule on every run it starts: the nominal time, not the possibly later actual start. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

function scheduledStartTime(): number | undefined {
  const v = workflowInfo().typedSearchAttributes.get(SCHEDULED_START);
  return v ? new Date(v).getTime() : undefined;
}

async function sleepUntil(at: number) {
  const wait = at - Date.now();
  if (wait > 0) await sleep(wait);
}

/**
 * One week's check-in of a roadmap, started by the roadmap's Schedule at the meeting slot: it prepares the
 * next meeting. Skips a meeting that falls on a holiday; otherwise asks the agencies for status notes,
 * chases the silent on the eve, builds and emails the digest at meeting time, and waits for the minutes
 * (Update recordMinutes): each instruction becomes a controlled item with its own workflow.
 */
export async function weeklyCheckIn(input: WeeklyCheckInInput): Promise<WeeklyCheckInResult> {
  const { policy, slot } = input;
  if (patched(CHECK_IN_PATCHES.calendarAtStart)) installCalendar(await calendarActs.currentCalendar());
  const scheduledAt = input.scheduledAt ?? scheduledStartTime() ?? workflowInfo().startTime.getTime();
  const meetingDate = nextMeetingDate(scheduledAt, slot, policy.utcOffsetMinutes);
  const timeline = planCheckIn(meetingDate, slot.minute, policy);
  const plan = planSteps(timeline, Date.now(), policy.utcOffsetMinutes);
  const meetingTime = formatMinute(slot.minute);
  const withLock = createLock();
  let stage: CheckInStage = 'opening';
  let checkInId: number | null = null;
  let itemIds: number[] = [];

  setHandler(checkInStateQuery, () => ({
    checkInId,
    meetingDate,
    meetingAt: timeline.meetingAt,
    stage,
    late: plan.late,
  }));

  const check = (args: RecordMinutesArgs) => {
    if (!isProjectOffice(args.actor.role)) {
      throw forbidden('error.forbidden.projectOfficeOnly', 'only the working group records minutes');
    }
    if (stage !== 'held') throw conflict('error.checkIn.notHeld', `minutes are not expected now (${stage})`);
    return validateMinutes(args.minutes, { meetingDate });
  };
  setHandler(
    recordMinutesUpdate,
    (args) =>
      withLock(async () => {
        try {
          const minutes = check(args); // again under the lock: the state may have moved on
          const recorded = await acts.recordMinutes({
            checkInId: checkInId!,
            eventId: args.eventId,
            actor: args.actor,
            at: Date.now(),
            meetingDate,
            minutes,
          });
          await acts.startInstructions({
            itemIds: recorded.itemIds,
            workflowIdPrefix: input.workflowIdPrefix,
            utcOffsetMinutes: policy.utcOffsetMinutes,
          });
          itemIds = recorded.itemIds;
          stage = 'closed';
          return { checkInId: checkInId!, itemIds };
        } catch (e) {
          throw toFailure(e);
        }
      }),
    {
      validator: (args) => {
        try {
          check(args);
        } catch (e) {
          throw toFailure(e);
        }
      },
    },
  );

  const opened = await acts.openCheckIn({
    roadmapId: input.roadmapId,
    meetingAt: timeline.meetingAt,
    meetingDate,
    meetingTime,
    workflowId: workflowInfo().workflowId,
    skipped: timeline.holiday ? 'holiday' : null,
    late: plan.late,
    at: Date.now(),
  });
  checkInId = opened.checkInId;
  const result = (outcome: WeeklyCheckInResult['outcome']): WeeklyCheckInResult => ({
    outcome,
    checkInId: opened.checkInId,
    meetingDate,
    itemIds,
  });
  if (opened.duplicate) {
    stage = 'duplicate';
    return result('duplicate');
  }
  if (timeline.holiday) {
    stage = 'skipped';
    return result('skipped');
  }

  stage = 'collecting';
  const step = { checkInId, policy, meetingTime };
  for (const s of plan.steps) {
    await sleepUntil(s.at);
    if (s.key === 'requests') await acts.sendStatusRequests({ ...step, at: Date.now() });
    else if (s.key === 'chase') await acts.chaseSilentAgencies({ ...step, at: Date.now() });
    else {
      await acts.buildDigest({ ...step, at: Date.now(), late: plan.late });
      await acts.emailDigest({ ...step, at: Date.now() });
    }
  }

  stage = 'held';
  await condition(() => stage === 'closed', policy.minutesWaitDays * DAY_MS);
  let withoutMinutes = false;
  await withLock(async () => {
    if (stage === 'closed') return; // the minutes won the race
    await acts.closeWithoutMinutes({ checkInId: opened.checkInId, at: Date.now() });
    stage = 'closed';
    withoutMinutes = true;
  });
  await condition(allHandlersFinished);
  return result(withoutMinutes ? 'closed_without_minutes' : 'closed');
}
