import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShtabError } from '../../domain/errors.ts';
import type { ItemState } from '../../domain/control-item/index.ts';
import { hashPassword } from '../../web/index.ts';
import { controlItemWorkflowId, stateQuery } from '../../workflows/definitions.ts';
import { accessLog, startTestCluster, type TestCluster } from '../support/cluster.ts';
import {
  createDriverCast,
  planScripts,
  progressLog,
  runDriver,
  startItems,
  verifyRun,
  type DriverCast,
  type OpSender,
  type User,
} from '../support/reliability-driver.ts';
import { reliabilitySeed, seededRandom, sleep } from '../support/reliability-fixtures.ts';
import { startSmtpReceiver } from '../support/smtp-receiver.ts';
import { WebClient } from '../support/web.ts';

// Faults on the production-shaped cluster (scripts/cluster), under load through nginx: item actions are
// posted as a browser posts them (htmx, CSRF token, the form's event id), pages are read meanwhile. One
// worker is killed with SIGKILL, then one web process, then the Temporal server is restarted, then
// PostgreSQL crashes. Afterwards every submission, event, notification row and email exists exactly once,
// every workflow is where the actions left it, page reads that met the dead web process were answered by
// the other one (nginx retried them), and every failed post was a clear 503 that the same post resent
// with the same event id turned into exactly one action. docs/reliability.md describes the run.

const TZ = 'Asia/Novosibirsk';
const ITEMS = Number(process.env.RELIABILITY_ITEMS ?? 40);
const PASSWORD = 'cluster-faults-1';

interface Failure {
  at: number;
  method: string;
  path: string;
  status: number | string;
  body: string;
}

