import { Context } from '@temporalio/activity';
import { failImportJob } from '../../db/import-jobs.ts';
import { applyImportLifecycle, importRoadmapFile, type ImportActivityDeps } from './roadmap-import.ts';
import type { ImportActivities } from './types.ts';

export type { ImportActivityDeps } from './roadmap-import.ts';
export * from './roadmap-import.ts';
export { readXlsx } from './xlsx.ts';
export type * from './types.ts';

const heartbeat = (details?: unknown) => Context.current().heartbeat(details);

export function createImportActivities(deps: ImportActivityDeps): ImportActivities {
  return {
    importRoadmapFile: ({ jobId }) => importRoadmapFile(deps, jobId, { heartbeat }),
    applyImportLifecycle: ({ jobId }) => {
      // A retried attempt resumes after the workflows its predecessor reported as started.
      const last = Context.current().info.heartbeatDetails as { started?: number } | undefined;
      return applyImportLifecycle(deps, jobId, { heartbeat, resumeFrom: last?.started ?? 0 });
    },
    async failImportJob({ jobId, message }) {
      const job = await deps.db
        .selectFrom('import_job')
        .select('applied_at')
        .where('id', '=', jobId)
        .executeTakeFirst();
      await failImportJob(deps.db, jobId, [
        {
          row: null,
          column: null,
          // Rows already written stay; the reconciliation at worker start puts them under control.
          key: job?.applied_at ? 'error.import.lifecycleIncomplete' : 'error.import.internal',
          params: { message: message.slice(0, 500) },
        },
      ]);
    },
  };
}
