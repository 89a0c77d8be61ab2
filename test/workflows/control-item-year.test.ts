import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLines, isChase, itemRow, localStamp, outboxLines } from '../support/control-item-fixtures.ts';
import {
  coExecutorSwapKeepsExtension,
  extensionReplan,
  ladderThenCancel,
  quarterlyYear,
  twoReworkRounds,
  type Scenario,
} from '../support/control-item-scenarios.ts';
import { fetchRunHistories } from '../support/histories.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { onPinnedServer } from '../support/pinned-server.ts';

// A year of control items in seconds: the time-skipping server, real activities, real Postgres.
//
// Every expected date below is derived by hand from the production calendar in
// domain/calendar/ru-production-calendar.ts with the default chase policy (domain/control-item/policy.ts):
// reminders 10, 5, 1 and 0 working days before the deadline at 09:00 Novosibirsk time (UTC+7); the
// executor is told the item is overdue on the first working day after the deadline (esc1), the agency
// head one working day later (esc2), the working group after 3 (esc3), the leadership red list after 5
// (esc4); then a repeat every 5 working days; rework gets 5 working days.
//
// Calendar facts used (weekends aside):
//   2026: 31 Dec (Thu) off.
//   2027: 1 Jan (Fri) and 4–8 Jan off, so the first working day of the year is Mon 11 Jan;
//         1–3 May off (Sat–Mon: 1 May falls on a Saturday, its day off moves to Mon 3 May),
//         8–10 May off (Sat–Mon: 9 May is a Sunday, moved to Mon 10 May);
//         12 June is a Saturday, its day off moves to Mon 14 June.
// The scenarios pin the test server's clock (test/support/time-skipping.ts), so they run the same on
// any day.

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

/** Runs a scenario on its own time-skipping server; returns what it left behind. */
function play(scenario: Scenario) {
  return onPinnedServer(tdb.db, scenario.startAt, async (ctx) => {
    const result = await scenario.run(ctx);
    const runs = await fetchRunHistories(ctx.env.client, result.workflowId, result.firstRunId);
    const login = (u: { login: string }) => u.login;
    return { ...result, cast: ctx.cast, runs, login };
  });
}

