import type { Transaction } from 'kysely';
import type { ItemState } from '../domain/control-item/index.ts';
import type { Db } from './connect.ts';
import { itemStateFromRow } from './control-items.ts';
import type { ControlItemRow, DB } from './schema/index.ts';

type Reader = Db | Transaction<DB>;

/**
 * The workflow state of these items as the database has it: the row, the pending extension request and
 * the co-executor parts of the current period (a return for rework does not ask co-executors again; a
 * reassignment keeps only the parts of agencies still co-executing). What availableActions needs, and
 * what a lost workflow is re-created from. Two queries for any number of rows.
 */
export async function itemStatesOf(db: Reader, rows: ControlItemRow[]): Promise<Map<number, ItemState>> {
  const out = new Map<number, ItemState>();
  if (rows.length === 0) return out;
  const ids = rows.map((r) => r.id);
  const [pending, parts] = await Promise.all([
    db
      .selectFrom('extension_request')
      .select(['control_item_id', 'requested_due', 'event_key'])
      .where('status', '=', 'pending')
      .where('control_item_id', 'in', ids)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('submission')
      .select(['control_item_id', 'agency_id', 'period_key'])
      .distinct()
      .where('is_part', '=', true)
      .where('control_item_id', 'in', ids)
      .execute(),
  ]);
  const pendingOf = new Map(
    pending.map((p) => [p.control_item_id, { requestedDue: p.requested_due, eventId: p.event_key }]),
  );
  for (const row of rows) {
    const partsFrom = [
      ...new Set(
        parts
          .filter(
            (p) =>
              p.control_item_id === row.id &&
              p.period_key === row.period_key &&
              row.co_agency_ids.includes(p.agency_id),
          )
          .map((p) => p.agency_id),
      ),
    ];
    out.set(row.id, itemStateFromRow(row, { pendingExtension: pendingOf.get(row.id) ?? null, partsFrom }));
  }
  return out;
}

/** One item's row and workflow state (itemStatesOf), or null when there is no such item. */
export async function loadItemState(db: Reader, id: number) {
  const row = await db.selectFrom('control_item').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const state = (await itemStatesOf(db, [row])).get(id)!;
  return { row, state };
}
