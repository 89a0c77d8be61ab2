import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { FeedbackRematchActivities } from '../activities/feedback/rematch-types.ts';
import {
  rematchRequestedSignal,
  rematchStateQuery,
  type FeedbackRematchInput,
} from './feedback-rematch-definitions.ts';

/** Review ids per batch: one transaction each, a few seconds at most on a large region's reviews. */
export const REMATCH_BATCH_IDS = 5000;
/** Batches per run before continuing as new (3 events each: the history stays small). */
const BATCHES_PER_RUN = 500;

const acts = proxyActivities<FeedbackRematchActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/**
 * Re-matches every review on record after an edit of the taxonomy (app/feedback/rematch.ts), in batches by
 * id range, each an idempotent activity. One workflow for the region (a fixed id, signal-with-start): a
 * newer version saved while it runs is recorded by the signal and taken between two batches — the run
 * starts again from the first review with it, since the reviews already passed were matched with rules
 * that are no longer in force. The state is two numbers; long runs continue as new.
 */
export async function feedbackRematch(input: FeedbackRematchInput): Promise<{ version: number }> {
  let version = input.version;
  let afterId = input.afterId ?? 0;
  let pending = version;
  setHandler(rematchRequestedSignal, (v) => {
    if (v > pending) pending = v;
  });
  setHandler(rematchStateQuery, () => ({ version, afterId, pending }));

  for (let batches = 0; ; batches++) {
    if (pending > version) {
      version = pending;
      afterId = 0;
    }
    if (batches >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      // A version that arrived while waiting starts from the first review too.
      const next = pending > version ? { version: pending, afterId: 0 } : { version, afterId };
      return continueAsNew<typeof feedbackRematch>(next);
    }
    const r = await acts.rematchFeedbackBatch({ version, afterId, size: REMATCH_BATCH_IDS });
    afterId = r.lastId;
    if (r.done && pending === version) return { version };
  }
}
