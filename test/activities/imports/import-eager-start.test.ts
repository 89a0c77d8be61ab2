import type { Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemStateFromRow } from '../../../db/control-items.ts';
import { DEFAULT_CHASE_POLICY } from '../../../domain/control-item/index.ts';
import { addDays } from '../../../domain/local-date.ts';
import { createShtabWorker } from '../../../scripts/lib/worker.ts';
import { startControlItem } from '../../../app/control-items/index.ts';
import { startImportJob } from '../../../app/imports/index.ts';
import { controlItemWorkflowId } from '../../../workflows/definitions.ts';
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
import { connectDevServer, workflowBundle } from '../../support/temporal.ts';

// The production worker (createShtabWorker) gives the import activities a client over its own native
// connection, so new items' workflows start eagerly: their first task comes back with the start and runs
// on this worker. Starting stays idempotent (USE_EXISTING): a second start of an item keeps its run.
describe('import jobs on the production worker start items eagerly', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let worker: Worker;
  let native: Awaited<ReturnType<typeof createShtabWorker>>['connection'];
  let running: Promise<void>;

  beforeAll(async () => {
    [tdb, temporal] = await Promise.all([createTestDatabase(), connectDevServer()]);
    ({ worker, connection: native } = await createShtabWorker({
      address: temporal.address,
      namespace: 'default',
      taskQueue: temporal.taskQueue,
      workflowBundle: workflowBundle(),
      db: tdb.db,
      publicUrl: 'http://t',
      temporal: temporal.handle,
      utcOffsetMinutes: OFFSET,
    }));
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await native?.close();
    await temporal?.close();
    await tdb?.drop();
  });

  it('puts every imported item under control with its first timer set', async () => {
    const refs = await seedImportReferences(tdb.db);
    const wg = await insertUser(tdb.db, 'working_group', null);
    const due = workingOnOrAfter(addDays(todayLocal(), 60));
    const rows = Array.from({ length: 60 }, (_, i) => [String(i + 1), `Мероприятие ${i + 1}`, ru(due), 'MZ']);
    const file = await roadmapXlsx(rows);
    const job = await tdb.db
      .insertInto('import_job')
      .values({
        kind: 'roadmap',
        roadmap_id: refs.roadmapId,
        filename: 'eager.xlsx',
        content: file,
        size_bytes: file.length,
        created_by: wg.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await startImportJob(temporal.handle, job.id);
    const done = await waitForJob(tdb.db, job.id);
    expect(done.status).toBe('done');
    expect(done.workflows_done).toBe(60);

    const items = await tdb.db
      .selectFrom('control_item')
      .selectAll()
      .where('roadmap_id', '=', refs.roadmapId)
      .execute();
    expect(items).toHaveLength(60);
    for (const item of items) {
      const h = temporal.client.workflow.getHandle(controlItemWorkflowId(item.id, temporal.workflowIdPrefix));
      await expect
        .poll(async () => (await h.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes), {
          timeout: 20_000,
        })
        .toBe(true);
    }

    // A client over the worker's connection, as the activities get it: a new item starts eagerly; the same
    // item started again joins the running workflow (no second run, not eager).
    const eager = {
      client: new Client({ connection: native as never }),
      taskQueue: temporal.taskQueue,
      workflowIdPrefix: temporal.workflowIdPrefix,
      eagerStart: true,
    };
    const [row] = await tdb.db
      .insertInto('control_item')
      .values({
        kind: 'measure',
        number: 'E-1',
        title_ru: 'Новое мероприятие',
        agency_id: items[0]!.agency_id,
        original_due: due,
        current_due: due,
        roadmap_id: refs.roadmapId,
      })
      .returning(['id'])
      .execute();
    const fresh = await tdb.db
      .selectFrom('control_item')
      .selectAll()
      .where('id', '=', row!.id)
      .executeTakeFirstOrThrow();
    const first = await startControlItem(eager, itemStateFromRow(fresh), DEFAULT_CHASE_POLICY);
    const again = await startControlItem(eager, itemStateFromRow(fresh), DEFAULT_CHASE_POLICY);
    expect(first.eagerlyStarted).toBe(true);
    expect(again.eagerlyStarted).toBe(false);
    expect(again.firstExecutionRunId).toBe(first.firstExecutionRunId);
  });
});
