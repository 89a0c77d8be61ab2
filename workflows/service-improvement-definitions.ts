// Messages of the serviceImprovement workflow, shared by the workflow and its callers.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const SERVICE_IMPROVEMENT_WORKFLOW = 'serviceImprovement';
export const serviceImprovementWorkflowId = (improvementId: number, prefix = '') =>
  `${prefix}service-improvement-${improvementId}`;

export type ImprovementWorkflowStage = 'plan' | 'implementation' | 'awaiting_score';

export interface ScoreImportedArgs {
  /** The periods the import carried for this service (for the history; the database is the truth). */
  periods: string[];
  importId: number;
}

/** Sent by the score import after its transaction commits, to improvements waiting for a score. */
export const scoreImportedSignal = defineSignal<[ScoreImportedArgs]>('scoreImported');
export const improvementStageQuery = defineQuery<ImprovementWorkflowStage>('stage');
