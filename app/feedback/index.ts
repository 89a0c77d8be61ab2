export { todayOf, type FeedbackAppDeps, type TallyFolder } from './deps.ts';
export {
  ingestFeedback,
  MAX_BATCH,
  SOURCE_NAME,
  type IngestInput,
  type IngestIssue,
  type IngestResult,
} from './ingest.ts';
export { answerCase, canAnswer, ensureCaseWorkflows, recordCaseFix } from './cases.ts';
export { effectiveCasePolicy } from './settings.ts';
export { loadTaxonomy } from './taxonomy.ts';
export { startTallyFolder, FOLD_INTERVAL_MS, FOLD_SWEEP_MS } from './fold.ts';
export {
  importFeedbackFile,
  FEEDBACK_COLUMNS,
  MAX_FEEDBACK_ROWS,
  type FeedbackFileResult,
} from './file-import.ts';
export { saveTopicRules, MAX_RULES_PER_TOPIC } from './topics.ts';
export { ensureRematch, rematchBatch, startRematch } from './rematch.ts';
export { raiseSystemicProblem, MAX_EVIDENCE } from './remediation.ts';
export { recordPrincipleRound, saveChecklist, savePrincipleSettings } from './principles.ts';
export { planMysteryShopping } from './mystery-plan.ts';
export { ensureCheckChaseSchedule, checkChaseHandle, CHECK_CHASE_CATCHUP } from './check-schedule.ts';
