import type { Db } from '../../db/index.ts';
import { serviceSettings } from '../../db/read-models/index.ts';
import type { ChasePolicy } from '../../domain/control-item/index.ts';
import { ShtabError, validation, type FieldIssue } from '../../domain/errors.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import type { Actor } from '../../domain/roles.ts';
import { classifyScore, parseSelectionForm, type FormData } from '../../domain/services/index.ts';
import { serviceImprovementWorkflowId } from '../../workflows/service-improvement-definitions.ts';
import { unavailable, type TemporalHandle } from '../temporal.ts';
import { roadmapPolicy } from '../control-items/index.ts';
import { startServiceImprovement } from './improvement-workflow.ts';

/**
 * The working group picks low-scoring services of a period: each gets an improvement row and its
 * serviceImprovement workflow (which puts its plan and implementation stages under control as its
 * children). Only services rated below the threshold in that period qualify; one open improvement per
 * service.
 */
export async function selectForImprovement(
  deps: { db: Db; temporal: TemporalHandle; policy: ChasePolicy },
  o: { values: FormData; periods: string[]; actor: Actor; today: LocalDate },
): Promise<{ ok: true; ids: number[]; period: string } | { ok: false; problems: FieldIssue[] }> {
  const { db, temporal } = deps;
  const parsed = parseSelectionForm(o.values, o.today);
  if (!parsed.ok) return { ok: false, problems: parsed.errors };
  const v = parsed.value;
  if (!o.periods.includes(v.period))
    return { ok: false, problems: [{ field: 'service', key: 'error.svc.period' }] };
  const { rule } = await serviceSettings(db);
  let ids: number[];
  try {
    ids = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('service as s')
        .leftJoin('service_score as sc', (j) =>
          j.onRef('sc.service_id', '=', 's.id').on('sc.period', '=', v.period),
        )
        .select(['s.id', 's.code', 'sc.avg_score', 'sc.votes'])
        .where('s.id', 'in', v.serviceIds)
        .execute();
      for (const id of v.serviceIds) {
        const r = rows.find((x) => x.id === id);
        if (!r || classifyScore(r.avg_score, r.votes, rule) !== 'low')
          throw validation('service', 'error.svc.notLow', 'not low-scoring', { code: r?.code ?? String(id) });
      }
      const out: number[] = [];
      for (const r of rows) {
        const ins = await trx
          .insertInto('service_improvement')
          .values({
            service_id: r.id,
            period_selected: v.period,
            baseline_avg: r.avg_score,
            target_avg: v.target,
            plan_due: v.planDue,
            implementation_due: v.implementationDue,
            selected_by: o.actor.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('service_improvement')
          .set({ workflow_id: serviceImprovementWorkflowId(ins.id, temporal.workflowIdPrefix) })
          .where('id', '=', ins.id)
          .execute();
        out.push(ins.id);
      }
      return out;
    });
  } catch (e) {
    if (e instanceof ShtabError && e.code === 'validation') {
      const { key, params } = e.detail;
      return { ok: false, problems: [{ field: 'service', key, ...(params ? { params } : {}) }] };
    }
    // The partial unique index: one open improvement per service.
    if ((e as { code?: string }).code === '23505')
      return { ok: false, problems: [{ field: 'service', key: 'error.svc.alreadyImproving' }] };
    throw e;
  }
  // Stage items have no roadmap: the region's policy, as startControl gives roadmap-less items.
  const policy = roadmapPolicy(deps.policy, null);
  try {
    for (const id of ids) await startServiceImprovement(temporal, id, policy);
  } catch (e) {
    // Rows are committed; the worker's reconciliation starts what could not be started now.
    throw unavailable(e);
  }
  return { ok: true, ids, period: v.period };
}
