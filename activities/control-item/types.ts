import type { ChaseStep, ItemState, Link, TransitionType } from '../../domain/control-item/index.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import type { Actor } from '../../domain/roles.ts';

/** What an Update carried that the record needs (texts live in the database, not in workflow state). */
export interface TransitionPayload {
  text?: string;
  links?: Link[];
  attachmentIds?: number[];
  reason?: string;
  note?: string;
  requestedDue?: LocalDate;
  newDue?: LocalDate;
  /** changeDeadline: the new planned deadline. */
  due?: LocalDate;
  outcome?: 'accept' | 'return';
  /** decideExtension: the date the working group typed, when it differs from the one asked for. */
  grantedDue?: LocalDate;
  /** reopen: the rework due date typed. */
  reworkDue?: LocalDate;
  /** review (accept): the working group's comment. */
  comment?: string;
}

export interface TransitionInput {
  itemId: number;
  /** Idempotency key from the user's action: a retried activity writes nothing twice. */
  eventId: string;
  type: TransitionType;
  actor: Actor;
  /** Workflow time of the transition (ms). */
  at: number;
  before: ItemState;
  after: ItemState;
  payload: TransitionPayload;
}

export interface ChaseInput {
  itemId: number;
  eventKey: string;
  at: number;
  /**
   * The region's calendar date at `at`: a late step (a long outage, a rejected extension after the
   * deadline) counts days left / overdue from it, not from the step's planned date. Absent in inputs
   * scheduled by older workflow code.
   */
  today?: LocalDate;
  step: ChaseStep;
  superseded: string[];
  before: ItemState;
  after: ItemState;
}

/** The activities a controlItem workflow calls. Workflows import this type only. */
export interface ControlItemActivities {
  persistTransition(input: TransitionInput): Promise<void>;
  recordChase(input: ChaseInput): Promise<void>;
}
