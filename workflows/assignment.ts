import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { AssignmentActivities } from '../activities/assignments/types.ts';
import { chased, planAssignmentChase } from '../domain/people/assignment.ts';
import { instantToLocalDate } from '../domain/local-date.ts';
import {
  assignmentChasesQuery,
  assignmentNudgeSignal,
  type AssignmentInput,
} from './assignment-definitions.ts';

const acts = proxyActivities<AssignmentActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Chases one internal deadline (подчинённое поручение) until the assignment is over: a reminder to the
 * assignee before it, a notice to the assignee and the head the first working day after it, repeats
 * while nobody reports. The assignment row's status is written by the action pipeline (app/assignments);
 * each step asks the database first and ends the workflow when the assignment is over.
 */
export async function internalAssignment(input: AssignmentInput): Promise<'over'> {
  const { assignmentId, itemId, policy } = input;
  let state = { internalDue: input.internalDue, chasesDone: input.chasesDone ?? [] };
  let nudged = false;
  setHandler(assignmentNudgeSignal, () => void (nudged = true));
  setHandler(assignmentChasesQuery, () => state.chasesDone);

  for (;;) {
    if (nudged) {
      nudged = false;
      if (!(await acts.settleAssignment({ assignmentId, at: Date.now() })).open) break;
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof internalAssignment>({ ...input, chasesDone: state.chasesDone });
    }
    const plan = planAssignmentChase(state, policy, Date.now());
    if (!plan.next) {
      await condition(() => nudged);
      continue;
    }
    const wait = plan.next.at - Date.now();
    if (wait > 0 && (await condition(() => nudged, wait))) continue;
    const step = plan.next;
    const r = await acts.chaseAssignment({
      assignmentId,
      itemId,
      eventKey: `${workflowInfo().workflowId}:${state.internalDue}:${step.key}`,
      at: Date.now(),
      today: instantToLocalDate(Date.now(), policy.utcOffsetMinutes),
      step,
    });
    if (!r.open) break;
    state = chased(state, step, plan.superseded);
  }
  await condition(allHandlersFinished);
  return 'over';
}
