import { Client, Connection } from '@temporalio/client';
import { itemStateFromRow } from '../../db/control-items.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { bundleWorkflows, createShtabWorker } from '../lib/worker.ts';
import { benchDatabase, benchTemporal } from './env.ts';
import { pool, seconds, type Bench } from './harness.ts';
import { seedScale } from './scale-seed.ts';

/**
 * 5,000 controlItem starts vs 5,000 no-op workflow starts on the same dev server, same client, 32 starts
 * in flight each. Both phases count until every workflow has run its first workflow task (the worker
 * runs it; checked on a spread sample and the last 20 ids, as tasks run roughly in start order). Each
 * phase gets a fresh worker, so both begin with an empty workflow cache and pay the same evictions.
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
    const withWorker = async <T>(fn: () => Promise<T>): Promise<T> => {
      const { worker, connection: native } = await createShtabWorker({
        address: server.address,
        namespace: 'default',
        taskQueue,
        workflowBundle: bundle,
        db: database.db,
        publicUrl: 'http://bench',
      });
      try {
        return await worker.runUntil(fn);
      } finally {
        await native.close();
      }
    };
    try {
      const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
      // Future deadlines only: starting must not trigger chases in this measurement. About a sixth of the
      // seeded items are done (no workflow), hence the margin.
      const size = { agencies: 50, lifeSituations: 5, services: 10, items: Math.ceil(n * 1.3) };
      await seedScale(database.db, size, today, {
        dueRange: [30, 365],
      });
      const rows = await database.db
        .selectFrom('control_item')
        .selectAll()
        .where('status', 'not in', ['done', 'cancelled'])
        .orderBy('id')
        .limit(n)
        .execute();
      const states = rows.map((r) => itemStateFromRow(r));
      ctx.log(`${states.length} items to start`);

      const settle = async (ids: string[]) => {
        const step = Math.ceil(ids.length / 50);
        for (const id of ids.filter((_, i) => i % step === 0 || i >= ids.length - 20)) {
          for (;;) {
            const d = await client.workflow.getHandle(id).describe();
            if (d.historyLength >= 4) break; // started, task scheduled, started, completed
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      };

      const noopIds = Array.from({ length: states.length }, (_, i) => `bench-noop-${i}`);
      const noopS = await withWorker(async () => {
        const t0 = process.hrtime.bigint();
        await pool(noopIds.length, concurrency, async (i) => {
          await client.workflow.start('benchNoop', { taskQueue, workflowId: noopIds[i]! });
        });
        await settle(noopIds);
        return seconds(t0);
      });

      const handle = { client, taskQueue, workflowIdPrefix: 'bench-' };
      const itemS = await withWorker(async () => {
        const t1 = process.hrtime.bigint();
        await pool(states.length, concurrency, async (i) => {
          await startControlItem(handle, states[i]!, DEFAULT_CHASE_POLICY);
        });
        await settle(states.map((s) => `bench-control-item-${s.itemId}`));
        return seconds(t1);
      });

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
      await connection.close();
      await server.stop();
      await database.drop();
    }
  },
};
