import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLines, createCast, isChase, local } from '../support/control-item-fixtures.ts';
import { oneYearTwoReturns, twoReworkRounds, type Scenario } from '../support/control-item-scenarios.ts';
import { countRunActions, fetchRunHistories, type ActionCount } from '../support/histories.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { createTestWorker } from '../support/temporal.ts';
import { createPinnedTimeSkippingEnv } from '../support/time-skipping.ts';

// The workflow history budget of one controlled item: assigned a year before its deadline (12 May 2026 →
// 11 May 2027), returned for rework twice, accepted. What counts as an action is defined in
// test/support/histories.ts countActions (Temporal Cloud's list). The numbers go to docs/decisions.md.
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

async function measure(scenario: Scenario) {
  const env = await createPinnedTimeSkippingEnv(scenario.startAt);
  try {
    const taskQueue = `budget-${randomUUID()}`;
    const worker = await createTestWorker({
      connection: env.nativeConnection,
      taskQueue,
      deps: { db: tdb.db, publicUrl: 'https://shtab.example.ru' },
    });
    const cast = await createCast(tdb.db);
    const wall = Date.now();
    const r = await worker.runUntil(
      scenario.run({ env, db: tdb.db, cast, temporal: { client: env.client, taskQueue } }),
    );
    const ms = Date.now() - wall;
    const runs = await fetchRunHistories(env.client, r.workflowId, r.firstRunId);
    const count = countRunActions(runs.map((x) => x.history));
    const chases = (await auditLines(tdb.db, r.itemId, isChase)).length;
    return { count, chases, runs: runs.length, ms };
  } finally {
    await env.teardown();
  }
}

const line = (name: string, m: { count: ActionCount; chases: number; ms: number }) =>
  `${name}: ${m.count.events} events, ${m.count.actions} actions ` +
  `(start ${m.count.by.start}, timers ${m.count.by.timers}, activities ${m.count.by.activities}, ` +
  `retries ${m.count.by.retries}, updates ${m.count.by.updates}; patch markers ${m.count.patchMarkers}), ` +
  `${m.chases} chases, ${m.ms} ms`;

describe('workflow history budget', () => {
  it('a one-year item with two rework rounds stays within 30 actions', async () => {
    // The report comes in after the r5 reminder (6 May 2027), after r1 of the first rework and after
    // r0 of the second (the twoReworkRounds timeline, assigned a year earlier).
    const typical = await measure({
      ...twoReworkRounds,
      name: 'one-year-typical',
      startAt: local('2026-05-12', '10:00'),
    });
    // Every reminder of every round goes out and each report comes on its due day after "due today".
    const worst = await measure(oneYearTwoReturns);
    console.log(`[history-budget] ${line('typical', typical)}`);
    console.log(`[history-budget] ${line('every reminder', worst)}`);

    // 1 start + 6 Updates (3 submissions, 2 returns, 1 acceptance), each with its persisting activity,
    // + per chase a timer and an activity, + one timer per round cancelled by the report.
    // Typical: 4 chases (r10, r5 | r1 | r1) and 3 cancelled timers → 1 + 12 + 8 + 3 = 24.
    expect(typical.chases).toBe(4);
    expect(typical.count.by).toEqual({
      start: 1,
      timers: 7,
      activities: 10,
      retries: 0,
      updates: 6,
      localActivities: 0,
    });
    expect(typical.count.actions).toBe(24);
    expect(typical.count.actions).toBeLessThanOrEqual(30);

    // The ceiling: 6 chases (r10, r5, r1, r0 | r1 | r1: one reminder per rework round) → 1 + 12 + 12 + 3
    // = 28. With the full reminder set in rework rounds it was 32; before the replan rule, 34.
    expect(worst.chases).toBe(6);
    expect(worst.count.actions).toBe(28);
    expect(worst.count.actions).toBeLessThanOrEqual(30);
    // One patch marker per run that has a return (not billed).
    expect(worst.count.patchMarkers).toBe(1);
  });
});
