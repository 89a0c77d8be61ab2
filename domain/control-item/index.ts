export * from './types.ts';
export * from './policy.ts';
export * from './recurrence.ts';
export { decide, type Command, type DecideContext, type Decision } from './transitions.ts';
export { availableActions, type ItemAction } from './permissions.ts';
export * from './lateness.ts';
export { restoreControlDate, type AuditEvent, type ControlDateRestore } from './control-date-history.ts';
export { authorizedActions } from './authority.ts';
