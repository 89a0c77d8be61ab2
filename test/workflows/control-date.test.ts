import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import { restoreControlDates } from '../../db/migrations/0009-control-dates.ts';
import { agencyStats } from '../../db/read-models/agencies.ts';
import { redList, upcomingDeadlines } from '../../db/read-models/dashboard.ts';
import {
  applyChase,
  decide,
  DEFAULT_CHASE_POLICY,
  lateness,
  planChase,
  type ItemState,
} from '../../domain/control-item/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { sendControlDateRestores, startControlItem } from '../../app/control-items/index.ts';
import { stateQuery } from '../../workflows/definitions.ts';
import { auditLines, itemRow, local, outboxLines, type Cast } from '../support/control-item-fixtures.ts';
import { begin, reopenWithinWindow, type ScenarioContext } from '../support/control-item-scenarios.ts';
import { actorOf, insertItem } from '../support/fixtures.ts';
import { fetchRunHistories } from '../support/histories.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { onPinnedServer } from '../support/pinned-server.ts';
import { sleepUntil } from '../support/time-skipping.ts';

// The control date as Russian document systems keep it (docs/decisions.md §31), on the time-skipping
// server with real activities and Postgres. Dates derived from the production calendar as in
// control-item-year.test.ts: control date Tue 11 May 2027 → reminders r10 23 Apr, r5 30 Apr, r1 7 May,
// r0 11 May; esc1 Wed 12 May, esc2 Thu 13 May, esc3 Mon 17 May, esc4 Wed 19 May; repeats every 5 working
// days after esc4: 26 May, 2 June…
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

const ctxAt = (date: string) => ({ today: date, timeZone: 'Asia/Novosibirsk' });

const withServer = <T>(startAt: number, body: (ctx: ScenarioContext) => Promise<T>) =>
  onPinnedServer(tdb.db, startAt, body);

