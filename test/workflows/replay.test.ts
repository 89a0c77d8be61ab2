import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { historyFromJson, type JsonHistory } from '../support/histories.ts';
import { workflowBundle } from '../support/temporal.ts';

// Every history recorded by scripts/record-histories.ts (old labels included) must replay against the
// current workflow bundle: a change that alters the commands of running workflows without patched()
// fails here before it reaches a worker in production.
const DIR = path.resolve(import.meta.dirname, '../fixtures/histories');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (f: string) => JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as JsonHistory;

async function replay(histories: { workflowId: string; history: JsonHistory }[]) {
  const failures: string[] = [];
  const results = Worker.runReplayHistories(
    { workflowBundle: workflowBundle() },
    histories.map((h) => ({ workflowId: h.workflowId, history: historyFromJson(h.history) })),
  );
  for await (const r of results) {
    if (r.error) failures.push(`${r.workflowId}: ${r.error.name}: ${r.error.message.split('\n')[0]}`);
  }
  return failures;
}

describe('replay of recorded histories', () => {
  it('replays every recorded history against the current workflow code', async () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    const failures = await replay(files.map((f) => ({ workflowId: f, history: load(f) })));
    expect(failures).toEqual([]);
  });

  it('notices nondeterminism (a history whose commands the code would not issue)', async () => {
    // The same history with one chase turned into a transition: the code schedules recordChase there.
    const history = load(files.find((f) => f.endsWith('two-rework-rounds.json'))!);
    const chase = history.events.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordChase',
    )!;
    chase.activityTaskScheduledEventAttributes.activityType.name = 'persistTransition';
    const failures = await replay([{ workflowId: 'tampered', history }]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^tampered: DeterminismViolationError/);
  });
});
