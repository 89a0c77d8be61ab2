import type { ChasePolicy } from '../../domain/control-item/index.ts';
import { DEFAULT_ASSIGNMENT_POLICY, type AssignmentPolicy } from '../../domain/people/assignment.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import type { internalAssignment } from '../../workflows/assignment.ts';
import {
  ASSIGNMENT_WORKFLOW,
  assignmentNudgeSignal,
  assignmentWorkflowId,
} from '../../workflows/assignment-definitions.ts';
import type { TemporalHandle } from '../temporal.ts';

/** The internal deadline is chased at the region's hour, in its time zone, like every item. */
export const assignmentPolicyOf = (p: ChasePolicy): AssignmentPolicy => ({
  ...DEFAULT_ASSIGNMENT_POLICY,
  utcOffsetMinutes: p.utcOffsetMinutes,
  notifyAtMinute: p.notifyAtMinute,
});

/** Starts the assignment's workflow; harmless when it already runs. */
export function startAssignmentWorkflow(
  t: TemporalHandle,
  a: { id: number; control_item_id: number; internal_due: LocalDate },
  policy: ChasePolicy,
) {
  return t.client.workflow.start<typeof internalAssignment>(ASSIGNMENT_WORKFLOW, {
    taskQueue: t.taskQueue,
    workflowId: assignmentWorkflowId(a.id, t.workflowIdPrefix),
    args: [
      {
        assignmentId: a.id,
        itemId: a.control_item_id,
        internalDue: a.internal_due,
        policy: assignmentPolicyOf(policy),
      },
    ],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/** Tells ended assignments' workflows to look (best effort: their next step looks anyway). */
export async function nudgeAssignments(t: TemporalHandle, ids: number[]) {
  await Promise.all(
    ids.map((id) =>
      t.client.workflow
        .getHandle(assignmentWorkflowId(id, t.workflowIdPrefix))
        .signal(assignmentNudgeSignal)
        .catch(() => undefined),
    ),
  );
}