describe('faults on the cluster under load', () => {
  const seed = reliabilitySeed('cluster-faults');
  const rand = seededRandom(seed);
  let tc: TestCluster;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    tc = await startTestCluster({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await tc?.stop();
    await smtp?.close();
  });

  it('loses and doubles nothing through a worker kill, a web process kill, a Temporal restart and a Postgres crash', async () => {
    const started = Date.now();
    const { cluster, db, temporal } = tc;
    const cast: DriverCast = await createDriverCast(db, 5, await hashPassword(PASSWORD));
    const rows = await startItems(db, temporal, cast, ITEMS, TZ);
    const { scripts, reports } = planScripts(rand, rows, { minRounds: 1, maxRounds: 2, openEvery: 5 });
    const totalOps = scripts.reduce((n, s) => n + s.ops.length, 0);

    // One browser per person, signed in through nginx (sticky: each stays on one web process until it dies).
    const browsers = new Map<number, WebClient>();
    for (const u of [...cast.agencies.flatMap((a) => [a.exec]), ...cast.wg]) {
      const c = new WebClient(cluster.url);
      await c.login(u.login, PASSWORD);
      browsers.set(u.id, c);
    }
    const failures: Failure[] = [];
    const posts: { status: number; ok: boolean }[] = [];

    const post = async (u: User, path: string, form: Record<string, string>) => {
      const c = browsers.get(u.id)!;
      let res;
      try {
        res = await c.post(path, form, { htmx: true });
      } catch (e) {
        const code = String(
          ((e as Error).cause as { code?: string } | undefined)?.code ?? (e as Error).message,
        );
        failures.push({ at: Date.now(), method: 'POST', path, status: code, body: '' });
        throw new Error(`POST ${path}: ${code}`);
      }
      posts.push({ status: res.status, ok: res.status === 200 });
      if (res.status >= 500) {
        failures.push({
          at: Date.now(),
          method: 'POST',
          path,
          status: res.status,
          body: res.text.slice(0, 200),
        });
        throw new Error(`POST ${path}: HTTP ${res.status}`); // transient: the driver resends the same form
      }
      if (res.status !== 200)
        throw new ShtabError('conflict', `POST ${path}: HTTP ${res.status}: ${res.text.slice(0, 300)}`, {
          key: 'test.refused',
        });
    };
    /** The state the item's workflow reports after the action (the driver checks it against the rows). */
    const stateOf = async (itemId: number): Promise<ItemState> => {
      const h = temporal.client.workflow.getHandle(controlItemWorkflowId(itemId, ''));
      for (let attempt = 0; ; attempt++) {
        try {
          const d = await h.describe();
          return d.status.name === 'COMPLETED'
            ? ((await h.result()) as ItemState)
            : await h.query(stateQuery);
        } catch (e) {
          if (attempt > 60) throw e;
          await sleep(500); // the server may be restarting
        }
      }
    };
    // The faults, at seeded moments in successive stretches of the run.
    const windows: Record<string, { from: number; to: number }> = {};
    const faults: { what: string; at: number; run: () => Promise<void> }[] = [
      {
        what: 'worker kill -9',
        at: rand.int(Math.floor(totalOps * 0.08), Math.floor(totalOps * 0.15)),
        async run() {
          await cluster.workers[0]!.kill9();
          await sleep(rand.int(0, 2_000));
          await cluster.restartWorker(0);
        },
      },
      {
        what: 'web kill -9',
        at: rand.int(Math.floor(totalOps * 0.3), Math.floor(totalOps * 0.38)),
        async run() {
          await cluster.webs[0]!.kill9();
          await sleep(rand.int(2_000, 4_000));
          await cluster.restartWeb(0);
        },
      },
      {
        what: 'Temporal restart',
        at: rand.int(Math.floor(totalOps * 0.5), Math.floor(totalOps * 0.58)),
        async run() {
          await cluster.temporal.stop();
          await sleep(rand.int(0, 2_000));
          await cluster.temporal.restart();
        },
      },
      {
        what: 'Postgres crash',
        at: rand.int(Math.floor(totalOps * 0.7), Math.floor(totalOps * 0.78)),
        async run() {
          await cluster.postgres.crash();
          await sleep(rand.int(2_000, 4_000));
          await cluster.postgres.start();
        },
      },
    ];
    // Every fault must meet load: while faults are pending, the lanes keep RESERVE actions per pending fault
    // in hand (they wait for the fault before spending them), however fast the healthy stretches run.
    const RESERVE = 20;
    let done = 0;
    const send: OpSender = async (s, op, who) => {
      // (a fault counts as pending until it starts)
      while (faults.length > 0 && totalOps - done <= RESERVE * faults.length) await sleep(100);
      const base = `/items/${s.itemId}`;
      switch (op.kind) {
        case 'start':
          await post(who.exec, `${base}/start`, { eventId: op.eventId });
          break;
        case 'submit':
          await post(who.exec, `${base}/submit`, {
            eventId: op.eventId,
            text: `Отчёт ${op.eventId}`,
            part: '0',
          });
          break;
        case 'return':
          await post(who.wg, `${base}/review`, {
            eventId: op.eventId,
            outcome: 'return',
            reason: `Доработать (${op.eventId})`,
          });
          break;
        case 'accept':
          await post(who.wg, `${base}/review`, { eventId: op.eventId, outcome: 'accept', confirm: '1' });
          break;
      }
      return stateOf(s.itemId);
    };

    // Readers: pages as people open them, all the while.
    const reads: { at: number; status: number | string }[] = [];
    let reading = true;
    const readers = cast.agencies.slice(0, 3).map(async (a, i) => {
      const c = browsers.get(a.exec.id)!;
      const pages = ['/', '/items', `/items/${rows[i]!.id}`, '/inbox'];
      for (let n = 0; reading; n++) {
        const path = pages[n % pages.length]!;
        try {
          const r = await c.get(path);
          reads.push({ at: Date.now(), status: r.status });
          if (r.status !== 200)
            failures.push({
              at: Date.now(),
              method: 'GET',
              path,
              status: r.status,
              body: r.text.slice(0, 200),
            });
        } catch (e) {
          const code = String(((e as Error).cause as { code?: string } | undefined)?.code ?? e);
          reads.push({ at: Date.now(), status: code });
          failures.push({ at: Date.now(), method: 'GET', path, status: code, body: '' });
        }
        await sleep(40);
      }
    });

    // One fault after the other, each when the actions reach its moment (never later than the reserve
    // allows, so the lanes cannot all be waiting for a fault that waits for them).
    const GAP = 12; // healthy actions between one fault's end and the next fault
    const faultsDone = (async () => {
      let after = 0;
      while (faults.length) {
        const f = faults[0]!;
        const at = Math.min(Math.max(f.at, after + GAP), totalOps - RESERVE * faults.length);
        while (done < at) await sleep(50);
        faults.shift();
        const [from, atOp] = [Date.now(), done];
        await f.run();
        windows[f.what] = { from, to: Date.now() };
        after = done;
        console.log(
          `[reliability] cluster-faults: ${f.what} at op ${atOp}, back after ${((Date.now() - from) / 1000).toFixed(1)} s`,
        );
      }
    })();
    const progress = progressLog('cluster-faults', totalOps, 50);
    const run = await runDriver({
      temporal,
      cast,
      scripts,
      lanes: 8,
      deadlineMs: 480_000,
      send,
      onProgress(n) {
        done = n;
        progress(n);
      },
    });
    await faultsDone;
    reading = false;
    await Promise.all(readers);
    console.log(
      `[reliability] cluster-faults: ${run.results.length} actions (${reports} submissions/reviews) on ${ITEMS} items in ` +
        `${(run.ms / 1000).toFixed(1)} s through nginx; ${run.retried.length} posts resent; ${reads.length} page reads`,
    );
    const byKind = new Map<string, number>();
    for (const f of failures) {
      const k = `${f.method} ${f.status}`;
      byKind.set(k, (byKind.get(k) ?? 0) + 1);
    }
    console.log(
      `[reliability] cluster-faults: failed requests ${JSON.stringify(Object.fromEntries(byKind))}`,
    );
    for (const f of failures.slice(0, 8))
      console.log(`  ${f.method} ${f.path} ${f.status} ${f.body.replace(/\s+/g, ' ').slice(0, 120)}`);

    expect(run.failures).toEqual([]);
    expect(Object.keys(windows).sort()).toEqual([
      'Postgres crash',
      'Temporal restart',
      'web kill -9',
      'worker kill -9',
    ]);
    // The web processes and the other worker lived through the Temporal and Postgres outages by themselves.
    for (const p of [...cluster.workers, ...cluster.webs]) expect(p.alive(), p.name).toBe(true);

    // Page reads while a web process was dead were answered by the other one: nginx retried those that
    // met the dead process (its access log shows two upstreams tried for them).
    const web = windows['web kill -9']!;
    const duringWebKill = reads.filter((r) => r.at >= web.from && r.at <= web.to);
    expect(duringWebKill.length).toBeGreaterThan(5);
    expect(duringWebKill.filter((r) => r.status !== 200)).toEqual([]);
    const retried = accessLog(cluster).filter((l) => l.upstreams.length > 1);
    console.log(
      `[reliability] cluster-faults: nginx passed ${retried.length} requests on to the other web process ` +
        `(${retried.filter((l) => l.method === 'GET').length} GET, ${retried.filter((l) => l.method === 'POST').length} POST never sent to the dead one)`,
    );
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((l) => l.method === 'GET' || l.statuses[0] === '502')).toBe(true);
    // A request that failed got a clear answer — 503 with a message and Retry-After, from nginx (no web
    // process could take it) or from the app (Temporal or Postgres down) — never an internal error or a
    // hang-up; a post answered so was resent with its event id and applied once (verified below).
    for (const f of failures) expect(f.status, `${f.method} ${f.path}: ${f.body.slice(0, 80)}`).toBe(503);
    // Pages fail only while Postgres is down (they read it); during the other faults every read was served.
    const pgDown = windows['Postgres crash']!;
    const outside = reads.filter((r) => r.at < pgDown.from || r.at > pgDown.to + 3_000);
    expect(outside.filter((r) => r.status !== 200)).toEqual([]);

    const counts = await verifyRun({
      db,
      temporal,
      cast,
      scripts,
      results: run.results,
      smtp,
      // A worker killed, or Postgres crashing, between the SMTP reply and marking the row: one each.
      maxResends: 2,
      restartWorker: async () => {
        for (let i = 0; i < cluster.workers.length; i++) await cluster.restartWorker(i);
      },
    });
    console.log(
      `[reliability] cluster-faults: ${counts.events} events, ${counts.submissions} submissions, ` +
        `${counts.notifications} notifications, ${counts.emails} emails (${counts.resent} resent with the same ` +
        `Message-ID), ${counts.reviewedAfter} open workflows accepted a further review; ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s in all`,
    );
  }, 600_000);
});
