export * from './types.ts';
export * from './policy.ts';
export * from './recurrence.ts';
export { decide, type Command, type DecideContext, type Decision } from './transitions.ts';
export { availableActions, type ItemAction } from './permissions.ts';
export { authorizedActions } from './authority.ts';
