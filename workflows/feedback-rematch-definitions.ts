// Messages of the feedbackRematch workflow, shared by the workflow and app/feedback/rematch.ts.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const FEEDBACK_REMATCH_WORKFLOW = 'feedbackRematch';
/** One at a time for the whole region: a newer taxonomy version restarts the running one. */
export const feedbackRematchWorkflowId = (prefix = '') => `${prefix}feedback-rematch`;

export interface FeedbackRematchInput {
  /** The taxonomy version to match with (feedback_rematch.version). */
  version: number;
  /** Reviews up to this id are done (a continued run resumes after it). */
  afterId?: number;
}

/** A newer taxonomy version was saved: the run restarts from the first review after its current batch. */
export const rematchRequestedSignal = defineSignal<[number]>('rematchRequested');
export const rematchStateQuery = defineQuery<{ version: number; afterId: number; pending: number }>(
  'rematchState',
);
