// Worker memory with many open items: the production worker (scripts/worker.ts, its settings incl.
// WORKER_MAX_CACHED_WORKFLOWS) runs as a separate process; we read its VmRSS from /proc once it is idle
// and again after 20,000 controlItem workflows (deadlines months away) have each run their first task
// and sit on a timer.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { itemStateFromRow } from '../../db/control-items.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { controlItemWorkflowId } from '../../app/control-items/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { benchDatabase, benchTemporal } from './env.ts';
import { pool, type Bench } from './harness.ts';
import { seedScale } from './scale-seed.ts';

const MIB = 2 ** 20;

/** Resident set of a process in bytes (Linux). */
function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The highest of a few readings a second apart (RSS moves with GC). */
async function settledRss(pid: number, readings = 5) {
  let max = 0;
  for (let i = 0; i < readings; i++) {
    max = Math.max(max, rssOf(pid));
    await sleep(1_000);
  }
  return max;
}

export const workerMemoryBench: Bench = {
  name: 'worker-memory',
  description: 'production worker RSS with 20,000 open items (separate process)',
  async run(ctx) {
    if (process.platform !== 'linux') throw new Error('reads /proc/<pid>/status: Linux only');
    const n = ctx.quick ? 2_000 : 20_000;
    const [database, server] = await Promise.all([benchDatabase('memory'), benchTemporal()]);
    const taskQueue = 'bench-memory';
    const cacheSize = process.env.WORKER_MAX_CACHED_WORKFLOWS ?? '500 (default)';
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('scripts/worker.ts')], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: server.address,
        DATABASE_URL: database.url,
        TEMPORAL_TASK_QUEUE: taskQueue,
        LOG_LEVEL: 'info',
        SMTP_URL: '',
        WORKER_METRICS_PORT: '',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const running = new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (l) => {
        if (l.includes('"worker running"')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it ran`)));
    });
    const connection = await Connection.connect({ address: server.address });
    try {
      await running;
      await sleep(5_000);
      const idle = await settledRss(child.pid!);
      ctx.log(`idle worker: ${(idle / MIB).toFixed(0)} MiB (workflow cache ${cacheSize})`);

      const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
      // Every open item sits on a timer months away; some sixth of the seeded items are done (no workflow).
      await seedScale(
        database.db,
        { agencies: 50, lifeSituations: 5, services: 10, items: Math.ceil(n * 1.3) },
        today,
        { dueRange: [60, 365] },
      );
      const rows = await database.db
        .selectFrom('control_item')
        .selectAll()
        .where('status', 'not in', ['done', 'cancelled'])
        .orderBy('id')
        .limit(n)
        .execute();
      if (rows.length < n) throw new Error(`only ${rows.length} open items seeded`);
      const client = new Client({ connection });
      const handle = { client, taskQueue };
      const t0 = Date.now();
      await pool(rows.length, 32, async (i) => {
        await startControlItem(handle, itemStateFromRow(rows[i]!), DEFAULT_CHASE_POLICY);
      });
      ctx.log(`${rows.length} workflows started in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      // Each has run its first task when its history holds 4 events (started, task scheduled/started/completed;
      // tasks run roughly in start order, so the last ones and a spread sample tell when all have.
      const sample = rows.filter((_, i) => i % Math.ceil(rows.length / 50) === 0 || i >= rows.length - 20);
      for (const r of sample) {
        const h = client.workflow.getHandle(controlItemWorkflowId(r.id, ''));
        while ((await h.describe()).historyLength < 4) await sleep(200);
      }
      ctx.log(`all past their first workflow task after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      await sleep(5_000);
      const loaded = await settledRss(child.pid!);
      ctx.log(`worker with ${rows.length} open items: ${(loaded / MIB).toFixed(0)} MiB`);
      return [
        {
          bench: 'worker-memory',
          metric: `worker RSS, ${rows.length} open items, cache ${cacheSize}`,
          value: loaded / MIB,
          unit: 'MiB',
          baseline: { metric: 'idle worker RSS MiB', value: idle / MIB },
          ratio: loaded / idle,
          goal: '≤ 1024 MiB',
          pass: loaded <= 1024 * MIB,
        },
      ];
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      await connection.close();
      await server.stop();
      await database.drop();
    }
  },
};
