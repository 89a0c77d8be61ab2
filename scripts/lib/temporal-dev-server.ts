import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { StartupError } from '../../domain/startup-error.ts';
import { isPortFree } from './ports.ts';
import { runToolchain } from './temporal-toolchain.ts';

export interface DevServerOptions {
  /** Temporal CLI binary. Without it the SDK downloads its own (needs internet). */
  cliPath?: string | undefined;
  /** sqlite file that keeps workflows across restarts; omit for an in-memory server (tests). */
  dbFile?: string;
  port: number;
  uiPort?: number;
  namespace?: string;
  pidFile?: string;
  startTimeoutMs?: number;
  log?: (line: string) => void;
  /** Human progress lines while a missing CLI is built from source (minutes). */
  progress?: (line: string) => void;
  /** More `temporal server start-dev` arguments, e.g. ['--dynamic-config-value', 'KEY=VALUE']. */
  extraArgs?: string[];
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  /** The server's process id when we spawned it (benchmarks read its CPU time). */
  pid?: number;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server left behind by a crashed start (its pid file survived) is ours to stop. */
function reapStale(pidFile: string | undefined, log?: (l: string) => void) {
  if (!pidFile || !existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  if (pid > 0 && isAlive(pid)) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      /* not Linux, or gone */
    }
    if (cmd.includes('start-dev')) {
      log?.(`stopping a Temporal dev server left from a previous run (pid ${pid})`);
      process.kill(pid, 'SIGKILL');
    }
  }
  rmSync(pidFile, { force: true });
}

async function waitUntilServing(
  address: string,
  child: ChildProcess | null,
  timeoutMs: number,
  stderr: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new StartupError(
        `the Temporal dev server exited during start-up (code ${child.exitCode}): ${stderr().trim().split('\n').slice(-3).join(' | ')}`,
        'if ./data/temporal.sqlite is damaged, move it away; otherwise check the message above',
      );
    }
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1_000 });
      await conn.workflowService.getSystemInfo({});
      await conn.close();
      return;
    } catch (e) {
      lastError = (e as Error).message;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new StartupError(
    `the Temporal dev server did not answer on ${address} within ${Math.round(timeoutMs / 1000)} s (${lastError})`,
    'see the server output above; on a slow machine raise TEMPORAL_START_TIMEOUT_MS',
  );
}

/** The most specific part of a nested error message ("…: dns error: failed to lookup address"). */
function lastClause(message: string) {
  return message.split(': ').slice(-2).join(': ').slice(0, 160);
}

async function downloadedDevServer(
  opts: DevServerOptions,
  namespace: string,
  address: string,
): Promise<DevServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: HOST,
      port: opts.port,
      namespace,
      ...(opts.dbFile ? { dbFilename: opts.dbFile } : {}),
      ...(opts.uiPort ? { ui: true, uiPort: opts.uiPort } : {}),
      ...(opts.extraArgs ? { extraArgs: opts.extraArgs } : {}),
    },
  });
  return {
    address,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : null,
    stop: () => env.teardown(),
  };
}

/**
 * Starts `temporal server start-dev` as a child process and waits until it serves. We spawn it ourselves
 * rather than through @temporalio/testing so start-up gets a realistic time budget and a clear error.
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const namespace = opts.namespace ?? 'default';
  const address = `${HOST}:${opts.port}`;
  const timeout = opts.startTimeoutMs ?? Number(process.env.TEMPORAL_START_TIMEOUT_MS ?? 60_000);
  reapStale(opts.pidFile, opts.log);

  for (const [what, p] of [
    ['TEMPORAL_PORT', opts.port],
    ['TEMPORAL_UI_PORT', opts.uiPort],
  ] as const) {
    if (p !== undefined && !(await isPortFree(p, HOST))) {
      throw new StartupError(
        `port ${p} is already in use, so the embedded Temporal server cannot start`,
        `stop whatever listens there (another Shtab or Temporal?) or set ${what} to a free port`,
      );
    }
  }

  if (!opts.cliPath) {
    // Real users mostly have internet: the SDK downloads and caches its own dev server in seconds.
    opts.log?.('no Temporal CLI cached: the Temporal SDK downloads its dev server (needs internet)');
    try {
      return await downloadedDevServer(opts, namespace, address);
    } catch (e) {
      const reason = (e as Error).message;
      if (!/download/i.test(reason)) throw e;
      // Offline: build the CLI with the project's toolchain script (Go), as `npm run toolchain` would.
      const progress = opts.progress ?? opts.log ?? (() => {});
      progress(
        `the Temporal SDK could not download its dev server (${lastClause(reason)}); building the Temporal CLI from source instead (needs Go)`,
      );
      const built = await runToolchain(['--cli'], progress).catch((err: unknown) => {
        if (err instanceof StartupError && /^Go (is not installed|\S+ is too old)/.test(err.message)) {
          const go = /too old/.test(err.message)
            ? err.message.replace(/ to build .*/, '')
            : 'Go is not installed';
          throw new StartupError(
            `no Temporal CLI to run: none is cached (SHTAB_CACHE_DIR, default ~/.cache/shtab), the SDK could not download one (${lastClause(reason)}), and ${go} to build one`,
            'install Go >= 1.25 (https://go.dev/dl) and run npm start again (it builds the CLI once, about 6 minutes on 2 cores), or run it once with internet access, or set TEMPORAL_CLI_PATH to a temporal binary',
          );
        }
        throw err;
      });
      return startDevServer({ ...opts, cliPath: built.TEMPORAL_CLI_PATH! });
    }
  }

  if (!existsSync(opts.cliPath)) {
    throw new StartupError(
      `TEMPORAL_CLI_PATH points to ${opts.cliPath}, which does not exist`,
      'run `npm run toolchain` (builds it into ~/.cache/shtab) or unset TEMPORAL_CLI_PATH to let the SDK download one',
    );
  }
  const args = [
    'server',
    'start-dev',
    '--ip',
    HOST,
    '--port',
    String(opts.port),
    '--namespace',
    namespace,
    '--log-level',
    'error',
    ...(opts.dbFile ? ['--db-filename', opts.dbFile] : []),
    ...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']),
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-8_000);
  });
  if (opts.pidFile && child.pid) writeFileSync(opts.pidFile, String(child.pid));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (opts.pidFile) rmSync(opts.pidFile, { force: true });
  };

  try {
    await waitUntilServing(address, child, timeout, () => stderr);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : null,
    ...(child.pid ? { pid: child.pid } : {}),
    stop,
  };
}
