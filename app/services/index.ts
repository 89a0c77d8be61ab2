// Service quality: the register, low-scoring services' improvements (serviceImprovement workflows),
// score and indicator imports, mystery-shopping / timing checks and their remediation items.
export * from './improvement-workflow.ts';
export { ensureImprovementWorkflows } from './reconcile.ts';
