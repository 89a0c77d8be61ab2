import type { Logger } from 'pino';
import type { Db } from '../../db/index.ts';
import {
  failImportJob,
  insertImportJob,
  setImportJobWorkflow,
  type NewImportJob,
} from '../../db/import-jobs.ts';
import type { roadmapImport } from '../../workflows/import-job.ts';
import { importJobWorkflowId, ROADMAP_IMPORT_WORKFLOW } from '../../workflows/definitions.ts';
import type { TemporalHandle } from '../temporal.ts';

/** Runs an import job in the background (one workflow per job; starting it twice is harmless). */
export async function startImportJob(t: TemporalHandle, jobId: number) {
  return t.client.workflow.start<typeof roadmapImport>(ROADMAP_IMPORT_WORKFLOW, {
    taskQueue: t.taskQueue,
    workflowId: importJobWorkflowId(jobId, t.workflowIdPrefix),
    args: [{ jobId }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/**
 * Records an uploaded roadmap file as a job and starts its background workflow. When Temporal cannot be
 * reached the job is marked failed at once (the page says why) instead of waiting forever.
 */
export async function enqueueRoadmapImport(
  deps: { db: Db; temporal: TemporalHandle; log: Logger },
  o: NewImportJob,
): Promise<number> {
  const { db, temporal, log } = deps;
  const jobId = await insertImportJob(db, o);
  try {
    const handle = await startImportJob(temporal, jobId);
    await setImportJobWorkflow(db, jobId, handle.workflowId);
  } catch (e) {
    log.warn({ err: (e as Error).message, jobId }, 'import job could not be started');
    await failImportJob(db, jobId, [{ row: null, column: null, key: 'error.import.notStarted' }]);
  }
  return jobId;
}
