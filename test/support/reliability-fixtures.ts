import {
  startPrivatePostgres as startPrivate,
  type PrivatePostgres,
} from '../../scripts/lib/private-postgres.ts';
import { startNodeScript, type ManagedProcess } from '../../scripts/lib/process.ts';

// Support for test/reliability: seeded randomness, processes we can SIGKILL, a private Postgres cluster
// we may stop and start without disturbing the machine's shared one, and latency percentiles.

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

export type ScriptProcess = ManagedProcess;

/**
 * Runs one of our scripts (scripts/worker.ts, scripts/web.ts) as its own Node process — the production
 * entry point, not a copy — and waits until it logs `readyMsg`.
 */
export function startScript(
  script: string,
  env: Record<string, string>,
  readyMsg: string,
  timeoutMs = 120_000,
): Promise<ScriptProcess> {
  return startNodeScript(script, env, readyMsg, { timeoutMs });
}

/** A throw-away PostgreSQL cluster in a temp dir on a free port, fsync off (scripts/lib/private-postgres.ts). */
export function startPrivatePostgres(): Promise<PrivatePostgres> {
  return startPrivate({ fast: true });
}
export type { PrivatePostgres };
