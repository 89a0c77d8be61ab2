import type { Recurrence } from '../domain/control-item/types.ts';
import type { ImportIssue } from '../domain/imports/index.ts';
import type { Db } from './connect.ts';

// Writes of the import_job table shared by the use case that queues a job (app/imports) and the
// activities that run it (activities/imports).

export interface NewImportJob {
  roadmapId: number | null;
  newRoadmapTitle: string | null;
  filename: string;
  bytes: Uint8Array;
  createdBy: number | null;
  /** The cadence chosen for open-ended rows («постоянно»); null/absent refuses them. */
  openEndedEvery?: Recurrence | null;
}

/** A queued roadmap import job; its file is kept with it. */
export async function insertImportJob(db: Db, o: NewImportJob): Promise<number> {
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
  return job.id;
}

export async function setImportJobWorkflow(db: Db, jobId: number, workflowId: string) {
  await db.updateTable('import_job').set({ workflow_id: workflowId }).where('id', '=', jobId).execute();
}

const byRow = (a: ImportIssue, b: ImportIssue) =>
  (a.row ?? 0) - (b.row ?? 0) || (a.column ?? '').localeCompare(b.column ?? '');

/** The job failed with these problems (sorted by row); a job already done stays done. */
export async function failImportJob(db: Db, jobId: number, issues: ImportIssue[]) {
  await db
    .updateTable('import_job')
    .set({
      status: 'failed',
      phase: 'finished',
      errors: JSON.stringify([...issues].sort(byRow)),
      finished_at: new Date(),
    })
    .where('id', '=', jobId)
    .where('status', '!=', 'done')
    .execute();
}
