import type { Db } from '../../db/index.ts';
import type { ChasePolicy } from '../../domain/control-item/index.ts';
import type { TemporalHandle } from '../temporal.ts';
import { signalScoreImported, startServiceImprovement } from './improvement-workflow.ts';
import type { ImprovementWorkflowStage } from '../../workflows/service-improvement-definitions.ts';

/**
 * Every open service improvement has its workflow: a lost one is re-created at the row's stage (its stage
 * items are its children, so ensureItemWorkflows leaves them to it). Running workflows are untouched.
 */
export async function ensureImprovementWorkflows({
  db,
  temporal,
  policy,
}: {
  db: Db;
  temporal: TemporalHandle;
  /** The region's chase policy (stage items have no roadmap). */
  policy: ChasePolicy;
}): Promise<number> {
  const rows = await db
    .selectFrom('service_improvement')
    .select(['id', 'status'])
    .where('status', 'in', ['planning', 'implementing', 'awaiting_score'])
    .orderBy('id')
    .execute();
  const stageOf: Record<string, ImprovementWorkflowStage> = {
    planning: 'plan',
    implementing: 'implementation',
    awaiting_score: 'awaiting_score',
  };
  for (const r of rows) await startServiceImprovement(temporal, r.id, policy, stageOf[r.status]!);
  // A score import whose signal was lost (Temporal down at the time) is judged now: judging is idempotent.
  const waiting = rows.filter((r) => r.status === 'awaiting_score').map((r) => r.id);
  if (waiting.length) await signalScoreImported(temporal, waiting, { periods: [], importId: 0 });
  return rows.length;
}
