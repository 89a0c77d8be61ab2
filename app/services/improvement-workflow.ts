// The serviceImprovement workflow's client side: start it, tell it scores were imported.
import { WorkflowNotFoundError } from '@temporalio/common';
import type { ChasePolicy } from '../../domain/control-item/index.ts';
import type { TemporalHandle } from '../temporal.ts';
import type { serviceImprovement } from '../../workflows/service-improvement.ts';
import {
  SERVICE_IMPROVEMENT_WORKFLOW,
  scoreImportedSignal,
  serviceImprovementWorkflowId,
  type ImprovementWorkflowStage,
} from '../../workflows/service-improvement-definitions.ts';

/** Starts the improvement's workflow; harmless when it already runs. */
export async function startServiceImprovement(
  t: TemporalHandle,
  improvementId: number,
  policy: ChasePolicy,
  stage: ImprovementWorkflowStage = 'plan',
) {
  return t.client.workflow.start<typeof serviceImprovement>(SERVICE_IMPROVEMENT_WORKFLOW, {
    taskQueue: t.taskQueue,
    workflowId: serviceImprovementWorkflowId(improvementId, t.workflowIdPrefix),
    args: [{ improvementId, policy, workflowIdPrefix: t.workflowIdPrefix ?? '', stage }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/**
 * Tells waiting improvements that scores were imported. Returns the ids whose workflow was not running
 * (the caller reports them; reconciliation re-creates such workflows, which then judge the stored scores).
 */
export async function signalScoreImported(
  t: TemporalHandle,
  improvementIds: number[],
  args: { periods: string[]; importId: number },
): Promise<number[]> {
  const missing: number[] = [];
  await Promise.all(
    improvementIds.map(async (id) => {
      try {
        await t.client.workflow
          .getHandle(serviceImprovementWorkflowId(id, t.workflowIdPrefix))
          .signal(scoreImportedSignal, args);
      } catch (e) {
        if (e instanceof WorkflowNotFoundError) missing.push(id);
        else throw e;
      }
    }),
  );
  return missing.sort((a, b) => a - b);
}
