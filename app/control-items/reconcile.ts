import type { Db } from '../../db/index.ts';
import { itemStateFromRow } from '../../db/control-items.ts';
import { resolvePolicy, type ChasePolicy } from '../../domain/control-item/index.ts';
import { startControlItem } from './workflow.ts';
import type { TemporalHandle } from '../temporal.ts';

/**
 * Makes sure every open item has its workflow: new items get one, and an item whose workflow was lost
 * (e.g. a fresh Temporal database) is re-created from its row. Running workflows are left untouched
 * (same workflow id → USE_EXISTING).
 */
export async function ensureItemWorkflows(
  db: Db,
  temporal: TemporalHandle,
  utcOffsetMinutes: number,
  opts: { concurrency?: number; onlyIds?: number[] } = {},
): Promise<number> {
  let q = db
    .selectFrom('control_item')
    .selectAll()
    .where('status', 'not in', ['done', 'cancelled'])
    // Improvement stages run as children of their serviceImprovement workflow (ensureImprovementWorkflows).
    .where('kind', '!=', 'service_improvement');
  if (opts.onlyIds) q = q.where('id', 'in', opts.onlyIds.length ? opts.onlyIds : [-1]);
  const rows = await q.orderBy('id').execute();
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.id);
  const [pending, parts, roadmaps] = await Promise.all([
    db
      .selectFrom('extension_request')
      .select(['control_item_id', 'requested_due', 'event_key'])
      .where('status', '=', 'pending')
      .where('control_item_id', 'in', ids)
      .execute(),
    db
      .selectFrom('submission as s')
      .innerJoin('control_item as i', 'i.id', 's.control_item_id')
      .select(['s.control_item_id', 's.agency_id', 's.period_key', 'i.period_key as current_period'])
      .where('s.is_part', '=', true)
      .where('s.control_item_id', 'in', ids)
      .execute(),
    db.selectFrom('roadmap').select(['id', 'chase_policy']).execute(),
  ]);
  const policyOf = new Map<number | null, ChasePolicy>([[null, resolvePolicy(null, utcOffsetMinutes)]]);
  for (const rm of roadmaps)
    policyOf.set(rm.id, resolvePolicy(rm.chase_policy as Partial<ChasePolicy> | null, utcOffsetMinutes));
  const pendingOf = new Map(
    pending.map((p) => [p.control_item_id, { requestedDue: p.requested_due, eventId: p.event_key }]),
  );
  const partsOf = new Map<number, number[]>();
  for (const p of parts) {
    // Parts count for the whole period (a return for rework does not ask co-executors again).
    if (p.period_key !== p.current_period) continue;
    partsOf.set(p.control_item_id, [...(partsOf.get(p.control_item_id) ?? []), p.agency_id]);
  }

  const concurrency = opts.concurrency ?? 16;
  let next = 0;
  async function lane() {
    while (next < rows.length) {
      const row = rows[next++]!;
      const state = itemStateFromRow(row, {
        pendingExtension: pendingOf.get(row.id) ?? null,
        partsFrom: partsOf.get(row.id) ?? [],
      });
      await startControlItem(temporal, state, policyOf.get(row.roadmap_id) ?? policyOf.get(null)!);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
  return rows.length;
}
