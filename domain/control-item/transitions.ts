import { addWorkingDays, isWorkingDay, nextWorkingDay, precedingWorkingDay } from '../calendar/index.ts';
import { conflict, forbidden, validation } from '../errors.ts';
import { isLocalDate, type LocalDate } from '../local-date.ts';
import { isAgencyRole, isProjectOffice, type Actor } from '../roles.ts';
import type { ChasePolicy } from './policy.ts';
import { dueForPeriod, nextPeriod, periodDue } from './recurrence.ts';
import type {
  CancelArgs,
  ChangeDeadlineArgs,
  DecideExtensionArgs,
  EscalationLevel,
  ItemState,
  ItemStatus,
  ReassignArgs,
  ReopenArgs,
  RequestExtensionArgs,
  RestoreControlDateArgs,
  ReviewArgs,
  SignOffArgs,
  StartWorkArgs,
  SubmitArgs,
  TransitionType,
  WithdrawArgs,
} from './types.ts';

export type Command =
  | { type: 'start'; args: StartWorkArgs }
  | { type: 'submit'; args: SubmitArgs }
  | { type: 'review'; args: ReviewArgs }
  | { type: 'requestExtension'; args: RequestExtensionArgs }
  | { type: 'decideExtension'; args: DecideExtensionArgs }
  | { type: 'reassign'; args: ReassignArgs }
  | { type: 'cancel'; args: CancelArgs }
  | { type: 'changeDeadline'; args: ChangeDeadlineArgs }
  | { type: 'reopen'; args: ReopenArgs }
  | { type: 'restoreControlDate'; args: RestoreControlDateArgs }
  | { type: 'signOff'; args: SignOffArgs }
  | { type: 'withdrawSubmission'; args: WithdrawArgs }
  | { type: 'withdrawExtension'; args: WithdrawArgs };

export interface DecideContext {
  today: LocalDate;
  policy: ChasePolicy;
  /**
   * Rework deadline as workflows started before the fix computed it: today + reworkWorkingDays even when
   * that is earlier than the current deadline. Only the workflow's replay of old histories sets it.
   */
  legacyReworkDue?: boolean;
  /**
   * A return for rework moves the deadline and resets the escalation, as workflows did before the control
   * date was fixed (docs/decisions.md §31). Only the workflow's replay of old histories sets it.
   */
  legacyReturnMovesDue?: boolean;
}

export interface Decision {
  type: TransitionType;
  next: ItemState;
}

const MAX_TEXT = 20_000;
const MAX_REASON = 2_000;
const WORKABLE: readonly ItemStatus[] = ['assigned', 'in_progress', 'returned'];

function requireStatus(s: ItemState, allowed: readonly ItemStatus[], action: string) {
  if (!allowed.includes(s.status)) {
    throw conflict('error.transition.notInStatus', `cannot ${action} an item that is ${s.status}`, {
      action,
      status: s.status,
    });
  }
}

function requireOpen(s: ItemState, action: string) {
  if (s.status === 'done' || s.status === 'cancelled') requireStatus(s, [], action);
}

function requireProjectOffice(actor: Actor, action: string) {
  if (!isProjectOffice(actor.role)) {
    throw forbidden('error.forbidden.projectOfficeOnly', `only the working group may ${action}`);
  }
}

/** The working group, or an instruction's author reviewing its report (ItemState.authorUserId). */
export function mayReview(s: ItemState, actor: Actor): boolean {
  if (isProjectOffice(actor.role)) return true;
  return (
    actor.role === 'leadership' &&
    s.kind === 'instruction' &&
    s.authorUserId !== undefined &&
    s.authorUserId !== null &&
    s.authorUserId === actor.userId
  );
}

/** Extension requests are decided by the working group or the leadership (those above a threshold go to them). */
export const mayDecideExtensions = (actor: Actor) =>
  isProjectOffice(actor.role) || actor.role === 'leadership';

/** Without a pending sign-off (a state of an older workflow has no such field: leave it absent). */
const signoffCleared = (s: ItemState) => (s.signoffPending ? { signoffPending: false } : {});

