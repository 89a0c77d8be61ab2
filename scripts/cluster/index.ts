import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { connect, migrateToLatest } from '../../db/index.ts';
import { isSeeded, seedDemo } from '../../db/seed/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { utcOffsetMinutesOf } from '../../domain/time-zone.ts';
import { hashPassword } from '../../web/index.ts';
import type { TemporalHandle } from '../../app/temporal.ts';
import { freePort } from '../lib/ports.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../lib/private-postgres.ts';
import { startNodeScript, type ManagedProcess } from '../lib/process.ts';
import { runToolchain } from '../lib/temporal-toolchain.ts';
import { bundleWorkflows } from '../lib/worker.ts';
import { startNginx, type Nginx } from './nginx.ts';
import { REPLICAS, SHTAB_ENV, WEB_ENV, temporalEnv } from './settings.ts';
import {
  runTemporalSetup,
  startTemporalServer,
  waitUntilServing,
  temporalServerDir,
  type TemporalDb,
  type TemporalServer,
} from './temporal-server.ts';

// A production-shaped Shtab on one machine: PostgreSQL (Shtab's database and Temporal's two), Temporal
// Server on it, worker and web processes (the npm scripts' entry points), nginx in front of the web
// processes. `npm run cluster` runs it for people; the cluster tests and benchmarks for themselves.

export interface ClusterOptions {
  /** Keeps Postgres' data, configs, logs and the workflow bundle; default: a temp dir removed by stop(). */
  dir?: string;
  /** nginx's port (the app's address); default: a free one. */
  port?: number;
  /** Temporal frontend's port; default: a free one. */
  temporalPort?: number;
  workers?: number;
  webs?: number;
  smtpUrl?: string;
  /** More environment for every Shtab process (e.g. PAGE_CACHE_MB=0). */
  env?: Record<string, string>;
  /** Restore Postgres from a `npm run backup` archive into the new cluster (dir must not hold one). */
  fromBackup?: string;
  /** Postgres without fsync: tests only. */
  fastPostgres?: boolean;
  /** Seed the demo data into an empty database before the workers start (they then start its workflows). */
  seedDemo?: boolean;
  log?: (line: string) => void;
}

export interface WebProcess extends ManagedProcess {
  port: number;
}

export interface Cluster {
  /** The app, through nginx. */
  url: string;
  dir: string;
  /** Every process's output (kept after stop()). */
  logDir: string;
  databaseUrl: string;
  temporalAddress: string;
  postgres: PrivatePostgres;
  temporal: TemporalServer;
  nginx: Nginx;
  workers: ManagedProcess[];
  webs: WebProcess[];
  /** The environment a worker gets (tests start their own with it). */
  workerEnv(): Record<string, string>;
  startWorker(): Promise<ManagedProcess>;
  startWeb(): Promise<WebProcess>;
  /** Replaces workers[i] (`kill9`: crash it first instead of stopping it). */
  restartWorker(i: number, o?: { kill9?: boolean }): Promise<ManagedProcess>;
  /** Replaces webs[i] on the same port; `env` adds to its environment from now on (e.g. PAGE_CACHE_MB). */
  restartWeb(i: number, o?: { kill9?: boolean; env?: Record<string, string> }): Promise<WebProcess>;
  /** Routes nginx to the first n web processes only (benchmarks: 1 vs 2). */
  balance(n: number): Promise<void>;
  stop(): Promise<void>;
}

async function ensureDatabase(adminUrl: string, name: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await c.query(`create database ${name}`);
  } finally {
    await c.end();
  }
}

/**
 * A restored Temporal database still lists the old cluster's hosts in cluster_membership, with heartbeats
 * as recent as the backup. The new server tries to join them as ring seeds, and when the restore follows
 * the backup within seconds it waits for dead hosts until its 30 s join limit and exits ("failed to start
 * ringpop", CI of 5 December). The new hosts register themselves; the old rows only mislead.
 */
