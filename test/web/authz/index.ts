import { CHECK_IN_FIXTURE, CHECK_IN_ROUTES } from './checkin.ts';
import { CORE_ROUTES } from './core.ts';
import { ITEM_ROUTES } from './items.ts';
import type { FixtureHook, RouteCase } from './types.ts';

// Each feature declares its routes' expectations in its own module and adds it here.
export const ROUTE_CASES: RouteCase[] = [...CORE_ROUTES, ...ITEM_ROUTES, ...CHECK_IN_ROUTES];

// Features whose routes need their own rows (a check-in, a report…) create them here.
export const FIXTURE_HOOKS: FixtureHook[] = [CHECK_IN_FIXTURE];
