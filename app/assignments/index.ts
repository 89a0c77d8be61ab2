// Work inside an agency: the head's assignments (подчинённое поручение) and their workflows.
export {
  assignItem,
  ensureAssignmentWorkflows,
  settleItemAssignments,
  type AssignDeps,
  type AssignFields,
  type AssignInput,
} from './assign.ts';
export { assignmentPolicyOf } from './workflow.ts';
