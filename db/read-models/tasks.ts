import { sql, type SqlBool } from 'kysely';
import type { Db } from '../connect.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { overdueSql, ROADMAP_OF_ITEM } from './items.ts';

// Work queues: what an agency has to do ("My tasks") and what the working group has to decide.

const partSubmittedBy = (agencyId: number) =>
  sql<SqlBool>`exists (select 1 from submission s where s.control_item_id = i.id and s.is_part
    and s.agency_id = ${agencyId} and s.period_key is not distinct from i.period_key)`;

const extensionPending = sql<boolean>`exists (select 1 from extension_request x
  where x.control_item_id = i.id and x.status = 'pending')`;

/**
 * Open items waiting on the agency: those it is responsible for (assigned, in progress, returned) and those
 * where its co-executor part is still due. Overdue first, then by deadline.
 */
export async function agencyTasks(db: Db, today: LocalDate, agencyId: number) {
  return db
    .selectFrom('control_item as i')
    .innerJoin('agency as a', 'a.id', 'i.agency_id')
    .leftJoin('roadmap as rm', 'rm.id', 'i.roadmap_id')
    .select([
      ...ROADMAP_OF_ITEM,
      'i.id',
      'i.kind',
      'i.number',
      'i.title_ru',
      'i.title_en',
      'i.status',
      'i.current_due',
      'i.escalation_level',
      'a.short_ru as agency_short_ru',
      'a.short_en as agency_short_en',
      'a.title_ru as agency_title_ru',
      'a.title_en as agency_title_en',
      sql<boolean>`i.agency_id = ${agencyId}`.as('responsible'),
      overdueSql(today).as('overdue'),
      extensionPending.as('extension_pending'),
    ])
    .where('i.status', 'in', ['assigned', 'in_progress', 'returned'])
    .where((eb) =>
      eb.or([
        eb('i.agency_id', '=', agencyId),
        eb.and([sql<SqlBool>`${agencyId} = any(i.co_agency_ids)`, eb.not(partSubmittedBy(agencyId))]),
      ]),
    )
    .orderBy(sql`case when i.current_due < ${today}::date then 0 else 1 end`)
    .orderBy('i.current_due')
    .orderBy('i.id')
    .execute();
}

/** The agency's items whose next step is the working group's: reports under review, extension requests. */
export async function agencyAwaitingDecision(db: Db, agencyId: number) {
  return db
    .selectFrom('control_item as i')
    .select([
      'i.id',
      'i.number',
      'i.title_ru',
      'i.title_en',
      'i.status',
      'i.current_due',
      extensionPending.as('extension_pending'),
    ])
    .where('i.agency_id', '=', agencyId)
    .where('i.status', 'not in', ['done', 'cancelled'])
    .where((eb) => eb.or([eb('i.status', '=', 'submitted'), sql<SqlBool>`${extensionPending}`]))
    .orderBy('i.current_due')
    .orderBy('i.id')
    .execute();
}
