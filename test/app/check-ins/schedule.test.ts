import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getScheduleSettings } from '../../../db/check-ins.ts';
import {
  DEFAULT_CHECK_IN_POLICY,
  nextMeetingDate,
  planCheckIn,
  type CheckInScheduleSettings,
} from '../../../domain/check-in/index.ts';
import { instantToLocalDate } from '../../../domain/local-date.ts';
import { ensureCheckInSchedules } from '../../../app/check-ins/index.ts';
import {
  WEEKLY_CHECK_IN_WORKFLOW,
  type WeeklyCheckInInput,
} from '../../../workflows/check-in-definitions.ts';
import {
  backfillCheckIns,
  CHECK_IN_CATCHUP_WINDOW,
  checkInScheduleHandle,
  describeCheckInSchedule,
  ensureCheckInSchedule,
  setCheckInSchedulePaused,
  triggerCheckIn,
} from '../../../app/check-ins/index.ts';
import { insertRoadmap, localAt } from '../../support/check-in-fixtures.ts';
import { insertAgency, insertItem } from '../../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../support/pg.ts';
import { connectDevServer, createTestWorker } from '../../support/temporal.ts';

const TZ = 'Asia/Novosibirsk';
const OFF = 7 * 60;
const CFG = { timeZone: TZ, utcOffsetMinutes: OFF };

