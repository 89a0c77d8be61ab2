import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ControlItemActivities, TransitionPayload } from '../activities/control-item/types.ts';
import {
  addWorkingDays,
  asWorkingCalendar,
  installCalendar,
  type WorkingCalendar,
} from '../domain/calendar/index.ts';
import {
  applyChase,
  coverDueChases,
  decide,
  DEFAULT_CHASE_POLICY,
  planChase,
  skipRemindersCoveredByNotice,
  type ChasePolicy,
  type Command,
  type ItemState,
} from '../domain/control-item/index.ts';
import { ShtabError } from '../domain/errors.ts';
import { instantToLocalDate, localTimeToInstant } from '../domain/local-date.ts';
import {
  cancelUpdate,
  changeDeadlineUpdate,
  decideExtensionUpdate,
  nextChaseQuery,
  reassignUpdate,
  reopenUpdate,
  requestExtensionUpdate,
  restoreControlDateUpdate,
  reviewUpdate,
  signOffUpdate,
  startWorkUpdate,
  stateQuery,
  submitUpdate,
  withdrawExtensionUpdate,
  withdrawSubmissionUpdate,
} from './definitions.ts';
import { calendarChangedSignal } from './calendar-definitions.ts';
import { createLock } from './lock.ts';

export interface ControlItemInput {
  state: ItemState;
  policy: ChasePolicy;
  /**
   * The working-day calendar's entered years, as the app had them at the start (or the last signal before
   * a continue-as-new). Absent: the built-in tables (runs started before issue 15, children of an
   * improvement started before it). docs/decisions.md §41.
   */
  calendar?: WorkingCalendar;
}

/**
 * patched() ids, one per behaviour change that alters the commands a workflow issues. Histories recorded
 * before a change (test/fixtures/histories) replay through the old branch; see docs/decisions.md.
 */
export const PATCHES = {
  /** A deadline moved by a transition: reminders due by that day are covered by its notice. */
  replanSkipsCoveredReminders: 'replan-skips-covered-reminders',
  /** Changing only the co-executors keeps the responsible agency's pending extension request. */
  reassignKeepsExtension: 'reassign-keeps-extension',
  /** A return for rework never moves the deadline earlier than the current one. */
  reworkKeepsLaterDue: 'rework-keeps-later-due',
  /**
   * A return for rework sets a rework due date and leaves the control date, the escalation level and the
   * ladder as they are; acceptance keeps the escalation level on record (docs/decisions.md §31).
   */
  controlDateFixed: 'control-date-fixed',
  /** After acceptance the workflow waits policy.reopenWindowWorkingDays for «вернуть на контроль». */
  reopenWindow: 'reopen-window',
  /**
   * The next run of a workflow started with an older policy gets the fields added since (one reminder per
   * recurring period, the reopen window) from the default.
   */
  policyDefaultsOnNewRun: 'policy-defaults-on-new-run',
  /**
   * An executor's report goes to the agency head first and the head signs it off or returns it (a
   * roadmap's rule; issue 13). Histories from before cannot hold these Updates, so no old run takes the
   * new path; the marker records which runs did, for the day this path changes again.
   */
  headSignoff: 'head-signoff',
  /**
   * Ladder steps already due at once (an item that arrives late, an outage) go out as one notice — the
   * highest level, to everyone the skipped levels would have told — not one per step minutes apart.
   */
  collapseDueLadder: 'collapse-due-ladder',
} as const;

/** Transitions of the head's sign-off path (PATCHES.headSignoff). */
const SIGNOFF: ReadonlySet<string> = new Set(['signoff_requested', 'signed_off', 'signoff_returned']);

/** Policy fields added after workflows were started: a new run takes them from the default. */
function withPolicyDefaults(p: ChasePolicy): ChasePolicy {
  return {
    ...p,
    recurringReminderWorkingDaysBefore:
      p.recurringReminderWorkingDaysBefore ?? DEFAULT_CHASE_POLICY.recurringReminderWorkingDaysBefore!,
    reopenWindowWorkingDays: p.reopenWindowWorkingDays ?? DEFAULT_CHASE_POLICY.reopenWindowWorkingDays!,
  };
}

