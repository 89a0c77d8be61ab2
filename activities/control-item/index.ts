export { createControlItemActivities, type ControlItemActivityDeps } from './persist.ts';
export type * from './types.ts';
