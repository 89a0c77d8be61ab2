import {
  ensureScheduleSettings,
  getScheduleSettings,
  saveScheduleSettings,
  saveStatusNotes,
} from '../../db/check-ins.ts';
import type { Db } from '../../db/index.ts';
import { agencyNoteItems, allAgencies, getCheckIn } from '../../db/read-models/index.ts';
import {
  checkMinutes,
  nextMeetingDate,
  type CheckInScheduleSettings,
  type MinutesInput,
  type Problem,
} from '../../domain/check-in/index.ts';
import { conflict, forbidden, notFound, ShtabError } from '../../domain/errors.ts';
import {
  formatLocalDate,
  instantToLocalDate,
  localTimeToInstant,
  type LocalDate,
} from '../../domain/local-date.ts';
import { isAgencyRole, isProjectOffice, type Actor } from '../../domain/roles.ts';
import { unavailable, type TemporalHandle } from '../temporal.ts';
import { recordCheckInMinutes } from './minutes.ts';
import { ensureCheckInSchedule, triggerCheckIn, type CheckInScheduleConfig } from './schedules.ts';

// The weekly check-in's writes: the working group's schedule settings, "run now", the minutes; the
// agencies' status notes.

export interface CheckInDeps {
  db: Db;
  temporal: TemporalHandle;
  /** The region's zone and offset: Schedules fire in the region's time. */
  schedule: CheckInScheduleConfig;
}

const projectOfficeOnly = (actor: Actor) => {
  if (!isProjectOffice(actor.role))
    throw forbidden('error.forbidden.projectOfficeOnly', 'only the working group manages check-ins');
};

const temporalCall = <T>(fn: () => Promise<T>) =>
  fn().catch((e: unknown) => {
    throw unavailable(e);
  });

/** A roadmap's settings, or the default ones (a roadmap without its row yet). */
async function settingsOrDefault(db: Db, roadmapId: number) {
  const s =
    (await getScheduleSettings(db, roadmapId)) ??
    (await ensureScheduleSettings(db)).find((x) => x.roadmapId === roadmapId);
  if (!s) throw notFound('error.notFound', `roadmap ${roadmapId} not found`);
  return s;
}

/**
 * New weekday, time or request days for a roadmap's meeting: saved only if the Temporal Schedule took
 * them too (the settings stay as they were when Temporal refuses).
 */
export async function saveCheckInSchedule(
  deps: CheckInDeps,
  o: { actor: Actor; settings: Omit<CheckInScheduleSettings, 'paused'> },
) {
  projectOfficeOnly(o.actor);
  return saveScheduleSettings(deps.db, o.settings, o.actor.userId, (saved) =>
    temporalCall(() => ensureCheckInSchedule(deps.temporal, saved, deps.schedule).then(() => {})),
  );
}

/** Pauses or resumes a roadmap's weekly check-in. */
export async function pauseCheckIns(
  deps: CheckInDeps,
  o: { actor: Actor; roadmapId: number; paused: boolean },
) {
  projectOfficeOnly(o.actor);
  const s = await settingsOrDefault(deps.db, o.roadmapId);
  return saveScheduleSettings(deps.db, { ...s, paused: o.paused }, o.actor.userId, (saved) =>
    temporalCall(() => ensureCheckInSchedule(deps.temporal, saved, deps.schedule).then(() => {})),
  );
}

/**
 * "Run now": opens the cycle of the next meeting at once (a Schedule trigger), unless a check-in already
 * prepares that meeting or the meeting falls on a holiday. `dateParam` formats the meeting date for the
 * message.
 */
