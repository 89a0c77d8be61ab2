import { startControl, type ControlDeps } from './put-under-control.ts';

/**
 * Makes sure every open item has its workflow: new items get one, and an item whose workflow was lost
 * (e.g. a fresh Temporal database) is re-created from its row — through startControl, the same path that
 * puts new items under control. Running workflows are left untouched (same workflow id → USE_EXISTING).
 * Improvement stages run as children of their serviceImprovement workflow (ensureImprovementWorkflows).
 */
export async function ensureItemWorkflows(
  deps: ControlDeps,
  opts: { concurrency?: number; onlyIds?: number[] } = {},
): Promise<number> {
  let q = deps.db
    .selectFrom('control_item')
    .select('id')
    .where('status', 'not in', ['done', 'cancelled'])
    .where('kind', '!=', 'service_improvement');
  if (opts.onlyIds) q = q.where('id', 'in', opts.onlyIds.length ? opts.onlyIds : [-1]);
  const ids = (await q.orderBy('id').execute()).map((r) => r.id);
  return startControl(deps, ids, { concurrency: opts.concurrency ?? 16 });
}
