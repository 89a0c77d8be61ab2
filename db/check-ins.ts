import { sql } from 'kysely';
import {
  DEFAULT_CHECK_IN_POLICY,
  DEFAULT_MEETING_SLOT,
  type CheckInScheduleSettings,
} from '../domain/check-in/index.ts';
import { conflict, forbidden, notFound, validation } from '../domain/errors.ts';
import type { Db } from './connect.ts';

// Writes of the weekly check-in that are not lifecycle: schedule settings and status notes. Used by the
// web, scripts and tests alike.

type Settings = CheckInScheduleSettings;

const toSettings = (r: {
  roadmap_id: number;
  weekday: number;
  meeting_minute: number;
  request_working_days: number;
  paused: boolean;
}): Settings => ({
  roadmapId: r.roadmap_id,
  slot: { weekday: r.weekday, minute: r.meeting_minute },
  requestWorkingDaysBefore: r.request_working_days,
  paused: r.paused,
});

/** Every roadmap's settings; roadmaps without a row get the default (Friday 10:00, two working days). */
export async function ensureScheduleSettings(db: Db): Promise<Settings[]> {
  await db
    .insertInto('check_in_schedule')
    .columns(['roadmap_id', 'weekday', 'meeting_minute', 'request_working_days'])
    .expression((eb) =>
      eb
        .selectFrom('roadmap')
        .select([
          'id',
          sql<number>`${DEFAULT_MEETING_SLOT.weekday}::int`.as('weekday'),
          sql<number>`${DEFAULT_MEETING_SLOT.minute}::int`.as('meeting_minute'),
          sql<number>`${DEFAULT_CHECK_IN_POLICY.requestWorkingDaysBefore}::int`.as('request_working_days'),
        ]),
    )
    .onConflict((oc) => oc.column('roadmap_id').doNothing())
    .execute();
  const rows = await db.selectFrom('check_in_schedule').selectAll().orderBy('roadmap_id').execute();
  return rows.map(toSettings);
}

export async function getScheduleSettings(db: Db, roadmapId: number): Promise<Settings | null> {
  const r = await db
    .selectFrom('check_in_schedule')
    .selectAll()
    .where('roadmap_id', '=', roadmapId)
    .executeTakeFirst();
  return r ? toSettings(r) : null;
}

/**
 * Saves settings and runs `apply` (the Temporal Schedule update) before committing: if Temporal refuses,
 * the settings stay as they were.
 */
export async function saveScheduleSettings(
  db: Db,
  s: Omit<Settings, 'paused'> & { paused?: boolean },
  userId: number,
  apply: (saved: Settings) => Promise<void>,
): Promise<Settings> {
  return db.transaction().execute(async (trx) => {
    const roadmap = await trx
      .selectFrom('roadmap')
      .select('id')
      .where('id', '=', s.roadmapId)
      .executeTakeFirst();
    if (!roadmap) throw notFound('error.notFound', `roadmap ${s.roadmapId} not found`);
    const values = {
      weekday: s.slot.weekday,
      meeting_minute: s.slot.minute,
      request_working_days: s.requestWorkingDaysBefore,
      ...(s.paused !== undefined ? { paused: s.paused } : {}),
      updated_by: userId,
      updated_at: new Date(),
    };
    const row = await trx
      .insertInto('check_in_schedule')
      .values({ roadmap_id: s.roadmapId, ...values })
      .onConflict((oc) => oc.column('roadmap_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    const saved = toSettings(row);
    await apply(saved);
    return saved;
  });
}

export const MAX_NOTE = 2_000;

/**
 * An agency's status notes for a check-in: one per requested item (a second save replaces the text and
 * records the new author). Allowed while the check-in collects notes, only for the items the agency was
 * asked about. When every requested item has a note the request counts as answered, by this user.
 */
export async function saveStatusNotes(
  db: Db,
  o: {
    checkInId: number;
    agencyId: number;
    userId: number;
    notes: { itemId: number; body: string }[];
    /** When the answer counts as given (tests on a skipped clock pass theirs). */
    at?: Date;
  },
): Promise<{ saved: number; answered: boolean }> {
  return db.transaction().execute(async (trx) => {
    const checkIn = await trx
      .selectFrom('check_in')
      .select(['id', 'status'])
      .where('id', '=', o.checkInId)
      .forUpdate()
      .executeTakeFirst();
    if (!checkIn) throw notFound('error.notFound', `check-in ${o.checkInId} not found`);
    if (checkIn.status !== 'collecting') {
      throw conflict('error.checkIn.notesClosed', 'the digest is built: status notes are closed');
    }
    const request = await trx
      .selectFrom('status_request')
      .selectAll()
      .where('check_in_id', '=', o.checkInId)
      .where('agency_id', '=', o.agencyId)
      .executeTakeFirst();
    const asked = new Set(request?.item_ids ?? []);
    for (const n of o.notes) {
      if (!asked.has(n.itemId)) {
        throw forbidden(
          'error.checkIn.notYourItem',
          `item ${n.itemId} was not asked of agency ${o.agencyId}`,
        );
      }
    }
    const given = o.notes.map((n) => ({ ...n, body: n.body.trim() })).filter((n) => n.body !== '');
    for (const n of given) {
      if (n.body.length > MAX_NOTE) {
        throw validation(`note_${n.itemId}`, 'error.field.tooLong', 'note too long', { max: MAX_NOTE });
      }
    }
    if (given.length === 0) {
      const first = o.notes[0]?.itemId;
      throw validation(first ? `note_${first}` : 'notes', 'error.checkIn.noteEmpty', 'no status note given');
    }
    for (const n of given) {
      await trx
        .insertInto('status_note')
        .values({
          check_in_id: o.checkInId,
          control_item_id: n.itemId,
          agency_id: o.agencyId,
          author_user_id: o.userId,
          body: n.body,
        })
        .onConflict((oc) =>
          oc
            .columns(['check_in_id', 'control_item_id'])
            .doUpdateSet({ body: n.body, author_user_id: o.userId }),
        )
        .execute();
    }
    const noted = await trx
      .selectFrom('status_note')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('check_in_id', '=', o.checkInId)
      .where('control_item_id', 'in', [...asked])
      .executeTakeFirstOrThrow();
    const answered = noted.n >= asked.size;
    if (answered && request && !request.answered_at) {
      await trx
        .updateTable('status_request')
        .set({ answered_at: o.at ?? new Date(), answered_by: o.userId })
        .where('id', '=', request.id)
        .execute();
    }
    return { saved: given.length, answered };
  });
}
