export interface RematchBatchResult {
  /** The last review id of the range done. */
  lastId: number;
  /** No review after it (the run is finished for this version). */
  done: boolean;
  changed: number;
}

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
