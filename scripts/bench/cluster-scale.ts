import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { itemStateFromRow } from '../../db/control-items.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { benchCluster, seedBenchCluster, signIn } from './cluster-env.ts';
import { pool, seconds, type Bench, type BenchResult } from './harness.ts';
import { skipUnusedBodies } from './pages.ts';

/**
 * Scale-out on the cluster (scripts/cluster): controlItem starts/s with 1 worker vs 2, and page
 * requests/s through nginx with 1 web process vs 2, in one run. On one machine every process shares its
 * cores, so the ratio says what a second process adds there; on separate machines it can only be higher.
 *
 * Starts: rounds of n/4 items in the order 1, 2, 2, 1 workers (drift in the machine's speed cancels out),
 * each counted until every started workflow has run its first task (a spread sample and the last 20).
 * The items' rows are seeded as done, so the workers' own reconciliation (which starts every open item's
 * workflow when a worker starts) leaves them to the benchmark; the workflows start as new assigned items.
 *
 * Pages: 8 sessions, 4 pinned to each web process by nginx's session hash, 16 connections cycling through
 * them; then the same with nginx routing to one process; with the whole-page cache and without it.
 */
export const clusterScaleBench: Bench = {
  name: 'cluster-scale',
  description: 'starts/s with 1 vs 2 workers, page req/s with 1 vs 2 web processes (cluster, nginx)',
  async run(ctx) {
    const n = ctx.quick ? 400 : 2_000;
    const duration = ctx.quick ? 5 : 15;
    const bc = await benchCluster(ctx, { workers: 2, webs: 2 });
    const { cluster, db, temporal } = bc;
    try {
      await seedBenchCluster(
        bc,
        { agencies: 50, lifeSituations: 10, services: 200, items: n },
        { dueRange: [30, 365], history: false },
      );
      const rows = await db.selectFrom('control_item').selectAll().orderBy('id').limit(n).execute();
      await db.updateTable('control_item').set({ status: 'done' }).execute();
      const states = rows.map((r) => itemStateFromRow({ ...r, status: 'assigned' }));
      const settle = async (ids: string[]) => {
        const step = Math.ceil(ids.length / 40);
        for (const id of ids.filter((_, i) => i % step === 0 || i >= ids.length - 20)) {
          for (;;) {
            const d = await temporal.client.workflow.getHandle(id).describe();
            if (d.historyLength >= 4) break;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      };
      const round = async (batch: typeof states) => {
        const t0 = process.hrtime.bigint();
        await pool(batch.length, 32, async (i) => {
          await startControlItem(temporal, batch[i]!, DEFAULT_CHASE_POLICY);
        });
        await settle(batch.map((s) => `control-item-${s.itemId}`));
        return batch.length / seconds(t0);
      };
      const quarter = Math.floor(states.length / 4);
      const batches = [0, 1, 2, 3].map((k) => states.slice(k * quarter, (k + 1) * quarter));
      const rates: { workers: number; rate: number }[] = [];
      for (const [k, workers] of [1, 2, 2, 1].entries()) {
        while (cluster.workers.length > workers) await cluster.workers.pop()!.stop();
        while (cluster.workers.length < workers) await cluster.startWorker();
        const rate = await round(batches[k]!);
        ctx.log(`round ${k + 1}: ${workers} worker(s), ${rate.toFixed(0)} starts/s`);
        rates.push({ workers, rate });
      }
      const mean = (w: number) => {
        const r = rates.filter((x) => x.workers === w).map((x) => x.rate);
        return r.reduce((a, b) => a + b, 0) / r.length;
      };
      const [one, two] = [mean(1), mean(2)];

      // Pages: sessions pinned 4 + 4 by the balancer.
      const bodiesSkipped = skipUnusedBodies();
      const log = () => readFileSync(cluster.nginx.accessLog, 'utf8').trim().split('\n');
      const byWeb = new Map<string, string[]>();
      for (let i = 0; i < 40 && [...byWeb.values()].filter((s) => s.length >= 4).length < 2; i++) {
        const s = await signIn(cluster.url, `bench.e${i}`, log);
        const cookie = `shtab_sid=${s.client.cookie('shtab_sid')}`;
        byWeb.set(s.web, [...(byWeb.get(s.web) ?? []), cookie]);
      }
      const cookies = [...byWeb.values()].flatMap((c) => c.slice(0, 4));
      if (cookies.length < 8) throw new Error('could not pin 4 sessions to each web process');
      const item = rows[0]!.id;
      const pages: BenchResult[] = [];
      const load = (path: string) =>
        new Promise<autocannon.Result>((resolve, reject) =>
          autocannon(
            {
              url: cluster.url,
              connections: 16,
              duration,
              timeout: 10,
              requests: cookies.map((cookie) => ({
                method: 'GET' as const,
                path,
                headers: { cookie, 'accept-encoding': 'gzip' },
              })),
            },
            (err, res) => (err ? reject(err) : resolve(res)),
          ),
        );
      // With the whole-page cache (as configured) a page is mostly nginx, sockets and gzip bytes; without
      // it every request renders in the web process, the work a second process can take over.
      for (const cache of ['on', 'off'] as const) {
        if (cache === 'off')
          for (let i = 0; i < cluster.webs.length; i++)
            await cluster.restartWeb(i, { env: { PAGE_CACHE_MB: '0' } });
        for (const [name, path] of [
          ['dashboard', '/dashboard'],
          ['item page', `/items/${item}`],
        ] as const) {
          await cluster.balance(2);
          await load(path); // warm-up: both processes' read caches
          const both = await load(path);
          await cluster.balance(1);
          await new Promise((r) => setTimeout(r, 1_000)); // the reloaded nginx's old workers finish
          const single = await load(path);
          await cluster.balance(2);
          const [r1, r2] = [single.requests.average, both.requests.average];
          const bad = single.non2xx + both.non2xx + single.errors + both.errors;
          const why = (r: autocannon.Result) =>
            `${r.errors} errors (${r.timeouts} timeouts), ${r.non2xx} non-2xx ${JSON.stringify(r.statusCodeStats)}`;
          if (bad) ctx.log(`  failed requests: 1 web ${why(single)}; 2 webs ${why(both)}`);
          ctx.log(
            `${name}, page cache ${cache}: 1 web ${r1.toFixed(0)} req/s (p99 ${single.latency.p99} ms), ` +
              `2 webs ${r2.toFixed(0)} req/s (p99 ${both.latency.p99} ms)${bad ? `, ${bad} failed` : ''}`,
          );
          pages.push({
            bench: 'cluster-scale',
            metric: `${name}, page cache ${cache}, through nginx: 2 web processes (p99 ${both.latency.p99} ms)${bodiesSkipped ? '' : ', stock autocannon'}`,
            value: r2,
            unit: 'req/s',
            baseline: { metric: `1 web process (p99 ${single.latency.p99} ms)`, value: r1 },
            ratio: r2 / r1,
            ...(bad ? { pass: false } : {}),
          });
        }
      }
      return [
        {
          bench: 'cluster-scale',
          metric: `controlItem starts, 2 workers (${quarter * 2} starts)`,
          value: two,
          unit: 'starts/s',
          baseline: { metric: '1 worker starts/s', value: one },
          ratio: two / one,
        },
        ...pages,
      ];
    } finally {
      await bc.stop();
    }
  },
};
