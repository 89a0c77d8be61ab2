export { createFeedbackActivities, type FeedbackActivityDeps } from './cases.ts';
export type * from './types.ts';
