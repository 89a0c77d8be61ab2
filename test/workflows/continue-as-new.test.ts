import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemState } from '../../domain/control-item/index.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { startDevServer, type DevServer } from '../../scripts/lib/temporal-dev-server.ts';
import { auditLines, createCast, isChase } from '../support/control-item-fixtures.ts';
import { overdueAcrossContinueAsNew } from '../support/control-item-scenarios.ts';
import { fetchRunHistories, type JsonHistory } from '../support/histories.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { createTestWorker } from '../support/temporal.ts';

// Continue-as-new when the server suggests it. A dedicated dev server suggests it after 20 history
// events (the production default is 4,096): the workflow must hand over its state (chase keys,
// escalation level, the pending extension) and never repeat a chase across the boundary.
const SUGGEST_AFTER_EVENTS = 20;

describe('continue-as-new when the server suggests it', () => {
  let server: DevServer;
  let tdb: TestDatabase;
  let connection: Connection;
  let nativeConnection: NativeConnection;

  beforeAll(async () => {
    [server, tdb] = await Promise.all([
      startDevServer({
        cliPath: process.env.TEMPORAL_CLI_PATH,
        port: await freePort(),
        startTimeoutMs: 90_000,
        extraArgs: [
          '--dynamic-config-value',
          `limit.historyCount.suggestContinueAsNew=${SUGGEST_AFTER_EVENTS}`,
        ],
      }),
      createTestDatabase(),
    ]);
    connection = await Connection.connect({ address: server.address });
    nativeConnection = await NativeConnection.connect({ address: server.address });
  });
  afterAll(async () => {
    await connection?.close();
    await nativeConnection?.close();
    await server?.stop();
    await tdb?.drop();
  });

  it('hands the state over and never repeats a chase', async () => {
    const client = new Client({ connection });
    const taskQueue = `can-${randomUUID()}`;
    const worker: Worker = await createTestWorker({
      connection: nativeConnection,
      taskQueue,
      deps: { db: tdb.db, publicUrl: 'https://shtab.example.ru' },
    });
    const cast = await createCast(tdb.db);
    const r = await worker.runUntil(
      overdueAcrossContinueAsNew({ db: tdb.db, cast, temporal: { client, taskQueue } }),
    );
    const runs = await fetchRunHistories(client, r.workflowId, r.firstRunId);
    const events = (h: JsonHistory) => h.events;

    // Several runs; each but the last ended because the server suggested it (not a period roll: the item
    // is not recurring), on a workflow task that carried the suggestion.
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const run of runs.slice(0, -1)) {
      const ev = events(run.history);
      expect(ev.at(-1)!.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
      const lastTask = ev.findLast((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_STARTED')!;
      expect(lastTask.workflowTaskStartedEventAttributes.suggestContinueAsNew).toBe(true);
    }
    expect(events(runs.at(-1)!.history).at(-1)!.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');

    // Each chase happened once: the item arrived twenty working days late, so the ladder went out as one
    // notice (esc4; the lower steps and the repeats due by then superseded without a notice of their own),
    // recorded once across all runs.
    const chases = await auditLines(tdb.db, r.itemId, isChase);
    expect(chases.map((l) => l.split(' ').at(-1))).toEqual(['esc4']);
    const recordChases = runs.flatMap((run) =>
      events(run.history).filter(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordChase',
      ),
    );
    expect(recordChases).toHaveLength(1);

    // The state each run started with: what the previous run had done, never less.
    const inputs = runs.map((run) => {
      const data = events(run.history)[0]!.workflowExecutionStartedEventAttributes.input.payloads[0].data;
      return (JSON.parse(Buffer.from(data as string, 'base64').toString()) as { state: ItemState }).state;
    });
    for (let i = 1; i < inputs.length; i++) {
      expect(inputs[i]!.escalationLevel).toBeGreaterThanOrEqual(inputs[i - 1]!.escalationLevel);
      expect(inputs[i]!.chasesDone).toEqual(expect.arrayContaining(inputs[i - 1]!.chasesDone));
      expect(inputs[i]!.version).toBeGreaterThanOrEqual(inputs[i - 1]!.version);
    }
    // Later runs start at the top of the ladder with every collapsed step done: none is sent again.
    expect(inputs.at(-1)!.escalationLevel).toBe(4);
    expect(inputs.at(-1)!.chasesDone).toEqual(expect.arrayContaining(['esc1', 'esc2', 'esc3', 'esc4']));

    // The transitions are all there once, whichever run handled them.
    const transitions = await auditLines(tdb.db, r.itemId, (t) => !isChase(t));
    expect(transitions.map((l) => l.split(' ').at(-1))).toEqual([
      'extension_requested',
      'extension_rejected',
      'extension_requested',
      'extension_rejected',
      'cancelled',
    ]);
    // Small histories: no run grows far past the threshold.
    for (const run of runs) expect(events(run.history).length).toBeLessThan(SUGGEST_AFTER_EVENTS + 20);
    console.log(
      `[continue-as-new] ${runs.length} runs of ${runs.map((x) => events(x.history).length).join(' + ')} events`,
    );
  });
});
