// Messages of the internalAssignment workflow (подчинённое поручение), shared by it and its callers.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { AssignmentPolicy } from '../domain/people/assignment.ts';
import type { LocalDate } from '../domain/local-date.ts';

export const ASSIGNMENT_WORKFLOW = 'internalAssignment';
export const assignmentWorkflowId = (assignmentId: number, prefix = '') =>
  `${prefix}assignment-${assignmentId}`;

export interface AssignmentInput {
  assignmentId: number;
  itemId: number;
  internalDue: LocalDate;
  policy: AssignmentPolicy;
  /** Chase steps already done (carried over continue-as-new). */
  chasesDone?: string[];
}

/**
 * A nudge from the action pipeline: the item moved on (a report, a closure, another agency) or the head
 * gave it to someone else. The workflow asks the database whether the assignment is over; a lost nudge
 * is repaired by its next chase step, which asks the same.
 */
export const assignmentNudgeSignal = defineSignal('itemMoved');
export const assignmentChasesQuery = defineQuery<string[]>('chasesDone');
