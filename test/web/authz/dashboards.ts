import type { RouteCase } from './types.ts';

// Dashboards and reference pages are read-only and open to every signed-in role (docs/decisions.md §6).
const page = (pattern: string, path: RouteCase['path'] = () => pattern): RouteCase => ({
  method: 'GET',
  pattern,
  path,
  expect: { anonymous: 303 },
  otherwise: 200,
});

export const DASHBOARD_ROUTES: RouteCase[] = [
  page('/life-situations'),
  page('/life-situations/:id', (f) => `/life-situations/${f.lifeSituationId}`),
  page('/agencies'),
  page('/agencies/:id', (f) => `/agencies/${f.otherAgencyId}`),
];
