// Messages of the feedbackCase workflow, shared by the workflow and its callers.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AnswerCaseArgs, CaseState, RecordFixArgs } from '../domain/feedback/case-state.ts';
import type { FeedbackCasePolicy } from '../domain/feedback/cases.ts';

export const FEEDBACK_CASE_WORKFLOW = 'feedbackCase';
export const feedbackCaseWorkflowId = (caseId: number, prefix = '') => `${prefix}feedback-case-${caseId}`;

export interface FeedbackCaseInput {
  state: CaseState;
  policy: FeedbackCasePolicy;
}

export const answerCaseUpdate = defineUpdate<CaseState, [AnswerCaseArgs]>('answerCase');
export const recordFixUpdate = defineUpdate<CaseState, [RecordFixArgs]>('recordFix');
export const caseStateQuery = defineQuery<CaseState>('caseState');
