// Controlled items: the one action pipeline (runItemCommand) and the one way an item comes under control
// (recordNewItems + startControl, or putUnderControl for both: row, audit event, workflow with its
// roadmap's policy), reconciliation included. startControlItem / updateItem are the workflow's client
// for scripts and tests; edges call the use cases.
export { startControlItem, updateItem } from './workflow.ts';
export { controlItemWorkflowId } from '../../workflows/definitions.ts';
export { ensureItemWorkflows } from './reconcile.ts';
export { sendControlDateRestores } from './restore-control-dates.ts';
export {
  policiesOf,
  putUnderControl,
  roadmapPolicy,
  recordNewItems,
  startControl,
  type ControlDeps,
  type Creation,
  type NewItem,
} from './put-under-control.ts';
export {
  runItemCommand,
  type DeferredCommand,
  type ItemCommand,
  type ItemCommandResult,
  type RunItemCommand,
} from './run-command.ts';
export { acceptReports, remindExecutors, BULK_MAX, type BulkOutcome } from './bulk.ts';
export { setItemDirection } from './set-direction.ts';
