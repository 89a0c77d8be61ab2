import type { ItemState, ItemStatus } from '../../domain/control-item/index.ts';
import type { ScoreVerdict } from '../../domain/services/index.ts';

export type ImprovementStage = 'plan' | 'implementation';

/** The activities a serviceImprovement workflow calls. Workflows import this type only. */
export interface ServiceImprovementActivities {
  /**
   * The controlled item of a stage (the improvement plan, or the implementation checkpoint): created on the
   * first call, the same row afterwards. Moves the improvement to 'planning' / 'implementing'.
   */
  openImprovementStage(input: { improvementId: number; stage: ImprovementStage }): Promise<ItemState>;
  /** The implementation is accepted: from now on only scores of later periods count. */
  beginAwaitingScore(input: { improvementId: number; at: number }): Promise<{ measureAfterPeriod: string }>;
  /** Judges the latest qualifying score; closes the improvement as improved, or records and reports it. */
  evaluateImprovement(input: { improvementId: number; at: number }): Promise<ScoreVerdict>;
  cancelImprovement(input: { improvementId: number; at: number; itemId: number }): Promise<void>;
  itemStatus(input: { itemId: number }): Promise<ItemStatus>;
}
