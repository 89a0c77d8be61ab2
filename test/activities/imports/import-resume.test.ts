import { Context } from '@temporalio/activity';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyImportLifecycle, type ImportActivityDeps } from '../../../activities/imports/index.ts';
import { addDays } from '../../../domain/local-date.ts';
import { startImportJob } from '../../../app/imports/index.ts';
import { insertUser } from '../../support/fixtures.ts';
import {
  OFFSET,
  roadmapXlsx,
  ru,
  seedImportReferences,
  todayLocal,
  waitForJob,
  workingOnOrAfter,
} from '../../support/import-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../support/pg.ts';
import { connectDevServer, createTestWorker } from '../../support/temporal.ts';

// An attempt that dies half-way through putting items under control is retried by Temporal and resumes
// after the chunk its last heartbeat reported; nothing is written or started twice.
describe('import job survives a crashed attempt', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let worker: Worker;
  let running: Promise<void>;
  const resumedFrom: number[] = [];

  beforeAll(async () => {
    [tdb, temporal] = await Promise.all([createTestDatabase(), connectDevServer()]);
    const deps: ImportActivityDeps = { db: tdb.db, temporal: temporal.handle, utcOffsetMinutes: OFFSET };
    worker = await createTestWorker({
      connection: temporal.nativeConnection,
      taskQueue: temporal.taskQueue,
      deps: { ...deps, publicUrl: 'http://t' },
      extraActivities: {
        // The real activity, except that the first attempt "crashes" after reporting 200 started.
        async applyImportLifecycle(input: { jobId: number }) {
          const ctx = Context.current();
          const from = (ctx.info.heartbeatDetails as { started?: number } | undefined)?.started ?? 0;
          resumedFrom.push(from);
          return applyImportLifecycle(deps, input.jobId, {
            resumeFrom: from,
            heartbeat: (d) => {
              ctx.heartbeat(d);
              if (ctx.info.attempt === 1 && ((d as { started?: number })?.started ?? 0) >= 200) {
                throw new Error('worker crashed');
              }
            },
          });
        },
      },
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await temporal?.close();
    await tdb?.drop();
  });

  it('resumes from the last heartbeat and ends with exactly one workflow per item', async () => {
    const refs = await seedImportReferences(tdb.db);
    const wg = await insertUser(tdb.db, 'working_group', null);
    const due = workingOnOrAfter(addDays(todayLocal(), 60));
    const rows = Array.from({ length: 350 }, (_, i) => [
      String(i + 1),
      `Мероприятие ${i + 1}`,
      ru(due),
      'MZ',
      null,
      null,
      null,
    ]);
    const file = await roadmapXlsx(rows);
    const job = await tdb.db
      .insertInto('import_job')
      .values({
        kind: 'roadmap',
        roadmap_id: refs.roadmapId,
        filename: 'big.xlsx',
        content: file,
        size_bytes: file.length,
        created_by: wg.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await startImportJob(temporal.handle, job.id);
    const done = await waitForJob(tdb.db, job.id);
    expect(done.status).toBe('done');
    expect([done.workflows_done, done.workflows_total]).toEqual([350, 350]);
    // Attempt 1 started from 0; attempt 2 from what attempt 1 had reported (at least the first chunk).
    expect(resumedFrom[0]).toBe(0);
    expect(resumedFrom.length).toBe(2);
    expect(resumedFrom[1]).toBeGreaterThanOrEqual(100);

    const items = await tdb.db
      .selectFrom('control_item')
      .select('id')
      .where('roadmap_id', '=', refs.roadmapId)
      .execute();
    expect(items).toHaveLength(350);
    const prefix = `${temporal.workflowIdPrefix}control-item-`;
    const count = async () => {
      let n = 0;
      for await (const _ of temporal.client.workflow.list({ query: `WorkflowId STARTS_WITH "${prefix}"` }))
        n++;
      return n;
    };
    await expect.poll(count, { timeout: 20_000 }).toBe(350);
  });
});
