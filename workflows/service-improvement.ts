import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { CalendarActivities } from '../activities/calendar/types.ts';
import type { ImprovementStage, ServiceImprovementActivities } from '../activities/services/types.ts';
import type { ChasePolicy, ItemStatus } from '../domain/control-item/index.ts';
import { controlItem } from './control-item.ts';
import { controlItemWorkflowId } from './definitions.ts';
import {
  improvementStageQuery,
  scoreImportedSignal,
  type ImprovementWorkflowStage,
} from './service-improvement-definitions.ts';

export interface ServiceImprovementInput {
  improvementId: number;
  policy: ChasePolicy;
  /** Prefix of the child item workflows' ids (TemporalHandle.workflowIdPrefix). */
  workflowIdPrefix: string;
  /** Where to (re)start: a workflow re-created from the database resumes at the row's stage. */
  stage: ImprovementWorkflowStage;
}

export type ImprovementOutcome = 'improved' | 'cancelled';

const acts = proxyActivities<ServiceImprovementActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const calendarActs = proxyActivities<CalendarActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** patched() ids of this workflow (replay of histories recorded before each change: test/workflows). */
export const IMPROVEMENT_PATCHES = {
  /** A stage item starts with the working-day calendar in force (read by an activity). */
  stageCalendar: 'stage-calendar',
} as const;

/** How often a stage item running outside this workflow is looked at (see runStage). */
const DETACHED_POLL = '6 hours';

/**
 * One per low-scoring service selected for improvement. The improvement plan and then the implementation
 * checkpoint are ordinary controlled items (kind 'service_improvement'), each run as a controlItem child
 * workflow: same submit → review → rework loop, deadlines and chasing as any measure. After the
 * implementation is accepted the workflow waits for score imports (signal `scoreImported`) and closes as
 * improved only when a score of a later period reaches the target; a lower score is recorded and reported,
 * and the improvement stays open. Cancelling either item cancels the improvement.
 *
 * State is the stage and a flag; the history stays short (two children, one activity per import) and the
 * waiting stage continues as new when Temporal suggests it.
 */
export async function serviceImprovement(input: ServiceImprovementInput): Promise<ImprovementOutcome> {
  const { improvementId, policy, workflowIdPrefix } = input;
  let stage = input.stage;
  let scoreArrived = false;
  setHandler(scoreImportedSignal, () => {
    scoreArrived = true;
  });
  setHandler(improvementStageQuery, () => stage);

  async function runStage(which: ImprovementStage): Promise<{ status: ItemStatus; itemId: number }> {
    const state = await acts.openImprovementStage({ improvementId, stage: which });
    if (state.status === 'done' || state.status === 'cancelled')
      return { status: state.status, itemId: state.itemId };
    try {
      // Like every item the app starts, a stage starts on the calendar in force; later changes reach it by
      // the rollout's signal (it is an open item with its own workflow id).
      const calendar = patched(IMPROVEMENT_PATCHES.stageCalendar)
        ? await calendarActs.currentCalendar()
        : undefined;
      const final = await executeChild(controlItem, {
        workflowId: controlItemWorkflowId(state.itemId, workflowIdPrefix),
        args: [{ state, policy, ...(calendar && calendar.version > 0 ? { calendar } : {}) }],
        // The item is a controlled item in its own right: it outlives a terminated parent.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      return { status: final.status, itemId: state.itemId };
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
      // The item's workflow already runs on its own (this workflow was re-created while it ran): follow its
      // row until it closes.
      for (;;) {
        await sleep(DETACHED_POLL);
        const status = await acts.itemStatus({ itemId: state.itemId });
        if (status === 'done' || status === 'cancelled') return { status, itemId: state.itemId };
      }
    }
  }

  for (const which of ['plan', 'implementation'] as const) {
    if (stage !== which) continue;
    const r = await runStage(which);
    if (r.status === 'cancelled') {
      await acts.cancelImprovement({ improvementId, at: Date.now(), itemId: r.itemId });
      return 'cancelled';
    }
    if (which === 'plan') stage = 'implementation';
    else {
      await acts.beginAwaitingScore({ improvementId, at: Date.now() });
      stage = 'awaiting_score';
    }
  }

  // Also right after a restart: an import may have landed while no workflow listened.
  scoreArrived = false;
  let verdict = await acts.evaluateImprovement({ improvementId, at: Date.now() });
  while (!verdict.improved) {
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof serviceImprovement>({ ...input, stage });
    }
    await condition(() => scoreArrived);
    scoreArrived = false;
    verdict = await acts.evaluateImprovement({ improvementId, at: Date.now() });
  }
  await condition(allHandlersFinished);
  return 'improved';
}
