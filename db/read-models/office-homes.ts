import { sql, type SqlBool } from 'kysely';
import type { Db } from '../connect.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { AGENCY_AND_ROADMAP_OF_ITEM, overdueSql } from './items.ts';

// The working group's and the leadership's homes: the review queue with deadlines and lateness, what waits
// for a decision, the instructions given and their fate, the next meeting.

/** When the report under review reached the working group: its sign-off, else its submission. */
const reportedAt = sql<Date | null>`(select max(coalesce(s.signoff_at, s.submitted_at)) from submission s
  where s.control_item_id = i.id and not s.is_part and s.signoff_status is distinct from 'returned')`;

/**
 * Reports waiting for review, oldest first (the queue's order, also "next in queue"), with the control
 * date, when the report came and the instruction's author (who may review it too).
 */
export async function reportsToReview(db: Db, o: { authorUserId?: number } = {}) {
  let q = db
    .selectFrom('control_item as i')
    .innerJoin('agency as a', 'a.id', 'i.agency_id')
    .leftJoin('roadmap as rm', 'rm.id', 'i.roadmap_id')
    .select([
      'i.id',
      'i.kind',
      'i.number',
      'i.title_ru',
      'i.title_en',
      'i.current_due',
      'i.review_round',
      'i.escalation_level',
      'i.author_user_id',
      ...AGENCY_AND_ROADMAP_OF_ITEM,
      reportedAt.as('submitted_at'),
    ])
    .where('i.status', '=', 'submitted');
  if (o.authorUserId) q = q.where('i.author_user_id', '=', o.authorUserId);
  return q
    .orderBy(sql`submitted_at`)
    .orderBy('i.id')
    .execute();
}

/** The report after `itemId` in the queue's order (the first one when it is not in the queue any more). */
export async function nextReportInQueue(db: Db, o: { after: number; authorUserId?: number }) {
  const { queue, here } = await inQueue(db, o.after, o.authorUserId);
  return (here >= 0 ? queue[here + 1] : queue.find((r) => r.id !== o.after)) ?? null;
}

/** Where a report stands in the queue it was opened from: «отчёт 2 из 8»; null when it is not in it. */
export async function queuePosition(db: Db, o: { itemId: number; authorUserId?: number }) {
  const { queue, here } = await inQueue(db, o.itemId, o.authorUserId);
  return here >= 0 ? { at: here + 1, of: queue.length } : null;
}

/** The review queue (everyone's, or one author's instructions') and the item's place in it (-1: not in it). */
async function inQueue(db: Db, itemId: number, authorUserId?: number) {
  const queue = await reportsToReview(db, authorUserId ? { authorUserId } : {});
  return { queue, here: queue.findIndex((r) => r.id === itemId) };
}

/** How many reports wait for review: the count in the working group's menu. */
export async function reviewCount(db: Db): Promise<number> {
  const r = await db
    .selectFrom('control_item')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('status', '=', 'submitted')
    .executeTakeFirstOrThrow();
  return r.n;
}

/** Pending extension requests with their item (and its author), oldest first. */
export async function pendingExtensions(db: Db) {
  return db
    .selectFrom('extension_request as x')
    .innerJoin('control_item as i', 'i.id', 'x.control_item_id')
    .innerJoin('agency as a', 'a.id', 'i.agency_id')
    .leftJoin('roadmap as rm', 'rm.id', 'i.roadmap_id')
    .leftJoin('app_user as u', 'u.id', 'x.requested_by')
    .select([
      'x.id as request_id',
      'x.previous_due',
      'x.requested_due',
      'x.reason',
      'x.created_at',
      'u.display_name as requested_by_name',
      'i.id',
      'i.kind',
      'i.number',
      'i.title_ru',
      'i.title_en',
      'i.author_user_id',
      ...AGENCY_AND_ROADMAP_OF_ITEM,
    ])
    .where('x.status', '=', 'pending')
    .where('i.status', 'not in', ['done', 'cancelled'])
    .orderBy('x.created_at')
    .orderBy('x.id')
    .execute();
}

/**
 * Overdue items (waiting on the executor past the control date), most escalated first, with the last
 * reminder the working group sent and how many open instructions were given about each.
 */
