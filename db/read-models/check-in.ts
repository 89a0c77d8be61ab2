import { sql } from 'kysely';
import type { Db } from '../connect.ts';
import type { DigestEventRow, DigestInput, DigestItemRow } from '../../domain/check-in/index.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { overdueSql } from './items.ts';

// Read models of the weekly check-in: the digest's inputs (one query per section, assembled by
// domain/check-in/digest.ts) and the pages' lists. Roadmap-scoped: instructions given at a check-in carry
// the check-in's roadmap.

/** Every item of the roadmap with what the digest needs; "on time" by the region's calendar. */
export async function digestItems(db: Db, roadmapId: number, timeZone: string): Promise<DigestItemRow[]> {
  return db
    .selectFrom('control_item as i')
    .select([
      'i.id',
      'i.number',
      'i.kind',
      'i.title_ru',
      'i.title_en',
      'i.agency_id',
      'i.status',
      'i.current_due',
      'i.escalation_level',
      sql<boolean>`coalesce(i.status = 'done' and (i.accepted_at at time zone ${timeZone})::date <= i.current_due, false)`.as(
        'done_on_time',
      ),
      sql<LocalDate | null>`(i.accepted_at at time zone ${timeZone})::date`.as('accepted_on'),
    ])
    .where('i.roadmap_id', '=', roadmapId)
    .orderBy('i.id')
    .execute();
}

/** Acceptances, returns and approved extensions of the roadmap's items in (since, until]. */
export async function digestEvents(
  db: Db,
  roadmapId: number,
  since: Date,
  until: Date,
): Promise<DigestEventRow[]> {
  const rows = await db
    .selectFrom('event as e')
    .innerJoin('control_item as i', 'i.id', 'e.control_item_id')
    .select([
      'e.control_item_id as item_id',
      'e.type',
      'e.at',
      sql<LocalDate | null>`e.before->>'currentDue'`.as('before_due'),
      sql<LocalDate | null>`e.after->>'currentDue'`.as('after_due'),
      sql<string | null>`coalesce(e.data->>'reason', e.data->>'note')`.as('reason'),
    ])
    .where('i.roadmap_id', '=', roadmapId)
    .where('e.type', 'in', ['accepted', 'returned', 'extension_approved'])
    .where('e.at', '>', since)
    .where('e.at', '<=', until)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({ ...r, item_id: r.item_id!, type: r.type as DigestEventRow['type'] }));
}

/**
 * Instructions the digest reports first ("what I asked for last week"): those given since the previous
 * digest — at the previous meeting's minutes, or from an item, a red-list row or a meeting page (issue 13)
 * — and older ones under special control that are still open or were closed since.
 */
export async function digestInstructions(
  db: Db,
  roadmapId: number,
  previousCheckInId: number | null,
  since: Date,
): Promise<DigestInput['instructions']> {
  return db
    .selectFrom('control_item as i')
    .leftJoin('check_in_decision as d', 'd.control_item_id', 'i.id')
    .select([
      'i.id as item_id',
      'i.check_in_id',
      sql<boolean>`i.special_control or coalesce(d.special_control, false)`.as('special_control'),
      sql<boolean>`i.created_at > ${since} or i.check_in_id is not distinct from ${previousCheckInId}`.as(
        'given_since',
      ),
    ])
    .where('i.kind', '=', 'instruction')
    .where('i.roadmap_id', '=', roadmapId)
    .where((eb) =>
      eb.or([
        eb('i.check_in_id', '=', previousCheckInId ?? -1),
        eb('i.created_at', '>', since),
        eb.and([
          eb.or([eb('i.special_control', '=', true), eb('d.special_control', '=', true)]),
          eb.or([eb('i.status', 'not in', ['done', 'cancelled']), eb('i.closed_at', '>', since)]),
        ]),
      ]),
    )
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute();
}

export async function checkInNotes(db: Db, checkInId: number) {
  return db
    .selectFrom('status_note as n')
    .innerJoin('control_item as i', 'i.id', 'n.control_item_id')
    .leftJoin('app_user as u', 'u.id', 'n.author_user_id')
    .select([
      'n.control_item_id as item_id',
      'i.number',
      'i.title_ru',
      'i.title_en',
      'n.agency_id',
      'u.display_name as author',
      'n.body',
      'n.created_at',
    ])
    .where('n.check_in_id', '=', checkInId)
    .orderBy('n.agency_id')
    .orderBy('n.control_item_id')
    .execute();
}

export async function checkInRequests(db: Db, checkInId: number) {
  return db
    .selectFrom('status_request as r')
    .leftJoin('app_user as u', 'u.id', 'r.answered_by')
    .select([
      'r.agency_id',
      'r.item_ids',
      'r.requested_at',
      'r.answered_at',
      'u.display_name as answered_by',
      'r.chased_at',
    ])
    .where('r.check_in_id', '=', checkInId)
    .orderBy('r.agency_id')
    .execute();
}

