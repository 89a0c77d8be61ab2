import { WorkflowUpdateStage } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import { createWorkerMetrics } from '../../activities/metrics.ts';
import { resolvePolicy } from '../../domain/control-item/index.ts';
import { addDays } from '../../domain/local-date.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { startWorkUpdate } from '../../workflows/definitions.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { OFFSET, todayLocal } from '../support/import-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { connectDevServer, workflowBundle } from '../support/temporal.ts';
import { startTestApp } from '../support/web.ts';

/** Prometheus text format → { 'name{labels}': value }, failing on any malformed sample line. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|\+Inf|-Inf))$/.exec(
      line,
    );
    if (!m) throw new Error(`not a Prometheus sample: ${line}`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

describe('GET /metrics', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let worker: Worker;
  let running: Promise<void>;
  const metrics = createWorkerMetrics();
  let web: Awaited<ReturnType<typeof startTestApp>>;
  const policy = resolvePolicy(null, OFFSET);

  beforeAll(async () => {
    [tdb, temporal] = await Promise.all([createTestDatabase(), connectDevServer()]);
    // The production worker setup: our activities with the failure-counting interceptor.
    worker = await Worker.create({
      connection: temporal.nativeConnection,
      taskQueue: temporal.taskQueue,
      workflowBundle: workflowBundle(),
      activities: createActivities({ db: tdb.db, publicUrl: 'http://t' }),
      interceptors: metrics.interceptors,
    });
    running = worker.run();
    web = await startTestApp({
      db: tdb.db,
      temporal: temporal.handle,
      policy,
      workerMetrics: metrics.registry,
    });
  });
  afterAll(async () => {
    await web?.close();
    worker?.shutdown();
    await running;
    await temporal?.close();
    await tdb?.drop();
  });

  it('reports items by status, overdue items, chases, the outbox, import jobs and failed activity attempts', async () => {
    const today = todayLocal();
    const a = await insertAgency(tdb.db);
    const exec = await insertUser(tdb.db, 'agency_executor', a.id);
    const late = await insertItem(tdb.db, { agencyId: a.id, due: addDays(today, -10) });
    await tdb.db
      .updateTable('control_item')
      .set({ status: 'in_progress', escalation_level: 2 })
      .where('id', '=', late.row.id)
      .execute();
    await insertItem(tdb.db, { agencyId: a.id, due: addDays(today, 30) });
    await insertItem(tdb.db, { agencyId: a.id, due: addDays(today, 30), kind: 'instruction' });
    const at = new Date();
    await tdb.db
      .insertInto('event')
      .values(
        ['chase.reminder', 'chase.reminder', 'chase.overdue', 'chase.escalation', 'started'].map(
          (type, i) => ({
            event_key: `m-${i}`,
            control_item_id: late.row.id,
            type,
            at,
          }),
        ),
      )
      .execute();
    const note = (key: string, extra: object) => ({
      idempotency_key: key,
      recipient_user_id: exec.id,
      recipient_email: 'x@example.test',
      kind: 'reminder',
      subject: 's',
      body_text: 'b',
      ...extra,
    });
    await tdb.db
      .insertInto('notification')
      .values([
        note('n1', { sent_at: at }),
        note('n2', {}),
        note('n3', { last_error: '421 try later', attempts: 3 }),
        note('n4', { recipient_email: null }),
      ])
      .execute();
    await tdb.db
      .insertInto('import_job')
      .values([
        { kind: 'roadmap', new_roadmap_title: 'x', filename: 'a.xlsx', size_bytes: 1, status: 'failed' },
        { kind: 'roadmap', new_roadmap_title: 'x', filename: 'b.xlsx', size_bytes: 1, status: 'done' },
      ])
      .execute();

    // A real activity failure: a workflow for an item whose row is gone makes persistTransition hit a
    // foreign key; the activity is retried (and counted) until the workflow is terminated.
    const due = addDays(today, 30);
    const ghost = {
      ...late.state,
      itemId: 987654,
      status: 'assigned' as const,
      originalDue: due,
      currentDue: due,
    };
    const wf = await startControlItem(temporal.handle, ghost, policy);
    await wf.startUpdate(startWorkUpdate, {
      args: [{ actor: { userId: exec.id, role: 'agency_executor', agencyId: a.id }, eventId: 'ghost-start' }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    const failures = async () =>
      parse(await (await fetch(`${web.url}/metrics`)).text()).get(
        'shtab_activity_failures_total{activity="persistTransition",retryable="true"}',
      ) ?? 0;
    await expect.poll(failures, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    await wf.terminate('test done');

    const res = await fetch(`${web.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE shtab_items gauge');
    const m = parse(text);
    expect(m.get('shtab_items{kind="measure",status="assigned"}')).toBe(1);
    expect(m.get('shtab_items{kind="measure",status="in_progress"}')).toBe(1);
    expect(m.get('shtab_items{kind="instruction",status="assigned"}')).toBe(1);
    expect(m.get('shtab_items_overdue{kind="measure",escalation_level="2"}')).toBe(1);
    expect(m.get('shtab_chases_sent{type="reminder"}')).toBe(2);
    expect(m.get('shtab_chases_sent{type="overdue"}')).toBe(1);
    expect(m.get('shtab_chases_sent{type="escalation"}')).toBe(1);
    expect(m.get('shtab_chases_sent{type="repeat"}')).toBe(0);
    expect(m.get('shtab_notifications{state="sent"}')).toBe(1);
    expect(m.get('shtab_notifications{state="pending"}')).toBe(1);
    expect(m.get('shtab_notifications{state="failed"}')).toBe(1);
    expect(m.get('shtab_notifications{state="inbox_only"}')).toBe(1);
    expect(m.get('shtab_import_jobs{status="failed"}')).toBe(1);
    expect(m.get('shtab_import_jobs{status="done"}')).toBe(1);
    expect(m.get('shtab_activity_attempts_total{activity="persistTransition"}')).toBeGreaterThanOrEqual(1);
    expect(m.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('is for loopback scrapers only without METRICS_TOKEN, and for the token holder with it', async () => {
    const proxied = await fetch(`${web.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(403);

    const secured = await startTestApp({
      db: tdb.db,
      temporal: temporal.handle,
      metricsToken: 'correct-horse-battery-staple',
    });
    try {
      expect((await fetch(`${secured.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${secured.url}/metrics`, {
        headers: { authorization: 'Bearer nope-nope-nope-nope' },
      });
      expect(wrong.status).toBe(401);
      const ok = await fetch(`${secured.url}/metrics`, {
        headers: { authorization: 'Bearer correct-horse-battery-staple', 'x-forwarded-for': '203.0.113.9' },
      });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('shtab_items');
    } finally {
      await secured.close();
    }
  });
});
