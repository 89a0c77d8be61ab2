import { sql, type SqlBool } from 'kysely';
import type { Db } from '../connect.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { overdueSql } from './items.ts';

// The agency's two homes: an executor's week (what is theirs to do, with the next action) and the head's
// screen (escalated to me, waiting for my sign-off, my executors' load, what to assign).

const extensionPending = sql<boolean>`exists (select 1 from extension_request x
  where x.control_item_id = i.id and x.status = 'pending')`;

/** The item's open assignment (one at most): its internal deadline and assignee. */
const openInternalDue = sql<LocalDate | null>`(select a.internal_due from assignment a
  where a.control_item_id = i.id and a.status = 'open')`;
const openAssignee = sql<number | null>`(select a.assignee_user_id from assignment a
  where a.control_item_id = i.id and a.status = 'open')`;

const itemColumns = [
  'i.id',
  'i.kind',
  'i.number',
  'i.title_ru',
  'i.title_en',
  'i.status',
  'i.current_due',
  'i.rework_due',
  'i.escalation_level',
  'i.signoff_pending',
  'i.agency_id',
] as const;

/**
 * The executor's items: open items of their agency named to them (or to nobody there), or given to them
 * by an open assignment, and co-executor parts their agency still owes. Grouped by domain/people/week.ts.
 */
export async function executorItems(db: Db, o: { userId: number; agencyId: number; today: LocalDate }) {
  return db
    .selectFrom('control_item as i')
    .select(itemColumns)
    .select([
      sql<boolean>`i.agency_id = ${o.agencyId}`.as('responsible'),
      extensionPending.as('extension_pending'),
      openInternalDue.as('internal_due'),
      openAssignee.as('assignee_user_id'),
      overdueSql(o.today).as('overdue'),
    ])
    .where('i.status', 'not in', ['done', 'cancelled'])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('i.agency_id', '=', o.agencyId),
          eb.or([
            eb('i.executor_user_id', '=', o.userId),
            eb('i.executor_user_id', 'is', null),
            sql<SqlBool>`exists (select 1 from assignment a where a.control_item_id = i.id
              and a.status = 'open' and a.assignee_user_id = ${o.userId})`,
          ]),
        ]),
        eb.and([
          sql<SqlBool>`i.co_agency_ids @> array[${o.agencyId}]::int[]`,
          eb('i.status', 'in', ['assigned', 'in_progress', 'returned']),
          sql<SqlBool>`not exists (select 1 from submission s where s.control_item_id = i.id and s.is_part
            and s.agency_id = ${o.agencyId} and s.period_key is not distinct from i.period_key)`,
        ]),
      ]),
    )
    .orderBy('i.current_due')
    .orderBy('i.id')
    .limit(500)
    .execute();
}

/** Items of the agency the ladder has brought to its head (level 2 and up) and still waiting on it. */
export async function escalatedToHead(db: Db, o: { agencyId: number; today: LocalDate }) {
  return db
    .selectFrom('control_item as i')
    .leftJoin('app_user as u', 'u.id', 'i.executor_user_id')
    .select(itemColumns)
    .select(['u.display_name as executor_name'])
    .where('i.agency_id', '=', o.agencyId)
    .where('i.escalation_level', '>=', 2)
    .where(overdueSql(o.today))
    .orderBy('i.escalation_level', 'desc')
    .orderBy('i.current_due')
    .orderBy('i.id')
    .execute();
}

/** Reports of the agency's executors waiting for the head's sign-off, oldest first. */
export async function signoffQueue(db: Db, agencyId: number) {
  return db
    .selectFrom('control_item as i')
    .innerJoin('submission as s', (j) =>
      j.onRef('s.control_item_id', '=', 'i.id').on('s.signoff_status', '=', 'pending'),
    )
    .leftJoin('app_user as u', 'u.id', 's.author_user_id')
    .select(itemColumns)
    .select(['s.id as submission_id', 's.body', 's.submitted_at', 'u.display_name as author_name'])
    .where('i.agency_id', '=', agencyId)
    .where('i.signoff_pending', '=', true)
    .orderBy('s.submitted_at')
    .orderBy('i.id')
    .execute();
}

/** The agency's executors with their open items and assignments (internal deadlines included). */
export async function executorsLoad(db: Db, o: { agencyId: number; today: LocalDate }) {
  const [people, items, assignments] = await Promise.all([
    db
      .selectFrom('app_user')
      .select(['id', 'display_name', 'position'])
      .where('agency_id', '=', o.agencyId)
      .where('role', '=', 'agency_executor')
      .where('disabled', '=', false)
      .orderBy('display_name')
      .execute(),
    db
      .selectFrom('control_item as i')
      .select([
        'i.executor_user_id',
        sql<number>`count(*)::int`.as('open'),
        sql<number>`count(*) filter (where ${overdueSql(o.today)})::int`.as('overdue'),
      ])
      .where('i.agency_id', '=', o.agencyId)
      .where('i.status', 'not in', ['done', 'cancelled'])
      .where('i.executor_user_id', 'is not', null)
      .groupBy('i.executor_user_id')
      .execute(),
    db
      .selectFrom('assignment as a')
      .innerJoin('control_item as i', 'i.id', 'a.control_item_id')
      .select([
        'a.id',
        'a.assignee_user_id',
        'a.internal_due',
        'a.status',
        'a.closed_at',
        'i.id as item_id',
        'i.number',
        'i.title_ru',
        'i.title_en',
        'i.current_due',
      ])
      .where('a.agency_id', '=', o.agencyId)
      .where((eb) =>
        eb.or([
          eb('a.status', '=', 'open'),
          // Reported in the last month: lateness of the internal deadline stays visible to the head.
          eb.and([
            eb('a.status', '=', 'reported'),
            eb('a.closed_at', '>', sql<Date>`now() - interval '31 days'`),
          ]),
        ]),
      )
      .orderBy('a.internal_due')
      .orderBy('a.id')
      .execute(),
  ]);
  return people.map((p) => ({
    ...p,
    open: items.find((r) => r.executor_user_id === p.id)?.open ?? 0,
    overdue: items.find((r) => r.executor_user_id === p.id)?.overdue ?? 0,
    assignments: assignments.filter((a) => a.assignee_user_id === p.id),
  }));
}

/** Open items of the agency the head may give to an executor (not while a report waits for them). */
export async function assignableItems(db: Db, o: { agencyId: number; limit?: number }) {
  return (
    db
      .selectFrom('control_item as i')
      .leftJoin('assignment as a', (j) =>
        j.onRef('a.control_item_id', '=', 'i.id').on('a.status', '=', 'open'),
      )
      .leftJoin('app_user as u', 'u.id', 'a.assignee_user_id')
      .select(itemColumns)
      .select(['a.id as assignment_id', 'a.internal_due', 'u.display_name as assignee_name'])
      .where('i.agency_id', '=', o.agencyId)
      .where('i.status', 'in', ['assigned', 'in_progress', 'returned'])
      .where('i.signoff_pending', '=', false)
      // Not yet assigned first, then by the control date.
      .orderBy(sql`case when a.id is null then 0 else 1 end`)
      .orderBy('i.current_due')
      .orderBy('i.id')
      .limit(o.limit ?? 30)
      .execute()
  );
}

/** The executors a head can choose from. */
export async function agencyExecutors(db: Db, agencyId: number) {
  return db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('agency_id', '=', agencyId)
    .where('role', '=', 'agency_executor')
    .where('disabled', '=', false)
    .orderBy('display_name')
    .execute();
}
