import type { CheckInPolicy, DigestSummary, MinutesInput } from '../../domain/check-in/index.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import type { Actor } from '../../domain/roles.ts';

export interface OpenCheckInInput {
  roadmapId: number;
  meetingAt: number;
  meetingDate: LocalDate;
  /** Local "HH:MM" of the meeting, for the invitation. */
  meetingTime: string;
  workflowId: string;
  /** Why the meeting does not take place (recorded as a skipped check-in), or null. */
  skipped: 'holiday' | null;
  /** The run starts after the meeting: no invitation. */
  late: boolean;
  at: number;
}

export interface OpenCheckInResult {
  checkInId: number;
  /** Another run already holds this roadmap's meeting: this run does nothing. */
  duplicate: boolean;
}

export interface CheckInStepInput {
  checkInId: number;
  /** Workflow time of the step (ms). */
  at: number;
  policy: CheckInPolicy;
  meetingTime: string;
}

export interface BuildDigestInput extends CheckInStepInput {
  late: boolean;
}

export interface RecordMinutesInput {
  checkInId: number;
  /** Idempotency key of the user's action. */
  eventId: string;
  actor: Actor;
  at: number;
  meetingDate: LocalDate;
  /** Already validated by the workflow (domain validateMinutes). */
  minutes: MinutesInput;
}

export interface StartInstructionsInput {
  itemIds: number[];
  workflowIdPrefix: string;
  utcOffsetMinutes: number;
}

/** The activities a weeklyCheckIn workflow calls. Workflows import this type only. */
export interface CheckInActivities {
  openCheckIn(input: OpenCheckInInput): Promise<OpenCheckInResult>;
  sendStatusRequests(input: CheckInStepInput): Promise<{ agencies: number; items: number }>;
  chaseSilentAgencies(input: CheckInStepInput): Promise<{ agencies: number }>;
  buildDigest(input: BuildDigestInput): Promise<DigestSummary>;
  emailDigest(input: CheckInStepInput): Promise<{ recipients: number }>;
  recordMinutes(input: RecordMinutesInput): Promise<{ itemIds: number[] }>;
  startInstructions(input: StartInstructionsInput): Promise<void>;
  closeWithoutMinutes(input: { checkInId: number; at: number }): Promise<void>;
}