/** Plan and actual of every life situation's indicators, oldest period first. */
export async function kpiTrajectory(db: Db): Promise<DigestInput['kpis']> {
  return db
    .selectFrom('indicator as k')
    .innerJoin('indicator_value as v', 'v.indicator_id', 'k.id')
    .select([
      'k.id as indicator_id',
      'k.life_situation_id',
      'k.code',
      'k.title_ru',
      'k.title_en',
      'k.unit',
      'k.higher_is_better',
      'v.period',
      'v.plan',
      'v.actual',
    ])
    .orderBy('k.id')
    .orderBy('v.period')
    .execute();
}

/** The latest earlier check-in of the roadmap that has a digest: what "since last week" means. */
export async function previousDigestCheckIn(db: Db, roadmapId: number, meetingAt: Date) {
  return db
    .selectFrom('check_in')
    .select(['id', 'meeting_at', 'digest_at', 'digest'])
    .where('roadmap_id', '=', roadmapId)
    .where('meeting_at', '<', meetingAt)
    .where('digest', 'is not', null)
    .orderBy('meeting_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

// ---- Pages --------------------------------------------------------------------------------------------

export async function listCheckIns(db: Db, roadmapId?: number) {
  let q = db
    .selectFrom('check_in as c')
    .leftJoin('roadmap as r', 'r.id', 'c.roadmap_id')
    .select([
      'c.id',
      'c.roadmap_id',
      'c.meeting_at',
      'c.status',
      'c.digest_at',
      'c.workflow_id',
      'r.title_ru as roadmap_title_ru',
      'r.title_en as roadmap_title_en',
      sql<number>`(select count(*)::int from status_request s where s.check_in_id = c.id)`.as('requests'),
      sql<number>`(select count(*)::int from status_request s where s.check_in_id = c.id and s.answered_at is not null)`.as(
        'answered',
      ),
      sql<number>`(select count(*)::int from check_in_decision d where d.check_in_id = c.id and d.control_item_id is not null)`.as(
        'instructions',
      ),
      sql<number | null>`jsonb_array_length(c.digest->'redList')`.as('red_list'),
      sql<number | null>`jsonb_array_length(c.digest->'changes'->'closed')`.as('closed'),
    ])
    .orderBy('c.meeting_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(200);
  if (roadmapId) q = q.where('c.roadmap_id', '=', roadmapId);
  return q.execute();
}

export async function getCheckIn(db: Db, id: number) {
  return db
    .selectFrom('check_in as c')
    .leftJoin('roadmap as r', 'r.id', 'c.roadmap_id')
    .selectAll('c')
    .select(['r.title_ru as roadmap_title_ru', 'r.title_en as roadmap_title_en', 'r.code as roadmap_code'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function checkInDecisions(db: Db, checkInId: number) {
  return db
    .selectFrom('check_in_decision as d')
    .leftJoin('control_item as i', 'i.id', 'd.control_item_id')
    .select([
      'd.id',
      'd.seq',
      'd.text',
      'd.agency_id',
      'd.co_agency_ids',
      'd.due',
      'd.special_control',
      'd.control_item_id',
      'i.status as item_status',
    ])
    .where('d.check_in_id', '=', checkInId)
    .orderBy('d.seq')
    .execute();
}

/** The items one agency was asked about, with its notes so far (the agency's note form). */
export async function agencyNoteItems(db: Db, checkInId: number, agencyId: number, today: LocalDate) {
  const request = await db
    .selectFrom('status_request')
    .selectAll()
    .where('check_in_id', '=', checkInId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  if (!request || request.item_ids.length === 0) return { request: request ?? null, items: [] };
  const items = await db
    .selectFrom('control_item as i')
    .leftJoin('status_note as n', (j) =>
      j.onRef('n.control_item_id', '=', 'i.id').on('n.check_in_id', '=', checkInId),
    )
    .leftJoin('app_user as u', 'u.id', 'n.author_user_id')
    .select([
      'i.id',
      'i.number',
      'i.kind',
      'i.title_ru',
      'i.title_en',
      'i.status',
      'i.current_due',
      overdueSql(today).as('overdue'),
      'n.body as note',
      'u.display_name as note_author',
    ])
    .where('i.id', 'in', request.item_ids)
    .orderBy('i.current_due')
    .orderBy('i.id')
    .execute();
  return { request, items };
}

export async function checkInSchedules(db: Db) {
  return db
    .selectFrom('roadmap as r')
    .leftJoin('check_in_schedule as s', 's.roadmap_id', 'r.id')
    .select([
      'r.id as roadmap_id',
      'r.code',
      'r.title_ru',
      'r.title_en',
      's.weekday',
      's.meeting_minute',
      's.request_working_days',
      's.paused',
      's.updated_at',
    ])
    .orderBy('r.id')
    .execute();
}
