import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { SESSION_COOKIE } from '../../web/auth/index.ts';
import { percentile } from '../../test/support/reliability-fixtures.ts';
import { WebClient } from '../../test/support/web.ts';
import { benchDatabase } from './env.ts';
import { seconds, type Bench, type BenchResult } from './harness.ts';
import { startServer, stop } from './pages.ts';
import { FULL_SCALE, QUICK_SCALE, seedScale } from './scale-seed.ts';

const FIRST_VIEW_P99_GOAL_MS = 50;

/**
 * Issue 17's "first view after a write" (goal: p99 ≤ 50 ms at 100k items), in one web process on Postgres
 * with its change feed, away from the cluster's other load, so the figure is the recomputation itself. Each
 * round writes one kind of data from another connection (as another process would), waits 300 ms (a
 * person's next click comes after the change notice), then times the working group's dashboard and
 * leadership's league table, then both again (the kept page). The kinds: an item (a submission's kind of
 * write), a service, a citizens' principle (the feedback kind), a notice to someone else, and all kinds at
 * once — what every write dropped before the scoped versions (migration 0017): the same-run baseline.
 */
export const firstViewBench: Bench = {
  name: 'first-view',
  description: 'first view of the dashboard and league table after each kind of write, at 100k items',
  async run(ctx) {
    const size = ctx.quick ? QUICK_SCALE : FULL_SCALE;
    const rounds = ctx.quick ? 5 : 20;
    const database = await benchDatabase('first_view');
    let server: Awaited<ReturnType<typeof startServer>> | null = null;
    try {
      const { db } = database;
      const t0 = process.hrtime.bigint();
      const seeded = await seedScale(db, size, instantToLocalDate(Date.now(), 420), {
        passwordHash: await hashPassword('bench'),
      });
      ctx.log(`seeded ${seeded.rows} rows in ${seconds(t0).toFixed(0)} s`);
      server = await startServer(database.url);
      const url = server.url;
      const cookieOf = async (login: string) => {
        const client = new WebClient(url);
        await client.login(login, 'bench');
        return `${SESSION_COOKIE}=${client.cookie(SESSION_COOKIE)}`;
      };
      const views = [
        { name: 'dashboard', path: '/dashboard', cookie: await cookieOf('bench.wg') },
        {
          name: 'league table',
          path: '/agencies?sort=overdue&dir=desc',
          cookie: await cookieOf('bench.lead'),
        },
      ];
      const view = async (v: (typeof views)[number]) => {
        const t = performance.now();
        const res = await fetch(url + v.path, {
          headers: { cookie: v.cookie, 'accept-encoding': 'gzip' },
          redirect: 'manual',
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${v.path}: HTTP ${res.status}`);
        return performance.now() - t;
      };
      for (const v of views) for (let i = 0; i < 3; i++) await view(v);

      const other = await db
        .selectFrom('app_user')
        .select('id')
        .where('login', '=', 'bench.e0')
        .executeTakeFirstOrThrow();
      const writes = writesOf(db, other.id);
      const first = new Map<string, number[]>();
      const next = new Map<string, number[]>();
      // Round-robin: every kind meets the same machine conditions.
      for (let r = 0; r < rounds; r++) {
        for (const [kind, write] of Object.entries(writes)) {
          await write(r);
          await new Promise((res) => setTimeout(res, 300));
          for (const v of views) {
            const key = `${v.name} after ${kind}`;
            (first.get(key) ?? first.set(key, []).get(key)!).push(await view(v));
            (next.get(key) ?? next.set(key, []).get(key)!).push(await view(v));
          }
        }
      }
      const results: BenchResult[] = [];
      for (const v of views) {
        const base = p(first.get(`${v.name} after all kinds`)!, 0.99);
        for (const kind of Object.keys(writes)) {
          const key = `${v.name} after ${kind}`;
          const f = first.get(key)!;
          const [p50, p99] = [p(f, 0.5), p(f, 0.99)];
          ctx.log(
            `first view of the ${key}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; next view p50 ${p(next.get(key)!, 0.5).toFixed(1)} ms`,
          );
          results.push({
            bench: 'first-view',
            metric: `first ${key} at ${size.items / 1000}k items, p99 of ${f.length} (p50 ${p50.toFixed(1)} ms)`,
            value: p99,
            unit: 'ms',
            ...(kind === 'all kinds'
              ? {}
              : {
                  baseline: {
                    metric: 'p99 after a write of all kinds (every write before 0017)',
                    value: base,
                  },
                  ratio: p99 / base,
                }),
            goal: `≤ ${FIRST_VIEW_P99_GOAL_MS} ms`,
            pass: p99 <= FIRST_VIEW_P99_GOAL_MS,
          });
        }
      }
      return results;
    } finally {
      if (server) await stop(server.child);
      await database.drop();
    }
  },
};

/** Nearest-rank percentile (0–1) of unsorted samples. */
const p = (xs: number[], q: number) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    q * 100,
  );

/** One write of each kind of data, from outside the web process; round r touches the r-th row. */
function writesOf(db: Db, otherUserId: number): Record<string, (r: number) => Promise<void>> {
  const touch = (on: Db, table: 'control_item' | 'service' | 'principle' | 'agency', r: number) =>
    sql`update ${sql.table(table)} set ${sql.ref(table === 'control_item' ? 'deliverable' : 'title_ru')} =
      ${sql.ref(table === 'control_item' ? 'deliverable' : 'title_ru')}
      where id = (select id from ${sql.table(table)} order by id offset ${r} limit 1)`.execute(on);
  return {
    'an item': async (r) => void (await touch(db, 'control_item', r)),
    'a service': async (r) => void (await touch(db, 'service', r)),
    'a principle': async (r) => void (await touch(db, 'principle', r % 8)),
    "someone else's notice": async (r) =>
      void (await db
        .insertInto('notification')
        .values({
          idempotency_key: `first-view-${r}`,
          recipient_user_id: otherUserId,
          kind: 'reminder',
          subject: 'Напоминание',
          body_text: 'first-view bench',
        })
        .execute()),
    'all kinds': (r) =>
      db.transaction().execute(async (trx) => {
        await touch(trx, 'control_item', r + 1000);
        await touch(trx, 'service', r + 1000);
        await touch(trx, 'principle', r % 8);
        await touch(trx, 'agency', r + 100);
      }),
  };
}
