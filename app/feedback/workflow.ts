// The feedbackCase workflow's client side (the app layer's; not part of the workflow bundle).
import type { CaseState } from '../../domain/feedback/case-state.ts';
import type { FeedbackCasePolicy } from '../../domain/feedback/cases.ts';
import { FEEDBACK_CASE_WORKFLOW, feedbackCaseWorkflowId } from '../../workflows/feedback-case-definitions.ts';
import type { feedbackCase } from '../../workflows/feedback-case.ts';
import type { TemporalHandle } from '../temporal.ts';

/** Starts the case's workflow; harmless when it already runs (same id → the running one is kept). */
export async function startFeedbackCase(t: TemporalHandle, state: CaseState, policy: FeedbackCasePolicy) {
  return t.client.workflow.start<typeof feedbackCase>(FEEDBACK_CASE_WORKFLOW, {
    taskQueue: t.taskQueue,
    workflowId: feedbackCaseWorkflowId(state.caseId, t.workflowIdPrefix),
    args: [{ state, policy }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    ...(t.eagerStart ? { requestEagerStart: true } : {}),
  });
}
