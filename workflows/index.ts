// The workflow bundle's entry: every workflow type the worker runs.
export { controlItem } from './control-item.ts';
export { roadmapImport } from './import-job.ts';
export { serviceImprovement } from './service-improvement.ts';
export { benchNoop } from './bench-noop.ts';
export { weeklyCheckIn } from './weekly-check-in.ts';
export { feedbackCase } from './feedback-case.ts';
export { chaseOverdueChecks } from './check-chase.ts';
export { calendarRollout } from './calendar-rollout.ts';
export { notificationDigest } from './notification-digest.ts';
export { internalAssignment } from './assignment.ts';
export { feedbackRematch } from './feedback-rematch.ts';