function requireResponsibleAgency(s: ItemState, actor: Actor, action: string) {
  if (!isAgencyRole(actor.role)) {
    throw forbidden('error.forbidden.agencyOnly', `only the responsible agency may ${action}`);
  }
  if (actor.agencyId !== s.agencyId) {
    throw forbidden('error.forbidden.otherAgency', `the item belongs to another agency; cannot ${action}`);
  }
}

function requireText(field: string, value: string | undefined, max: number): string {
  const v = (value ?? '').trim();
  if (!v) throw validation(field, 'error.field.required', `${field} is required`);
  if (v.length > max)
    throw validation(field, 'error.field.tooLong', `${field} is longer than ${max} characters`, { max });
  return v;
}

function optionalText(field: string, value: string | undefined, max: number) {
  if (value !== undefined && value.length > max)
    throw validation(field, 'error.field.tooLong', `${field} is longer than ${max} characters`, { max });
}

/** A future deadline on a working day: non-working days move to the preceding working day. */
function normalizeDeadline(field: string, d: unknown, today: LocalDate): LocalDate {
  if (!isLocalDate(d)) throw validation(field, 'error.field.date', `${field} must be a date (YYYY-MM-DD)`);
  if (d < today) throw validation(field, 'error.date.past', `${field} is in the past`);
  const wd = isWorkingDay(d) ? d : precedingWorkingDay(d);
  return wd < today ? nextWorkingDay(today) : wd;
}

/**
 * Default deadline after a return: the policy's rework window from today, but never earlier than the
 * deadline the executor already had — a return must not take time away.
 */
function reworkDue(currentDue: LocalDate, ctx: DecideContext): LocalDate {
  const window = precedingWorkingDay(addWorkingDays(ctx.today, ctx.policy.reworkWorkingDays));
  return ctx.legacyReworkDue || window >= currentDue ? window : currentDue;
}

/** After the control date moves (extension, changeDeadline, next period), chasing starts over for it. */
function replanned(s: ItemState, due: LocalDate): ItemState {
  return { ...s, currentDue: due, escalationLevel: 0, overdueSince: null, chasesDone: [] };
}

/** Back to the executor with a rework due date; the control date, the escalation and the ladder stay. */
function backForRework(s: ItemState, reworkDue: LocalDate): ItemState {
  return {
    ...s,
    status: 'returned',
    reviewRound: s.reviewRound + 1,
    reworkDue,
    // The previous round's rework reminders; the control date's reminders and ladder steps stay done.
    chasesDone: s.chasesDone.filter((k) => !k.startsWith('w')),
  };
}

/** The rework due date from a form (a future working day) or the default window. */
function reworkDueOf(field: string, written: LocalDate | undefined, s: ItemState, ctx: DecideContext) {
  return written !== undefined && written !== ''
    ? normalizeDeadline(field, written, ctx.today)
    : reworkDue(s.currentDue, ctx);
}

/**
 * The lifecycle rules. Pure and synchronous: the workflow runs it in the Update validator (rejecting
 * without a trace in history) and again in the handler under its lock, then persists `next`.
 */
