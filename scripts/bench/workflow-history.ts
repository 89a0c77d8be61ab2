// Workflow history per item-year on the time-skipping server (TEMPORAL_TEST_SERVER_PATH, a JDK): the
// year-long scenarios of test/support/control-item-scenarios.ts run against the real workflow and
// activities, and every run's history is counted as Temporal Cloud bills it (test/support/histories.ts).
// The same scenarios back test/workflows/history-budget.test.ts; here they are a figure, not a pass/fail.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.ts';
import type { Db } from '../../db/index.ts';
import { createCast, local } from '../../test/support/control-item-fixtures.ts';
import {
  ladderThenCancel,
  oneYearTwoReturns,
  onTimeTwoReturns,
  quarterlyYear,
  twoReworkRounds,
  type Scenario,
} from '../../test/support/control-item-scenarios.ts';
import {
  countActions,
  countRunActions,
  fetchRunHistories,
  historyToJson,
} from '../../test/support/histories.ts';
import { createPinnedTimeSkippingEnv } from '../../test/support/time-skipping.ts';
import { bundleWorkflows } from '../lib/worker.ts';
import { benchDatabase } from './env.ts';
import type { Bench, BenchResult } from './harness.ts';

const YEAR_MS = 365 * 86_400_000;

/**
 * goal: the budget of the whole item-year, or per run (a recurring report's period is one run). Late items
 * have none: their ladder is what lateness costs (the control date does not move, docs/decisions.md §31).
 */
const SCENARIOS: { label: string; scenario: Scenario; goal?: { max: number; per: 'item' | 'period' } }[] = [
  {
    // Assigned a year before the deadline, reported early, returned twice before it, accepted on time.
    label: 'on time: 1 year, 2 returns',
    scenario: onTimeTwoReturns,
    goal: { max: 30, per: 'item' },
  },
  {
    label: 'quarterly reports for a year, on time',
    scenario: quarterlyYear,
    goal: { max: 10, per: 'period' },
  },
  {
    // The same returns across the control date: the ladder runs on against it.
    label: 'late: 1 year, 2 returns across the control date',
    scenario: { ...twoReworkRounds, name: 'one-year-late', startAt: local('2026-05-12', '10:00') },
  },
  { label: 'late, every reminder: 1 year, 2 returns', scenario: oneYearTwoReturns },
  {
    label: 'never reported: full overdue ladder, cancelled',
    scenario: ladderThenCancel,
    goal: { max: 30, per: 'item' },
  },
];

async function withEnv<T>(
  startAt: number,
  bundle: { code: string },
  db: Db,
  fn: (
    env: Awaited<ReturnType<typeof createPinnedTimeSkippingEnv>>,
    worker: Worker,
    taskQueue: string,
  ) => Promise<T>,
) {
  const env = await createPinnedTimeSkippingEnv(startAt);
  try {
    const taskQueue = `bench-history-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: createActivities({ db, publicUrl: 'https://shtab.example.ru' }),
    });
    return await fn(env, worker, taskQueue);
  } finally {
    await env.teardown();
  }
}

/** controlItem events and billable actions per simulated item-year vs the no-op workflow's. */
export const workflowHistoryBench: Bench = {
  name: 'workflow-history',
  description: 'history events and actions per item-year (time-skipping server)',
  async run(ctx) {
    if (!process.env.TEMPORAL_TEST_SERVER_PATH) throw new Error('set TEMPORAL_TEST_SERVER_PATH');
    const [database, bundle] = await Promise.all([benchDatabase('history'), bundleWorkflows()]);
    try {
      const { db } = database;
      // Baseline: a no-op workflow left open for the same simulated year (no timers, nothing to do).
      const noop = await withEnv(local('2026-05-12', '10:00'), bundle, db, (env, worker, taskQueue) =>
        worker.runUntil(async () => {
          const h = await env.client.workflow.start('benchNoop', {
            taskQueue,
            workflowId: `noop-${taskQueue}`,
          });
          await env.sleep(YEAR_MS);
          return countActions(historyToJson(await h.fetchHistory()));
        }),
      );
      ctx.log(`no-op workflow, 1 year open: ${noop.events} events, ${noop.actions} actions`);

      const results: BenchResult[] = [];
      const scenarios = ctx.quick ? SCENARIOS.slice(0, 2) : SCENARIOS;
      for (const { label, scenario, goal } of scenarios) {
        const m = await withEnv(scenario.startAt, bundle, db, async (env, worker, taskQueue) => {
          const cast = await createCast(db);
          const r = await worker.runUntil(
            scenario.run({ env, db, cast, temporal: { client: env.client, taskQueue } }),
          );
          const runs = await fetchRunHistories(env.client, r.workflowId, r.firstRunId);
          const events = runs.flatMap((x) => x.history.events);
          const span = Date.parse(eventTime(events.at(-1)!)) - Date.parse(eventTime(events[0]!));
          return { count: countRunActions(runs.map((x) => x.history)), runs: runs.length, span };
        });
        // Each scenario is one item's life of about a year (371–378 days; the never-reported one is
        // cancelled after 78): its counts are the item-year, not scaled.
        const days = Math.round(m.span / 86_400_000);
        const b = m.count.by;
        ctx.log(
          `${label}: ${m.runs} run(s) over ${days} days, ${m.count.events} events, ` +
            `${m.count.actions} actions (start ${b.start}, timers ${b.timers}, activities ${b.activities}, ` +
            `retries ${b.retries}, updates ${b.updates})`,
        );
        const { events, actions } = m.count;
        const perPeriod = goal?.per === 'period';
        const value = perPeriod ? actions / m.runs : actions;
        results.push(
          {
            bench: 'workflow-history',
            metric: `${label} (${days} d): actions${perPeriod ? ' per period' : ''}`,
            value,
            unit: 'actions',
            baseline: { metric: 'no-op workflow actions', value: noop.actions },
            ratio: value / noop.actions,
            ...(goal
              ? { goal: `≤ ${goal.max} actions${perPeriod ? ' per period' : ''}`, pass: value <= goal.max }
              : {}),
          },
          {
            bench: 'workflow-history',
            metric: `${label} (${days} d): events`,
            value: events,
            unit: 'events',
            baseline: { metric: 'no-op workflow events', value: noop.events },
            ratio: events / noop.events,
          },
        );
      }
      return results;
    } finally {
      await database.drop();
    }
  },
};

function eventTime(e: Record<string, any>): string {
  const t = e.eventTime as { seconds: string; nanos?: number };
  return new Date(Number(t.seconds) * 1000).toISOString();
}