async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  what: string,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Schedules run on the dev server only (the time-skipping server has none).
describe('the weekly check-in Schedule on the dev server', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    [tdb, temporal] = await Promise.all([createTestDatabase(), connectDevServer()]);
    worker = await createTestWorker({
      connection: temporal.nativeConnection,
      taskQueue: temporal.taskQueue,
      deps: { db: tdb.db, publicUrl: 'http://shtab.test' },
    });
    running = worker.run();
  });
  afterAll(async () => {
    // Runs waiting for minutes would outlive the test: end them.
    for (const rm of await tdb.db.selectFrom('roadmap').select('id').execute()) {
      const d = await describeCheckInSchedule(temporal.handle, rm.id).catch(() => null);
      for (const a of d?.info.runningActions ?? []) {
        await temporal.client.workflow
          .getHandle(a.workflow.workflowId)
          .terminate('test over')
          .catch(() => {});
      }
      await checkInScheduleHandle(temporal.handle, rm.id)
        .delete()
        .catch(() => {});
    }
    worker?.shutdown();
    await running;
    await temporal?.close();
    await tdb?.drop();
  });

  it('creates the Schedule from the settings: calendar in the region zone, catch-up window, overlap', async () => {
    const roadmap = await insertRoadmap(tdb.db);
    const s: CheckInScheduleSettings = {
      roadmapId: roadmap.id,
      slot: { weekday: 5, minute: 600 },
      requestWorkingDaysBefore: 2,
      paused: false,
    };
    expect(await ensureCheckInSchedule(temporal.handle, s, CFG)).toBe('created');
    expect(await ensureCheckInSchedule(temporal.handle, s, CFG)).toBe('updated'); // idempotent
    const d = (await describeCheckInSchedule(temporal.handle, roadmap.id))!;
    expect(d.spec.timezone).toBe(TZ);
    expect(d.spec.calendars).toMatchObject([
      {
        dayOfWeek: [{ start: 'FRIDAY', end: 'FRIDAY', step: 1 }],
        hour: [{ start: 10, end: 10, step: 1 }],
        minute: [{ start: 0, end: 0, step: 1 }],
      },
    ]);
    expect(d.policies.catchupWindow).toBe(3 * 86_400_000);
    expect(CHECK_IN_CATCHUP_WINDOW).toBe('3 days');
    expect(d.policies.overlap).toBe('ALLOW_ALL');
    expect(d.action).toMatchObject({ workflowType: WEEKLY_CHECK_IN_WORKFLOW, taskQueue: temporal.taskQueue });
    const input = d.action.args![0] as WeeklyCheckInInput;
    expect(input).toMatchObject({
      roadmapId: roadmap.id,
      slot: { weekday: 5, minute: 600 },
      workflowIdPrefix: temporal.workflowIdPrefix,
    });
    expect(input.policy).toMatchObject({
      requestWorkingDaysBefore: 2,
      utcOffsetMinutes: OFF,
      requestAtMinute: 600,
    });
    // The next actions are Fridays 10:00 in Novosibirsk = 03:00 UTC.
    for (const t of d.info.nextActionTimes.slice(0, 3)) {
      expect(t.getUTCDay()).toBe(5);
      expect([t.getUTCHours(), t.getUTCMinutes()]).toEqual([3, 0]);
    }

    // New settings update the same Schedule; pause and resume.
    await ensureCheckInSchedule(temporal.handle, { ...s, slot: { weekday: 4, minute: 15 * 60 + 30 } }, CFG);
    const moved = (await describeCheckInSchedule(temporal.handle, roadmap.id))!;
    expect(moved.spec.calendars![0]).toMatchObject({
      dayOfWeek: [{ start: 'THURSDAY' }],
      hour: [{ start: 15 }],
      minute: [{ start: 30 }],
    });
    expect(moved.info.nextActionTimes[0]!.getUTCHours()).toBe(8);
    await setCheckInSchedulePaused(temporal.handle, roadmap.id, true);
    expect((await describeCheckInSchedule(temporal.handle, roadmap.id))!.state.paused).toBe(true);
    await setCheckInSchedulePaused(temporal.handle, roadmap.id, false);
    expect((await describeCheckInSchedule(temporal.handle, roadmap.id))!.state.paused).toBe(false);
    // Settings that say "paused" create it paused.
    await ensureCheckInSchedule(temporal.handle, { ...s, paused: true }, CFG);
    expect((await describeCheckInSchedule(temporal.handle, roadmap.id))!.state.paused).toBe(true);
  });

  it('trigger() starts a weeklyCheckIn for the next meeting; a second trigger finds it taken', async () => {
    const roadmap = await insertRoadmap(tdb.db);
    const agency = await insertAgency(tdb.db);
    const { row } = await insertItem(tdb.db, { agencyId: agency.id, due: '2030-01-15' });
    await tdb.db
      .updateTable('control_item')
      .set({ roadmap_id: roadmap.id })
      .where('id', '=', row.id)
      .execute();
    const s = {
      roadmapId: roadmap.id,
      slot: { weekday: 5, minute: 600 },
      requestWorkingDaysBefore: 2,
      paused: false,
    };
    await ensureCheckInSchedule(temporal.handle, s, CFG);
    const before = Date.now();
    await triggerCheckIn(temporal.handle, roadmap.id);
    const firstTriggered = Date.now();
    const checkIn = await eventually(
      () => tdb.db.selectFrom('check_in').selectAll().where('roadmap_id', '=', roadmap.id).executeTakeFirst(),
      'the triggered check-in',
    );
    const meeting = nextMeetingDate(before, s.slot, OFF);
    expect(checkIn.meeting_at.getTime()).toBe(localAt(meeting, '10:00', OFF));
    const holiday = planCheckIn(meeting, 600, { ...DEFAULT_CHECK_IN_POLICY, utcOffsetMinutes: OFF }).holiday;
    expect(checkIn.status).toBe(holiday ? 'skipped' : 'collecting');
    expect(checkIn.workflow_id).toMatch(new RegExp(`^${temporal.workflowIdPrefix}check-in-${roadmap.id}-`));
    const run = await temporal.client.workflow.getHandle(checkIn.workflow_id!).describe();
    expect(run.type).toBe(WEEKLY_CHECK_IN_WORKFLOW);

    // Runs a Schedule starts are named <schedule id>-<start time to the second>: two triggers within one
    // second would name the same run, and the second would be dropped as already started.
    await new Promise((r) => setTimeout(r, Math.max(0, firstTriggered + 1_100 - Date.now())));
    await triggerCheckIn(temporal.handle, roadmap.id);
    const second = await eventually(async () => {
      const d = await describeCheckInSchedule(temporal.handle, roadmap.id);
      const ids = d!.info.recentActions.map((a) => a.action.workflow.workflowId);
      return ids.length >= 2 ? ids.find((id) => id !== checkIn.workflow_id) : undefined;
    }, 'the second triggered run');
    expect(await temporal.client.workflow.getHandle(second).result()).toMatchObject({
      outcome: 'duplicate',
      checkInId: checkIn.id,
      meetingDate: meeting,
    });
    expect(
      await tdb.db.selectFrom('check_in').select('id').where('roadmap_id', '=', roadmap.id).execute(),
    ).toHaveLength(1);
  });

  it('backfill over a past window starts one run per slot: late digests, holidays skipped', async () => {
    const roadmap = await insertRoadmap(tdb.db);
    const s = {
      roadmapId: roadmap.id,
      slot: { weekday: 5, minute: 600 },
      requestWorkingDaysBefore: 2,
      paused: false,
    };
    await ensureCheckInSchedule(temporal.handle, s, CFG);
    // Slots on Fri 18 Apr, 25 Apr, 2 May, 9 May 2025 prepare the meetings a week later; 2 and 9 May are holidays.
    await backfillCheckIns(
      temporal.handle,
      roadmap.id,
      new Date(localAt('2025-04-18', '09:00', OFF)),
      new Date(localAt('2025-05-09', '11:00', OFF)),
    );
    const rows = await eventually(async () => {
      const r = await tdb.db
        .selectFrom('check_in')
        .select(['meeting_at', 'status', 'digest', 'workflow_id'])
        .where('roadmap_id', '=', roadmap.id)
        .orderBy('meeting_at')
        .execute();
      return r.length === 4 && r.every((x) => x.status !== 'collecting') ? r : undefined;
    }, 'four backfilled check-ins');
    expect(rows.map((r) => [instantToLocalDate(r.meeting_at.getTime(), OFF), r.status])).toEqual([
      ['2025-04-25', 'held'],
      ['2025-05-02', 'skipped'],
      ['2025-05-09', 'skipped'],
      ['2025-05-16', 'held'],
    ]);
    for (const r of rows.filter((x) => x.status === 'held')) {
      expect((r.digest as { late: boolean }).late).toBe(true);
    }
    // A late run asks nobody for notes.
    expect(await tdb.db.selectFrom('status_request').select('id').execute()).toEqual([]);
    const skipped = await tdb.db
      .selectFrom('event')
      .select(['type', 'data'])
      .where('type', '=', 'check_in.skipped')
      .execute();
    expect(skipped.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { meetingDate: '2025-05-02', reason: 'holiday', late: true },
        { meetingDate: '2025-05-09', reason: 'holiday', late: true },
      ]),
    );
  });

  it('npm start path: every roadmap gets default settings (Friday 10:00) and its Schedule', async () => {
    const roadmap = await insertRoadmap(tdb.db);
    const n = await ensureCheckInSchedules(tdb.db, temporal.handle, CFG);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(await getScheduleSettings(tdb.db, roadmap.id)).toEqual({
      roadmapId: roadmap.id,
      slot: { weekday: 5, minute: 600 },
      requestWorkingDaysBefore: 2,
      paused: false,
    });
    expect((await describeCheckInSchedule(temporal.handle, roadmap.id))!.spec.timezone).toBe(TZ);
  });
});
