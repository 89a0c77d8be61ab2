import type { LocalDate } from '../local-date.ts';
import type { Actor } from '../roles.ts';

export const ITEM_KINDS = ['measure', 'instruction', 'service_improvement', 'remediation'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const ITEM_STATUSES = [
  'assigned',
  'in_progress',
  'submitted',
  'returned',
  'done',
  'cancelled',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const CLOSED_STATUSES: readonly ItemStatus[] = ['done', 'cancelled'];

export const RECURRENCES = ['monthly', 'quarterly', 'yearly'] as const;
export type Recurrence = (typeof RECURRENCES)[number];

/**
 * Escalation levels: 0 not overdue, 1 executor told it is overdue, 2 agency head, 3 working group,
 * 4 on the leadership red list.
 */
export type EscalationLevel = 0 | 1 | 2 | 3 | 4;

export interface RecurrenceState {
  every: Recurrence;
  /** Key of the current period: "2025-03", "2025-Q1", "2025". */
  periodKey: string;
  periodEnd: LocalDate;
  /**
   * Last period end to report on; after it the item is done. null: open-ended («ежеквартально»,
   * «постоянно» with a cadence) — periods follow one another until the item is cancelled.
   */
  until: LocalDate | null;
  /** The report is due this many working days after the period ends (unless dueDayOfMonth is set). */
  dueWorkingDaysAfterPeriodEnd: number;
  /**
   * A day of the month written in the cadence («до 10 числа месяца, следующего за отчётным» → 10 with
   * dueMonthsAfterPeriodEnd 1; «ежемесячно до 25 числа» → 25 with 0). Absent in states of items created
   * before explicit days were read (they keep the working-day rule).
   */
  dueDayOfMonth?: number | null;
  /** 0: the month the period ends in; 1: the month after it. */
  dueMonthsAfterPeriodEnd?: number | null;
}

/** The lifecycle state a controlItem workflow holds. Kept small: ids and dates, no texts. */
export interface ItemState {
  itemId: number;
  kind: ItemKind;
  status: ItemStatus;
  agencyId: number;
  coAgencyIds: number[];
  /** The planned deadline (the roadmap's; changed only by changeDeadline, e.g. an amended roadmap). */
  originalDue: LocalDate;
  /**
   * The control date (контрольный срок): moved only by an approved extension or changeDeadline, never by
   * a return for rework. Lateness and the escalation ladder count from it.
   */
  currentDue: LocalDate;
  /**
   * The rework due date (срок доработки) while the item is back with the executor: drives the executor's
   * reminders, not the ladder. null/absent otherwise (and in states of workflows started before it existed).
   */
  reworkDue?: LocalDate | null;
  /** Returns for rework so far in this period. */
  reviewRound: number;
  escalationLevel: EscalationLevel;
  overdueSince: LocalDate | null;
  pendingExtension: { requestedDue: LocalDate; eventId: string } | null;
  /** Co-executor agencies that have submitted their part in the current round. */
  partsFrom: number[];
  requireCoExecutorParts: boolean;
  recurrence: RecurrenceState | null;
  /** Chase keys already acted on for the current due date (see policy.ts). */
  chasesDone: string[];
  /** Bumped on every persisted transition; the web uses it to detect stale forms. */
  version: number;
  /**
   * An instruction's author (a member of the leadership): they accept or return its report, as the
   * working group does. Absent in states of items created before (and of other kinds).
   */
  authorUserId?: number | null;
  /**
   * An executor's report waits for the agency head's sign-off (the roadmap's rule): the working group has
   * not seen it yet, and the item is still the agency's. Absent in states of workflows started before.
   */
  signoffPending?: boolean;
}

export interface Link {
  url: string;
  title?: string;
}

// ---- Update arguments (web → workflow). Every update carries the actor and an idempotency key. ----------
interface UpdateBase {
  actor: Actor;
  /** Unique per user action (the form's token): makes retries of the same action harmless. */
  eventId: string;
}
export interface StartWorkArgs extends UpdateBase {}
export interface SubmitArgs extends UpdateBase {
  text: string;
  links: Link[];
  attachmentIds: number[];
  /** 'part' from a co-executor; 'consolidated' from the responsible agency. */
  part: boolean;
  /**
   * The roadmap wants the agency head's sign-off before the working group sees a report: an executor's
   * report goes to the head first (a head's own report needs none). Set by the action pipeline from the
   * roadmap's rule at the time of the report.
   */
  viaSignoff?: boolean;
}
/** The agency head signs an executor's report off (it goes to the working group) or returns it. */
export interface SignOffArgs extends UpdateBase {
  outcome: 'approve' | 'return';
  reason?: string;
}
export interface ReviewArgs extends UpdateBase {
  outcome: 'accept' | 'return';
  /** Why it goes back (required for a return). */
  reason?: string;
  /** The working group's optional word on an acceptance (recorded with the submission and the notice). */
  comment?: string;
  /**
   * Rework due date (срок доработки); default: policy.reworkWorkingDays from today, never earlier than a
   * control date still ahead. It does not move the control date.
   */
  newDue?: LocalDate;
}
export interface RequestExtensionArgs extends UpdateBase {
  requestedDue: LocalDate;
  reason: string;
}
export interface DecideExtensionArgs extends UpdateBase {
  approve: boolean;
  note?: string;
  /** The new control date granted (may differ from the one asked for); default: the requested date. */
  grantedDue?: LocalDate;
}
/** «Вернуть на контроль»: the working group undoes an acceptance; control restarts in the same workflow. */
export interface ReopenArgs extends UpdateBase {
  reason: string;
  /** Rework due date for the executor; default as for a return. */
  reworkDue?: LocalDate;
}
/**
 * One-off correction of a workflow whose control date an earlier return for rework moved (migration
 * 0009 computed the true one from the audit trail). Applied only while the state still has `movedDue`.
 */
export interface RestoreControlDateArgs extends UpdateBase {
  movedDue: LocalDate;
  controlDate: LocalDate;
  reworkDue: LocalDate | null;
  escalationLevel: EscalationLevel;
  overdueSince: LocalDate | null;
}
/**
 * The responsible agency takes back what it sent before anyone decided on it: its report under review, or
 * its pending extension request. Optional reason (told to the working group).
 */
export interface WithdrawArgs extends UpdateBase {
  reason?: string;
}
export interface ReassignArgs extends UpdateBase {
  agencyId: number;
  coAgencyIds?: number[];
  reason: string;
}
export interface CancelArgs extends UpdateBase {
  reason: string;
}
/**
 * The working group moves the planned deadline itself (an amended roadmap, e.g. a re-import): both the
 * planned and the current deadline become `due`, and chasing starts over for it.
 */
export interface ChangeDeadlineArgs extends UpdateBase {
  due: LocalDate;
  reason: string;
}

export type TransitionType =
  | 'started'
  | 'submitted'
  | 'part_submitted'
  | 'accepted'
  | 'returned'
  | 'extension_requested'
  | 'extension_approved'
  | 'extension_rejected'
  | 'reassigned'
  | 'cancelled'
  | 'period_closed'
  | 'deadline_changed'
  | 'reopened'
  | 'control_date_restored'
  | 'signoff_requested'
  | 'signed_off'
  | 'signoff_returned'
  | 'submission_withdrawn'
  | 'extension_withdrawn';

export type ChaseType = 'reminder' | 'overdue' | 'escalation' | 'repeat';
