import type { RouteCase } from './types.ts';

const page = (pattern: string, path: RouteCase['path'] = () => pattern): RouteCase => ({
  method: 'GET',
  pattern,
  path,
  expect: { anonymous: 303 },
  otherwise: 200,
});

export const CORE_ROUTES: RouteCase[] = [
  {
    method: 'GET',
    pattern: '/static/htmx.min.js',
    path: () => '/static/htmx.min.js',
    expect: {},
    otherwise: 200,
  },
  { method: 'GET', pattern: '/static/app.css', path: () => '/static/app.css', expect: {}, otherwise: 200 },
  { method: 'GET', pattern: '/healthz', path: () => '/healthz', expect: {}, otherwise: 200 },
  // Signed-in users are sent on from the login page.
  { method: 'GET', pattern: '/login', path: () => '/login', expect: { anonymous: 200 }, otherwise: 303 },
  // Signing in again (own credentials) rotates the session; a wrong password is refused.
  {
    method: 'POST',
    pattern: '/login',
    path: () => '/login',
    form: (p, f) => ({ login: f.loginOf(p) ?? 'nobody', password: f.loginOf(p) ? f.password : 'wrong' }),
    expect: { anonymous: 401 },
    otherwise: 303,
  },
  { method: 'POST', pattern: '/logout', path: () => '/logout', expect: {}, otherwise: 303 },
  { method: 'GET', pattern: '/lang/:locale', path: () => '/lang/en?back=/', expect: {}, otherwise: 303 },
  page('/'),
  page('/items'),
  page('/items/:id', (f) => `/items/${f.itemId}`),
  {
    method: 'POST',
    pattern: '/items/:id/start',
    path: (f) => `/items/${f.itemId}/start`,
    // The fixture item is already in progress. Permission comes first: whoever may never start it is
    // refused (403) before the state is considered; its own agency may, just not now (409).
    expect: { anonymous: 401, agency_head: 409, agency_executor: 409 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/submit',
    path: (f) => `/items/${f.itemId}/submit`,
    form: { text: '', part: '0' },
    expect: { anonymous: 401, agency_head: 422, agency_executor: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/review',
    path: (f) => `/items/${f.itemId}/review`,
    form: { outcome: 'return', reason: '' },
    // Nothing is under review: the working group gets "not now" (409), everyone else "never" (403).
    expect: { anonymous: 401, admin: 409, working_group: 409 },
    otherwise: 403,
  },
];
