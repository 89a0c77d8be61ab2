import { Client, Connection } from '@temporalio/client';
import { itemStateFromRow } from '../../db/control-items.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { startControlItem } from '../../workflows/client.ts';
import { bundleWorkflows, createShtabWorker } from '../lib/worker.ts';
import { benchDatabase, benchTemporal } from './env.ts';
import { pool, seconds, type Bench } from './harness.ts';
import { seedScale } from './scale-seed.ts';

/**
 * 5,000 controlItem starts vs 5,000 no-op workflow starts on the same server and worker: start calls
 * plus the worker's first workflow task for each (sampled: the last starts must have completed a task).
 */
export const workflowStartsBench: Bench = {
  name: 'workflow-starts',
  description: 'controlItem vs no-op workflow start throughput',
  async run(ctx) {
    const n = ctx.quick ? 500 : 5_000;
    const concurrency = 32;
    const [database, server, bundle] = await Promise.all([
      benchDatabase('starts'),
      benchTemporal(),
      bundleWorkflows(),
    ]);
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const taskQueue = 'bench-starts';
    const { worker, connection: native } = await createShtabWorker({
      address: server.address,
      namespace: 'default',
      taskQueue,
      workflowBundle: bundle,
      db: database.db,
      publicUrl: 'http://bench',
    });
    const running = worker.run();
    try {
      const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
      // Future deadlines only: starting must not trigger chases in this measurement.
      await seedScale(database.db, { agencies: 50, lifeSituations: 5, services: 10, items: n }, today, {
        dueRange: [30, 365],
      });
      const rows = await database.db
        .selectFrom('control_item')
        .selectAll()
        .where('status', 'not in', ['done', 'cancelled'])
        .limit(n)
        .execute();
      const states = rows.map((r) => itemStateFromRow(r));
      ctx.log(`${states.length} items to start`);

      const settle = async (ids: string[]) => {
        for (const id of ids.slice(-20)) {
          for (;;) {
            const d = await client.workflow.getHandle(id).describe();
            if (d.historyLength >= 4) break; // started, task scheduled, started, completed
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      };

      const noopIds = Array.from({ length: states.length }, (_, i) => `bench-noop-${i}`);
      const t0 = process.hrtime.bigint();
      await pool(noopIds.length, concurrency, async (i) => {
        await client.workflow.start('benchNoop', { taskQueue, workflowId: noopIds[i]! });
      });
      await settle(noopIds);
      const noopS = seconds(t0);

      const handle = { client, taskQueue, workflowIdPrefix: 'bench-' };
      const t1 = process.hrtime.bigint();
      await pool(states.length, concurrency, async (i) => {
        await startControlItem(handle, states[i]!, DEFAULT_CHASE_POLICY);
      });
      await settle(states.map((s) => `bench-control-item-${s.itemId}`));
      const itemS = seconds(t1);

      const itemRate = states.length / itemS;
      const noopRate = states.length / noopS;
      return [
        {
          bench: 'workflow-starts',
          metric: `${states.length} controlItem starts`,
          value: itemRate,
          unit: 'starts/s',
          baseline: { metric: 'no-op workflow starts/s', value: noopRate },
          ratio: itemRate / noopRate,
          goal: '≥ 0.8× no-op',
          pass: itemRate / noopRate >= 0.8,
        },
      ];
    } finally {
      worker.shutdown();
      await running.catch(() => {});
      await native.close();
      await connection.close();
      await server.stop();
      await database.drop();
    }
  },
};
