import { instantToLocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { WebClient } from '../../test/support/web.ts';
import { startClusterWithClients, type ClusterOptions } from '../cluster/index.ts';
import type { BenchContext } from './harness.ts';
import { seedScale, type ScaleSize } from './scale-seed.ts';

export const BENCH_PASSWORD = 'bench';

/**
 * `npm run cluster`'s cluster for a benchmark: PostgreSQL with fsync on (as in production), Temporal
 * Server, workers and web processes behind nginx; a database pool and a Temporal client of its own.
 */
export function benchCluster(ctx: BenchContext, o: ClusterOptions = {}) {
  return startClusterWithClients({ ...o, log: (l) => ctx.log(l.split('\n')[0]!) }, 8);
}
export type BenchCluster = Awaited<ReturnType<typeof benchCluster>>;

/** The scale seed (scripts/bench/scale-seed.ts) into the cluster's database, with a password to sign in with. */
export async function seedBenchCluster(
  bc: BenchCluster,
  size: ScaleSize,
  opts: Parameters<typeof seedScale>[3] = {},
) {
  const today = instantToLocalDate(Date.now(), 420);
  return seedScale(bc.db, size, today, { passwordHash: await hashPassword(BENCH_PASSWORD), ...opts });
}

/** A signed-in browser through nginx; `web` is the upstream (web process) its session is pinned to. */
export async function signIn(url: string, login: string, accessLog: () => string[]) {
  const c = new WebClient(url);
  // nginx answers a sign-in it could not pass on with 503 ("repeat in a few seconds"); a person would, and
  // sign-in is outside every measured window.
  for (let attempt = 1; ; attempt++) {
    try {
      await c.login(login, BENCH_PASSWORD);
      break;
    } catch (e) {
      if (attempt >= 3 || !/failed: 503/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
  await c.get('/inbox');
  const line = accessLog().findLast((l) => l.includes(' GET /inbox '));
  const web = line?.split(' ')[3] ?? '';
  return { client: c, web };
}
