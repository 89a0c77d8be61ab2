import { createDigestActivities } from './digest.ts';
import { createMinutesActivities } from './minutes.ts';
import { createOpenActivities } from './open.ts';
import { createRequestActivities } from './requests.ts';
import type { CheckInActivityDeps } from './shared.ts';
import type { CheckInActivities } from './types.ts';

export type { CheckInActivityDeps } from './shared.ts';
export type * from './types.ts';
export { composeDigest } from '../../db/read-models/index.ts';

export function createCheckInActivities(deps: CheckInActivityDeps): CheckInActivities {
  return {
    ...createOpenActivities(deps),
    ...createRequestActivities(deps),
    ...createDigestActivities(deps),
    ...createMinutesActivities(deps),
  };
}
