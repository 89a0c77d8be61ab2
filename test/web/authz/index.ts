import { ACCOUNT_ROUTES, setupAccountFixture } from './accounts.ts';
import { API_ROUTES } from './api.ts';
import { CHECK_IN_ROUTES, setupCheckInFixture } from './check-in.ts';
import { CORE_ROUTES } from './core.ts';
import { DASHBOARD_ROUTES } from './dashboards.ts';
import { FEEDBACK_ROUTES, setupFeedbackFixture } from './feedback.ts';
import { IMPORT_ROUTES } from './imports.ts';
import { ITEM_ROUTES } from './items.ts';
import { SERVICE_ROUTES, setupServiceFixture } from './services.ts';
import type { FixtureSetup, RouteCase } from './types.ts';

// Each feature declares its routes' expectations in its own module and adds it here.
export const ROUTE_CASES: RouteCase[] = [
  ...CORE_ROUTES,
  ...ITEM_ROUTES,
  ...SERVICE_ROUTES,
  ...DASHBOARD_ROUTES,
  ...CHECK_IN_ROUTES,
  ...IMPORT_ROUTES,
  ...API_ROUTES,
  ...ACCOUNT_ROUTES,
  ...FEEDBACK_ROUTES,
];

/** Features' extra fixture rows, created once before the matrix runs. */
export const FIXTURE_SETUPS: FixtureSetup[] = [
  setupServiceFixture,
  setupCheckInFixture,
  setupAccountFixture,
  setupFeedbackFixture,
];
