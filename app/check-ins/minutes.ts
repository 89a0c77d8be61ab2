// The weekly check-in workflow's client side: its minutes Update and its state.
import { WorkflowNotFoundError } from '@temporalio/common';
import { ShtabError } from '../../domain/errors.ts';
import {
  checkInStateQuery,
  recordMinutesUpdate,
  type MinutesResult,
  type RecordMinutesArgs,
} from '../../workflows/check-in-definitions.ts';
import { shtabErrorOfUpdate, type TemporalHandle } from '../temporal.ts';

/**
 * Hands the minutes to the check-in's workflow, which validates them, stores them and starts the
 * instructions' workflows. Rule violations come back as the ShtabError the domain raised.
 */
export async function recordCheckInMinutes(
  t: TemporalHandle,
  workflowId: string,
  args: RecordMinutesArgs,
): Promise<MinutesResult> {
  try {
    // The action's event id is the Update id: a double-submitted form joins the first Update.
    return await t.client.workflow
      .getHandle(workflowId)
      .executeUpdate(recordMinutesUpdate, { args: [args], updateId: args.eventId });
  } catch (e) {
    const domain = shtabErrorOfUpdate(e);
    if (domain) throw domain;
    if (e instanceof WorkflowNotFoundError) {
      throw new ShtabError('conflict', 'the check-in workflow is not running', {
        key: 'error.checkIn.notRunning',
      });
    }
    throw e;
  }
}

export async function checkInRunState(t: TemporalHandle, workflowId: string) {
  return t.client.workflow.getHandle(workflowId).query(checkInStateQuery);
}
