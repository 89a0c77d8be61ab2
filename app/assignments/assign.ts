import type { Db } from '../../db/index.ts';
import { settleAssignments } from '../../db/assignments.ts';
import { loadItemState } from '../../db/item-states.ts';
import { queueMail } from '../../db/outbox.ts';
import { isWorkingDay, precedingWorkingDay } from '../../domain/calendar/index.ts';
import { WAITING_ON_EXECUTOR, type ChasePolicy } from '../../domain/control-item/index.ts';
import { conflict, forbidden, notFound, validation } from '../../domain/errors.ts';
import { isLocalDate, type LocalDate } from '../../domain/local-date.ts';
import { peopleMail } from '../../domain/notifications/people-mail.ts';
import type { Actor } from '../../domain/roles.ts';
import { unavailable, type TemporalHandle } from '../temporal.ts';
import { nudgeAssignments, startAssignmentWorkflow } from './workflow.ts';

export interface AssignDeps {
  db: Db;
  temporal: TemporalHandle;
  policy: ChasePolicy;
  publicUrl: string;
}

export interface AssignFields {
  assigneeUserId: number;
  /** Внутренний срок: a working day from today up to the control date (a day off moves back). */
  internalDue: string;
  note: string;
}

export interface AssignInput {
  actor: Actor;
  itemId: number;
  /**
   * The form's fields, or a parser an edge defers until the actor is known to be allowed (a refusal,
   * 403, comes before any complaint about the input, 422 — as for item commands).
   */
  fields: AssignFields | (() => AssignFields);
  idempotencyKey: string;
  today: LocalDate;
}

const NOTE_MAX = 2000;

/**
 * Подчинённое поручение: the responsible agency's head gives an item to one of the agency's executors
 * with an internal deadline. Permission first (403), then a repeated key returns the assignment made with
 * it, then the item's state (409: only while the agency works on it), then the fields (422). One
 * transaction: the previous open assignment is superseded, the new one written, the item names its
 * executor (reminders go to them), an audit event and the assignee's notice; then its workflow starts.
 */
