import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TemporalHandle } from '../../app/temporal.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import {
  createDriverCast,
  planScripts,
  progressLog,
  runDriver,
  startItems,
  verifyRun,
} from '../support/reliability-driver.ts';
import {
  reliabilitySeed,
  seededRandom,
  sleep,
  startScript,
  type ScriptProcess,
} from '../support/reliability-fixtures.ts';
import { startSmtpReceiver } from '../support/smtp-receiver.ts';

// kill -9 of the production worker (scripts/worker.ts, its own process) at random moments while 110 items
// go through > 1,000 submissions and reviews. Afterwards every transition exists exactly once, every
// notification row and email once (per idempotency key), and every workflow is where the driver left it —
// and still answers. docs/reliability.md describes the run.
const TZ = 'Asia/Novosibirsk';
const ITEMS = Number(process.env.RELIABILITY_ITEMS ?? 110);
const KILLS = 3;

describe('the worker killed with SIGKILL at random points', () => {
  const seed = reliabilitySeed('worker-kill');
  const rand = seededRandom(seed);
  let tdb: TestDatabase;
  let connection: Connection;
  let temporal: TemporalHandle;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let worker: ScriptProcess | null = null;
  let workerEnv: Record<string, string>;

  beforeAll(async () => {
    // The run's shared dev server: it is not the thing being crashed here, and the reliability project
    // runs alone, so it is otherwise idle.
    [tdb, smtp] = await Promise.all([createTestDatabase(), startSmtpReceiver()]);
    connection = await Connection.connect({ address: inject('temporalAddress') });
    temporal = {
      client: new Client({ connection }),
      taskQueue: `reliability-kill-${process.pid}`,
      workflowIdPrefix: `rk${process.pid}-`,
    };
    workerEnv = {
      DATABASE_URL: tdb.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: temporal.taskQueue,
      TEMPORAL_WORKFLOW_ID_PREFIX: temporal.workflowIdPrefix!,
      // The run's pre-built bundle: a restarted worker is back in seconds instead of re-running webpack.
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://shtab.example.ru',
      REGION_TZ: TZ,
      LOG_LEVEL: 'info',
    };
  });
  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await smtp?.close();
    await tdb?.drop();
  });

  it('persists every submission and review once, sends every notice once, and every workflow continues', async () => {
    const started = Date.now();
    const db = tdb.db;
    const cast = await createDriverCast(db, 10);
    const rows = await startItems(db, temporal, cast, ITEMS, TZ);
    const { scripts, reports } = planScripts(rand, rows, { minRounds: 3, maxRounds: 5, openEvery: 10 });
    if (ITEMS >= 110) expect(reports).toBeGreaterThanOrEqual(1_000);
    const totalOps = scripts.reduce((n, s) => n + s.ops.length, 0);

    // Kill points: a seeded op count in each of KILLS equal stretches of 5–85 % of the run (so a recovery
    // never swallows the next one), each followed by a seeded delay (0–400 ms) so the SIGKILL lands
    // anywhere — mid-activity, mid-transaction, between commit and completion, mid-email.
    const stretch = (totalOps * 0.8) / KILLS;
    const killAt = Array.from({ length: KILLS }, (_, i) =>
      Math.floor(totalOps * 0.05 + i * stretch + rand.next() * stretch),
    );
    const kills: { atOp: number; delayMs: number; downMs: number }[] = [];
    let killing: Promise<void> | null = null;
    const killLog: Promise<void>[] = [];
    const problems: string[] = [];

    worker = await startScript('scripts/worker.ts', workerEnv, 'worker running');
    const killAndRestart = async (atOp: number) => {
      const delayMs = rand.int(0, 400);
      const pauseMs = rand.int(0, 3) * 1_000;
      await sleep(delayMs);
      const victim = worker!;
      const t0 = Date.now();
      await victim.kill9();
      problems.push(...victim.problems);
      // Sometimes the worker stays down a while (Updates queue up on the server), sometimes it is back at once.
      await sleep(pauseMs);
      worker = await startScript('scripts/worker.ts', workerEnv, 'worker running');
      kills.push({ atOp, delayMs, downMs: Date.now() - t0 });
    };

    const progress = progressLog('worker-kill', totalOps);
    const run = await runDriver({
      temporal,
      cast,
      scripts,
      lanes: 16,
      deadlineMs: 540_000,
      onProgress(done) {
        progress(done);
        if (!killing && killAt.length && done >= killAt[0]!) {
          const at = killAt.shift()!;
          killing = killAndRestart(at).finally(() => (killing = null));
          killLog.push(killing);
        }
      },
    });
    await Promise.all(killLog);
    console.log(
      `[reliability] worker-kill: ${run.results.length} updates (${reports} submissions/reviews) on ${ITEMS} items in ` +
        `${(run.ms / 1000).toFixed(1)} s; ${kills.length} kills at ops ${kills.map((k) => `${k.atOp}+${k.delayMs}ms`).join(', ')}; ` +
        `worker down ${kills.map((k) => (k.downMs / 1000).toFixed(1)).join('/')} s; ${run.retried.length} retried sends`,
    );
    const reasons = new Set(run.retried.map((r) => r.slice(r.indexOf(': ') + 2)));
    if (reasons.size)
      console.log(`[reliability] worker-kill: retried because: ${[...reasons].slice(0, 5).join(' | ')}`);
    expect(run.failures).toEqual([]);
    expect(kills).toHaveLength(KILLS);

    const counts = await verifyRun({
      db,
      temporal,
      cast,
      scripts,
      results: run.results,
      smtp,
      maxResends: kills.length,
      restartWorker: async () => {
        await worker!.stop();
        worker = await startScript('scripts/worker.ts', workerEnv, 'worker running');
      },
    });
    console.log(
      `[reliability] worker-kill: ${counts.events} events, ${counts.submissions} submissions, ` +
        `${counts.notifications} notifications, ${counts.emails} emails (${counts.resent} resent with the same ` +
        `Message-ID), ${counts.reviewedAfter} open workflows accepted a further review; ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s in all`,
    );
    if (problems.length)
      console.log(`[reliability] worker-kill: worker warnings:\n${problems.slice(0, 20).join('\n')}`);
  }, 600_000);
});
