import { createCheckInActivities } from './check-in/index.ts';
import { createControlItemActivities, type ControlItemActivityDeps } from './control-item/index.ts';
import { createImportActivities, type ImportActivityDeps } from './imports/index.ts';
import { createFeedbackActivities } from './feedback/index.ts';
import { createServiceActivities } from './services/index.ts';

export type ActivityDeps = ControlItemActivityDeps & Partial<Omit<ImportActivityDeps, 'db'>>;

/** Every activity the worker registers, built from its dependencies (no module-level IO). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createControlItemActivities(deps),
    ...createImportActivities(deps),
    ...createServiceActivities(deps),
    ...createCheckInActivities(deps),
    ...createFeedbackActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
