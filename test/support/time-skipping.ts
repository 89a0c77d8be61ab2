import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from '../../scripts/lib/ports.ts';

const LAUNCHER = path.resolve(import.meta.dirname, 'time-skipping-server.java');
let wrapper: string | null | undefined;

/**
 * A wrapper that runs the same test-server jars as TEMPORAL_TEST_SERVER_PATH, but through our launcher,
 * which takes the virtual clock's start as an argument. Null when the jars are not next to the wrapper
 * (e.g. the SDK's downloaded native server) or no JDK can run a source file.
 */
function pinnedClockWrapper(): string | null {
  if (wrapper !== undefined) return wrapper;
  wrapper = null;
  const server = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!server) return null;
  const lib = path.join(path.dirname(realpathSync(server)), 'lib');
  if (!existsSync(lib)) return null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shtab-ts-'));
  // Compiled once per process, so each server start is only a JVM start.
  let main: string[];
  try {
    execFileSync('javac', ['-nowarn', '-cp', `${lib}/*`, '-d', dir, LAUNCHER], { stdio: 'pipe' });
    main = ['-cp', `${lib}/*:${dir}`, 'TimeSkippingServer'];
  } catch {
    main = ['-cp', `${lib}/*`, LAUNCHER]; // a JRE without javac still runs a single source file
  }
  const file = path.join(dir, 'time-skipping-server-at');
  writeFileSync(
    file,
    [
      '#!/usr/bin/env bash',
      `exec java \${TEMPORAL_TEST_SERVER_JAVA_OPTS:--Xms64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \\`,
      `  ${main.map((a) => JSON.stringify(a)).join(' ')} "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  wrapper = file;
  return wrapper;
}

/** Advances the time-skipping server's clock to an instant (timers on the way fire, in order). */
export async function sleepUntil(env: TestWorkflowEnvironment, instant: number) {
  const now = await env.currentTimeMs();
  if (instant > now) await env.sleep(instant - now);
}

/** Starts the pinned-clock server as our child and waits (up to a minute) until it answers. */
async function spawnPinnedServer(exe: string, startAt: number) {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const child = spawn(exe, [String(port), String(startAt)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4_000)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the time-skipping server exited: ${stderr.trim()}`);
    try {
      const c = await Connection.connect({ address, connectTimeout: 1_000 });
      await c.workflowService.getSystemInfo({});
      await c.close();
      return { address, stop };
    } catch (e) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the time-skipping server did not answer on ${address}: ${(e as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// TestWorkflowEnvironment.create is private in the types but is what createTimeSkipping calls; we use it
// to attach to a server we started, because createTimeSkipping allows the JVM only 5 s to listen (too
// little on a loaded 2-core machine). The SDK version is pinned in package.json.
type CreateEnv = (o: object) => Promise<TestWorkflowEnvironment>;
const createEnv = (TestWorkflowEnvironment as unknown as { create?: CreateEnv }).create;

/**
 * A time-skipping environment whose clock starts at `startAt`, so scenarios written with hand-derived
 * calendar dates run the same on any day. Without the pinned launcher it falls back to the plain server
 * and jumps forward to `startAt`, which only works while the real date is earlier.
 */
export async function createPinnedTimeSkippingEnv(startAt: number): Promise<TestWorkflowEnvironment> {
  const exe = pinnedClockWrapper();
  if (exe && typeof createEnv === 'function') {
    const server = await spawnPinnedServer(exe, startAt);
    try {
      const env = await createEnv.call(TestWorkflowEnvironment, {
        server: { type: 'existing' },
        address: server.address,
        namespace: 'default',
        supportsTimeSkipping: true,
      });
      const teardown = env.teardown.bind(env);
      env.teardown = async () => {
        await teardown();
        await server.stop();
      };
      return env;
    } catch (e) {
      await server.stop();
      throw e;
    }
  }
  if (exe) {
    return TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: exe }, extraArgs: [String(startAt)] },
    });
  }
  const plain = process.env.TEMPORAL_TEST_SERVER_PATH;
  const env = await TestWorkflowEnvironment.createTimeSkipping(
    plain ? { server: { executable: { type: 'existing-path', path: plain } } } : {},
  );
  const now = await env.currentTimeMs();
  if (now > startAt) {
    await env.teardown();
    throw new Error(
      `the scenario starts at ${new Date(startAt).toISOString()}, before the test server's clock; ` +
        'run with TEMPORAL_TEST_SERVER_PATH from `npm test` (its jars let us pin the clock)',
    );
  }
  await sleepUntil(env, startAt);
  return env;
}
