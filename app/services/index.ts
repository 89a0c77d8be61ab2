// Service quality: the register and its settings, low-scoring services' improvements (serviceImprovement
// workflows), score and indicator imports, mystery-shopping / timing checks and their remediation items,
// life situations' target states and indicator values.
export * from './improvement-workflow.ts';
export { ensureImprovementWorkflows } from './reconcile.ts';
export { selectForImprovement } from './improvements.ts';
export { deleteService, saveService, saveServiceSettings } from './register.ts';
export { openRemediation, recordFindings, scheduleCheck } from './checks.ts';
export { importServiceScores } from './scores.ts';
export { importScores, type ScoreImportResult } from './score-import.ts';
export { importIndicatorValues, type IndicatorImportResult } from './indicator-import.ts';
export type { ImportIssue } from './table-file.ts';
export { saveIndicatorValue, saveTargetState } from './life-situations.ts';
