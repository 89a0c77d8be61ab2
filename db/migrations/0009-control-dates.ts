import { sql, type Kysely } from 'kysely';
import { restoreControlDate, type AuditEvent } from '../../domain/control-item/control-date-history.ts';
import type { ItemStatus } from '../../domain/control-item/types.ts';
import { instantToLocalDate, type LocalDate } from '../../domain/local-date.ts';
import { isValidTimeZone, utcOffsetMinutesOf } from '../../domain/time-zone.ts';

// Issue 12: the control date moves only by an approved extension (docs/decisions.md §31).
// - control_item.rework_due: the rework due date a return sets (срок доработки), apart from current_due,
//   which is now the control date; recurrence_due_day / _month_offset: an explicit day in a cadence.
// - extension_request.granted_due: the date the working group granted (may differ from the one asked for).
// - import_job.open_ended_every: the cadence the uploader chose for «постоянно» rows.
// - Items whose deadline an earlier return moved get their control date back from the audit trail. Closed
//   items are corrected here; open ones also get a control_date_restore row, which the worker's
//   reconciliation sends to the item's running workflow as a one-off Update (the workflow is the writer
//   of an open item's lifecycle).
const DDL = [
  `alter table control_item add column rework_due date`,
  `alter table control_item add column recurrence_due_day int check (recurrence_due_day between 1 and 31)`,
  `alter table control_item add column recurrence_due_month_offset int
    check (recurrence_due_month_offset between 0 and 1)`,
  `alter table extension_request add column granted_due date`,
  `alter table import_job add column open_ended_every text
    check (open_ended_every in ('monthly','quarterly','yearly'))`,
  `create table control_date_restore (
    control_item_id int primary key references control_item(id) on delete cascade,
    moved_due date not null,
    control_date date not null,
    rework_due date,
    escalation_level int not null check (escalation_level between 0 and 4),
    overdue_since date,
    computed_at timestamptz not null default now(),
    sent_at timestamptz,
    outcome text check (outcome in ('applied', 'stale', 'closed'))
  )`,
  `create index control_date_restore_unsent on control_date_restore(control_item_id) where sent_at is null`,
  // Data after all DDL: the read-version triggers' pending events would block a later ALTER of the table.
  `update extension_request set granted_due = requested_due where status = 'approved'`,
];

interface EventRow {
  control_item_id: number;
  type: string;
  before: unknown;
  after: unknown;
}
interface ItemRow {
  id: number;
  status: ItemStatus;
  current_due: LocalDate;
  escalation_level: number;
  overdue_since: LocalDate | null;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of DDL) await sql.raw(stmt).execute(db);
  // "Today" only decides whether the restored control date has passed (overdue_since); the region's zone
  // as the app reads it (scripts/lib/config.ts).
  const zone = process.env.REGION_TZ;
  const offset = utcOffsetMinutesOf(zone && isValidTimeZone(zone) ? zone : 'Asia/Novosibirsk');
  await restoreControlDates(db, instantToLocalDate(Date.now(), offset));
  // Pending migrations run in one transaction on Postgres: fire the deferred change-counter triggers (0006)
  // of these updates now, so a later migration may still ALTER the same tables.
  await sql`set constraints all immediate`.execute(db);
}

/**
 * Reads every returned item's true control date back from its audit events and corrects what a return
 * moved (the data part of this migration; the tests run it on rows the old code wrote). Returns the ids.
 */
export async function restoreControlDates(db: Kysely<unknown>, today: LocalDate): Promise<number[]> {
  const restored: number[] = [];
  // Only items that were ever returned can have a moved deadline; dates as text so both drivers agree.
  const items = (
    await sql<ItemRow>`select i.id, i.status, i.current_due::text as current_due, i.escalation_level,
        i.overdue_since::text as overdue_since
      from control_item i
      where exists (select 1 from event e where e.control_item_id = i.id and e.type = 'returned')
      order by i.id`.execute(db)
  ).rows;
  for (const item of items) {
    const events = (
      await sql<EventRow>`select control_item_id, type, before, after from event
        where control_item_id = ${item.id} and before is not null order by at, id`.execute(db)
    ).rows;
    const r = restoreControlDate(
      events as AuditEvent[],
      {
        status: item.status,
        currentDue: item.current_due,
        escalationLevel: item.escalation_level,
        overdueSince: item.overdue_since,
      },
      today,
    );
    if (!r) continue;
    for (const p of r.periods) {
      await sql`update item_period set due = ${p.due}::date
        where control_item_id = ${item.id} and period_key = ${p.periodKey}`.execute(db);
    }
    if (!r.moved) continue;
    restored.push(item.id);
    await sql`update control_item set current_due = ${r.controlDate}::date, rework_due = ${r.reworkDue}::date,
        escalation_level = ${r.escalationLevel}, overdue_since = ${r.overdueSince}::date
      where id = ${item.id}`.execute(db);
    const closed = item.status === 'done' || item.status === 'cancelled';
    await sql`insert into control_date_restore (control_item_id, moved_due, control_date, rework_due,
        escalation_level, overdue_since, sent_at, outcome)
      values (${item.id}, ${r.movedDue}::date, ${r.controlDate}::date, ${r.reworkDue}::date,
        ${r.escalationLevel}, ${r.overdueSince}::date, ${closed ? new Date() : null},
        ${closed ? 'closed' : null})`.execute(db);
    if (closed) {
      // No workflow will record it: the migration writes the audit line itself.
      const view = { currentDue: r.movedDue, escalationLevel: item.escalation_level };
      const after = { currentDue: r.controlDate, escalationLevel: r.escalationLevel };
      await sql`insert into event (event_key, control_item_id, type, actor_user_id, at, before, after, data)
        values (${`control-date-restored:${item.id}`}, ${item.id}, 'control_date_restored', null, now(),
          ${JSON.stringify(view)}::jsonb, ${JSON.stringify(after)}::jsonb,
          ${JSON.stringify({ migration: '0009' })}::jsonb)
        on conflict (event_key) do nothing`.execute(db);
    }
  }
  return restored;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Moved deadlines come back as they were (the rows and the workflows of open items).
  await sql`update control_item i set current_due = r.moved_due from control_date_restore r
    where r.control_item_id = i.id`.execute(db);
  await sql`delete from event where type = 'control_date_restored'`.execute(db);
  // The change-counter triggers (0006) are deferred: fire them now, or ALTER TABLE refuses the table.
  await sql`set constraints all immediate`.execute(db);
  await sql.raw('drop table if exists control_date_restore').execute(db);
  await sql.raw('alter table import_job drop column if exists open_ended_every').execute(db);
  await sql.raw('alter table extension_request drop column if exists granted_due').execute(db);
  await sql.raw('alter table control_item drop column if exists recurrence_due_month_offset').execute(db);
  await sql.raw('alter table control_item drop column if exists recurrence_due_day').execute(db);
  await sql.raw('alter table control_item drop column if exists rework_due').execute(db);
}
