// Message definitions shared by the workflow and its callers (web, scripts, tests).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ChaseStep } from '../domain/control-item/policy.ts';
import type {
  CancelArgs,
  ChangeDeadlineArgs,
  DecideExtensionArgs,
  ItemState,
  ReassignArgs,
  ReopenArgs,
  RequestExtensionArgs,
  RestoreControlDateArgs,
  ReviewArgs,
  SignOffArgs,
  StartWorkArgs,
  SubmitArgs,
  WithdrawArgs,
} from '../domain/control-item/types.ts';

export const CONTROL_ITEM_WORKFLOW = 'controlItem';
/**
 * Workflow ids are unique per namespace, item ids per database: the prefix keeps several databases (regions,
 * test runs) apart when they share one Temporal namespace.
 */
export const controlItemWorkflowId = (itemId: number, prefix = '') => `${prefix}control-item-${itemId}`;

export const ROADMAP_IMPORT_WORKFLOW = 'roadmapImport';
export const importJobWorkflowId = (jobId: number, prefix = '') => `${prefix}import-job-${jobId}`;

export const startWorkUpdate = defineUpdate<ItemState, [StartWorkArgs]>('startWork');
export const submitUpdate = defineUpdate<ItemState, [SubmitArgs]>('submit');
export const reviewUpdate = defineUpdate<ItemState, [ReviewArgs]>('review');
export const requestExtensionUpdate = defineUpdate<ItemState, [RequestExtensionArgs]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<ItemState, [DecideExtensionArgs]>('decideExtension');
export const reassignUpdate = defineUpdate<ItemState, [ReassignArgs]>('reassign');
export const cancelUpdate = defineUpdate<ItemState, [CancelArgs]>('cancel');
export const changeDeadlineUpdate = defineUpdate<ItemState, [ChangeDeadlineArgs]>('changeDeadline');
export const reopenUpdate = defineUpdate<ItemState, [ReopenArgs]>('reopen');
export const restoreControlDateUpdate = defineUpdate<ItemState, [RestoreControlDateArgs]>(
  'restoreControlDate',
);

/** The agency head signs an executor's report off or returns it (a roadmap's sign-off rule; issue 13). */
export const signOffUpdate = defineUpdate<ItemState, [SignOffArgs]>('signOff');
export const withdrawSubmissionUpdate = defineUpdate<ItemState, [WithdrawArgs]>('withdrawSubmission');
export const withdrawExtensionUpdate = defineUpdate<ItemState, [WithdrawArgs]>('withdrawExtension');

/** The daily notification digest (workflows/notification-digest.ts), started by its Schedule. */
export const NOTIFICATION_DIGEST_WORKFLOW = 'notificationDigest';
export interface NotificationDigestInput {
  /** The region's fixed UTC offset: the digest is for the region's calendar day. */
  utcOffsetMinutes: number;
}

export const stateQuery = defineQuery<ItemState>('state');
export const nextChaseQuery = defineQuery<ChaseStep | null>('nextChase');
