import type { RouteCase } from './types.ts';

const PROJECT_OFFICE_ONLY = { admin: 200, working_group: 200, anonymous: 303 };

// Imports (working group and admin), XLSX exports (every signed-in role reads), API tokens (admin).
export const IMPORT_ROUTES: RouteCase[] = [
  { method: 'GET', pattern: '/imports', path: () => '/imports', expect: PROJECT_OFFICE_ONLY, otherwise: 403 },
  {
    method: 'POST',
    pattern: '/imports',
    path: () => '/imports',
    // No file: the allowed personas get the form back with the message (422), nothing is stored.
    form: { roadmap: 'new', newRoadmapTitle: '' },
    expect: { anonymous: 401, admin: 422, working_group: 422 },
    otherwise: 403,
  },
  {
    method: 'GET',
    pattern: '/imports/:id',
    path: () => '/imports/999999',
    expect: { anonymous: 303, admin: 404, working_group: 404 },
    otherwise: 403,
  },
  {
    method: 'GET',
    pattern: '/imports/:id/progress',
    // A plain request (not htmx) is sent to the whole page.
    path: () => '/imports/999999/progress',
    expect: { anonymous: 303, admin: 303, working_group: 303 },
    otherwise: 403,
  },
  {
    method: 'GET',
    pattern: '/exports/roadmap-status.xlsx',
    // Every signed-in role may read the roadmap (the matrix fixture has one).
    path: () => '/exports/roadmap-status.xlsx',
    expect: { anonymous: 303 },
    otherwise: 200,
  },
  {
    method: 'GET',
    pattern: '/exports/items.xlsx',
    // The roadmap list as it is filtered (issue 14): every signed-in role reads it.
    path: () => '/exports/items.xlsx',
    expect: { anonymous: 303 },
    otherwise: 200,
  },
  {
    method: 'GET',
    pattern: '/exports/services.xlsx',
    path: () => '/exports/services.xlsx',
    expect: { anonymous: 303 },
    otherwise: 200,
  },
  {
    method: 'GET',
    pattern: '/admin/tokens',
    path: () => '/admin/tokens',
    expect: { anonymous: 303, admin: 200 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/admin/tokens',
    path: () => '/admin/tokens',
    form: { name: '', kind: 'user' },
    expect: { anonymous: 401, admin: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/admin/tokens/:id/revoke',
    path: () => '/admin/tokens/999999/revoke',
    expect: { anonymous: 401, admin: 404 },
    otherwise: 403,
  },
];
