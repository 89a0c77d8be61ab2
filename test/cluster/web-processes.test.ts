import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../web/auth/index.ts';
import { accessLog, startTestCluster, type TestCluster } from '../support/cluster.ts';
import { WebClient } from '../support/web.ts';

// The cluster as `npm run cluster` starts it (demo data seeded): two web processes behind nginx share
// nothing but PostgreSQL. A session made by one is honoured by the other; a sign-out in one ends it in the
// other; a change made through one shows on the other's cached pages (Postgres change notices,
// docs/decisions.md §29); both workers serve the task queue; every open item has its workflow.

const changeVisible = async (check: () => Promise<boolean>) => {
  // Between one process's commit and the other's notice lies one local hop (§29): measure it, bounded.
  const t0 = performance.now();
  for (;;) {
    if (await check()) return performance.now() - t0;
    if (performance.now() - t0 > 2_000)
      throw new Error('the other web process still shows the old page after 2 s');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('a cluster of two web processes behind nginx and two workers', () => {
  let tc: TestCluster;
  let web1: string;
  let web2: string;

  beforeAll(async () => {
    tc = await startTestCluster({ seedDemo: true });
    web1 = `http://127.0.0.1:${tc.cluster.webs[0]!.port}`;
    web2 = `http://127.0.0.1:${tc.cluster.webs[1]!.port}`;
  });
  afterAll(async () => {
    await tc?.stop();
  });

  it('runs every open item under control and serves the task queue from both workers', async () => {
    const open = await tc.db
      .selectFrom('control_item')
      .select('id')
      .where('status', 'not in', ['done', 'cancelled'])
      .execute();
    expect(open.length).toBeGreaterThan(10);
    for (const { id } of open) {
      const d = await tc.temporal.client.workflow.getHandle(`control-item-${id}`).describe();
      expect(d.status.name, `item ${id}`).toBe('RUNNING');
    }
    const pollers = async (type: 'TASK_QUEUE_TYPE_WORKFLOW' | 'TASK_QUEUE_TYPE_ACTIVITY') =>
      (
        await tc.temporal.client.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: 'shtab' },
          taskQueueType: type === 'TASK_QUEUE_TYPE_WORKFLOW' ? 1 : 2,
        })
      ).pollers ?? [];
    const pids = new Set(tc.cluster.workers.map((w) => String(w.pid)));
    await expect
      .poll(
        async () =>
          new Set((await pollers('TASK_QUEUE_TYPE_WORKFLOW')).map((p) => p.identity?.split('@')[0])),
      )
      .toEqual(pids);
    await expect
      .poll(
        async () =>
          new Set((await pollers('TASK_QUEUE_TYPE_ACTIVITY')).map((p) => p.identity?.split('@')[0])),
      )
      .toEqual(pids);
  });

  it('balances sessions over both web processes, each session staying on one', async () => {
    const before = accessLog(tc.cluster).length;
    const perSession: Set<string>[] = [];
    // 16 sessions: the chance that the session hash puts all of them on one of two processes is 2^-15.
    for (let s = 0; s < 16; s++) {
      const c = new WebClient(tc.cluster.url);
      await c.login('rg', 'demo');
      const mark = accessLog(tc.cluster).length;
      for (let i = 0; i < 3; i++) expect((await c.get('/inbox')).status).toBe(200);
      perSession.push(
        new Set(
          accessLog(tc.cluster)
            .slice(mark)
            .flatMap((l) => l.upstreams),
        ),
      );
    }
    for (const used of perSession) expect(used.size).toBe(1);
    const all = new Set(
      accessLog(tc.cluster)
        .slice(before)
        .filter((l) => l.uri === '/inbox')
        .flatMap((l) => l.upstreams),
    );
    expect(all).toEqual(new Set(tc.cluster.webs.map((w) => `127.0.0.1:${w.port}`)));
  });

  it("honours one process's session in the other, and a sign-out in one ends it in both", async () => {
    const a = new WebClient(web1, tc.cluster.url);
    await a.login('mtsr.head', 'demo');
    const b = a.via(web2);
    const onB = await b.get('/inbox');
    expect(onB.status).toBe(200);
    expect(onB.text).toContain('/logout');
    // Both processes now hold the session in memory (§29). Sign out on the second one.
    expect((await a.get('/inbox')).status).toBe(200);
    const out = await b.post('/logout', {});
    expect(out.status).toBe(303);
    const ms = await changeVisible(async () => (await a.get('/inbox')).status === 303);
    console.log(`[cluster] sign-out on one web process reached the other in ${ms.toFixed(0)} ms`);
    const after = await a.get('/inbox');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
    expect(a.cookie(SESSION_COOKIE)).toBeTruthy(); // the cookie is still sent: the server refused it
  });

  it("shows a change made through one process on the other's cached pages", async () => {
    // An assigned item and its agency's executor (demo password "demo").
    const { id, login } = await tc.db
      .selectFrom('control_item')
      .innerJoin('app_user', 'app_user.agency_id', 'control_item.agency_id')
      .select(['control_item.id', 'app_user.login'])
      .where('control_item.status', '=', 'assigned')
      .where('app_user.role', '=', 'agency_executor')
      .orderBy('control_item.id')
      .executeTakeFirstOrThrow();
    const item = { id };
    const exec = { login };
    const a = new WebClient(web1, tc.cluster.url);
    await a.login(exec.login, 'demo');
    const b = a.via(web2);
    const page = `/items/${item.id}`;
    const list = '/items?status=in_progress';
    // Cached on the second process (twice: the second answer comes from its page cache).
    for (let i = 0; i < 2; i++) {
      expect((await b.get(page)).text).toContain('status-assigned');
      expect((await b.get(list)).text).not.toContain(`href="/items/${item.id}"`);
    }
    await a.get(page);
    const res = await a.post(
      `/items/${item.id}/start`,
      { eventId: `cluster-start-${item.id}` },
      { htmx: true },
    );
    expect(res.status).toBe(200);
    const ms = await changeVisible(async () => {
      const p = await b.get(page);
      return p.text.includes('status-in_progress') && !p.text.includes('status-assigned');
    });
    console.log(`[cluster] a change through one web process showed on the other in ${ms.toFixed(0)} ms`);
    expect((await b.get(list)).text).toContain(`href="/items/${item.id}"`);
    const row = await tc.db
      .selectFrom('control_item')
      .select('status')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('in_progress');
  });
});