export async function runCheckInNow(
  deps: CheckInDeps,
  o: { actor: Actor; roadmapId: number; locale: 'ru' | 'en' },
) {
  projectOfficeOnly(o.actor);
  const s = await settingsOrDefault(deps.db, o.roadmapId);
  const offset = deps.schedule.utcOffsetMinutes;
  const meeting = nextMeetingDate(Date.now(), s.slot, offset);
  const existing = await deps.db
    .selectFrom('check_in')
    .select(['id', 'status'])
    .where('roadmap_id', '=', s.roadmapId)
    .where('meeting_at', '=', new Date(localTimeToInstant(meeting, s.slot.minute, offset)))
    .executeTakeFirst();
  const date = formatLocalDate(meeting, o.locale);
  if (existing?.status === 'skipped')
    throw conflict('error.checkIn.meetingSkipped', `the meeting of ${meeting} falls on a holiday`, { date });
  if (existing)
    throw conflict('error.checkIn.alreadyOpen', `check-in ${existing.id} already prepares that meeting`, {
      date,
    });
  await temporalCall(async () => {
    await ensureCheckInSchedule(deps.temporal, s, deps.schedule);
    await triggerCheckIn(deps.temporal, s.roadmapId);
  });
}

/**
 * The minutes of a held meeting: checked whole first (every problem with its row, agencies included),
 * then handed to the check-in's workflow, which stores them and puts each instruction under control
 * (app/control-items). The idempotency key makes a double post harmless.
 */
export async function recordMinutes(
  deps: CheckInDeps,
  o: { actor: Actor; checkInId: number; idempotencyKey: string; minutes: MinutesInput; problems?: Problem[] },
): Promise<{ ok: true; itemIds: number[] } | { ok: false; problems: Problem[] }> {
  projectOfficeOnly(o.actor);
  const ci = await getCheckIn(deps.db, o.checkInId);
  if (!ci) throw notFound('error.checkIn.notFound', `check-in ${o.checkInId} not found`);
  if (ci.status !== 'held') throw conflict('error.checkIn.notHeld', `check-in ${ci.id} is ${ci.status}`);
  const meetingDate = instantToLocalDate(ci.meeting_at.getTime(), deps.schedule.utcOffsetMinutes);
  const checked = checkMinutes(o.minutes, { meetingDate });
  const problems = [...(o.problems ?? []), ...checked.problems];
  // Agencies must exist: checked here so the form says which row, before anything reaches Temporal.
  const known = new Set((await allAgencies(deps.db)).map((a) => a.id));
  o.minutes.decisions.forEach((d, i) => {
    if (d.agencyId !== null && !known.has(d.agencyId))
      problems.push({ field: `decisions.${i}.agency`, key: 'error.checkIn.unknownAgency' });
    if (d.coAgencyIds.some((a) => !known.has(a)))
      problems.push({ field: `decisions.${i}.coAgencies`, key: 'error.checkIn.unknownAgency' });
  });
  if (problems.length) return { ok: false, problems };
  if (!ci.workflow_id) throw conflict('error.checkIn.notRunning', 'no workflow');
  const r = await recordCheckInMinutes(deps.temporal, ci.workflow_id, {
    actor: o.actor,
    eventId: o.idempotencyKey,
    minutes: o.minutes,
  });
  return { ok: true, itemIds: r.itemIds };
}

/**
 * An agency's status notes for the items it was asked about (agency users of an agency that was asked;
 * db/check-ins.ts saveStatusNotes checks the rest: collecting, only requested items).
 */
export async function recordStatusNotes(
  db: Db,
  o: { actor: Actor; checkInId: number; notes: { itemId: number; body: string }[]; today: LocalDate },
) {
  if (!isAgencyRole(o.actor.role) || o.actor.agencyId === null)
    throw forbidden('error.forbidden.agencyOnly', 'only agencies write status notes');
  const { request } = await agencyNoteItems(db, o.checkInId, o.actor.agencyId, o.today);
  if (!request)
    throw new ShtabError('forbidden', 'this agency was not asked', { key: 'error.checkIn.notAsked' });
  return saveStatusNotes(db, {
    checkInId: o.checkInId,
    agencyId: o.actor.agencyId,
    userId: o.actor.userId,
    notes: o.notes,
  });
}
