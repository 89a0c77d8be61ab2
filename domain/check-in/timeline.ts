import { addWorkingDays, isWorkingDay } from '../calendar/index.ts';
import {
  addDays,
  instantToLocalDate,
  isoWeekday,
  localTimeToInstant,
  type LocalDate,
} from '../local-date.ts';

/** When the weekly meeting takes place: ISO weekday (1 = Monday) and local minute of day. */
export interface MeetingSlot {
  weekday: number;
  minute: number;
}

/**
 * How a weekly check-in runs. Data, not code: the schedule's settings fill it in and tests pass their own.
 * All times are local to the region (fixed UTC offset, see docs/decisions.md §3).
 */
export interface CheckInPolicy {
  utcOffsetMinutes: number;
  /** Status notes are asked for this many working days before the meeting… */
  requestWorkingDaysBefore: number;
  /** …at this local minute of day (600 = 10:00). */
  requestAtMinute: number;
  /** Agencies that have not answered are chased once on the eve (the preceding working day) at this time. */
  chaseAtMinute: number;
  /** Open items due within this many working days are "at risk". */
  atRiskWorkingDays: number;
  /** The digest lists deadlines of the next this-many calendar days ("next 2 weeks"). */
  upcomingDays: number;
  /** After the meeting the check-in waits this many days for its minutes, then closes without them. */
  minutesWaitDays: number;
}

export const DEFAULT_CHECK_IN_POLICY: CheckInPolicy = {
  utcOffsetMinutes: 7 * 60,
  requestWorkingDaysBefore: 2,
  requestAtMinute: 10 * 60,
  chaseAtMinute: 10 * 60,
  atRiskWorkingDays: 5,
  upcomingDays: 14,
  minutesWaitDays: 14,
};

export const DEFAULT_MEETING_SLOT: MeetingSlot = { weekday: 5, minute: 10 * 60 };

/**
 * The meeting a run prepares: the first slot strictly after the moment the run was scheduled for. The
 * Schedule fires at the meeting slot itself, so each run opens the cycle of the following week's meeting
 * (and "run now" opens the cycle of the next meeting to come).
 */
export function nextMeetingDate(afterMs: number, slot: MeetingSlot, utcOffsetMinutes: number): LocalDate {
  let d = instantToLocalDate(afterMs, utcOffsetMinutes);
  for (let i = 0; i < 8; i++, d = addDays(d, 1)) {
    if (isoWeekday(d) === slot.weekday && localTimeToInstant(d, slot.minute, utcOffsetMinutes) > afterMs) {
      return d;
    }
  }
  throw new RangeError(`no meeting slot after ${afterMs} for weekday ${slot.weekday}`);
}

export interface CheckInTimeline {
  meetingDate: LocalDate;
  meetingAt: number;
  /** The meeting day is not a working day in the Russian calendar: the check-in is skipped. */
  holiday: boolean;
  requestDate: LocalDate;
  requestAt: number;
  /** The eve: the working day before the meeting. */
  chaseDate: LocalDate;
  chaseAt: number;
}

export function planCheckIn(meetingDate: LocalDate, minute: number, policy: CheckInPolicy): CheckInTimeline {
  const at = (d: LocalDate, m: number) => localTimeToInstant(d, m, policy.utcOffsetMinutes);
  const requestDate = addWorkingDays(meetingDate, -policy.requestWorkingDaysBefore);
  const chaseDate = addWorkingDays(meetingDate, -1);
  return {
    meetingDate,
    meetingAt: at(meetingDate, minute),
    holiday: !isWorkingDay(meetingDate),
    requestDate,
    requestAt: at(requestDate, policy.requestAtMinute),
    chaseDate,
    chaseAt: at(chaseDate, policy.chaseAtMinute),
  };
}

export type CheckInStepKey = 'requests' | 'chase' | 'digest';
export interface CheckInStep {
  key: CheckInStepKey;
  /** When to act (ms); in the past means "now". */
  at: number;
}

/**
 * What a run still does, given when it starts. A run that starts after the meeting (a backfill, an outage
 * longer than the catch-up window) builds a late digest and asks nobody. Requests that are late go out at
 * once; the chase happens only if the requests went out on an earlier day than the eve — agencies get at
 * least one working day to answer before anyone chases them.
 */
export function planSteps(t: CheckInTimeline, startedAt: number, utcOffsetMinutes: number) {
  if (startedAt >= t.meetingAt) {
    return { late: true, steps: [{ key: 'digest', at: t.meetingAt }] as CheckInStep[] };
  }
  const requestsAt = Math.max(t.requestAt, startedAt);
  const steps: CheckInStep[] = [{ key: 'requests', at: requestsAt }];
  if (instantToLocalDate(requestsAt, utcOffsetMinutes) < t.chaseDate && t.chaseAt < t.meetingAt) {
    steps.push({ key: 'chase', at: t.chaseAt });
  }
  steps.push({ key: 'digest', at: t.meetingAt });
  return { late: false, steps };
}
