import type { AssignmentStep } from '../../domain/people/assignment.ts';
import type { LocalDate } from '../../domain/local-date.ts';

export interface AssignmentChaseInput {
  assignmentId: number;
  itemId: number;
  /** Per workflow, deadline and step: a retried or repeated step writes nothing twice. */
  eventKey: string;
  at: number;
  today: LocalDate;
  step: AssignmentStep;
}

/** The activities an internalAssignment workflow calls. Workflows import this type only. */
export interface AssignmentActivities {
  /** Acts on a chase step unless the assignment is over (then records why). */
  chaseAssignment(input: AssignmentChaseInput): Promise<{ open: boolean }>;
  /** Whether the assignment is still open, closing it when its item says it is over. */
  settleAssignment(input: { assignmentId: number; at: number }): Promise<{ open: boolean }>;
}
