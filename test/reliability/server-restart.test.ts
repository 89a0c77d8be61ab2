import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, migrateToLatest, type Database } from '../../db/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { startDevServer, type DevServer } from '../../scripts/lib/temporal-dev-server.ts';
import type { TemporalHandle } from '../../app/temporal.ts';
import { controlItemWorkflowId } from '../../workflows/definitions.ts';
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
  startPrivatePostgres,
  startScript,
  type PrivatePostgres,
  type ScriptProcess,
} from '../support/reliability-fixtures.ts';
import { startSmtpReceiver } from '../support/smtp-receiver.ts';

// The Temporal dev server (its own sqlite file) is stopped and started again, and later a private Postgres
// cluster is crashed (pg_ctl stop -m immediate) and started again, while a worker process (scripts/worker.ts)
// and the driver keep going. Afterwards the activities that met the dead database show retried attempts in
// their histories, and every transition, notification and email exists exactly once.
const TZ = 'Asia/Novosibirsk';
const ITEMS = 30;

describe('Temporal and Postgres restarted mid-run', () => {
  const seed = reliabilitySeed('server-restart');
  const rand = seededRandom(seed);
  let dir: string;
  let pgc: PrivatePostgres;
  let database: Database;
  let databaseUrl: string;
  let temporalPort: number;
  let server: DevServer | null = null;
  let connection: Connection;
  let temporal: TemporalHandle;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let worker: ScriptProcess | null = null;
  let workerEnv: Record<string, string>;

  const startTemporal = () =>
    startDevServer({
      cliPath: process.env.TEMPORAL_CLI_PATH,
      dbFile: path.join(dir, 'temporal.sqlite'),
      port: temporalPort,
      startTimeoutMs: 90_000,
    });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shtab-restart-'));
    temporalPort = await freePort();
    // A cluster of our own: crashing the machine's shared one would break every other test.
    [pgc, server, smtp] = await Promise.all([startPrivatePostgres(), startTemporal(), startSmtpReceiver()]);
    const admin = new pg.Client({ connectionString: pgc.adminUrl });
    await admin.connect();
    await admin.query('create database shtab');
    await admin.end();
    const u = new URL(pgc.adminUrl);
    u.pathname = '/shtab';
    databaseUrl = u.toString();
    database = await connect({ databaseUrl, poolSize: 4 });
    await migrateToLatest(database.db);
    connection = await Connection.connect({ address: server.address });
    temporal = {
      client: new Client({ connection }),
      taskQueue: 'reliability-restart',
      workflowIdPrefix: 'rr-',
    };
    workerEnv = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: temporal.taskQueue,
      TEMPORAL_WORKFLOW_ID_PREFIX: temporal.workflowIdPrefix!,
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
    await server?.stop();
    await smtp?.close();
    await database?.close();
    await pgc?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('resumes after each restart; activities retried; every row, event and email exactly once', async () => {
    const started = Date.now();
    const db = database.db;
    const cast = await createDriverCast(db, 5);
    const rows = await startItems(db, temporal, cast, ITEMS, TZ);
    const { scripts, reports } = planScripts(rand, rows, { minRounds: 1, maxRounds: 3, openEvery: 5 });
    const totalOps = scripts.reduce((n, s) => n + s.ops.length, 0);
    worker = await startScript('scripts/worker.ts', workerEnv, 'worker running');

    // Seeded moments: Temporal at 15–35 % of the ops, Postgres at 50–70 %; seeded downtimes.
    const outages = [
      {
        what: 'temporal',
        atOp: rand.int(Math.floor(totalOps * 0.15), Math.floor(totalOps * 0.35)),
        downMs: rand.int(0, 3_000),
      },
      {
        what: 'postgres',
        atOp: rand.int(Math.floor(totalOps * 0.5), Math.floor(totalOps * 0.7)),
        downMs: rand.int(2_000, 6_000),
      },
    ];
    const done: { what: string; atOp: number; outageMs: number }[] = [];
    let busy: Promise<void> | null = null;
    const all: Promise<void>[] = [];
    const restart = async (o: (typeof outages)[number]) => {
      const t0 = Date.now();
      if (o.what === 'temporal') {
        await server!.stop();
        await sleep(o.downMs);
        server = await startTemporal();
      } else {
        await pgc.crash();
        await sleep(o.downMs);
        await pgc.start();
      }
      done.push({ what: o.what, atOp: o.atOp, outageMs: Date.now() - t0 });
    };

    const progress = progressLog('server-restart', totalOps, 50);
    const run = await runDriver({
      temporal,
      cast,
      scripts,
      lanes: 8,
      deadlineMs: 300_000,
      // While Temporal starts again its frontend may answer "not found" for a moment.
      isTransient: (e) => e instanceof ShtabError && e.detail.key === 'error.item.notRunning',
      onProgress(n) {
        progress(n);
        if (!busy && outages.length && n >= outages[0]!.atOp) {
          busy = restart(outages.shift()!).finally(() => (busy = null));
          all.push(busy);
        }
      },
    });
    await Promise.all(all);
    console.log(
      `[reliability] server-restart: ${run.results.length} updates (${reports} submissions/reviews) on ${ITEMS} items ` +
        `in ${(run.ms / 1000).toFixed(1)} s; ${done.map((d) => `${d.what} down at op ${d.atOp} for ${(d.outageMs / 1000).toFixed(1)} s`).join(', ')}; ` +
        `${run.retried.length} retried sends`,
    );
    const reasons = new Set(run.retried.map((r) => r.slice(r.indexOf(': ') + 2)));
    if (reasons.size)
      console.log(`[reliability] server-restart: retried because: ${[...reasons].slice(0, 5).join(' | ')}`);
    expect(run.failures).toEqual([]);
    expect(done.map((d) => d.what)).toEqual(['temporal', 'postgres']);
    // The worker process lived through both outages (it reconnects; nothing restarted it).
    expect(worker.child.exitCode).toBeNull();

    // The activities that met the dead database were retried, not lost: their histories show attempts > 1.
    let retriedActivities = 0;
    for (const s of scripts) {
      const h = temporal.client.workflow.getHandle(
        controlItemWorkflowId(s.itemId, temporal.workflowIdPrefix),
      );
      for (const ev of (await h.fetchHistory()).events ?? [])
        if ((ev.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) retriedActivities++;
    }
    expect(retriedActivities).toBeGreaterThan(0);

    const counts = await verifyRun({
      db,
      temporal,
      cast,
      scripts,
      results: run.results,
      smtp,
      // Postgres crashing between "sent" and "marked sent" is the only way to a resend here.
      maxResends: 1,
      restartWorker: async () => {
        await worker!.stop();
        worker = await startScript('scripts/worker.ts', workerEnv, 'worker running');
      },
    });
    console.log(
      `[reliability] server-restart: ${retriedActivities} activities retried; ${counts.events} events, ` +
        `${counts.submissions} submissions, ${counts.notifications} notifications, ${counts.emails} emails ` +
        `(${counts.resent} resent), ${counts.reviewedAfter} open workflows accepted a further review; ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s in all`,
    );
  }, 480_000);
});
