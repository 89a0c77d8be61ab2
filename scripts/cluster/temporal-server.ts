import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { StartupError } from '../../domain/startup-error.ts';
import { cachedTemporalCli, shtabCacheDir } from '../lib/config.ts';
import { freeLowPort } from '../lib/ports.ts';
import { startProcess, type ManagedProcess } from '../lib/process.ts';
import { TEMPORAL_SETUP_SCRIPT, VERSIONS, temporalEnv } from './settings.ts';

/** Where scripts/temporal-toolchain.sh --cluster puts the server, its SQL tool, config and schemas. */
export function temporalServerDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const dir =
    env.TEMPORAL_SERVER_DIR ?? path.join(shtabCacheDir(env), `temporal-server-v${VERSIONS.temporalServer}`);
  return existsSync(path.join(dir, 'temporal-server')) && existsSync(path.join(dir, '.version')) ? dir : null;
}

export interface TemporalDb {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The server's ports: all free ones, so several clusters (parallel test runs) never meet. */
async function serverPorts(frontend?: number) {
  const p: Record<string, string> = {};
  for (const k of [
    'FRONTEND_HTTP_PORT',
    'FRONTEND_MEMBERSHIP_PORT',
    'MATCHING_GRPC_PORT',
    'MATCHING_MEMBERSHIP_PORT',
    'HISTORY_GRPC_PORT',
    'HISTORY_MEMBERSHIP_PORT',
    'WORKER_GRPC_PORT',
    'WORKER_MEMBERSHIP_PORT',
  ])
    p[k] = String(await freeLowPort());
  p.FRONTEND_GRPC_PORT = String(frontend ?? (await freeLowPort()));
  return p;
}

/** What the server and the set-up script are given here (compose gives the same keys other values). */
export function connectionEnv(serverDir: string, db: TemporalDb): Record<string, string> {
  const cli = cachedTemporalCli();
  return {
    ...temporalEnv(),
    POSTGRES_SEEDS: db.host,
    DB_PORT: String(db.port),
    // The template reads the visibility store's port from VISIBILITY_DB_PORT (else POSTGRES_PORT, else 5432).
    VISIBILITY_DB_PORT: String(db.port),
    POSTGRES_USER: db.user,
    POSTGRES_PWD: db.password,
    SCHEMA_DIR: path.join(serverDir, 'schema', 'postgresql', 'v12'),
    DYNAMIC_CONFIG_FILE_PATH: path.join(serverDir, 'config', 'dynamicconfig', 'docker.yaml'),
    BIND_ON_IP: '127.0.0.1',
    PATH: [serverDir, ...(cli ? [path.dirname(cli)] : []), process.env.PATH ?? ''].join(':'),
  };
}

/** scripts/cluster/temporal-setup.sh with the binaries built here (compose: the admin-tools image's). */
export async function runTemporalSetup(
  step: 'schema' | 'namespace',
  serverDir: string,
  db: TemporalDb,
  extra: Record<string, string> = {},
) {
  const env = { ...connectionEnv(serverDir, db), ...extra, HOME: process.env.HOME ?? '/tmp' };
  const sqlTool = path.join(serverDir, 'temporal-sql-tool');
  if (!existsSync(sqlTool)) throw new StartupError(`${sqlTool} is missing`, 'run `npm run toolchain`');
  try {
    const { stdout } = await promisify(execFile)('sh', [TEMPORAL_SETUP_SCRIPT, step], { env });
    return stdout
      .split('\n')
      .filter((l) => l.startsWith('temporal-setup:'))
      .join('\n');
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `temporal-setup.sh ${step} failed: ${(err.stderr ?? err.message).split('\n').slice(-8).join('\n')}`,
    );
  }
}

export interface TemporalServer {
  address: string;
  process: ManagedProcess;
  stop(): Promise<void>;
  kill9(): Promise<void>;
  /** Stops it (SIGTERM) and starts it again on the same ports. */
  restart(): Promise<void>;
}

/** gRPC status 5 (the client's own dependency names it; ours need not). */
const GRPC_NOT_FOUND = 5;

/**
 * Ready means the frontend answers and, once the namespace exists, history and matching do too: a
 * restored database names the old cluster's hosts, and until the ring settles the frontend answers
 * "Not enough hosts to serve the request" (UNAVAILABLE) to anything that reaches history — a worker's
 * first Schedule update failed so in CI.
 */
async function serving(address: string, namespace = 'default') {
  try {
    const conn = await Connection.connect({ address, connectTimeout: 1_000 });
    try {
      await conn.workflowService.getSystemInfo({});
      try {
        await conn.workflowService.describeNamespace({ namespace });
      } catch (e) {
        // A fresh server before temporal-setup.sh namespace: nothing more to ask it yet.
        if ((e as { code?: number }).code === GRPC_NOT_FOUND) return true;
        throw e;
      }
      return await servesNamespace(conn, namespace);
    } finally {
      await conn.close();
    }
  } catch {
    return false;
  }
}

async function servesNamespace(conn: Connection, namespace: string): Promise<boolean> {
  try {
    // History: an unknown workflow is NOT_FOUND once a history host owns its shard.
    await conn.workflowService.describeWorkflowExecution({
      namespace,
      execution: { workflowId: '__shtab_readiness__' },
    });
  } catch (e) {
    if ((e as { code?: number }).code !== GRPC_NOT_FOUND) return false;
  }
  // Matching: describing an unused task queue answers once a matching host owns it.
  await conn.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: '__shtab_readiness__' },
  });
  return true;
}

/** Waits until the server serves the namespace through history and matching (after it was created). */
export async function waitUntilServing(address: string, namespace: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await serving(address, namespace)) return;
    if (Date.now() > until)
      throw new Error(
        `Temporal Server on ${address} does not serve namespace ${namespace} within ${timeoutMs} ms`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * `temporal-server --env docker start` with the server module's own config template (config/docker.yaml,
 * what the temporalio/server image renders), on Postgres.
 */
export async function startTemporalServer(o: {
  serverDir: string;
  db: TemporalDb;
  port?: number;
  logDir?: string;
}): Promise<TemporalServer> {
  const ports = await serverPorts(o.port);
  const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
  const env = { ...connectionEnv(o.serverDir, o.db), ...ports };
  const launch = () =>
    startProcess({
      name: 'temporal-server',
      command: path.join(o.serverDir, 'temporal-server'),
      args: ['--root', o.serverDir, '--config', 'config', '--env', 'docker', 'start'],
      env,
      waitUntil: () => serving(address),
      timeoutMs: 120_000,
      ...(o.logDir ? { logDir: o.logDir } : {}),
    });
  let proc = await launch();
  const server: TemporalServer = {
    address,
    get process() {
      return proc;
    },
    stop: () => proc.stop(),
    kill9: () => proc.kill9(),
    async restart() {
      await proc.stop();
      proc = await launch();
    },
  };
  return server;
}