export function decide(s: ItemState, cmd: Command, ctx: DecideContext): Decision {
  const bump = (next: ItemState, type: TransitionType): Decision => ({
    type,
    next: { ...next, version: s.version + 1 },
  });

  switch (cmd.type) {
    case 'start': {
      requireStatus(s, ['assigned'], 'start');
      requireResponsibleAgency(s, cmd.args.actor, 'start work on it');
      return bump({ ...s, status: 'in_progress' }, 'started');
    }

    case 'submit': {
      const { actor, part } = cmd.args;
      requireStatus(s, WORKABLE, 'submit');
      const hasContent =
        cmd.args.text.trim() !== '' || cmd.args.links.length > 0 || cmd.args.attachmentIds.length > 0;
      if (!hasContent)
        throw validation('text', 'error.submit.empty', 'a submission needs a text, a link or a file');
      if (cmd.args.text.length > MAX_TEXT) {
        throw validation('text', 'error.field.tooLong', `text is longer than ${MAX_TEXT} characters`, {
          max: MAX_TEXT,
        });
      }
      for (const [i, l] of cmd.args.links.entries()) {
        if (!/^https?:\/\//i.test(l.url)) {
          throw validation(`links.${i}`, 'error.submit.badLink', 'links must start with http:// or https://');
        }
      }
      if (part) {
        if (!isAgencyRole(actor.role) || actor.agencyId === null || !s.coAgencyIds.includes(actor.agencyId)) {
          throw forbidden('error.forbidden.notCoExecutor', 'only a co-executor agency may submit a part');
        }
        if (s.partsFrom.includes(actor.agencyId)) {
          throw conflict('error.submit.partAlreadySubmitted', 'this agency has already submitted its part');
        }
        const status = s.status === 'assigned' ? 'in_progress' : s.status;
        return bump({ ...s, status, partsFrom: [...s.partsFrom, actor.agencyId] }, 'part_submitted');
      }
      requireResponsibleAgency(s, actor, 'submit');
      if (s.signoffPending) {
        throw conflict('error.signoff.pending', 'a report already waits for the agency head to sign it off');
      }
      if (s.requireCoExecutorParts) {
        const missing = s.coAgencyIds.filter((a) => !s.partsFrom.includes(a));
        if (missing.length > 0) {
          throw conflict('error.submit.partsMissing', `${missing.length} co-executor part(s) missing`, {
            missing: missing.length,
          });
        }
      }
      if (cmd.args.viaSignoff && actor.role !== 'agency_head') {
        // Still the agency's: the head signs it off (→ submitted) or returns it; chasing goes on.
        const status = s.status === 'assigned' ? 'in_progress' : s.status;
        return bump({ ...s, status, signoffPending: true }, 'signoff_requested');
      }
      return bump({ ...s, status: 'submitted' }, 'submitted');
    }

    case 'review': {
      const { actor, outcome } = cmd.args;
      if (!mayReview(s, actor)) {
        throw forbidden(
          'error.forbidden.reviewers',
          "only the working group or the instruction's author may review",
        );
      }
      requireStatus(s, ['submitted'], 'review');
      if (outcome === 'accept') {
        optionalText('comment', cmd.args.comment, MAX_REASON);
        if (s.recurrence) {
          const next = nextPeriod(s.recurrence);
          if (next) {
            // States from before explicit days in cadences have no dueDayOfMonth: periodDue() gives them
            // the working-day rule, as dueForPeriod() did.
            const due = next.dueDayOfMonth
              ? periodDue(next)
              : dueForPeriod(next.periodEnd, next.dueWorkingDaysAfterPeriodEnd);
            return bump(
              {
                ...s,
                status: 'assigned',
                recurrence: next,
                originalDue: due,
                currentDue: due,
                ...(s.reworkDue !== undefined ? { reworkDue: null } : {}),
                reviewRound: 0,
                escalationLevel: 0,
                overdueSince: null,
                pendingExtension: null,
                partsFrom: [],
                chasesDone: [],
              },
              'period_closed',
            );
          }
        }
        if (ctx.legacyReturnMovesDue) {
          return bump({ ...s, status: 'done', escalationLevel: 0, pendingExtension: null }, 'accepted');
        }
        // The escalation reached stays on record (an item accepted late was late); closed items are on
        // no list that escalation drives.
        return bump({ ...s, status: 'done', pendingExtension: null, reworkDue: null }, 'accepted');
      }
      if (outcome !== 'return')
        throw validation('outcome', 'error.review.outcome', 'outcome must be accept or return');
      requireText('reason', cmd.args.reason, MAX_REASON);
      const due = reworkDueOf('newDue', cmd.args.newDue, s, ctx);
      if (ctx.legacyReturnMovesDue) {
        return bump({ ...replanned(s, due), status: 'returned', reviewRound: s.reviewRound + 1 }, 'returned');
      }
      return bump(backForRework(s, due), 'returned');
    }

    case 'requestExtension': {
      const { actor } = cmd.args;
      requireOpen(s, 'request an extension for');
      requireResponsibleAgency(s, actor, 'request an extension');
      requireStatus(s, WORKABLE, 'request an extension for');
      if (s.pendingExtension) {
        throw conflict('error.extension.pending', 'an extension request is already awaiting a decision');
      }
      requireText('reason', cmd.args.reason, MAX_REASON);
      const requested = normalizeDeadline('requestedDue', cmd.args.requestedDue, ctx.today);
      if (requested <= s.currentDue) {
        throw validation(
          'requestedDue',
          'error.extension.notLater',
          'the new date must be later than the current deadline',
        );
      }
      return bump(
        { ...s, pendingExtension: { requestedDue: requested, eventId: cmd.args.eventId } },
        'extension_requested',
      );
    }

    case 'decideExtension': {
      if (!mayDecideExtensions(cmd.args.actor)) {
        throw forbidden(
          'error.forbidden.extensionDeciders',
          'only the working group or the leadership decide',
        );
      }
      requireOpen(s, 'decide on an extension for');
      if (!s.pendingExtension)
        throw conflict('error.extension.none', 'there is no extension request to decide');
      if (cmd.args.note && cmd.args.note.length > MAX_REASON) {
        throw validation('note', 'error.field.tooLong', `note is longer than ${MAX_REASON} characters`, {
          max: MAX_REASON,
        });
      }
      if (!cmd.args.approve) return bump({ ...s, pendingExtension: null }, 'extension_rejected');
      let due = s.pendingExtension.requestedDue;
      const granted = cmd.args.grantedDue;
      if (granted !== undefined && granted !== '' && granted !== due) {
        due = normalizeDeadline('grantedDue', granted, ctx.today);
        if (due <= s.currentDue) {
          throw validation(
            'grantedDue',
            'error.extension.grantedNotLater',
            'the granted date must be later than the current control date',
          );
        }
      }
      // The new control date replaces the rework window too: the executor works to it now.
      const next = { ...replanned(s, due), pendingExtension: null };
      return bump(s.reworkDue ? { ...next, reworkDue: null } : next, 'extension_approved');
    }

    case 'reassign': {
      const { actor, agencyId } = cmd.args;
      requireProjectOffice(actor, 'reassign');
      requireOpen(s, 'reassign');
      requireText('reason', cmd.args.reason, MAX_REASON);
      if (!Number.isInteger(agencyId) || agencyId <= 0) {
        throw validation('agencyId', 'error.field.required', 'choose the new responsible agency');
      }
      const co = (cmd.args.coAgencyIds ?? s.coAgencyIds).filter((a) => a !== agencyId);
      if (agencyId === s.agencyId && co.join() === s.coAgencyIds.join()) {
        throw validation('agencyId', 'error.reassign.same', 'the item already belongs to this agency');
      }
      return bump(
        {
          ...s,
          agencyId,
          coAgencyIds: co,
          partsFrom: s.partsFrom.filter((a) => co.includes(a)),
          // The responsible agency asked for the extension: it stands while that agency stays (only the
          // co-executors change) and lapses when another agency takes over.
          pendingExtension: agencyId === s.agencyId ? s.pendingExtension : null,
          // A report waiting for the old head's sign-off goes with the old agency.
          ...(agencyId !== s.agencyId ? signoffCleared(s) : {}),
        },
        'reassigned',
      );
    }

    case 'cancel': {
      const { actor } = cmd.args;
      const leadershipOwnsIt = actor.role === 'leadership' && s.kind === 'instruction';
      if (!isProjectOffice(actor.role) && !leadershipOwnsIt) {
        throw forbidden('error.forbidden.projectOfficeOnly', 'only the working group may cancel');
      }
      requireOpen(s, 'cancel');
      requireText('reason', cmd.args.reason, MAX_REASON);
      return bump({ ...s, status: 'cancelled', pendingExtension: null, ...signoffCleared(s) }, 'cancelled');
    }
    case 'changeDeadline': {
      requireProjectOffice(cmd.args.actor, 'change deadlines');
      requireOpen(s, 'change the deadline of');
      // The request would be decided against a deadline that no longer exists: decide it first.
      if (s.pendingExtension) {
        throw conflict('error.changeDeadline.extensionPending', 'an extension request awaits a decision');
      }
      requireText('reason', cmd.args.reason, MAX_REASON);
      const due = normalizeDeadline('due', cmd.args.due, ctx.today);
      if (due === s.currentDue && due === s.originalDue) {
        throw validation('due', 'error.changeDeadline.same', 'the item already has this deadline');
      }
      return bump({ ...replanned(s, due), originalDue: due }, 'deadline_changed');
    }

    case 'reopen': {
      requireProjectOffice(cmd.args.actor, 'return an item to control');
      requireStatus(s, ['done'], 'return to control');
      if (s.kind === 'service_improvement') {
        // A stage of a service improvement: its parent workflow has moved on to the next stage.
        throw conflict('error.reopen.improvementStage', 'a service improvement stage cannot be reopened');
      }
      requireText('reason', cmd.args.reason, MAX_REASON);
      const due = reworkDueOf('reworkDue', cmd.args.reworkDue, s, ctx);
      return bump(backForRework(s, due), 'reopened');
    }

    case 'signOff': {
      const { actor, outcome } = cmd.args;
      if (actor.role !== 'agency_head') {
        throw forbidden('error.forbidden.headOnly', 'only the agency head signs reports off');
      }
      requireResponsibleAgency(s, actor, 'sign off its report');
      requireStatus(s, WORKABLE, 'sign off');
      if (!s.signoffPending) throw conflict('error.signoff.none', 'no report waits for a sign-off');
      if (outcome === 'approve')
        return bump({ ...s, status: 'submitted', signoffPending: false }, 'signed_off');
      if (outcome !== 'return')
        throw validation('outcome', 'error.signoff.outcome', 'outcome must be approve or return');
      requireText('reason', cmd.args.reason, MAX_REASON);
      return bump({ ...s, signoffPending: false }, 'signoff_returned');
    }

    case 'withdrawSubmission': {
      requireResponsibleAgency(s, cmd.args.actor, 'withdraw the report');
      requireStatus(s, ['submitted'], 'withdraw the report of');
      optionalText('reason', cmd.args.reason, MAX_REASON);
      // Back to where it was before the report: rework (its due date stands) or simply in progress. Steps
      // of the ladder that fell due meanwhile are the workflow's to cover (the executor knows).
      return bump({ ...s, status: s.reworkDue ? 'returned' : 'in_progress' }, 'submission_withdrawn');
    }

    case 'withdrawExtension': {
      requireResponsibleAgency(s, cmd.args.actor, 'withdraw the extension request');
      requireOpen(s, 'withdraw an extension request for');
      if (!s.pendingExtension)
        throw conflict('error.extension.none', 'there is no extension request to withdraw');
      optionalText('reason', cmd.args.reason, MAX_REASON);
      return bump({ ...s, pendingExtension: null }, 'extension_withdrawn');
    }

    case 'restoreControlDate': {
      requireProjectOffice(cmd.args.actor, 'restore control dates');
      requireOpen(s, 'restore the control date of');
      const a = cmd.args;
      if (s.currentDue !== a.movedDue) {
        throw conflict('error.restore.stale', 'the control date has changed since the restore was computed');
      }
      if (!isLocalDate(a.controlDate) || (a.reworkDue !== null && !isLocalDate(a.reworkDue))) {
        throw validation('controlDate', 'error.field.date', 'dates must be YYYY-MM-DD');
      }
      const level = Math.max(s.escalationLevel, a.escalationLevel) as EscalationLevel;
      return bump(
        {
          ...s,
          currentDue: a.controlDate,
          reworkDue: s.status === 'returned' ? (a.reworkDue ?? a.movedDue) : null,
          escalationLevel: level,
          overdueSince: a.overdueSince ?? s.overdueSince,
          // The keys were for the moved date; the workflow marks the steps already due as done.
          chasesDone: [],
        },
        'control_date_restored',
      );
    }
  }
}