describe('the control date moves only by an approved extension', () => {
  it('keeps an item returned after its control date overdue and on the red list; accepted, it counts late', async () => {
    await withServer(local('2027-04-01', '10:00'), async (ctx) => {
      const { cast } = ctx;
      const s = await begin(ctx, { agencyId: cast.a.id, due: '2027-05-11', number: '4.1' });
      await s.at('2027-05-20', '12:00');
      await s.act.submit(cast.execA, 'Отчёт с опозданием');
      await s.at('2027-05-21', '11:00');
      const returned = await s.act.returnForRework(cast.wg1, 'Нет приложений');
      // Rework due 5 working days later (24–28 May); the control date, the level and the ladder stay.
      expect(returned).toMatchObject({
        status: 'returned',
        currentDue: '2027-05-11',
        reworkDue: '2027-05-28',
        escalationLevel: 4,
        overdueSince: '2027-05-12',
      });
      expect(await itemRow(tdb.db, s.itemId)).toMatchObject({
        status: 'returned',
        current_due: '2027-05-11',
        rework_due: '2027-05-28',
        escalation_level: 4,
      });
      // Still on the leadership red list, 8 working days overdue; not among the next two weeks' deadlines.
      const red = await redList(tdb.db, ctxAt('2027-05-21'));
      expect(red.rows.find((r) => r.id === s.itemId)).toMatchObject({
        escalation_level: 4,
        workingDaysOverdue: 8,
      });
      const upcoming = await upcomingDeadlines(tdb.db, ctxAt('2027-05-21'));
      expect(upcoming.rows.map((r) => r.id)).not.toContain(s.itemId);
      // The return's email says so: rework due 28 May, control date 11 May passed.
      const notice = await tdb.db
        .selectFrom('notification')
        .select('body_text')
        .where('control_item_id', '=', s.itemId)
        .where('kind', '=', 'returned')
        .executeTakeFirstOrThrow();
      expect(notice.body_text).toContain('Срок доработки — 28.05.2027.');
      expect(notice.body_text).toContain('Контрольный срок — 11.05.2027: он истёк');

      await s.at('2027-05-27', '12:00');
      await s.act.submit(cast.execA, 'Отчёт с приложениями');
      await s.at('2027-05-28', '11:00');
      await s.act.accept(cast.wg1);
      expect(await auditLines(tdb.db, s.itemId)).toEqual([
        '2027-04-23 09:00 chase.reminder r10',
        '2027-04-30 09:00 chase.reminder r5',
        '2027-05-07 09:00 chase.reminder r1',
        '2027-05-11 09:00 chase.reminder r0',
        '2027-05-12 09:00 chase.overdue esc1',
        '2027-05-13 09:00 chase.escalation esc2',
        '2027-05-17 09:00 chase.escalation esc3',
        '2027-05-19 09:00 chase.escalation esc4',
        '2027-05-20 12:00 submitted',
        '2027-05-21 11:00 returned',
        // The ladder goes on against the control date (no level sent twice), the rework window reminds
        // the day before its due date.
        '2027-05-26 09:00 chase.repeat rep1',
        '2027-05-27 09:00 chase.reminder w1.1',
        '2027-05-27 12:00 submitted',
        '2027-05-28 11:00 accepted',
      ]);
      const row = await itemRow(tdb.db, s.itemId);
      expect(row).toMatchObject({
        status: 'done',
        current_due: '2027-05-11',
        escalation_level: 4,
        rework_due: null,
      });
      const accepted = instantToLocalDate(row.accepted_at!.getTime(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
      expect(lateness({ status: row.status, currentDue: row.current_due, accepted }, '2027-06-01')).toEqual({
        state: 'late',
        workingDays: 13,
      });
      // The agency's on-time rate and delay count it late.
      const [stats] = await agencyStats(tdb.db, ctxAt('2027-06-01'), cast.a.id);
      expect(stats).toMatchObject({ lateItems: 1, avgDelayWorkingDays: 13 });
      expect(stats!.counts.onTimeRate).toBe(0);
      await s.handle.result();
    });
  });

  it('approves an extension with another date than asked: the control date becomes the granted one', async () => {
    await withServer(local('2027-04-01', '10:00'), async (ctx) => {
      const { cast } = ctx;
      const s = await begin(ctx, { agencyId: cast.a.id, due: '2027-05-11', number: '4.2' });
      await s.at('2027-05-04', '12:00');
      await s.act.requestExtension(cast.headA, '2027-06-14');
      await s.at('2027-05-05', '12:00');
      const granted = await s.act.decideExtension(cast.wg1, true, 'Согласовано до конца мая', '2027-05-31');
      expect(granted).toMatchObject({
        currentDue: '2027-05-31',
        originalDue: '2027-05-11',
        escalationLevel: 0,
      });
      await s.at('2027-05-31', '12:00');
      await s.act.submit(cast.execA);
      await s.at('2027-05-31', '15:00');
      await s.act.accept(cast.wg2);
      // Re-planned for Mon 31 May: r10 17 May, r5 24 May, r1 28 May, r0 31 May. The old plan never fires.
      expect(await auditLines(tdb.db, s.itemId)).toEqual([
        '2027-04-23 09:00 chase.reminder r10',
        '2027-04-30 09:00 chase.reminder r5',
        '2027-05-04 12:00 extension_requested',
        '2027-05-05 12:00 extension_approved',
        '2027-05-17 09:00 chase.reminder r10',
        '2027-05-24 09:00 chase.reminder r5',
        '2027-05-28 09:00 chase.reminder r1',
        '2027-05-31 09:00 chase.reminder r0',
        '2027-05-31 12:00 submitted',
        '2027-05-31 15:00 accepted',
      ]);
      expect(
        await tdb.db
          .selectFrom('extension_request')
          .select(['previous_due', 'requested_due', 'granted_due', 'status', 'decision_note'])
          .where('control_item_id', '=', s.itemId)
          .execute(),
      ).toEqual([
        {
          previous_due: '2027-05-11',
          requested_due: '2027-06-11', // 14 June 2027 is a holiday: the Friday before
          granted_due: '2027-05-31',
          status: 'approved',
          decision_note: 'Согласовано до конца мая',
        },
      ]);
      expect(await itemRow(tdb.db, s.itemId)).toMatchObject({ current_due: '2027-05-31', status: 'done' });
      await s.handle.result();
    });
  });

  it('undoes an acceptance within the reopen window in the same run, then completes when the window ends', async () => {
    await withServer(reopenWithinWindow.startAt, async (ctx) => {
      const { cast } = ctx;
      const s = await reopenWithinWindow.run(ctx);
      expect(await auditLines(tdb.db, s.itemId)).toEqual([
        '2027-04-23 09:00 chase.reminder r10',
        '2027-04-27 12:00 submitted',
        '2027-04-28 11:00 accepted',
        '2027-04-29 10:00 reopened',
        '2027-05-07 09:00 chase.reminder w1.1',
        '2027-05-07 12:00 submitted',
        '2027-05-07 15:00 accepted',
      ]);
      // The reopen: back to the executor, rework due on the control date (5 working days — 30 Apr,
      // 4–7 May — end before it), which stays.
      const reopened = await tdb.db
        .selectFrom('event')
        .select(['after', 'data'])
        .where('control_item_id', '=', s.itemId)
        .where('type', '=', 'reopened')
        .executeTakeFirstOrThrow();
      expect(reopened.after).toMatchObject({
        status: 'returned',
        currentDue: '2027-05-11',
        reworkDue: '2027-05-11',
      });
      expect(reopened.data).toMatchObject({ reason: 'Проверка показала, что реестр не опубликован' });
      expect(await itemRow(tdb.db, s.itemId)).toMatchObject({
        status: 'done',
        rework_due: null,
        review_round: 1,
      });
      // One run: the reopen came while the accepted workflow waited; it completed 20 working days later.
      const runs = await fetchRunHistories(ctx.env.client, s.workflowId, s.firstRunId);
      expect(runs).toHaveLength(1);
      const completedAt = runs[0]!.history.events.at(-1)!.eventTime as { seconds: string };
      expect(instantToLocalDate(Number(completedAt.seconds) * 1000, 420)).toBe('2027-06-07');
      expect(await outboxLines(tdb.db, s.itemId)).toEqual(
        expect.arrayContaining([`reopened → ${cast.execA.login}`, `reopened → ${cast.headA.login}`]),
      );
    });
  });

  it('reads an explicit day in the cadence and, open-ended, reports on past the roadmap horizon', async () => {
    await withServer(local('2026-12-01', '10:00'), async (ctx) => {
      const { cast } = ctx;
      // «ежеквартально, до 10 числа месяца, следующего за отчётным», no end date.
      const s = await begin(ctx, {
        agencyId: cast.a.id,
        due: '2027-01-11',
        number: '2.2',
        recurrence: {
          every: 'quarterly',
          periodKey: '2026-Q4',
          until: null,
          dueDays: 5,
          dueDay: 10,
          dueMonthOffset: 1,
        },
      });
      // 10 Jan 2027 in the holidays → 11 Jan; 10 Apr (Sat) → 9 Apr; 10 Jul (Sat) → 9 Jul; 10 Oct (Sun)
      // → 8 Oct; 10 Jan 2028 (Mon) on the day; all past a roadmap that ends in 2027.
      const dues = ['2027-01-11', '2027-04-09', '2027-07-09', '2027-10-08', '2028-01-10'];
      for (const due of dues) {
        expect((await s.handle.query(stateQuery)).currentDue).toBe(due);
        await s.at(due, '12:00');
        await s.act.submit(cast.execA, `Отчёт (срок ${due})`);
        await s.at(due, '15:00');
        await s.act.accept(cast.wg1);
      }
      const next = await s.handle.query(stateQuery);
      expect(next).toMatchObject({ status: 'assigned', recurrence: { periodKey: '2028-Q1', until: null } });
      await s.act.cancel(cast.wg1, 'Отчётность прекращена');
      await s.handle.result();
      expect(
        await tdb.db
          .selectFrom('item_period')
          .select(['period_key', 'due'])
          .where('control_item_id', '=', s.itemId)
          .orderBy('period_key')
          .execute(),
      ).toEqual([
        { period_key: '2026-Q4', due: '2027-01-11' },
        { period_key: '2027-Q1', due: '2027-04-09' },
        { period_key: '2027-Q2', due: '2027-07-09' },
        { period_key: '2027-Q3', due: '2027-10-08' },
        { period_key: '2027-Q4', due: '2028-01-10' },
      ]);
      const runs = await fetchRunHistories(ctx.env.client, s.workflowId, s.firstRunId);
      expect(runs).toHaveLength(6);
      expect(await itemRow(tdb.db, s.itemId)).toMatchObject({ status: 'cancelled', period_key: '2028-Q1' });
    });
  });
});

/**
 * The state and audit trail a workflow of the code before this change leaves after a return for rework
 * past the control date: the ladder to level 4, a report, a return that moved the deadline to the rework
 * date and reset the escalation. Written with the same pure rules (decide with legacyReturnMovesDue) and
 * the same activities the old workflow called, at the times it would have.
 */
async function legacyReturnedItem(cast: Cast, number: string) {
  const { db } = tdb;
  const policy = DEFAULT_CHASE_POLICY;
  const acts = createActivities({ db, publicUrl: 'https://shtab.example.ru' });
  const { row, state } = await insertItem(db, { agencyId: cast.a.id, due: '2027-05-11', number });
  const { reworkDue: _, ...s0 } = state; // the old state had no such field
  let s: ItemState = { ...s0, status: 'in_progress' };
  const wf = `control-item-${row.id}`;
  for (const now of [local('2027-05-12'), local('2027-05-13'), local('2027-05-17'), local('2027-05-19')]) {
    const plan = planChase(s, policy, now);
    const after = applyChase(s, plan.next!, plan.superseded);
    await acts.recordChase({
      itemId: row.id,
      eventKey: `${wf}:${s.currentDue}:${plan.next!.key}`,
      at: now,
      step: plan.next!,
      superseded: plan.superseded,
      before: s,
      after,
    });
    s = after;
  }
  for (const [type, at, args] of [
    ['submit', local('2027-05-20', '12:00'), { text: 'Отчёт', links: [], attachmentIds: [], part: false }],
    ['review', local('2027-05-21', '11:00'), { outcome: 'return', reason: 'Нет приложений' }],
  ] as const) {
    const actor = actorOf(type === 'submit' ? cast.execA : cast.wg1);
    const eventId = randomUUID();
    const cmd = { type, args: { ...args, actor, eventId } } as Parameters<typeof decide>[1];
    const d = decide(s, cmd, {
      today: instantToLocalDate(at, policy.utcOffsetMinutes),
      policy,
      legacyReturnMovesDue: true,
    });
    await acts.persistTransition({
      itemId: row.id,
      eventId,
      type: d.type,
      actor,
      at,
      before: s,
      after: d.next,
      payload:
        'text' in args
          ? { text: args.text, links: [], attachmentIds: [] }
          : { reason: args.reason, outcome: 'return' },
    });
    s = d.next;
  }
  return { itemId: row.id, state: s };
}

describe('items whose control date an earlier return moved', () => {
  it('get it back: the migration corrects the row, the running workflow takes it through a one-off Update', async () => {
    await withServer(local('2027-05-21', '12:00'), async (ctx) => {
      const { cast } = ctx;
      const legacy = await legacyReturnedItem(cast, '4.4');
      // As the old code left it: the deadline moved to the rework date, the escalation reset.
      expect(legacy.state).toMatchObject({
        status: 'returned',
        currentDue: '2027-05-28',
        escalationLevel: 0,
      });
      expect(legacy.state.reworkDue).toBeUndefined();
      const handle = await startControlItem(ctx.temporal, legacy.state, DEFAULT_CHASE_POLICY);
      // A second one, whose workflow has moved on since (an extension): the restore must not undo it.
      const other = await legacyReturnedItem(cast, '4.5');
      const otherHandle = await startControlItem(
        ctx.temporal,
        { ...other.state, currentDue: '2027-06-30' },
        DEFAULT_CHASE_POLICY,
      );

      const restored = await restoreControlDates(tdb.db as never, '2027-05-21');
      expect(restored).toEqual(expect.arrayContaining([legacy.itemId, other.itemId]));
      expect(await itemRow(tdb.db, legacy.itemId)).toMatchObject({
        current_due: '2027-05-11',
        rework_due: '2027-05-28',
        escalation_level: 4,
        overdue_since: '2027-05-12',
      });
      expect(await sendControlDateRestores(tdb.db, ctx.temporal)).toEqual({ applied: 1, stale: 1 });
      expect(await sendControlDateRestores(tdb.db, ctx.temporal)).toEqual({ applied: 0, stale: 0 });
      expect(await handle.query(stateQuery)).toMatchObject({
        status: 'returned',
        currentDue: '2027-05-11',
        reworkDue: '2027-05-28',
        escalationLevel: 4,
        overdueSince: '2027-05-12',
      });
      expect((await otherHandle.query(stateQuery)).currentDue).toBe('2027-06-30');

      // From here on the item is chased as overdue against 11 May: the next repeat, no ladder level again.
      await sleepUntil(ctx.env, local('2027-05-28', '10:00'));
      const lines = await auditLines(tdb.db, legacy.itemId);
      expect(lines.slice(-4)).toEqual([
        '2027-05-21 11:00 returned',
        '2027-05-21 12:00 control_date_restored',
        '2027-05-26 09:00 chase.repeat rep1',
        '2027-05-27 09:00 chase.reminder w1.1',
      ]);
      expect(lines.filter((l) => l.includes('esc'))).toHaveLength(4);
      expect(await itemRow(tdb.db, legacy.itemId)).toMatchObject({
        current_due: '2027-05-11',
        escalation_level: 4,
      });
      await otherHandle.terminate('test done');
      await handle.terminate('test done');
    });
  });
});
