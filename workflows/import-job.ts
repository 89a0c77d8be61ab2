import { proxyActivities } from '@temporalio/workflow';
import type { ImportActivities } from '../activities/imports/types.ts';

const work = proxyActivities<ImportActivities>({
  startToCloseTimeout: '30 minutes',
  // A crashed worker is noticed within a minute and the attempt retried elsewhere (from its heartbeat).
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
  },
});
const record = proxyActivities<ImportActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One background roadmap import (import_job row): validate and write all rows or none, then put the new
 * items under control. The job row carries the progress the page polls.
 */
export async function roadmapImport(input: { jobId: number }): Promise<void> {
  try {
    const r = await work.importRoadmapFile(input);
    if (r.ok) await work.applyImportLifecycle(input);
  } catch (e) {
    await record.failImportJob({ jobId: input.jobId, message: e instanceof Error ? e.message : String(e) });
  }
}
