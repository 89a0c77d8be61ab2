import { isTemporalUnavailable } from '../app/temporal.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';

/**
 * A dependency is down or restarting (Postgres, Temporal): the error boundaries answer 503 with
 * Retry-After instead of an internal error (docs/decisions.md §36).
 */
export const isDependencyUnavailable = (e: unknown) => isDatabaseUnavailable(e) || isTemporalUnavailable(e);
