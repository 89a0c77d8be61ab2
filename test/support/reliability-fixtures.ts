import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, createWriteStream, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../scripts/lib/ports.ts';

// Support for test/reliability: seeded randomness, processes we can SIGKILL, a private Postgres cluster
// we may stop and start without disturbing the machine's shared one, and latency percentiles.

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The run's seed: RELIABILITY_SEED when given (to replay a failure), else a fresh one. Always logged. */
export function reliabilitySeed(what: string): number {
  const given = process.env.RELIABILITY_SEED;
  const seed = given ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  console.log(`[reliability] ${what}: seed ${seed} (replay with RELIABILITY_SEED=${seed})`);
  return seed;
}

/** mulberry32: a small, fast, seedable PRNG; [0, 1). */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** An integer in [lo, hi]. */
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}
export type Random = ReturnType<typeof seededRandom>;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
  everyMs = 250,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface ScriptProcess {
  pid: number;
  /** Everything the process printed. */
  logFile: string;
  child: ChildProcess;
  /** The last lines of stdout and stderr (for failure messages). */
  tail(): string;
  /** Log lines (pino JSON) at warn level or above. */
  problems: string[];
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGKILL: no shutdown hooks, no flushing — a crash. */
  kill9(): Promise<void>;
  /** SIGTERM and wait (the scripts' own graceful stop). */
  stop(): Promise<void>;
}

/**
 * Runs one of our scripts (scripts/worker.ts, scripts/web.ts) as its own Node process — the production
 * entry point, not a copy — and waits until it logs `readyMsg`.
 */
export async function startScript(
  script: string,
  env: Record<string, string>,
  readyMsg: string,
  timeoutMs = 120_000,
): Promise<ScriptProcess> {
  // The child's environment is explicit: vitest's own variables must not leak into the app's config.
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[k]) base[k] = process.env[k]!;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The whole output also goes to a file (kept after the run) for post-mortems.
  const logFile = path.join(os.tmpdir(), `shtab-${path.basename(script, '.ts')}-${child.pid}.log`);
  const log = createWriteStream(logFile);
  const lines: string[] = [];
  const problems: string[] = [];
  let ready: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const onData = (buf: Buffer) => {
    log.write(buf);
    for (const line of buf.toString().split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      if (line.includes(`"msg":"${readyMsg}"`)) ready();
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level && Number(level) >= 40) problems.push(line);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const tail = () => lines.slice(-30).join('\n');
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      isReady,
      exited.then(() => {
        throw new Error(`${script} exited during start-up (code ${child.exitCode}):\n${tail()}`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${script} not ready within ${timeoutMs} ms:\n${tail()}`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid!,
    logFile,
    child,
    tail,
    problems,
    exited,
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (alive()) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(path.join(dir, 'initdb'))) return dir;
  } catch {
    /* not on PATH; Debian keeps the server binaries out of it */
  }
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0])
    throw new Error('initdb not found: install PostgreSQL or set PG_BIN to its bin directory');
  return path.join(base, versions[0], 'bin');
}

export interface PrivatePostgres {
  /** Superuser URL of the cluster's `postgres` database. */
  adminUrl: string;
  port: number;
  start(): Promise<void>;
  /** `pg_ctl stop -m immediate`: the server processes quit at once, as in a crash (recovery on start). */
  crash(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A throw-away PostgreSQL cluster in a temp directory on a free port (initdb + pg_ctl), so a test can stop
 * and start *its* server. Runs as the `postgres` user when we are root (initdb refuses root).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shtab-pg-'));
  const data = path.join(dir, 'data');
  const root = process.getuid?.() === 0;
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  // Asynchronous: the test's own clients keep running while the server stops and recovers.
  const run = (cmd: string, args: string[]) =>
    root
      ? promisify(execFile)('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args])
      : promisify(execFile)(path.join(bin, cmd), args);
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'shtab', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const pgctl = (...args: string[]) => run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), ...args]);
  let running = false;
  const pg = {
    adminUrl: `postgres://shtab@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await pgctl('-o', opts, '-w', '-t', '60', 'start');
      running = true;
    },
    async crash() {
      await pgctl('-m', 'immediate', '-w', 'stop');
      running = false;
    },
    async destroy() {
      if (running) await pgctl('-m', 'immediate', '-w', 'stop').catch(() => {});
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await pg.start();
  return pg;
}
