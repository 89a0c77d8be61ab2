import { createCheckInActivities } from './check-in/index.ts';
import { createControlItemActivities, type ControlItemActivityDeps } from './control-item/index.ts';
import { createServiceActivities } from './services/index.ts';

export type ActivityDeps = ControlItemActivityDeps;

/** Every activity the worker registers, built from its dependencies (no module-level IO). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createControlItemActivities(deps),
    ...createServiceActivities(deps),
    ...createCheckInActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
