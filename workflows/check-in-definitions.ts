// Message definitions of the weekly check-in, shared by the workflow and its callers (web, scripts, tests).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CheckInPolicy, MeetingSlot, MinutesInput } from '../domain/check-in/index.ts';
import type { LocalDate } from '../domain/local-date.ts';
import type { Actor } from '../domain/roles.ts';

export const WEEKLY_CHECK_IN_WORKFLOW = 'weeklyCheckIn';

/** Runs started by a roadmap's Schedule get this id plus the Schedule's timestamp suffix. */
export const checkInWorkflowIdBase = (roadmapId: number, prefix = '') => `${prefix}check-in-${roadmapId}`;
export const checkInScheduleId = (roadmapId: number, prefix = '') =>
  `${prefix}check-in-schedule-${roadmapId}`;

export interface WeeklyCheckInInput {
  roadmapId: number;
  slot: MeetingSlot;
  policy: CheckInPolicy;
  /** Prefix of the workflow ids this run starts (instructions' controlItem workflows). */
  workflowIdPrefix: string;
  /**
   * The moment the run was scheduled for. Schedules leave it unset: the run reads the
   * TemporalScheduledStartTime search attribute the Schedule sets (tests on the time-skipping server,
   * which has no Schedules, pass it).
   */
  scheduledAt?: number;
}

export type CheckInStage = 'opening' | 'collecting' | 'held' | 'closed' | 'skipped' | 'duplicate';

export interface WeeklyCheckInResult {
  outcome: 'duplicate' | 'skipped' | 'closed' | 'closed_without_minutes';
  checkInId: number;
  meetingDate: LocalDate;
  itemIds: number[];
}

export interface CheckInRunState {
  checkInId: number | null;
  meetingDate: LocalDate;
  meetingAt: number;
  stage: CheckInStage;
  late: boolean;
}

export interface RecordMinutesArgs {
  actor: Actor;
  /** Unique per user action (the form's token). */
  eventId: string;
  minutes: MinutesInput;
}

export interface MinutesResult {
  checkInId: number;
  itemIds: number[];
}

export const recordMinutesUpdate = defineUpdate<MinutesResult, [RecordMinutesArgs]>('recordMinutes');
export const checkInStateQuery = defineQuery<CheckInRunState>('checkInState');