async function forgetOldHosts(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('delete from cluster_membership');
  } finally {
    await c.end();
  }
}

export async function startCluster(o: ClusterOptions = {}): Promise<Cluster> {
  const log = o.log ?? (() => {});
  const owned = !o.dir;
  const dir = o.dir ? path.resolve(o.dir) : mkdtempSync(path.join(os.tmpdir(), 'shtab-cluster-'));
  // PostgreSQL runs as `postgres` and nginx's workers as `nobody` when we are root: they must get in.
  if (owned) chmodSync(dir, 0o755);
  // A temp cluster's logs outlive it (a failed test's post-mortem); a kept one's stay in its directory.
  const logDir = owned ? mkdtempSync(path.join(os.tmpdir(), 'shtab-cluster-logs-')) : path.join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
    stops.length = 0;
    if (owned) rmSync(dir, { recursive: true, force: true });
  };

  try {
    let serverDir = temporalServerDir();
    if (!serverDir) {
      log('Temporal Server is not built yet: building it (and the CLI) with scripts/temporal-toolchain.sh');
      const vars = await runToolchain(['--cli', '--cluster'], log);
      serverDir = vars.TEMPORAL_SERVER_DIR!;
    }
    const t0 = Date.now();
    const postgres = await startPrivatePostgres({
      dir: path.join(dir, 'postgres'),
      fast: o.fastPostgres ?? false,
      ...(o.fromBackup ? { fromBackup: o.fromBackup } : {}),
    });
    stops.push(() => postgres.destroy());
    log(`PostgreSQL ${postgres.version} on 127.0.0.1:${postgres.port} (${postgres.dataDir})`);
    const db: TemporalDb = { host: '127.0.0.1', port: postgres.port, user: 'shtab', password: '' };
    await ensureDatabase(postgres.adminUrl, 'shtab');
    const databaseUrl = postgres.urlOf('shtab');

    const [setup, bundle] = await Promise.all([
      runTemporalSetup('schema', serverDir, db),
      o.env?.WORKFLOW_BUNDLE_PATH ? null : bundleWorkflows(),
      (async () => {
        const database = await connect({ databaseUrl, poolSize: 1 });
        try {
          await migrateToLatest(database.db);
          if (o.seedDemo && !(await isSeeded(database.db))) {
            const offset = utcOffsetMinutesOf(SHTAB_ENV.REGION_TZ);
            const s = await seedDemo(database.db, {
              today: instantToLocalDate(Date.now(), offset),
              password: 'demo',
              passwordHash: await hashPassword('demo'),
              utcOffsetMinutes: offset,
            });
            log(`demo data seeded: ${s.items} measures, ${s.services} services, ${s.users} users`);
          }
        } finally {
          await database.close();
        }
      })(),
    ]);
    log(setup);
    if (o.fromBackup) await forgetOldHosts(postgres.urlOf(temporalEnv().DBNAME ?? 'temporal'));
    const temporal = await startTemporalServer({
      serverDir,
      db,
      ...(o.temporalPort ? { port: o.temporalPort } : {}),
      logDir,
    });
    stops.push(() => temporal.stop());
    log(await runTemporalSetup('namespace', serverDir, db, { TEMPORAL_ADDRESS: temporal.address }));
    await waitUntilServing(temporal.address, SHTAB_ENV.TEMPORAL_NAMESPACE);
    log(`Temporal Server on ${temporal.address}`);
    const bundlePath = o.env?.WORKFLOW_BUNDLE_PATH ?? path.join(dir, 'workflows.js');
    if (bundle) writeFileSync(bundlePath, bundle.code);

    const port = o.port ?? (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const common = {
      ...SHTAB_ENV,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      PUBLIC_URL: url,
      ...(o.smtpUrl ? { SMTP_URL: o.smtpUrl } : {}),
      ...o.env,
    };
    const workerEnv = () => ({ ...common, WORKFLOW_BUNDLE_PATH: bundlePath });
    const workers: ManagedProcess[] = [];
    const webs: WebProcess[] = [];
    const startWorker = () =>
      startNodeScript('scripts/worker.ts', workerEnv(), 'worker running', { logDir, name: 'worker' });
    // A restarted web process takes its old port, as under a process manager: nginx's config stays.
    const webEnv: Record<string, string> = {};
    const startWeb = async (webPort?: number): Promise<WebProcess> => {
      webPort ??= await freePort();
      const p = await startNodeScript(
        'scripts/web.ts',
        { ...common, ...WEB_ENV, ...webEnv, HOST: '127.0.0.1', PORT: String(webPort) },
        'web server listening',
        { logDir, name: 'web' },
      );
      return Object.assign(p, { port: webPort });
    };
    stops.push(async () => {
      await Promise.all([...workers, ...webs].map((p) => p.stop()));
    });
    // The first worker alone: it reconciles the open items (starts their workflows) before the others come.
    workers.push(await startWorker());
    const rest = await Promise.all([
      ...Array.from({ length: (o.workers ?? REPLICAS.worker) - 1 }, startWorker),
    ]);
    workers.push(...rest);
    webs.push(...(await Promise.all(Array.from({ length: o.webs ?? REPLICAS.web }, () => startWeb()))));
    const upstreams = (list: WebProcess[]) => list.map((w) => `127.0.0.1:${w.port}`);
    const nginx = await startNginx({ dir: path.join(dir, 'nginx'), port, upstreams: upstreams(webs) });
    stops.push(() => nginx.stop());
    let balanced = webs.length;
    log(
      `Shtab on ${url}: ${workers.length} workers, ${webs.length} web processes behind nginx (${((Date.now() - t0) / 1000).toFixed(1)} s); logs in ${logDir}`,
    );

    const cluster: Cluster = {
      url,
      dir,
      logDir,
      databaseUrl,
      temporalAddress: temporal.address,
      postgres,
      temporal,
      nginx,
      workers,
      webs,
      workerEnv,
      async startWorker() {
        const w = await startWorker();
        workers.push(w);
        return w;
      },
      async startWeb() {
        const w = await startWeb();
        webs.push(w);
        await nginx.setUpstreams(upstreams(webs.slice(0, ++balanced)));
        return w;
      },
      async restartWorker(i, ro = {}) {
        await (ro.kill9 ? workers[i]!.kill9() : workers[i]!.stop());
        workers[i] = await startWorker();
        return workers[i]!;
      },
      async restartWeb(i, ro = {}) {
        Object.assign(webEnv, ro.env);
        await (ro.kill9 ? webs[i]!.kill9() : webs[i]!.stop());
        webs[i] = await startWeb(webs[i]!.port);
        return webs[i]!;
      },
      async balance(n) {
        balanced = n;
        await nginx.setUpstreams(upstreams(webs.slice(0, n)));
      },
      stop: stopAll,
    };
    return cluster;
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/**
 * A cluster plus a database pool and a Temporal client of the caller's own (tests, benchmarks); stop()
 * closes both and stops the cluster.
 */
export async function startClusterWithClients(o: ClusterOptions, poolSize = 4) {
  const cluster = await startCluster(o);
  const database = await connect({ databaseUrl: cluster.databaseUrl, poolSize });
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  const temporal: TemporalHandle = {
    client: new Client({ connection, namespace: SHTAB_ENV.TEMPORAL_NAMESPACE }),
    taskQueue: SHTAB_ENV.TEMPORAL_TASK_QUEUE,
    workflowIdPrefix: '',
  };
  return {
    cluster,
    db: database.db,
    temporal,
    async stop() {
      await connection.close().catch(() => {});
      await database.close().catch(() => {});
      await cluster.stop();
    },
  };
}
