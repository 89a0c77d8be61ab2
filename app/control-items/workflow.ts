// The item workflow's client side: start it, send it an Update. Only app/ calls these; edges go through
// the use cases (run-command.ts, put-under-control.ts).
import { WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import type { ChasePolicy, Command, ItemState, ReopenArgs } from '../../domain/control-item/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import type { controlItem } from '../../workflows/control-item.ts';
import {
  cancelUpdate,
  changeDeadlineUpdate,
  CONTROL_ITEM_WORKFLOW,
  controlItemWorkflowId,
  decideExtensionUpdate,
  reassignUpdate,
  reopenUpdate,
  requestExtensionUpdate,
  restoreControlDateUpdate,
  signOffUpdate,
  reviewUpdate,
  startWorkUpdate,
  submitUpdate,
  withdrawExtensionUpdate,
  withdrawSubmissionUpdate,
} from '../../workflows/definitions.ts';
import { calendarFrom, installedCalendar, type WorkingCalendar } from '../../domain/calendar/index.ts';
import { shtabErrorOfUpdate, type TemporalHandle } from '../temporal.ts';

/**
 * The working-day calendar a new run starts with: the given one, else the one installed in this process
 * (kept in step with the database by app/calendar); nothing while no year was entered (version 0), so
 * such inputs are as before issue 15.
 */
function calendarOf(c?: WorkingCalendar): { calendar?: WorkingCalendar } {
  const cal = c ?? installedCalendar();
  return cal.version > 0 ? { calendar: calendarFrom(cal, new Date().getUTCFullYear()) } : {};
}

/** Starts the item's workflow; harmless when it already runs (same id → the running one is kept). */
export async function startControlItem(
  t: TemporalHandle,
  state: ItemState,
  policy: ChasePolicy,
  calendar?: WorkingCalendar,
) {
  return t.client.workflow.start<typeof controlItem>(CONTROL_ITEM_WORKFLOW, {
    taskQueue: t.taskQueue,
    workflowId: controlItemWorkflowId(state.itemId, t.workflowIdPrefix),
    args: [{ state, policy, ...calendarOf(calendar) }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    ...(t.eagerStart ? { requestEagerStart: true } : {}),
  });
}

/**
 * Runs an Update on an item's workflow and returns the new state. A rejection by the validator or handler
 * comes back as the same ShtabError the domain raised, so the edges map it like any other.
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
            key: 'error.item.closed',
          },
        );
      }
      throw new ShtabError('conflict', 'the item is not under control (its workflow is not running)', {
        key: 'error.item.notRunning',
      });
    }
    throw e;
  }
}

/** The Update that carries each lifecycle command. */
export const UPDATE_OF: Record<Command['type'], UpdateDefinition<ItemState, [never]>> = {
  start: startWorkUpdate as never,
  submit: submitUpdate as never,
  review: reviewUpdate as never,
  requestExtension: requestExtensionUpdate as never,
  decideExtension: decideExtensionUpdate as never,
  reassign: reassignUpdate as never,
  cancel: cancelUpdate as never,
  changeDeadline: changeDeadlineUpdate as never,
  reopen: reopenUpdate as never,
  restoreControlDate: restoreControlDateUpdate as never,
  signOff: signOffUpdate as never,
  withdrawSubmission: withdrawSubmissionUpdate as never,
  withdrawExtension: withdrawExtensionUpdate as never,
};

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
    args: [{ state, policy, ...calendarOf() }],
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
