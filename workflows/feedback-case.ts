import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { FeedbackCaseActivities } from '../activities/feedback/types.ts';
import { decideAnswer, decideFix, type CaseState } from '../domain/feedback/case-state.ts';
import { casePlan } from '../domain/feedback/cases.ts';
import { ShtabError } from '../domain/errors.ts';
import { localTimeToInstant } from '../domain/local-date.ts';
import {
  answerCaseUpdate,
  caseStateQuery,
  recordFixUpdate,
  type FeedbackCaseInput,
} from './feedback-case-definitions.ts';
import { createLock } from './lock.ts';

const acts = proxyActivities<FeedbackCaseActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const toFailure = (e: unknown) =>
  e instanceof ShtabError
    ? ApplicationFailure.create({ message: e.message, type: e.code, nonRetryable: true, details: [e.detail] })
    : e;

/**
 * One per curator case (a low rating with a text). Reminds the curator before the answer's deadline,
 * escalates to the agency head the working day after it and to the working group some days later, and
 * records the answer through the `answerCase` Update (validated synchronously: who may answer, whether the
 * case is still open). An answer that cannot yet say whether the problem was fixed leaves the case
 * `answered` until `recordFix`. Timing comes from the policy; the deadline is an absolute date; the state
 * is the case's few fields; a long wait for "fixed" continues as new when Temporal suggests it.
 */
export async function feedbackCase(input: FeedbackCaseInput): Promise<CaseState> {
  const { policy } = input;
  let state = input.state;
  const withLock = createLock();
  setHandler(caseStateQuery, () => state);

  setHandler(
    answerCaseUpdate,
    (args) =>
      withLock(async () => {
        let next: CaseState;
        try {
          next = decideAnswer(state, args); // again under the lock: another answer may have landed
        } catch (e) {
          throw toFailure(e);
        }
        state = await acts.recordCaseAnswer({ ...args, caseId: state.caseId, at: Date.now(), next });
        return state;
      }),
    {
      validator: (args) => {
        try {
          decideAnswer(state, args);
        } catch (e) {
          throw toFailure(e);
        }
      },
    },
  );
  setHandler(
    recordFixUpdate,
    (args) =>
      withLock(async () => {
        let next: CaseState;
        try {
          next = decideFix(state, args);
        } catch (e) {
          throw toFailure(e);
        }
        state = await acts.recordCaseFix({ ...args, caseId: state.caseId, at: Date.now(), next });
        return state;
      }),
    {
      validator: (args) => {
        try {
          decideFix(state, args);
        } catch (e) {
          throw toFailure(e);
        }
      },
    },
  );

  // The curator hears of the case first (once: a re-created workflow finds the notice on record).
  if (state.status === 'open' && !state.done.includes('opened'))
    await withLock(async () => {
      state = await acts.chaseCase({ caseId: state.caseId, kind: 'opened', key: 'opened', at: Date.now() });
    });
  for (const step of casePlan(state.due, policy)) {
    if (state.status !== 'open') break;
    if (state.done.includes(step.key)) continue;
    const at = localTimeToInstant(step.on, policy.chaseMinuteOfDay, policy.utcOffsetMinutes);
    if (at > Date.now() && (await condition(() => state.status !== 'open', at - Date.now()))) break;
    await withLock(async () => {
      if (state.status !== 'open') return;
      state = await acts.chaseCase({ caseId: state.caseId, kind: step.kind, key: step.key, at: Date.now() });
    });
  }
  // After the last escalation the case stays open until answered, then until "fixed" is known.
  while (state.status !== 'closed') {
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof feedbackCase>({ state, policy });
    }
    const before = state.status;
    await condition(() => state.status !== before);
  }
  await condition(allHandlersFinished);
  return state;
}
