import type { RematchBatchResult } from '../../workflows/feedback-rematch-definitions.ts';

/** The activities of the feedbackRematch workflow. Workflows import this type only. */
export interface FeedbackRematchActivities {
  /**
   * Matches the reviews with ids in (afterId, afterId + size] again with the rules in force and moves the
   * topic tallies by the difference, in one transaction; idempotent (a repeat finds nothing to change).
   */
  rematchFeedbackBatch(input: {
    version: number;
    afterId: number;
    size: number;
  }): Promise<RematchBatchResult>;
}