describe('a year of control items on the time-skipping server', () => {
  it('reminds on working days around the May holidays, escalates in order, repeats, stops when cancelled', async () => {
    const { itemId, cast, runs } = await play(ladderThenCancel);
    // Due Tue 11 May 2027. Counting working days back: 7 May (1; 8–10 May are off), 6, 5, 4 May (4;
    // 1–3 May are off), 30 Apr (5), 29, 28, 27, 26, 23 Apr (10).
    // Overdue from Wed 12 May (esc1); esc2 +1 = Thu 13 May; esc3 +3 = Mon 17 May; esc4 +5 = Wed 19 May.
    // Repeats every 5 working days after esc4: 26 May, 2 June, 9 June, and 17 June (14 June is off).
    // Cancelled on 18 June; the clock then runs to 31 July without a single chase.
    expect(await auditLines(tdb.db, itemId)).toEqual([
      '2027-04-23 09:00 chase.reminder r10',
      '2027-04-30 09:00 chase.reminder r5',
      '2027-05-07 09:00 chase.reminder r1',
      '2027-05-11 09:00 chase.reminder r0',
      '2027-05-12 09:00 chase.overdue esc1',
      '2027-05-13 09:00 chase.escalation esc2',
      '2027-05-17 09:00 chase.escalation esc3',
      '2027-05-19 09:00 chase.escalation esc4',
      '2027-05-26 09:00 chase.repeat rep1',
      '2027-06-02 09:00 chase.repeat rep2',
      '2027-06-09 09:00 chase.repeat rep3',
      '2027-06-17 09:00 chase.repeat rep4',
      '2027-06-18 12:00 cancelled',
    ]);
    const row = await itemRow(tdb.db, itemId);
    expect(row).toMatchObject({
      status: 'cancelled',
      original_due: '2027-05-11',
      current_due: '2027-05-11',
      escalation_level: 4,
      overdue_since: '2027-05-12',
      chases_sent: 12,
      version: 1,
      cancel_reason: 'Мероприятие исключено из дорожной карты',
    });
    expect(localStamp(row.closed_at!)).toBe('2027-06-18 12:00');
    // Who heard about it: reminders and "overdue" to the executor, esc2 to the head, esc3 to the working
    // group, esc4 only on the red list, repeats to executor and head, the cancellation to both.
    const times = (n: number, line: string) => Array<string>(n).fill(line);
    const { execA, headA, wg1, wg2 } = cast;
    expect(await outboxLines(tdb.db, itemId)).toEqual(
      [
        `cancelled → ${execA.login}`,
        `cancelled → ${headA.login}`,
        `escalation → ${headA.login}`,
        `escalation → ${wg1.login}`,
        `escalation → ${wg2.login}`,
        `overdue → ${execA.login}`,
        ...times(4, `reminder → ${execA.login}`),
        ...times(4, `repeat → ${execA.login}`),
        ...times(4, `repeat → ${headA.login}`),
      ].sort(),
    );
    // The workflow completed (the cancellation was its last word) in one run.
    expect(runs).toHaveLength(1);
    expect(runs[0]!.history.events.at(-1)!.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  });

  it('re-plans every reminder after an approved extension; the old plan never fires', async () => {
    const { itemId } = await play(extensionReplan);
    // Asked on 4 May for Mon 14 June, a holiday: normalised to the preceding working day, Fri 11 June.
    // Chasing pauses while the request waits (no r1 on 7 May), and after approval the plan is the new
    // date's: r10 = 28 May (11 June back: 10, 9, 8, 7, 4, 3, 2, 1 June, 31, 28 May), r5 = 4 June,
    // r1 = 10 June, r0 = 11 June. Nothing of the old plan (r1 7 May, r0 11 May, esc1 12 May) fires.
    expect(await auditLines(tdb.db, itemId)).toEqual([
      '2027-04-23 09:00 chase.reminder r10',
      '2027-04-30 09:00 chase.reminder r5',
      '2027-05-04 12:00 extension_requested',
      '2027-05-07 12:00 extension_approved',
      '2027-05-28 09:00 chase.reminder r10',
      '2027-06-04 09:00 chase.reminder r5',
      '2027-06-10 09:00 chase.reminder r1',
      '2027-06-11 09:00 chase.reminder r0',
      '2027-06-11 12:00 submitted',
      '2027-06-15 11:00 accepted',
    ]);
    // Chase keys carry the deadline they belong to, so the two r10s are different events.
    const keys = await tdb.db
      .selectFrom('event')
      .select('event_key')
      .where('control_item_id', '=', itemId)
      .where('type', 'like', 'chase.%')
      .orderBy('at')
      .execute();
    expect(keys.map((k) => k.event_key.split(':').slice(-2).join(':'))).toEqual([
      '2027-05-11:r10',
      '2027-05-11:r5',
      '2027-06-11:r10',
      '2027-06-11:r5',
      '2027-06-11:r1',
      '2027-06-11:r0',
    ]);
    expect(await itemRow(tdb.db, itemId)).toMatchObject({
      status: 'done',
      original_due: '2027-05-11',
      current_due: '2027-06-11',
      escalation_level: 0,
      overdue_since: null,
      version: 4,
    });
    expect(
      await tdb.db
        .selectFrom('extension_request')
        .select(['previous_due', 'requested_due', 'status'])
        .where('control_item_id', '=', itemId)
        .execute(),
    ).toEqual([{ previous_due: '2027-05-11', requested_due: '2027-06-11', status: 'approved' }]);
  });

  it('keeps a pending extension when only the co-executors change, and plans for it once approved', async () => {
    const { itemId, cast } = await play(coExecutorSwapKeepsExtension);
    // Asked on 27 Apr for Fri 11 June; the co-executor changes on 28 Apr (B → C) while the request waits,
    // so chasing stays paused (no r5 on 30 Apr); approved on 29 Apr: r10 = 28 May, r5 = 4 June,
    // r1 = 10 June (the report comes that day, before r0).
    expect(await auditLines(tdb.db, itemId)).toEqual([
      '2027-04-23 09:00 chase.reminder r10',
      '2027-04-27 12:00 extension_requested',
      '2027-04-28 12:00 reassigned',
      '2027-04-29 12:00 extension_approved',
      '2027-05-28 09:00 chase.reminder r10',
      '2027-06-04 09:00 chase.reminder r5',
      '2027-06-10 09:00 chase.reminder r1',
      '2027-06-10 12:00 submitted',
      '2027-06-10 15:00 accepted',
    ]);
    expect(await itemRow(tdb.db, itemId)).toMatchObject({
      status: 'done',
      agency_id: cast.a.id,
      co_agency_ids: [cast.c.id],
      current_due: '2027-06-11',
    });
    expect(
      await tdb.db
        .selectFrom('extension_request')
        .select(['requested_due', 'status'])
        .where('control_item_id', '=', itemId)
        .execute(),
    ).toEqual([{ requested_due: '2027-06-11', status: 'approved' }]);
  });

  it('runs two rework rounds: the control date stays, rework due dates drive the reminders, the ladder runs on', async () => {
    const { itemId } = await play(twoReworkRounds);
    // Control date Tue 11 May 2027. Returned Thu 6 May at 15:00 with the default 5 working days: 7, 11
    // (8–10 May off), 12, 13, 14 May → rework due Fri 14 May, after the control date, which stays: the
    // ladder runs against 11 May — esc1 Wed 12 May, esc2 Thu 13 May — while the rework reminder (the day
    // before, reworkReminderWorkingDaysBefore [1]) goes out on 13 May. Resubmitted on 13 May.
    // Returned again on 14 May with 23 May, a Sunday → rework due Fri 21 May; the ladder goes on from
    // level 2: esc3 +3 = Mon 17 May, esc4 +5 = Wed 19 May; the rework reminder on 20 May. Resubmitted on
    // 21 May, accepted on Mon 24 May: late, on record.
    expect(await auditLines(tdb.db, itemId)).toEqual([
      '2027-04-23 09:00 chase.reminder r10',
      '2027-04-30 09:00 chase.reminder r5',
      '2027-05-06 12:00 submitted',
      '2027-05-06 15:00 returned',
      '2027-05-12 09:00 chase.overdue esc1',
      '2027-05-13 09:00 chase.reminder w1.1',
      '2027-05-13 09:00 chase.escalation esc2',
      '2027-05-13 12:00 submitted',
      '2027-05-14 10:00 returned',
      '2027-05-17 09:00 chase.escalation esc3',
      '2027-05-19 09:00 chase.escalation esc4',
      '2027-05-20 09:00 chase.reminder w2.1',
      '2027-05-21 12:00 submitted',
      '2027-05-24 11:00 accepted',
    ]);
    expect(await itemRow(tdb.db, itemId)).toMatchObject({
      status: 'done',
      review_round: 2,
      original_due: '2027-05-11',
      current_due: '2027-05-11',
      rework_due: null,
      escalation_level: 4,
      overdue_since: '2027-05-12',
      version: 6,
    });
    const submissions = await tdb.db
      .selectFrom('submission')
      .select(['round', 'body', 'outcome', 'review_reason'])
      .where('control_item_id', '=', itemId)
      .orderBy('id')
      .execute();
    expect(submissions).toEqual([
      {
        round: 1,
        body: 'Отчёт, первая редакция',
        outcome: 'returned',
        review_reason: 'Нет данных по районам',
      },
      {
        round: 2,
        body: 'Отчёт, вторая редакция',
        outcome: 'returned',
        review_reason: 'Нет подписи руководителя',
      },
      { round: 3, body: 'Отчёт, третья редакция', outcome: 'accepted', review_reason: null },
    ]);
  });

  it('reports quarterly for four quarters, one run per period chained by continue-as-new', async () => {
    const { itemId, runs, workflowId } = await play(quarterlyYear);
    // Reports are due 5 working days after each quarter:
    //   Q4 2026: 31 Dec is off, 1–10 Jan 2027 are off → 11, 12, 13, 14, 15 Jan → Fri 15 Jan 2027
    //            (r5 counts back over the holidays to Wed 30 Dec, r10 to Wed 23 Dec 2026);
    //   Q1 2027: Wed 31 Mar → 1, 2, 5, 6, 7 Apr → Wed 7 Apr;
    //   Q2 2027: Wed 30 June → 1, 2, 5, 6, 7 July → Wed 7 July;
    //   Q3 2027: Thu 30 Sep → 1, 4, 5, 6, 7 Oct → Thu 7 Oct (the last period: `until` is 30 Sep).
    // A recurring period gets one reminder, 5 working days before its due date
    // (recurringReminderWorkingDaysBefore [5]): 30 Dec 2026 (counting back over the holidays), 31 Mar,
    // 30 June, 30 Sep. Each report comes on its due day.
    const periods = [
      ['2026-12-30', '2027-01-15'],
      ['2027-03-31', '2027-04-07'],
      ['2027-06-30', '2027-07-07'],
      ['2027-09-30', '2027-10-07'],
    ];
    expect(await auditLines(tdb.db, itemId)).toEqual(
      periods.flatMap(([r5, due], i) => [
        `${r5} 09:00 chase.reminder r5`,
        `${due} 12:00 submitted`,
        `${due} 15:00 ${i < 3 ? 'period_closed' : 'accepted'}`,
      ]),
    );
    expect(
      await tdb.db
        .selectFrom('item_period')
        .select(['period_key', 'due', 'review_rounds'])
        .where('control_item_id', '=', itemId)
        .orderBy('period_key')
        .execute(),
    ).toEqual([
      { period_key: '2026-Q4', due: '2027-01-15', review_rounds: 0 },
      { period_key: '2027-Q1', due: '2027-04-07', review_rounds: 0 },
      { period_key: '2027-Q2', due: '2027-07-07', review_rounds: 0 },
      { period_key: '2027-Q3', due: '2027-10-07', review_rounds: 0 },
    ]);
    expect(await itemRow(tdb.db, itemId)).toMatchObject({
      status: 'done',
      period_key: '2027-Q3',
      original_due: '2027-10-07',
      current_due: '2027-10-07',
    });
    // Four runs of one workflow id: each period's run starts with that period and hands over to the next.
    expect(runs).toHaveLength(4);
    const startState = (r: (typeof runs)[number]) =>
      r.history.events[0]!.workflowExecutionStartedEventAttributes.input.payloads[0].data as string;
    const periodOf = (r: (typeof runs)[number]) =>
      (
        JSON.parse(Buffer.from(startState(r), 'base64').toString()) as {
          state: { recurrence: { periodKey: string } };
        }
      ).state.recurrence.periodKey;
    expect(runs.map(periodOf)).toEqual(['2026-Q4', '2027-Q1', '2027-Q2', '2027-Q3']);
    expect(runs.map((r) => r.history.events.at(-1)!.eventType)).toEqual([
      'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
      'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
      'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
      'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
    ]);
    expect(workflowId).toMatch(/control-item-\d+$/);
    // Each run is small: one period's worth of history.
    for (const r of runs) expect(r.history.events.length).toBeLessThan(100);
    expect(await auditLines(tdb.db, itemId, isChase)).toHaveLength(4);
  });
});
