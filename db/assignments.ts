import type { Transaction } from 'kysely';
import { assignmentOutcome } from '../domain/people/assignment.ts';
import type { DB } from './schema/index.ts';

// Assignments inside an agency (подчинённое поручение), as rows. One function ends them, used by the
// action pipeline after an item command (app/assignments) and by the assignment's own workflow before
// each chase step (the repair when the pipeline's nudge was lost).

/**
 * Ends the open assignments of an item (or one assignment) that its item says are over: reported (the
 * agency reported to the working group, or to the head for a sign-off), or closed (the item closed or
 * went to another agency). Locks them first, so two callers settle each once. Returns the ids ended now
 * and those still open.
 */
export async function settleAssignments(
  trx: Transaction<DB>,
  which: { itemId: number } | { assignmentId: number },
  at: Date,
): Promise<{ ended: number[]; open: number[] }> {
  let q = trx
    .selectFrom('assignment as a')
    .innerJoin('control_item as i', 'i.id', 'a.control_item_id')
    .select([
      'a.id',
      'a.agency_id',
      'a.control_item_id',
      'i.status',
      'i.agency_id as item_agency_id',
      'i.signoff_pending',
    ])
    .where('a.status', '=', 'open')
    .forUpdate('a');
  q =
    'itemId' in which
      ? q.where('a.control_item_id', '=', which.itemId)
      : q.where('a.id', '=', which.assignmentId);
  const rows = await q.execute();
  const ended: number[] = [];
  const open: number[] = [];
  for (const r of rows) {
    const outcome = assignmentOutcome(
      { status: r.status, agencyId: r.item_agency_id, signoffPending: r.signoff_pending },
      { agencyId: r.agency_id },
    );
    if (!outcome) {
      open.push(r.id);
      continue;
    }
    await trx
      .updateTable('assignment')
      .set({ status: outcome, closed_at: at })
      .where('id', '=', r.id)
      .execute();
    await trx
      .insertInto('event')
      .values({
        event_key: `assignment-${r.id}:${outcome}`,
        control_item_id: r.control_item_id,
        type: `assignment.${outcome}`,
        at,
        data: JSON.stringify({ assignmentId: r.id }),
      })
      .onConflict((oc) => oc.column('event_key').doNothing())
      .execute();
    ended.push(r.id);
  }
  return { ended, open };
}
