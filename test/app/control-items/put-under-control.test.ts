import { defaultPayloadConverter } from '@temporalio/common';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInRunState, recordMinutes } from '../../../app/check-ins/index.ts';
import {
  ensureItemWorkflows,
  putUnderControl,
  recordNewItems,
  startControl,
} from '../../../app/control-items/index.ts';
import { enqueueRoadmapImport } from '../../../app/imports/index.ts';
import { openRemediation, selectForImprovement } from '../../../app/services/index.ts';
import { isWorkingDay } from '../../../domain/calendar/index.ts';
import { DEFAULT_CHECK_IN_POLICY, nextMeetingDate } from '../../../domain/check-in/index.ts';
import { resolvePolicy, type ChasePolicy } from '../../../domain/control-item/index.ts';
import { addDays } from '../../../domain/local-date.ts';
import {
  WEEKLY_CHECK_IN_WORKFLOW,
  type WeeklyCheckInInput,
} from '../../../workflows/check-in-definitions.ts';
import { controlItemWorkflowId } from '../../../workflows/definitions.ts';
import { insertRoadmap } from '../../support/check-in-fixtures.ts';
import { actorOf, insertAgency, insertUser } from '../../support/fixtures.ts';
import {
  OFFSET,
  roadmapXlsx,
  ru,
  seedImportReferences,
  todayLocal,
  waitForJob,
  workingOnOrAfter,
} from '../../support/import-fixtures.ts';
import { insertScore, insertService } from '../../support/services-fixtures.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