/**
 * Transitions whose notice (or whose actor) tells the executor everything already due: those chase steps
 * are not sent. A withdrawn report is back with the very people the steps would chase.
 */
const COVERING: ReadonlySet<string> = new Set(['reopened', 'control_date_restored', 'submission_withdrawn']);

const REPLANNING: ReadonlySet<string> = new Set(['returned', 'extension_approved', 'period_closed']);

const acts = proxyActivities<ControlItemActivities>({
  // The activities are single short transactions. The timeout is also how long a transition stalls when
  // its worker dies mid-attempt (no heartbeat from a killed process), so it stays short.
  startToCloseTimeout: '10 seconds',
  // No attempt limit: a database outage delays the transition, it must not lose it.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

function toFailure(e: unknown): unknown {
  if (e instanceof ShtabError) {
    return ApplicationFailure.create({
      message: e.message,
      type: e.code,
      nonRetryable: true,
      details: [e.detail],
    });
  }
  return e;
}

function payloadOf(cmd: Command): TransitionPayload {
  const a = cmd.args as unknown as Record<string, unknown>;
  const pick = <K extends keyof TransitionPayload>(k: K) => (a[k] === undefined ? {} : { [k]: a[k] });
  return {
    ...pick('text'),
    ...pick('links'),
    ...pick('attachmentIds'),
    ...pick('reason'),
    ...pick('note'),
    ...pick('requestedDue'),
    ...pick('newDue'),
    ...pick('due'),
    ...pick('outcome'),
    ...pick('grantedDue'),
    ...pick('reworkDue'),
    ...pick('comment'),
  } as TransitionPayload;
}

/**
 * One durable workflow per controlled item (measure, instruction…): the only writer of its lifecycle.
 * Updates change it (validated synchronously, persisted through an activity, answered with the new state);
 * between them the loop sleeps until the next chase step of the policy and acts on it.
 */
export async function controlItem(input: ControlItemInput): Promise<ItemState> {
  const { policy } = input;
  let state = input.state;
  let changed = false;
  let periodRolled = false;
  // The calendar lives in this workflow's own module instance of domain/calendar (Temporal gives every
  // workflow its own): installed once here, and again whenever a newer version arrives.
  let calendar = input.calendar ? asWorkingCalendar(input.calendar) : null;
  if (calendar) installCalendar(calendar);
  setHandler(calendarChangedSignal, (c) => {
    const next = asWorkingCalendar(c);
    if (!next || next.version <= (calendar?.version ?? 0)) return;
    calendar = next;
    installCalendar(next);
    changed = true; // the loop re-plans the next timer on the new calendar
  });
  const withLock = createLock();
  const context = () => ({ today: instantToLocalDate(Date.now(), policy.utcOffsetMinutes), policy });

  setHandler(stateQuery, () => state);
  setHandler(nextChaseQuery, () => planChase(state, policy, Date.now()).next);

  function register<A extends { eventId: string; actor: Command['args']['actor'] }>(
    def: Parameters<typeof setHandler>[0],
    type: Command['type'],
  ) {
    const validator = (args: A) => {
      try {
        decide(state, { type, args } as Command, context());
      } catch (e) {
        throw toFailure(e);
      }
    };
    const handler = (args: A) =>
      withLock(async () => {
        const cmd = { type, args } as Command;
        let decision;
        let legacyReturnMovesDue = false;
        try {
          // Again under the lock: another update may have changed the state since validation.
          const legacyReworkDue = type === 'review' && !patched(PATCHES.reworkKeepsLaterDue);
          legacyReturnMovesDue = type === 'review' && !patched(PATCHES.controlDateFixed);
          decision = decide(state, cmd, { ...context(), legacyReworkDue, legacyReturnMovesDue });
        } catch (e) {
          throw toFailure(e);
        }
        if (SIGNOFF.has(decision.type)) patched(PATCHES.headSignoff);
        let next = decision.next;
        if (COVERING.has(decision.type) || (decision.type === 'returned' && !legacyReturnMovesDue)) {
          // The return's (reopen's) notice states the rework due date and that the item is overdue: steps
          // already due go unsent, and the escalation level they stand for is kept.
          next = coverDueChases(next, policy, Date.now());
        } else if (REPLANNING.has(decision.type) && patched(PATCHES.replanSkipsCoveredReminders)) {
          next = skipRemindersCoveredByNotice(next, policy, context().today);
        }
        if (
          next.pendingExtension &&
          decision.type === 'reassigned' &&
          !patched(PATCHES.reassignKeepsExtension)
        ) {
          next = { ...next, pendingExtension: null }; // as runs from before the change did
        }
        await acts.persistTransition({
          itemId: state.itemId,
          eventId: args.eventId,
          type: decision.type,
          actor: args.actor,
          at: Date.now(),
          before: state,
          after: next,
          payload: payloadOf(cmd),
        });
        state = next;
        changed = true;
        if (decision.type === 'period_closed') periodRolled = true;
        return state;
      });
    // setHandler's overloads do not line up with a generic definition; the pairing is checked by callers.
    (setHandler as (d: unknown, h: unknown, o: unknown) => void)(def, handler, { validator });
  }

  register(startWorkUpdate, 'start');
  register(submitUpdate, 'submit');
  register(reviewUpdate, 'review');
  register(requestExtensionUpdate, 'requestExtension');
  register(decideExtensionUpdate, 'decideExtension');
  register(reassignUpdate, 'reassign');
  register(cancelUpdate, 'cancel');
  register(changeDeadlineUpdate, 'changeDeadline');
  register(reopenUpdate, 'reopen');
  register(restoreControlDateUpdate, 'restoreControlDate');
  register(signOffUpdate, 'signOff');
  // Added after workflows were running: histories from before hold none of these Updates, so their replay
  // is untouched (test/workflows/replay.test.ts); a running workflow takes them from its next task on.
  register(withdrawSubmissionUpdate, 'withdrawSubmission');
  register(withdrawExtensionUpdate, 'withdrawExtension');

  for (;;) {
    if (state.status === 'done' || state.status === 'cancelled') {
      // An accepted item stays open for «вернуть на контроль» a while, then the workflow completes, so
      // done items do not occupy the worker; a later reopen starts this workflow id again from the row.
      if (state.status === 'done' && state.kind !== 'service_improvement' && patched(PATCHES.reopenWindow)) {
        const days = policy.reopenWindowWorkingDays ?? DEFAULT_CHASE_POLICY.reopenWindowWorkingDays!;
        const closesAt = localTimeToInstant(
          addWorkingDays(context().today, days),
          policy.notifyAtMinute,
          policy.utcOffsetMinutes,
        );
        const wait = closesAt - Date.now();
        if (days > 0 && wait > 0 && (await condition(() => state.status !== 'done', wait))) continue;
      }
      await condition(allHandlersFinished);
      if (state.status === 'done' || state.status === 'cancelled') return state;
      continue; // reopened while the last handlers finished
    }
    // A new reporting period starts a fresh history; so does a long one (e.g. years of repeat chasers).
    if (periodRolled || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      const nextPolicy = patched(PATCHES.policyDefaultsOnNewRun) ? withPolicyDefaults(policy) : policy;
      await continueAsNew<typeof controlItem>({
        state,
        policy: nextPolicy,
        ...(calendar ? { calendar } : {}),
      });
    }

    changed = false;
    const opts = { collapseDueLadder: patched(PATCHES.collapseDueLadder) };
    const plan = planChase(state, policy, Date.now(), opts);
    if (!plan.next) {
      await condition(() => changed || periodRolled);
      continue;
    }
    const wait = plan.next.at - Date.now();
    if (wait > 0 && (await condition(() => changed, wait))) continue;

    await withLock(async () => {
      if (changed) return; // an update landed first: re-plan
      const current = planChase(state, policy, Date.now(), opts);
      const step = current.next;
      if (!step || step.at > Date.now()) return;
      const after = applyChase(state, step, current.superseded);
      await acts.recordChase({
        itemId: state.itemId,
        eventKey: `${workflowInfo().workflowId}:${state.currentDue}:${step.key}`,
        at: Date.now(),
        today: context().today,
        step,
        superseded: current.superseded,
        before: state,
        after,
      });
      state = after;
    });
  }
}