export async function assignItem(
  deps: AssignDeps,
  o: AssignInput,
): Promise<{ assignmentId: number; repeated: boolean }> {
  const { db } = deps;
  const loaded = await loadItemState(db, o.itemId);
  if (!loaded) throw notFound('error.item.notFound', `item ${o.itemId} not found`);
  const { row, state } = loaded;
  if (o.actor.role !== 'agency_head')
    throw forbidden('error.forbidden.headOnly', 'only the agency head assigns items inside the agency');
  if (o.actor.agencyId !== row.agency_id)
    throw forbidden('error.forbidden.otherAgency', `item ${o.itemId} belongs to another agency`);

  const earlier = await db
    .selectFrom('assignment')
    .select(['id', 'control_item_id'])
    .where('event_key', '=', o.idempotencyKey)
    .executeTakeFirst();
  if (earlier) {
    if (earlier.control_item_id !== o.itemId)
      throw conflict('error.command.keyReused', 'the key was used for another item', {
        key: o.idempotencyKey.slice(0, 64),
      });
    return { assignmentId: earlier.id, repeated: true };
  }
  if (!WAITING_ON_EXECUTOR.includes(state.status) || state.signoffPending)
    throw conflict('error.assignment.notNow', `item ${o.itemId} is ${state.status}: nothing to assign`);

  const f = typeof o.fields === 'function' ? o.fields() : o.fields;
  const assignee = Number.isSafeInteger(f.assigneeUserId)
    ? await db
        .selectFrom('app_user')
        .select(['id', 'display_name', 'email', 'locale'])
        .where('id', '=', f.assigneeUserId)
        .where('agency_id', '=', row.agency_id)
        .where('role', '=', 'agency_executor')
        .where('disabled', '=', false)
        .executeTakeFirst()
    : undefined;
  if (!assignee)
    throw validation('assigneeUserId', 'error.assignment.assignee', 'choose an executor of the agency');
  const raw = f.internalDue.trim();
  if (!isLocalDate(raw)) throw validation('internalDue', 'error.field.date', 'internalDue must be a date');
  const internalDue = isWorkingDay(raw) ? raw : precedingWorkingDay(raw);
  if (internalDue < o.today)
    throw validation('internalDue', 'error.date.past', 'the internal deadline is past');
  if (row.current_due >= o.today && internalDue > row.current_due)
    throw validation(
      'internalDue',
      'error.assignment.afterControlDate',
      'the internal deadline is after the control date',
      {
        date: row.current_due,
      },
    );
  const note = f.note.trim();
  if (note.length > NOTE_MAX)
    throw validation('note', 'error.field.tooLong', 'note too long', { max: NOTE_MAX });

  const at = new Date();
  const { assignment, superseded } = await db.transaction().execute(async (trx) => {
    const open = await trx
      .updateTable('assignment')
      .set({ status: 'superseded', closed_at: at })
      .where('control_item_id', '=', o.itemId)
      .where('status', '=', 'open')
      .returning('id')
      .execute();
    const a = await trx
      .insertInto('assignment')
      .values({
        control_item_id: o.itemId,
        agency_id: row.agency_id,
        assignee_user_id: assignee.id,
        assigned_by: o.actor.userId,
        internal_due: internalDue,
        note: note || null,
        event_key: o.idempotencyKey,
        created_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('control_item')
      .set({ executor_user_id: assignee.id })
      .where('id', '=', o.itemId)
      .execute();
    const head = await trx
      .selectFrom('app_user')
      .select('display_name')
      .where('id', '=', o.actor.userId)
      .executeTakeFirst();
    await trx
      .insertInto('event')
      .values({
        event_key: o.idempotencyKey,
        control_item_id: o.itemId,
        type: 'assignment.created',
        actor_user_id: o.actor.userId,
        at,
        data: JSON.stringify({
          assignmentId: a.id,
          assigneeUserId: assignee.id,
          assignee: assignee.display_name,
          internalDue,
          ...(note ? { note } : {}),
          ...(open.length ? { superseded: open.map((x) => x.id) } : {}),
        }),
      })
      .execute();
    await queueMail(trx, {
      eventKey: o.idempotencyKey,
      itemId: o.itemId,
      kind: 'assigned',
      recipients: [{ id: assignee.id, email: assignee.email, locale: assignee.locale }],
      render: (l) =>
        peopleMail(
          'assigned',
          {
            itemRef: row.number ? `№ ${row.number}` : `#${row.id}`,
            title: row.title_ru,
            url: `${deps.publicUrl.replace(/\/$/, '')}/items/${row.id}`,
            due: row.current_due,
            internalDue,
            by: head?.display_name ?? '',
            ...(note ? { note } : {}),
          },
          l,
        ),
    });
    return { assignment: a, superseded: open.map((x) => x.id) };
  });
  try {
    await startAssignmentWorkflow(deps.temporal, assignment, deps.policy);
  } catch (e) {
    // The row stays; the worker's start-up reconciliation starts the workflow (ensureAssignmentWorkflows).
    throw unavailable(e);
  }
  await nudgeAssignments(deps.temporal, superseded);
  return { assignmentId: assignment.id, repeated: false };
}

/**
 * After an item command: ends the item's open assignments it made moot (a report, a closure, another
 * agency) and nudges their workflows. The assignment workflows' own steps repair a lost call.
 */
export async function settleItemAssignments(deps: { db: Db; temporal: TemporalHandle }, itemId: number) {
  const { ended } = await deps.db
    .transaction()
    .execute((trx) => settleAssignments(trx, { itemId }, new Date()));
  await nudgeAssignments(deps.temporal, ended);
  return ended;
}

/** Starts the workflow of every open assignment (worker start-up): re-creates lost ones. */
export async function ensureAssignmentWorkflows(deps: {
  db: Db;
  temporal: TemporalHandle;
  policy: ChasePolicy;
}) {
  const open = await deps.db
    .selectFrom('assignment')
    .select(['id', 'control_item_id', 'internal_due'])
    .where('status', '=', 'open')
    .orderBy('id')
    .execute();
  for (const a of open) await startAssignmentWorkflow(deps.temporal, a, deps.policy);
  return open.length;
}