// Every way an item comes under control goes through app/control-items (recordNewItems + startControl):
// for each caller, the item row, its audit event and a running workflow started with the policy of the
// item's roadmap (the region's for items without one) — read back from the workflow's own start event.
describe('putting items under control: one path for every creator', () => {
  let stack: TestStack;
  let db: TestStack['tdb']['db'];
  let temporal: TestStack['temporal'];
  const region = resolvePolicy(null, OFFSET);
  /** A roadmap's own settings: fewer reminders, a longer rework window. */
  const own: Partial<ChasePolicy> = { reminderWorkingDaysBefore: [3, 0], reworkWorkingDays: 7 };
  const today = todayLocal();
  let refs: Awaited<ReturnType<typeof seedImportReferences>>;
  let wg: { id: number; role: 'working_group'; agency_id: null };

  beforeAll(async () => {
    stack = await startTestStack({
      workerStartsWorkflows: true,
      deps: { utcOffsetMinutes: OFFSET },
      app: { policy: region },
    });
    ({ temporal } = stack);
    db = stack.tdb.db;
    refs = await seedImportReferences(db);
    await db
      .updateTable('roadmap')
      .set({ chase_policy: JSON.stringify(own) })
      .where('id', '=', refs.roadmapId)
      .execute();
    wg = (await insertUser(db, 'working_group', null)) as typeof wg;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const deps = () => ({ db, temporal: temporal.handle, policy: region, log: pino({ level: 'silent' }) });
  const handleOf = (itemId: number) =>
    temporal.client.workflow.getHandle(controlItemWorkflowId(itemId, temporal.workflowIdPrefix));

  /** The policy the item's (current) workflow run was started with, from its first history event. */
  async function startedWith(itemId: number): Promise<ChasePolicy> {
    const history = await handleOf(itemId).fetchHistory();
    const payload = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    return defaultPayloadConverter.fromPayload<{ policy: ChasePolicy }>(payload).policy;
  }
  async function underControl(itemId: number, eventType: string, policy: ChasePolicy) {
    const events = await db
      .selectFrom('event')
      .select(['type'])
      .where('control_item_id', '=', itemId)
      .where('type', 'in', ['created', 'imported'])
      .execute();
    expect(events).toEqual([{ type: eventType }]);
    await expect.poll(async () => (await handleOf(itemId).describe()).status.name).toBe('RUNNING');
    expect(await startedWith(itemId)).toEqual(policy);
  }

  it('the roadmap import: rows and "imported" events in one transaction, workflows with the roadmap policy', async () => {
    const due = workingOnOrAfter(addDays(today, 60));
    const file = await roadmapXlsx([
      ['7.1', 'Мероприятие из файла', ru(due), 'Минтруд', null, 'Отчёт', null],
    ]);
    const jobId = await enqueueRoadmapImport(deps(), {
      roadmapId: refs.roadmapId,
      newRoadmapTitle: null,
      filename: 'roadmap.xlsx',
      bytes: new Uint8Array(file),
      createdBy: wg.id,
    });
    expect((await waitForJob(db, jobId)).status).toBe('done');
    const item = await db
      .selectFrom('control_item')
      .selectAll()
      .where('roadmap_id', '=', refs.roadmapId)
      .where('number', '=', '7.1')
      .executeTakeFirstOrThrow();
    expect([item.kind, item.agency_id, item.current_due]).toEqual(['measure', refs.agency('MTSR'), due]);
    await underControl(item.id, 'imported', { ...region, ...own });
  });

  it('the check-in minutes: each instruction with its "created" event and the roadmap policy', async () => {
    // A run for a meeting that already passed builds its digest at once and waits for the minutes.
    const slot = { weekday: 3, minute: 600 };
    let scheduledAt = Date.now() - 14 * 86_400_000;
    while (!isWorkingDay(nextMeetingDate(scheduledAt, slot, OFFSET))) scheduledAt -= 7 * 86_400_000;
    const workflowId = `${temporal.workflowIdPrefix}check-in-${refs.roadmapId}-late`;
    await temporal.client.workflow.start(WEEKLY_CHECK_IN_WORKFLOW, {
      taskQueue: temporal.taskQueue,
      workflowId,
      args: [
        {
          roadmapId: refs.roadmapId,
          slot,
          policy: { ...DEFAULT_CHECK_IN_POLICY, utcOffsetMinutes: OFFSET },
          workflowIdPrefix: temporal.workflowIdPrefix,
          scheduledAt,
        } satisfies WeeklyCheckInInput,
      ],
    });
    let held: Awaited<ReturnType<typeof checkInRunState>> | null = null;
    await expect
      .poll(
        async () => (held = await checkInRunState(temporal.handle, workflowId).catch(() => null))?.stage,
        {
          timeout: 60_000,
        },
      )
      .toBe('held');
    const due = workingOnOrAfter(addDays(today, 30));
    const r = await recordMinutes(
      { db, temporal: temporal.handle, schedule: { timeZone: 'Asia/Novosibirsk', utcOffsetMinutes: OFFSET } },
      {
        actor: actorOf(wg),
        checkInId: held!.checkInId!,
        idempotencyKey: `minutes-${held!.checkInId}-0001`,
        minutes: {
          minutes: 'Обсудили ход работ',
          decisions: [
            {
              text: 'Подготовить отчёт',
              agencyId: refs.agency('MZ'),
              coAgencyIds: [],
              due,
              specialControl: false,
            },
          ],
        },
      },
    );
    expect(r.ok).toBe(true);
    const [itemId] = r.ok ? r.itemIds : [];
    const item = await db
      .selectFrom('control_item')
      .selectAll()
      .where('id', '=', itemId!)
      .executeTakeFirstOrThrow();
    expect([item.kind, item.roadmap_id, item.check_in_id]).toEqual([
      'instruction',
      refs.roadmapId,
      held!.checkInId,
    ]);
    await underControl(item.id, 'created', { ...region, ...own });
  });

  it('a check’s remediation: a "created" event and the region’s policy (no roadmap)', async () => {
    const agency = await insertAgency(db);
    const svc = await insertService(db, { agencyId: agency.id });
    const check = await db
      .insertInto('service_check')
      .values({
        service_id: svc.id,
        kind: 'mystery_shopping',
        scheduled_on: today,
        status: 'done',
        performed_on: today,
        issues: 'Очередь 40 минут',
        created_by: wg.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const due = workingOnOrAfter(addDays(today, 20));
    const r = await openRemediation(deps(), {
      checkId: check.id,
      values: { description: 'Сократить очередь', due },
      actor: actorOf(wg),
      today,
    });
    expect(r.ok).toBe(true);
    const itemId = r.ok ? r.value : 0;
    const row = await db
      .selectFrom('service_check')
      .select('remediation_item_id')
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow();
    expect(row.remediation_item_id).toBe(itemId);
    await underControl(itemId, 'created', region);
    // A second remediation of the same check is refused, nothing new is created.
    await expect(
      openRemediation(deps(), {
        checkId: check.id,
        values: { description: 'Ещё', due },
        actor: actorOf(wg),
        today,
      }),
    ).rejects.toMatchObject({ code: 'conflict', detail: { key: 'error.svc.remediationExists' } });
  });

  it('a service improvement’s plan stage: the row and its event by the use case, the run by the parent', async () => {
    const agency = await insertAgency(db);
    const svc = await insertService(db, { agencyId: agency.id });
    await insertScore(db, svc.id, '2025-Q1', 3.1, 120);
    const r = await selectForImprovement(deps(), {
      values: {
        period: '2025-Q1',
        service: String(svc.id),
        target: '4.2',
        planDue: workingOnOrAfter(addDays(today, 20)),
        implementationDue: workingOnOrAfter(addDays(today, 90)),
      },
      periods: ['2025-Q1'],
      actor: actorOf(wg),
      today,
    });
    expect(r.ok).toBe(true);
    const improvementId = r.ok ? r.ids[0]! : 0;
    let planItem: number | null = null;
    await expect
      .poll(async () => {
        const imp = await db
          .selectFrom('service_improvement')
          .select('plan_item_id')
          .where('id', '=', improvementId)
          .executeTakeFirstOrThrow();
        return (planItem = imp.plan_item_id);
      })
      .not.toBeNull();
    await underControl(planItem!, 'created', region);
    // Its workflow is the improvement's child, not a second top-level one.
    const desc = await handleOf(planItem!).describe();
    expect(desc.parentExecution?.workflowId).toContain(`service-improvement-${improvementId}`);
    // startControl leaves stage items to their parent.
    expect(await startControl({ db, temporal: temporal.handle, policy: region }, [planItem!])).toBe(0);
  });

  it('reconciliation re-creates a lost workflow through the same path, with the roadmap policy', async () => {
    const due = workingOnOrAfter(addDays(today, 45));
    const at = new Date();
    const entry = {
      item: {
        kind: 'measure' as const,
        roadmap_id: refs.roadmapId,
        title_ru: 'Без процесса',
        agency_id: refs.agency('MO'),
        due,
      },
      creation: { eventKey: `test-lost-${Date.now()}`, actor: actorOf(wg), at },
    };
    const [row] = await putUnderControl({ db, temporal: temporal.handle, policy: region }, [entry]);
    await underControl(row!.id, 'created', { ...region, ...own });
    // The same creation again is the same item (idempotent by its event key).
    const again = await db.transaction().execute((trx) => recordNewItems(trx, [entry]));
    expect(again.map((r) => r.id)).toEqual([row!.id]);

    await handleOf(row!.id).terminate('lost with its server');
    await expect.poll(async () => (await handleOf(row!.id).describe()).status.name).toBe('TERMINATED');
    expect(
      await ensureItemWorkflows({ db, temporal: temporal.handle, policy: region }, { onlyIds: [row!.id] }),
    ).toBe(1);
    await expect.poll(async () => (await handleOf(row!.id).describe()).status.name).toBe('RUNNING');
    expect(await startedWith(row!.id)).toEqual({ ...region, ...own });
  });
});
