import type { RouteCase } from './types.ts';

/**
 * The JSON API authenticates by bearer token only: the matrix client carries session cookies (and the
 * CSRF header), which must get every persona a 401. The OpenAPI document and /metrics (loopback) are open.
 */
const bearerOnly = (method: RouteCase['method'], pattern: string, path: RouteCase['path']): RouteCase => ({
  method,
  pattern,
  path,
  expect: {},
  otherwise: 401,
});

export const API_ROUTES: RouteCase[] = [
  { method: 'GET', pattern: '/metrics', path: () => '/metrics', expect: {}, otherwise: 200 },
  {
    method: 'GET',
    pattern: '/api/v1/openapi.json',
    path: () => '/api/v1/openapi.json',
    expect: {},
    otherwise: 200,
  },
  bearerOnly('GET', '/api/v1/items', () => '/api/v1/items'),
  bearerOnly('GET', '/api/v1/items/:id', (f) => `/api/v1/items/${f.itemId}`),
  ...(
    [
      'start',
      'submit',
      'review',
      'extension-request',
      'extension-decision',
      'reassign',
      'cancel',
      'change-deadline',
      'reopen',
    ] as const
  ).map((a) => bearerOnly('POST', `/api/v1/items/:id/${a}`, (f) => `/api/v1/items/${f.itemId}/${a}`)),
  bearerOnly('GET', '/api/v1/agencies', () => '/api/v1/agencies'),
  bearerOnly('GET', '/api/v1/life-situations', () => '/api/v1/life-situations'),
  bearerOnly('GET', '/api/v1/services', () => '/api/v1/services'),
  bearerOnly('GET', '/api/v1/services/:id', () => '/api/v1/services/1'),
  bearerOnly('GET', '/api/v1/scores', () => '/api/v1/scores'),
  bearerOnly('POST', '/api/v1/roadmaps/:id/imports', () => '/api/v1/roadmaps/1/imports'),
  bearerOnly('GET', '/api/v1/imports/:id', () => '/api/v1/imports/1'),
  bearerOnly('GET', '/api/v1/sso/rules', () => '/api/v1/sso/rules'),
  bearerOnly('PUT', '/api/v1/sso/rules', () => '/api/v1/sso/rules'),
  bearerOnly('POST', '/api/v1/feedback', () => '/api/v1/feedback'),
  bearerOnly('GET', '/api/v1/services/:id/feedback-scores', () => '/api/v1/services/1/feedback-scores'),
];
