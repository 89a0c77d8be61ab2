import { recordFixture } from '../support/histories.ts';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importScores } from '../../app/services/score-import.ts';
import { serviceKpi } from '../../db/read-models/index.ts';
import { addWorkingDays, precedingWorkingDay } from '../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import type { Actor } from '../../domain/roles.ts';
import { updateItem } from '../../app/control-items/index.ts';
import { type TemporalHandle } from '../../app/temporal.ts';
import {
  cancelUpdate,
  controlItemWorkflowId,
  reviewUpdate,
  submitUpdate,
} from '../../workflows/definitions.ts';
import { improvementStageQuery } from '../../workflows/service-improvement-definitions.ts';
import { signalScoreImported, startServiceImprovement } from '../../app/services/index.ts';
import { actorOf, insertAgency, insertUser } from '../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { csv, insertScore, insertService, utf8 } from '../support/services-fixtures.ts';
import { createTestWorker, createTimeSkippingEnv, workflowBundle } from '../support/temporal.ts';

describe('serviceImprovement on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let tdb: TestDatabase;

  beforeAll(async () => {
    [env, tdb] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  });
  afterAll(async () => {
    await env?.teardown();
    await tdb?.drop();
  });

  /** Polls the database (the workflow's only visible effect) until `ok` holds. */
  async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const v = await read();
      if (ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function setup() {
    const agency = await insertAgency(tdb.db);
    const curator = await insertUser(tdb.db, 'agency_executor', agency.id);
    const wg = await insertUser(tdb.db, 'working_group');
    const service = await insertService(tdb.db, {
      agencyId: agency.id,
      curatorUserId: curator.id,
      title: 'Выдача справки',
    });
    await insertScore(tdb.db, service.id, '2025-Q3', 3.2);
    const today = instantToLocalDate(await env.currentTimeMs(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
    const imp = await tdb.db
      .insertInto('service_improvement')
      .values({
        service_id: service.id,
        period_selected: '2025-Q3',
        baseline_avg: 3.2,
        target_avg: 4.0,
        plan_due: precedingWorkingDay(addWorkingDays(today, 20)),
        implementation_due: precedingWorkingDay(addWorkingDays(today, 60)),
        selected_by: wg.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { agency, curator, wg, service, imp };
  }

  const improvement = (id: number) =>
    tdb.db.selectFrom('service_improvement').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** The stage item's row is written just before its child workflow starts. */
  async function running(t: TemporalHandle, itemId: number) {
    await until(
      () =>
        t.client.workflow
          .getHandle(controlItemWorkflowId(itemId, t.workflowIdPrefix))
          .describe()
          .then((d) => d.status.name)
          .catch(() => 'NOT_FOUND'),
      (s) => s === 'RUNNING',
      `item ${itemId} workflow`,
    );
  }

  async function deliver(t: TemporalHandle, itemId: number, executor: Actor, wg: Actor) {
    await running(t, itemId);
    const s1 = await updateItem(t, itemId, submitUpdate, {
      actor: executor,
      eventId: randomUUID(),
      text: 'План мероприятий',
      links: [],
      attachmentIds: [],
      part: false,
    });
    expect(s1.status).toBe('submitted');
    const s2 = await updateItem(t, itemId, reviewUpdate, {
      actor: wg,
      eventId: randomUUID(),
      outcome: 'accept',
    });
    expect(s2.status).toBe('done');
  }

  async function importFile(rows: string[][]) {
    const r = await importScores(tdb.db, {
      bytes: utf8(csv([['code', 'period', 'average', 'count'], ...rows])),
      filename: 's.csv',
      userId: null,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r;
  }

  it('plan and implementation as controlled items; a worse score keeps it open, a better one closes it', async () => {
    const { curator, wg, service, imp } = await setup();
    const taskQueue = `q-${randomUUID()}`;
    const t: TemporalHandle = { client: env.client, taskQueue };
    const worker = await createTestWorker({
      connection: env.nativeConnection,
      taskQueue,
      deps: { db: tdb.db, publicUrl: 'http://shtab.test' },
    });
    const history = await worker.runUntil(async () => {
      const handle = await startServiceImprovement(t, imp.id, DEFAULT_CHASE_POLICY);

      // 1. The improvement plan: a controlled item of the service's agency, executed by the curator.
      const planning = await until(
        () => improvement(imp.id),
        (r) => r.plan_item_id !== null,
        'plan item',
      );
      expect(planning.status).toBe('planning');
      const plan = await tdb.db
        .selectFrom('control_item')
        .selectAll()
        .where('id', '=', planning.plan_item_id!)
        .executeTakeFirstOrThrow();
      expect(plan).toMatchObject({
        kind: 'service_improvement',
        service_id: service.id,
        executor_user_id: curator.id,
        title_ru: 'План повышения качества услуги «Выдача справки»',
        current_due: imp.plan_due,
      });
      // A good score imported before the implementation does not count: nobody is waiting for it yet.
      const early = await importFile([[service.code, '2025-Q4', '4.5', '50']]);
      expect(early.improvements).toEqual([]);
      // The plan is chased like any controlled item: six weeks later it is overdue and escalated.
      await running(t, plan.id);
      await env.sleep('42 days');
      const chased = await until(
        () =>
          tdb.db
            .selectFrom('event')
            .select('type')
            .where('control_item_id', '=', plan.id)
            .where('type', 'like', 'chase.%')
            .execute(),
        (rows) => rows.some((r) => r.type === 'chase.escalation'),
        'plan chasing',
      );
      expect(chased.map((r) => r.type)).toContain('chase.reminder');
      await deliver(t, plan.id, actorOf(curator), actorOf(wg));

      // 2. The implementation checkpoint, same loop.
      const implementing = await until(
        () => improvement(imp.id),
        (r) => r.implementation_item_id !== null,
        'implementation item',
      );
      expect(implementing.status).toBe('implementing');
      expect(await handle.query(improvementStageQuery)).toBe('implementation');
      await deliver(t, implementing.implementation_item_id!, actorOf(curator), actorOf(wg));

      // 3. Waiting for a later score than any on record (2025-Q4 was imported before acceptance).
      const waiting = await until(
        () => improvement(imp.id),
        (r) => r.status === 'awaiting_score',
        'awaiting',
      );
      expect(waiting.measure_after_period).toBe('2025-Q4');

      const worse = await importFile([[service.code, '2026-Q1', '3.6', '70']]);
      expect(worse.improvements).toEqual([{ id: imp.id, serviceId: service.id }]);
      expect(
        await signalScoreImported(t, [imp.id], { periods: worse.periods, importId: worse.importId }),
      ).toEqual([]);
      const reported = await until(
        () => improvement(imp.id),
        (r) => r.last_score_period === '2026-Q1',
        'judged',
      );
      expect(reported).toMatchObject({ status: 'awaiting_score', last_score_avg: 3.6, improved_at: null });
      const belowEvents = await tdb.db
        .selectFrom('event')
        .select(['type', 'control_item_id'])
        .where('type', '=', 'improvement.below_target')
        .execute();
      expect(belowEvents).toEqual([
        { type: 'improvement.below_target', control_item_id: waiting.implementation_item_id },
      ]);
      const notices = await tdb.db
        .selectFrom('notification')
        .select(['kind', 'recipient_user_id'])
        .where('kind', '=', 'score_below_target')
        .execute();
      expect(new Set(notices.map((n) => n.recipient_user_id))).toEqual(new Set([wg.id, curator.id]));

      // A repeated signal for the same figures records nothing new.
      await signalScoreImported(t, [imp.id], { periods: worse.periods, importId: worse.importId });

      const better = await importFile([[service.code, '2026-Q2', '4,2', '90']]);
      await signalScoreImported(t, [imp.id], { periods: better.periods, importId: better.importId });
      expect(await handle.result()).toBe('improved');
      await recordFixture('service-improvement-improved', handle);
      return handle.fetchHistory();
    });

    const done = await improvement(imp.id);
    expect(done).toMatchObject({
      status: 'improved',
      improved_period: '2026-Q2',
      improved_avg: 4.2,
      last_score_avg: 4.2,
    });
    expect(done.improved_at).toBeInstanceOf(Date);
    expect(
      (await tdb.db.selectFrom('event').select('id').where('type', '=', 'improvement.below_target').execute())
        .length,
    ).toBe(1);

    // The KPI counts it: low at the start (2025-Q3), improved in 2026-Q2.
    const kpi = await serviceKpi(tdb.db, { today: '2026-07-01', timeZone: 'Asia/Novosibirsk' });
    expect(kpi).toEqual({
      lowAtStart: 1,
      improved: 1,
      target: 0.2,
      period: '2025-Q3',
      trajectory: [
        { period: '2025-Q4', improved: 0, lowAtStart: 1 },
        { period: '2026-Q1', improved: 0, lowAtStart: 1 },
        { period: '2026-Q2', improved: 1, lowAtStart: 1 },
      ],
    });

    // The recorded history replays against the current code (determinism).
    await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, 'service-improvement');
  });

  it('cancelling the plan item cancels the improvement', async () => {
    const { wg, imp } = await setup();
    const taskQueue = `q-${randomUUID()}`;
    const t: TemporalHandle = { client: env.client, taskQueue };
    const worker = await createTestWorker({
      connection: env.nativeConnection,
      taskQueue,
      deps: { db: tdb.db, publicUrl: 'http://shtab.test' },
    });
    await worker.runUntil(async () => {
      const handle = await startServiceImprovement(t, imp.id, DEFAULT_CHASE_POLICY);
      const planning = await until(
        () => improvement(imp.id),
        (r) => r.plan_item_id !== null,
        'plan item',
      );
      await running(t, planning.plan_item_id!);
      await updateItem(t, planning.plan_item_id!, cancelUpdate, {
        actor: actorOf(wg),
        eventId: randomUUID(),
        reason: 'Услуга упраздняется',
      });
      expect(await handle.result()).toBe('cancelled');
    });
    expect((await improvement(imp.id)).status).toBe('cancelled');
  });
});
