export {
  caseStateById,
  caseStateOf,
  createFeedbackActivities,
  enqueueCaseOpened,
  type FeedbackActivityDeps,
} from './cases.ts';
export type * from './types.ts';
