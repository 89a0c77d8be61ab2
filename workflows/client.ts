// Caller-side helpers (web, scripts, tests). Not part of the workflow bundle: index.ts does not import it.
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import type { ChasePolicy, ItemState, ReopenArgs } from '../domain/control-item/index.ts';
import { ShtabError, type ErrorCode, type ErrorDetail } from '../domain/errors.ts';
import type { controlItem } from './control-item.ts';
import type { roadmapImport } from './import-job.ts';
import {
  CONTROL_ITEM_WORKFLOW,
  controlItemWorkflowId,
  importJobWorkflowId,
  reopenUpdate,
  ROADMAP_IMPORT_WORKFLOW,
} from './definitions.ts';

export interface TemporalHandle {
  client: Client;
  taskQueue: string;
  /** Prepended to workflow ids (TEMPORAL_WORKFLOW_ID_PREFIX); empty by default. */
  workflowIdPrefix?: string;
  /**
   * The client shares the NativeConnection of a worker that polls `taskQueue` (createShtabWorker sets it
   * for the activities): new workflows are started eagerly, their first task handed to that worker in the
   * start response instead of going through the task queue. Needs a NativeConnection, else the SDK throws.
   */
  eagerStart?: boolean;
}

/** Starts the item's workflow; harmless when it already runs (same id → the running one is kept). */
export async function startControlItem(t: TemporalHandle, state: ItemState, policy: ChasePolicy) {
  return t.client.workflow.start<typeof controlItem>(CONTROL_ITEM_WORKFLOW, {
    taskQueue: t.taskQueue,
    workflowId: controlItemWorkflowId(state.itemId, t.workflowIdPrefix),
    args: [{ state, policy }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    ...(t.eagerStart ? { requestEagerStart: true } : {}),
  });
}

/** Runs an import job in the background (one workflow per job; starting it twice is harmless). */
export async function startImportJob(t: TemporalHandle, jobId: number) {
  return t.client.workflow.start<typeof roadmapImport>(ROADMAP_IMPORT_WORKFLOW, {
    taskQueue: t.taskQueue,
    workflowId: importJobWorkflowId(jobId, t.workflowIdPrefix),
    args: [{ jobId }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

const KNOWN_CODES: ErrorCode[] = ['validation', 'forbidden', 'not_found', 'conflict', 'unavailable'];

/** The ShtabError a workflow's Update validator or handler raised, rebuilt on the caller's side. */
export function shtabErrorOfUpdate(e: unknown): ShtabError | null {
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
    const code = e.cause.type as ErrorCode;
    if (KNOWN_CODES.includes(code)) {
      const detail = (e.cause.details?.[0] ?? { key: 'err.generic' }) as ErrorDetail;
      return new ShtabError(code, e.cause.message, detail);
    }
  }
  return null;
}

/**
 * Runs an Update on an item's workflow and returns the new state. A rejection by the validator or handler
 * comes back as the same ShtabError the domain raised, so the web maps it like any other.
 */
export async function updateItem<A extends { eventId: string }>(
  t: TemporalHandle,
  itemId: number,
  def: UpdateDefinition<ItemState, [A]>,
  args: A,
): Promise<ItemState> {
  const handle = t.client.workflow.getHandle(controlItemWorkflowId(itemId, t.workflowIdPrefix));
  try {
    // The action's event id is the Update id: a double-clicked form joins the first Update and gets its
    // result instead of a "not in this status" rejection.
    return await handle.executeUpdate(def, { args: [args], updateId: args.eventId });
  } catch (e) {
    const domain = shtabErrorOfUpdate(e);
    if (domain) throw domain;
    if (e instanceof WorkflowNotFoundError) {
      // The SDK says "not found" both for a completed workflow (the item was accepted or cancelled: the
      // usual case, e.g. a stale form) and for a missing one (lost, not yet re-created).
      const closed = await handle.describe().then(
        (d) => d.status.name !== 'RUNNING',
        () => false,
      );
      if (closed) {
        throw new ShtabError(
          'conflict',
          'the item is closed (accepted or cancelled); nothing can change it',
          {
            key: 'err.item.closed',
          },
        );
      }
      throw new ShtabError('conflict', 'the item is not under control (its workflow is not running)', {
        key: 'err.item.notRunning',
      });
    }
    throw e;
  }
}

/**
 * «Вернуть на контроль»: the reopen Update, with start. Within the reopen window the accepted item's
 * workflow is still running and takes the Update (USE_EXISTING); after it the workflow has completed, and
 * the same workflow id starts again from the row (`state`, status done), which the Update then reopens
 * (the default reuse policy allows a new run once the previous one is closed).
 */
export async function reopenItem(
  t: TemporalHandle,
  state: ItemState,
  policy: ChasePolicy,
  args: ReopenArgs,
): Promise<ItemState> {
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof controlItem>(CONTROL_ITEM_WORKFLOW, {
    taskQueue: t.taskQueue,
    workflowId: controlItemWorkflowId(state.itemId, t.workflowIdPrefix),
    args: [{ state, policy }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  try {
    return await t.client.workflow.executeUpdateWithStart(reopenUpdate, {
      args: [args],
      updateId: args.eventId,
      startWorkflowOperation,
    });
  } catch (e) {
    const domain = shtabErrorOfUpdate(e);
    if (domain) throw domain;
    throw e;
  }
}
