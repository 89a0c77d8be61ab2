import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';

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
  // Compiled once per process: the SDK gives the server only 5 s to listen, too little to compile too.
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

/**
 * A time-skipping environment whose clock starts at `startAt`, so scenarios written with hand-derived
 * calendar dates run the same on any day. Without the pinned launcher it falls back to the plain server
 * and jumps forward to `startAt`, which only works while the real date is earlier.
 */
export async function createPinnedTimeSkippingEnv(startAt: number): Promise<TestWorkflowEnvironment> {
  const exe = pinnedClockWrapper();
  if (exe) {
    // The SDK waits 5 s for the server to listen; a JVM on a busy 2-core machine can miss that.
    for (let attempt = 1; ; attempt++) {
      try {
        return await TestWorkflowEnvironment.createTimeSkipping({
          server: { executable: { type: 'existing-path', path: exe }, extraArgs: [String(startAt)] },
        });
      } catch (e) {
        if (attempt >= 3 || !/did not start within/.test(String((e as Error).message))) throw e;
      }
    }
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
