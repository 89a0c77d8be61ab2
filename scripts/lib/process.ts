import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ManagedProcess {
  name: string;
  pid: number;
  /** Everything the process printed (kept after it exits, for post-mortems). */
  logFile: string;
  child: ChildProcess;
  /** The last lines of stdout and stderr (for failure messages). */
  tail(): string;
  /** Log lines (pino JSON) at warn level or above. */
  problems: string[];
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  alive(): boolean;
  /** SIGKILL: no shutdown hooks, no flushing — a crash. */
  kill9(): Promise<void>;
  /** SIGTERM and wait (up to 20 s, then SIGKILL). */
  stop(): Promise<void>;
}

export interface ProcessOptions {
  /** For messages and the log file's name. */
  name: string;
  command: string;
  args: string[];
  /** The child's whole environment (nothing is inherited but PATH, HOME, TMPDIR, LANG, TZ). */
  env: Record<string, string>;
  /** A line that says the process is ready; without it, `waitUntil` decides (or the start is immediate). */
  ready?: (line: string) => boolean;
  /** Polled until true when `ready` is not given. */
  waitUntil?: () => Promise<boolean>;
  timeoutMs?: number;
  logDir?: string;
}

/**
 * Runs a program as a child process we can SIGKILL, keeps its output in a log file and waits until it is
 * ready. The child's environment is explicit, so the parent's own variables (vitest's, a developer's
 * DATABASE_URL) never leak into the app's configuration.
 */
export async function startProcess(o: ProcessOptions): Promise<ManagedProcess> {
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[k]) base[k] = process.env[k]!;
  const child = spawn(o.command, o.args, {
    cwd: ROOT,
    env: { ...base, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logFile = path.join(o.logDir ?? os.tmpdir(), `shtab-${o.name}-${child.pid}.log`);
  const log = createWriteStream(logFile);
  const lines: string[] = [];
  const problems: string[] = [];
  let ready: () => void = () => {};
  const isReady = new Promise<void>((r) => (ready = r));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.once('error', () => {}); // reported through `exited` and the start-up race below
  let partial = '';
  const onData = (buf: Buffer) => {
    log.write(buf);
    const text = partial + buf.toString();
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      if (o.ready?.(line)) ready();
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level && Number(level) >= 40) problems.push(line);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const tail = () => lines.slice(-30).join('\n');
  const alive = () => child.exitCode === null && child.signalCode === null;
  if (!o.ready) {
    if (!o.waitUntil) ready();
    else
      void (async () => {
        while (alive()) {
          if (await o.waitUntil!().catch(() => false)) return ready();
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
  }
  const timeoutMs = o.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      isReady,
      exited.then(() => {
        throw new Error(`${o.name} exited during start-up (code ${child.exitCode}):\n${tail()}`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${o.name} not ready within ${timeoutMs} ms:\n${tail()}`)),
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
  return {
    name: o.name,
    pid: child.pid!,
    logFile,
    child,
    tail,
    problems,
    exited,
    alive,
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

/**
 * One of our scripts (scripts/worker.ts, scripts/web.ts) as its own Node process — the production entry
 * point, run as its npm script runs it (`tsx scripts/x.ts`), in one process — ready when it logs `readyMsg`.
 */
export function startNodeScript(
  script: string,
  env: Record<string, string>,
  readyMsg: string,
  o: { name?: string; timeoutMs?: number; logDir?: string } = {},
): Promise<ManagedProcess> {
  return startProcess({
    name: o.name ?? path.basename(script, '.ts'),
    command: process.execPath,
    args: ['--import', 'tsx', path.join(ROOT, script)],
    env,
    ready: (line) => line.includes(`"msg":"${readyMsg}"`),
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.logDir ? { logDir: o.logDir } : {}),
  });
}
