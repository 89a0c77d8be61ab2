import type { Client } from '@temporalio/client';
// The SDK's own proto package (a dependency of @temporalio/client, same version). We use its generated
// classes directly: @temporalio/common's historyToJSON/historyFromJSON fail in this install with "type
// must be a Type", because common and proto each carry their own copy of protobufjs 8.
import proto from '@temporalio/proto';

const { History } = proto.temporal.api.history.v1;
export type ProtoHistory = proto.temporal.api.history.v1.IHistory;

/**
 * A history as JSON: protobufjs' object form with event types as names, 64-bit numbers as strings,
 * bytes as base64 and timestamps as { seconds, nanos }. This is how the replay fixtures are stored.
 */
export interface JsonHistory {
  events: ({ eventId: string; eventType: string } & Record<string, any>)[];
}

export function historyToJson(h: ProtoHistory): JsonHistory {
  return History.toObject(History.fromObject(h), {
    longs: String,
    enums: String,
    bytes: String,
  }) as JsonHistory;
}

/** The proto object Worker.runReplayHistories takes. */
export function historyFromJson(j: JsonHistory): ProtoHistory {
  return History.fromObject(j);
}

/** Every run of a workflow, first to last, following the continue-as-new chain. */
export async function fetchRunHistories(client: Client, workflowId: string, firstRunId: string) {
  const runs: { runId: string; history: JsonHistory }[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history = historyToJson(await client.workflow.getHandle(workflowId, runId).fetchHistory());
    runs.push({ runId, history });
    runId = history.events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return runs;
}

export interface ActionCount {
  events: number;
  actions: number;
  /** Actions by kind, for the report. */
  by: {
    start: number;
    timers: number;
    activities: number;
    retries: number;
    updates: number;
    localActivities: number;
  };
  /** patched() markers: recorded in the history, not billed (see countActions). */
  patchMarkers: number;
}

/**
 * Billable actions as Temporal Cloud counts them from a history (docs.temporal.io/cloud/actions):
 * - workflow started: 1 per run (a continue-as-new is billed as the next run's start, so the
 *   ContinuedAsNew event itself is not counted again);
 * - each TimerStarted, including the implicit timer of `condition(fn, timeout)` — also when the
 *   condition wins and the timer is cancelled;
 * - each ActivityTaskScheduled, plus every retry (attempt − 1 on ActivityTaskStarted);
 * - each accepted Update (WorkflowExecutionUpdateAccepted). Rejected Updates are billed too but never
 *   reach the history; the scenarios measured here send none;
 * - local-activity markers, 1 per workflow task that records any (we use no local activities).
 * Version markers of patched() are not in the list of billable actions and are reported separately.
 * Queries are billed but leave no trace; the web never queries item workflows.
 */
export function countActions(history: JsonHistory): ActionCount {
  const by = { start: 0, timers: 0, activities: 0, retries: 0, updates: 0, localActivities: 0 };
  let patchMarkers = 0;
  let markerTask: string | null = null;
  for (const e of history.events) {
    switch (e.eventType) {
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED':
        by.start++;
        break;
      case 'EVENT_TYPE_TIMER_STARTED':
        by.timers++;
        break;
      case 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED':
        by.activities++;
        break;
      case 'EVENT_TYPE_ACTIVITY_TASK_STARTED':
        by.retries += Math.max(0, Number(e.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED':
        by.updates++;
        break;
      case 'EVENT_TYPE_MARKER_RECORDED': {
        const a = e.markerRecordedEventAttributes;
        if (a?.markerName === 'core_patch') {
          patchMarkers++;
        } else {
          const task = String(a?.workflowTaskCompletedEventId ?? '');
          if (task !== markerTask) by.localActivities++;
          markerTask = task;
        }
        break;
      }
    }
  }
  const actions = Object.values(by).reduce((a, b) => a + b, 0);
  return { events: history.events.length, actions, by, patchMarkers };
}

/** Sum over the runs of one workflow. */
export function countRunActions(histories: JsonHistory[]): ActionCount {
  const total: ActionCount = {
    events: 0,
    actions: 0,
    by: { start: 0, timers: 0, activities: 0, retries: 0, updates: 0, localActivities: 0 },
    patchMarkers: 0,
  };
  for (const h of histories) {
    const c = countActions(h);
    total.events += c.events;
    total.actions += c.actions;
    total.patchMarkers += c.patchMarkers;
    for (const k of Object.keys(c.by) as (keyof ActionCount['by'])[]) total.by[k] += c.by[k];
  }
  return total;
}

/**
 * With RECORD_HISTORIES=<label> set, stores a finished run's history as a replay fixture
 * (test/fixtures/histories/<label>--<name>.json); otherwise does nothing. Record a new label whenever a
 * workflow's code changes and commit the files: test/workflows/replay.test.ts replays them all.
 */
export async function recordFixture(name: string, handle: { fetchHistory(): Promise<ProtoHistory> }) {
  const label = process.env.RECORD_HISTORIES;
  if (!label) return;
  const { writeFileSync } = await import('node:fs');
  const path = await import('node:path');
  const file = path.resolve(import.meta.dirname, '../fixtures/histories', `${label}--${name}.json`);
  writeFileSync(file, JSON.stringify(historyToJson(await handle.fetchHistory()), null, 1) + '\n');
}
