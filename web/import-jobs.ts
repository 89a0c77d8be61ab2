import { failImportJob } from '../activities/imports/roadmap-import.ts';
import { startImportJob } from '../workflows/client.ts';
import type { Recurrence } from '../domain/control-item/index.ts';
import type { AppDeps } from './env.ts';

/**
 * Records an uploaded roadmap file as a job and starts its background workflow. When Temporal cannot be
 * reached the job is marked failed at once (the page says why) instead of waiting forever.
 */
export async function enqueueRoadmapImport(
  deps: AppDeps,
  o: {
    roadmapId: number | null;
    newRoadmapTitle: string | null;
    filename: string;
    bytes: Uint8Array;
    createdBy: number | null;
    /** The cadence chosen for open-ended rows («постоянно»); null refuses them. */
    openEndedEvery?: Recurrence | null;
  },
): Promise<number> {
  const { db, temporal, log } = deps;
  const job = await db
    .insertInto('import_job')
    .values({
      kind: 'roadmap',
      roadmap_id: o.roadmapId,
      new_roadmap_title: o.roadmapId === null ? o.newRoadmapTitle : null,
      filename: o.filename.replace(/[\\/\r\n]/g, '_').slice(0, 200) || 'roadmap.xlsx',
      content: o.bytes,
      size_bytes: o.bytes.byteLength,
      created_by: o.createdBy,
      open_ended_every: o.openEndedEvery ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  try {
    const handle = await startImportJob(temporal, job.id);
    await db
      .updateTable('import_job')
      .set({ workflow_id: handle.workflowId })
      .where('id', '=', job.id)
      .execute();
  } catch (e) {
    log.warn({ err: (e as Error).message, jobId: job.id }, 'import job could not be started');
    await failImportJob(db, job.id, [{ row: null, column: null, key: 'err.import.notStarted' }]);
  }
  return job.id;
}
