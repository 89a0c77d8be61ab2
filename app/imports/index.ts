// Imports: queue a roadmap file as a background job (the job's activities put its items under control
// through app/control-items). Score and indicator imports live in app/services.
export { enqueueRoadmapImport, startImportJob } from './jobs.ts';
