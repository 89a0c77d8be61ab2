import type { Db } from '../connect.ts';

// The roadmap import's pages: a job as its page shows it (without the uploaded file) and the recent jobs.

/** Every column of an import job but the uploaded file's content. */
export const IMPORT_JOB_COLUMNS = [
  'id',
  'kind',
  'roadmap_id',
  'new_roadmap_title',
  'filename',
  'size_bytes',
  'status',
  'phase',
  'rows_total',
  'rows_done',
  'workflows_total',
  'workflows_done',
  'errors',
  'result',
  'applied_at',
  'workflow_id',
  'created_by',
  'created_at',
  'started_at',
  'finished_at',
  'open_ended_every',
] as const;

export async function importJobView(db: Db, id: number) {
  return db.selectFrom('import_job').select(IMPORT_JOB_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** The latest jobs with who started them, newest first. */
export async function recentImportJobs(db: Db, limit = 20) {
  return db
    .selectFrom('import_job as j')
    .leftJoin('app_user as u', 'u.id', 'j.created_by')
    .select(['j.id', 'j.filename', 'j.status', 'j.created_at', 'u.display_name'])
    .orderBy('j.created_at', 'desc')
    .orderBy('j.id', 'desc')
    .limit(limit)
    .execute();
}
