export { createServiceActivities, type ServiceActivityDeps } from './improvement.ts';
export type * from './types.ts';
