// Imports: a roadmap file becomes a background job (checked first); the job's activities put its items
// under control through app/control-items. Score and indicator imports live in app/services.
export { enqueueRoadmapImport, startImportJob } from './jobs.ts';
export { queueRoadmapImport, type RoadmapUpload } from './queue.ts';
