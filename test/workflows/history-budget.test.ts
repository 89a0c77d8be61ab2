import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLines, isChase, local } from '../support/control-item-fixtures.ts';
import {
  oneYearTwoReturns,
  onTimeTwoReturns,
  quarterlyYear,
  twoReworkRounds,
  type Scenario,
} from '../support/control-item-scenarios.ts';
import { countRunActions, fetchRunHistories, type ActionCount } from '../support/histories.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { onPinnedServer } from '../support/pinned-server.ts';

// The workflow history budget of one controlled item: assigned a year before its deadline (12 May 2026 →
// 11 May 2027), returned for rework twice, accepted; and of a recurring report, per period. What counts
// as an action is defined in test/support/histories.ts countActions (Temporal Cloud's list). The numbers
// go to docs/decisions.md §20 and docs/performance.md.
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

function measure(scenario: Scenario) {
  return onPinnedServer(tdb.db, scenario.startAt, async (ctx) => {
    const wall = Date.now();
    const r = await scenario.run(ctx);
    const ms = Date.now() - wall;
    const runs = await fetchRunHistories(ctx.env.client, r.workflowId, r.firstRunId);
    const count = countRunActions(runs.map((x) => x.history));
    const chases = await auditLines(tdb.db, r.itemId, isChase);
    return { count, chases, runs: runs.length, ms };
  });
}

const line = (name: string, m: { count: ActionCount; chases: string[]; ms: number }) =>
  `${name}: ${m.count.events} events, ${m.count.actions} actions ` +
  `(start ${m.count.by.start}, timers ${m.count.by.timers}, activities ${m.count.by.activities}, ` +
  `retries ${m.count.by.retries}, updates ${m.count.by.updates}; patch markers ${m.count.patchMarkers}), ` +
  `${m.chases.length} chases, ${m.ms} ms`;

describe('workflow history budget', () => {
  it('a one-year item with two rework rounds stays within 30 actions when on time', async () => {
    const onTime = await measure(onTimeTwoReturns);
    // The same returns across the control date: the ladder runs on against it (docs/decisions.md §31).
    const late = await measure({
      ...twoReworkRounds,
      name: 'one-year-late',
      startAt: local('2026-05-12', '10:00'),
    });
    // Every reminder of every round goes out and each report comes on its due day after "due today".
    const worst = await measure(oneYearTwoReturns);
    console.log(`[history-budget] ${line('on time', onTime)}`);
    console.log(`[history-budget] ${line('late', late)}`);
    console.log(`[history-budget] ${line('every reminder, late', worst)}`);

    // 1 start + 6 Updates (3 submissions, 2 returns, 1 acceptance), each with its persisting activity,
    // + per chase a timer and an activity, + one timer per wait an Update cut short, + the reopen window.
    // On time: r10 (23 Apr) and the second round's rework reminder (6 May); r5 (30 Apr) falls in the
    // first rework window, which reminds only the day before its due date (7 May, after the resubmission).
    // 1 + 12 + 2 × 2 + 3 cut-short waits + 1 reopen window = 21.
    expect(onTime.chases.map((l) => l.split(' ').at(-1))).toEqual(['r10', 'w2.1']);
    expect(onTime.count.by).toEqual({
      start: 1,
      timers: 6,
      activities: 8,
      retries: 0,
      updates: 6,
      localActivities: 0,
    });
    expect(onTime.count.actions).toBe(21);
    expect(onTime.count.actions).toBeLessThanOrEqual(30);

    // Late: r10, r5 | esc1, w1.1, esc2 | esc3, esc4, w2.1 — the ladder is what lateness costs.
    expect(late.chases.map((l) => l.split(' ').at(-1))).toEqual([
      'r10',
      'r5',
      'esc1',
      'w1.1',
      'esc2',
      'esc3',
      'esc4',
      'w2.1',
    ]);
    // 1 + 12 + 8 × 2 + 2 waits cut short + 1 reopen window = 32. Before the control date was fixed the
    // returns reset the ladder and this item cost 24, counted on time.
    expect(late.count.actions).toBe(32);
    // Every reminder (r10, r5, r1, r0), the ladder from the day after the first return, both rework
    // reminders: 1 + 12 + 10 × 2 + 2 + 1 = 36.
    expect(worst.count.actions).toBe(36);
    // Patch markers (not billed): one per patch id a run passes through.
    expect(worst.count.patchMarkers).toBe(onTime.count.patchMarkers);
  });

  it('a recurring report reported on time costs at most 10 actions per period', async () => {
    const q = await measure(quarterlyYear);
    console.log(`[history-budget] ${line('quarterly, 4 periods', q)}`);
    expect(q.runs).toBe(4);
    // Per period: start, the r5 reminder (timer + activity), the wait the report cuts short, submit and
    // accept (Update + activity each); the last period adds the reopen window's timer.
    // 4 × (1 + 2 + 1 + 4) = 32, + 1 = 33: 8.25 a period (14 before: four reminders each).
    expect(q.chases).toHaveLength(4);
    expect(q.count.by).toEqual({
      start: 4,
      timers: 9,
      activities: 12,
      retries: 0,
      updates: 8,
      localActivities: 0,
    });
    expect(q.count.actions).toBe(33);
    expect(q.count.actions / q.runs).toBeLessThanOrEqual(10);
  });
});
