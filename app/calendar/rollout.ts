import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { Db } from '../../db/index.ts';
import { calendarFrom, type WorkingCalendar } from '../../domain/calendar/index.ts';
import {
  CALENDAR_ROLLOUT_WORKFLOW,
  calendarChangedSignal,
  calendarRolloutWorkflowId,
  type CalendarRolloutInput,
} from '../../workflows/calendar-definitions.ts';
import { controlItemWorkflowId } from '../../workflows/definitions.ts';
import type { TemporalHandle } from '../temporal.ts';
import { calendarVersion, workflowCalendar } from './calendar.ts';

// How a calendar change reaches the item workflows: a `calendarRollout` workflow per version runs one
// heartbeating activity that signals every open item's workflow with the current calendar (a newer
// version than the one asked for is fine: a workflow installs only versions newer than its own). Items
// started meanwhile either get the new calendar at start (startControl reads it) or are signalled by the
// second pass, which retries the workflows not found on the first (started between the two).

/**
 * Starts the rollout of `version`: once per version, ever (a rollout running or done is left alone), so
 * the worker can call it at every start for the current version — a web process that saved a year but
 * could not reach Temporal is caught up then.
 */
export async function startCalendarRollout(t: TemporalHandle, version: number) {
  if (version === 0) return;
  const input: CalendarRolloutInput = { version, workflowIdPrefix: t.workflowIdPrefix ?? '' };
  try {
    await t.client.workflow.start(CALENDAR_ROLLOUT_WORKFLOW, {
      taskQueue: t.taskQueue,
      workflowId: calendarRolloutWorkflowId(version, t.workflowIdPrefix),
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
}

/** The rollout of the stored version, if it never ran (the worker's start-up reconciliation). */
export async function ensureCalendarRollout(deps: { db: Db; temporal: TemporalHandle }) {
  await startCalendarRollout(deps.temporal, await calendarVersion(deps.db));
}

const CHUNK = 200;
const CONCURRENCY = 16;

/** Signals each of these items' workflows; returns the ids whose workflow was not found. */
export async function signalItems(
  t: TemporalHandle,
  itemIds: number[],
  calendar: WorkingCalendar,
  prefix = t.workflowIdPrefix ?? '',
): Promise<number[]> {
  const missing: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < itemIds.length) {
      const id = itemIds[next++]!;
      try {
        await t.client.workflow
          .getHandle(controlItemWorkflowId(id, prefix))
          .signal(calendarChangedSignal, calendar);
      } catch (e) {
        // Closed or not (yet) running: nothing to re-plan now.
        if (e instanceof WorkflowNotFoundError) missing.push(id);
        else throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, itemIds.length) }, lane));
  return missing;
}

const openItemsAfter = (db: Db, after: number, ids?: number[]) =>
  db
    .selectFrom('control_item')
    .select('id')
    .where('status', 'not in', ['done', 'cancelled'])
    .where('id', '>', after)
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids!.length ? ids! : [-1]))
    .orderBy('id')
    .limit(CHUNK)
    .execute();

export interface RolloutProgress {
  /** The last item id signalled (a retried attempt resumes after it). */
  lastId: number;
  signalled: number;
  missing: number[];
}

/**
 * The rollout's work (run by the activity): every open item's workflow gets the current calendar, in
 * chunks, reporting progress after each; then, after `retryAfterMs`, the items whose workflow was not
 * found and are still open are signalled once more.
 */
export async function rollOutCalendar(
  deps: { db: Db; temporal: TemporalHandle },
  o: {
    workflowIdPrefix: string;
    resume?: RolloutProgress | undefined;
    heartbeat?: (p: RolloutProgress) => void;
    retryAfterMs?: number;
  },
): Promise<{ version: number; signalled: number; missing: number }> {
  const calendar = await workflowCalendar(deps.db);
  const progress: RolloutProgress = o.resume ?? { lastId: 0, signalled: 0, missing: [] };
  for (;;) {
    const rows = await openItemsAfter(deps.db, progress.lastId);
    if (rows.length === 0) break;
    const ids = rows.map((r) => r.id);
    progress.missing.push(...(await signalItems(deps.temporal, ids, calendar, o.workflowIdPrefix)));
    progress.signalled += ids.length;
    progress.lastId = ids.at(-1)!;
    o.heartbeat?.(progress);
  }
  let missing = progress.missing;
  if (missing.length) {
    await new Promise((r) => setTimeout(r, o.retryAfterMs ?? 20_000));
    const still = (await openItemsAfter(deps.db, 0, missing.slice(0, 10_000))).map((r) => r.id);
    missing = await signalItems(deps.temporal, still, await workflowCalendar(deps.db), o.workflowIdPrefix);
  }
  return { version: calendar.version, signalled: progress.signalled, missing: missing.length };
}

/**
 * After starting item workflows with `started` calendar version: when the calendar changed meanwhile, a
 * rollout may have missed them (their workflows did not exist yet), so they are told here.
 */
export async function catchUpCalendar(
  deps: { db: Db; temporal: TemporalHandle },
  startedWith: number,
  itemIds: number[],
) {
  if (itemIds.length === 0 || (await calendarVersion(deps.db)) === startedWith) return;
  await signalItems(
    deps.temporal,
    itemIds,
    calendarFrom(await workflowCalendar(deps.db), new Date().getUTCFullYear()),
  );
}
