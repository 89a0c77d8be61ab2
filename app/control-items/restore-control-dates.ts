import type { Db } from '../../db/index.ts';
import type { EscalationLevel } from '../../domain/control-item/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { SYSTEM_ACTOR } from '../../domain/roles.ts';
import { restoreControlDateUpdate } from '../../workflows/definitions.ts';
import type { TemporalHandle } from '../temporal.ts';
import { updateItem } from './workflow.ts';

/**
 * Sends each control date migration 0009 read back from the audit trail to the item's running workflow
 * (a one-off `restoreControlDate` Update; its id makes a resend harmless), after ensureItemWorkflows has
 * re-created any lost workflow. A workflow whose date has moved since (an extension, or one re-created
 * from the corrected row) refuses it as stale; either way the row is marked sent.
 */
export async function sendControlDateRestores(db: Db, temporal: TemporalHandle) {
  const rows = await db
    .selectFrom('control_date_restore')
    .selectAll()
    .where('sent_at', 'is', null)
    .orderBy('control_item_id')
    .execute();
  const outcomes = { applied: 0, stale: 0 };
  for (const r of rows) {
    let outcome: 'applied' | 'stale' = 'applied';
    try {
      await updateItem(temporal, r.control_item_id, restoreControlDateUpdate, {
        actor: SYSTEM_ACTOR,
        eventId: `control-date-restored:${r.control_item_id}`,
        movedDue: r.moved_due,
        controlDate: r.control_date,
        reworkDue: r.rework_due,
        escalationLevel: Math.min(4, Math.max(0, r.escalation_level)) as EscalationLevel,
        overdueSince: r.overdue_since,
      });
    } catch (e) {
      if (!(e instanceof ShtabError) || e.code !== 'conflict') throw e;
      outcome = 'stale';
    }
    outcomes[outcome]++;
    await db
      .updateTable('control_date_restore')
      .set({ sent_at: new Date(), outcome })
      .where('control_item_id', '=', r.control_item_id)
      .execute();
  }
  return outcomes;
}
