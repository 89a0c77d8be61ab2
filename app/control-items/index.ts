// Controlled items: the one action pipeline (runItemCommand) and the one way an item comes under control
// (putUnderControl: row, audit event, workflow with its roadmap's policy), reconciliation included.
export { startControlItem, updateItem } from './workflow.ts';
export { ensureItemWorkflows } from './reconcile.ts';
export {
  runItemCommand,
  type DeferredCommand,
  type ItemCommand,
  type ItemCommandResult,
  type RunItemCommand,
} from './run-command.ts';