export async function overdueItems(db: Db, o: { today: LocalDate; limit: number; minLevel?: number }) {
  let q = db
    .selectFrom('control_item as i')
    .innerJoin('agency as a', 'a.id', 'i.agency_id')
    .leftJoin('roadmap as rm', 'rm.id', 'i.roadmap_id')
    .select([
      'i.id',
      'i.kind',
      'i.number',
      'i.title_ru',
      'i.title_en',
      'i.status',
      'i.current_due',
      'i.escalation_level',
      ...AGENCY_AND_ROADMAP_OF_ITEM,
      sql<Date | null>`(select max(e.at) from event e where e.control_item_id = i.id
        and e.type = 'reminder.manual')`.as('reminded_at'),
      sql<number>`(select count(*)::int from control_item s where s.source_item_id = i.id
        and s.kind = 'instruction' and s.status not in ('done','cancelled'))`.as('open_instructions'),
      sql<number>`count(*) over ()::int`.as('total'),
    ])
    .where(overdueSql(o.today));
  if (o.minLevel) q = q.where('i.escalation_level', '>=', o.minLevel);
  const rows = await q
    .orderBy('i.escalation_level', 'desc')
    .orderBy('i.current_due')
    .orderBy('i.id')
    .limit(o.limit)
    .execute();
  return { total: rows[0]?.total ?? 0, rows };
}

/**
 * Instructions the leadership gave: the member's own (also those the working group entered on their
 * behalf) and the meetings' (minutes name no author), newest control date last among the open ones; the
 * closed ones of the last 60 days after them.
 */
export async function leadershipInstructions(db: Db, o: { authorUserId: number; today: LocalDate }) {
  return db
    .selectFrom('control_item as i')
    .innerJoin('agency as a', 'a.id', 'i.agency_id')
    .leftJoin('roadmap as rm', 'rm.id', 'i.roadmap_id')
    .leftJoin('app_user as g', 'g.id', 'i.given_by_user_id')
    .leftJoin('check_in as c', 'c.id', 'i.check_in_id')
    .select([
      'i.id',
      'i.number',
      'i.title_ru',
      'i.title_en',
      'i.status',
      'i.current_due',
      'i.accepted_at',
      'i.created_at',
      'i.special_control',
      'i.signoff_pending',
      'i.source_item_id',
      'i.check_in_id',
      'i.author_user_id',
      'i.given_by_user_id',
      'g.display_name as given_by_name',
      'g.role as given_by_role',
      'c.meeting_at',
      ...AGENCY_AND_ROADMAP_OF_ITEM,
      overdueSql(o.today).as('overdue'),
    ])
    .where('i.kind', '=', 'instruction')
    .where((eb) =>
      eb.or([
        eb('i.author_user_id', '=', o.authorUserId),
        eb.and([eb('i.author_user_id', 'is', null), eb('i.check_in_id', 'is not', null)]),
      ]),
    )
    .where((eb) =>
      eb.or([
        eb('i.status', 'not in', ['done', 'cancelled']),
        eb('i.closed_at', '>', sql<Date>`now() - interval '60 days'`),
      ]),
    )
    .orderBy(sql`case when i.status in ('done','cancelled') then 1 else 0 end`)
    .orderBy('i.current_due')
    .orderBy('i.id')
    .limit(200)
    .execute();
}

/** Leadership members (the working group enters instructions on one's behalf). */
export async function leadershipMembers(db: Db) {
  return db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'position'])
    .where('role', '=', 'leadership')
    .where('disabled', '=', false)
    .orderBy('id')
    .execute();
}

/**
 * The next meeting of each roadmap: a check-in being prepared (collecting) or, when none is, the slot
 * of its schedule; with the status requests' answers so far.
 */
export async function upcomingCheckIns(db: Db) {
  return db
    .selectFrom('check_in as c')
    .innerJoin('roadmap as r', 'r.id', 'c.roadmap_id')
    .select([
      'c.id',
      'c.roadmap_id',
      'c.meeting_at',
      'c.status',
      'r.title_ru as roadmap_title_ru',
      'r.title_en as roadmap_title_en',
      sql<number>`(select count(*)::int from status_request s where s.check_in_id = c.id)`.as('requests'),
      sql<number>`(select count(*)::int from status_request s where s.check_in_id = c.id
        and s.answered_at is not null)`.as('answered'),
    ])
    .where('c.status', 'in', ['collecting', 'held'])
    .orderBy('c.meeting_at')
    .execute();
}

/** The latest held or closed check-in of each roadmap (for "the last meeting"). */
export async function lastCheckIns(db: Db) {
  return db
    .selectFrom('check_in as c')
    .select(['c.id', 'c.roadmap_id', 'c.meeting_at', 'c.status'])
    .where('c.status', 'in', ['held', 'closed'])
    .where(
      sql<SqlBool>`c.meeting_at = (select max(d.meeting_at) from check_in d where d.roadmap_id = c.roadmap_id
        and d.status in ('held','closed'))`,
    )
    .execute();
}
