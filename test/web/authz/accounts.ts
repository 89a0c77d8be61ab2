import type { RouteCase } from './types.ts';

// Accounts and single sign-on. The matrix app has no provider configured (its routes answer 404 to
// everyone); invitation links with an unknown token are 404 for everyone; one's own account is every
// signed-in role's; the admin pages are the admin's. POSTs aim at an account or rule that does not exist,
// or carry a bad field, so the allowed persona changes nothing (404 / 422).
const ADMIN_PAGE = { anonymous: 303, admin: 200 };
const ADMIN_POST = (status: number) => ({ anonymous: 401, admin: status });
const MISSING = 999999;

const everyone = (method: 'GET' | 'POST', pattern: string, path: string, status: number): RouteCase => ({
  method,
  pattern,
  path: () => path,
  expect: {},
  otherwise: status,
});

export const ACCOUNT_ROUTES: RouteCase[] = [
  everyone('GET', '/auth/oidc/start', '/auth/oidc/start', 404),
  everyone('GET', '/auth/oidc/callback', '/auth/oidc/callback?code=x&state=y', 404),
  everyone('GET', '/invite/:token', '/invite/no-such-invitation-token-000000', 404),
  {
    method: 'POST',
    pattern: '/invite/:token',
    path: () => '/invite/no-such-invitation-token-000000',
    form: { password: 'new-password-123', repeat: 'new-password-123' },
    expect: {},
    otherwise: 404,
  },
  { method: 'GET', pattern: '/account', path: () => '/account', expect: { anonymous: 303 }, otherwise: 200 },
  {
    method: 'POST',
    pattern: '/account/password',
    path: () => '/account/password',
    // A wrong current password: the form comes back with the field's message.
    form: { current: 'not-the-password', password: 'new-password-123', repeat: 'new-password-123' },
    expect: { anonymous: 401 },
    otherwise: 422,
  },
  {
    method: 'POST',
    pattern: '/account/notifications',
    path: () => '/account/notifications',
    // Everyone chooses for themselves; an unknown choice comes back with the field's message.
    form: { mode: 'pigeon' },
    expect: { anonymous: 401 },
    otherwise: 422,
  },
  {
    method: 'GET',
    pattern: '/admin/accounts',
    path: () => '/admin/accounts',
    expect: ADMIN_PAGE,
    otherwise: 403,
  },
  {
    method: 'GET',
    pattern: '/admin/accounts/:id',
    path: (f) => `/admin/accounts/${f.extra.matrixUserId}`,
    expect: ADMIN_PAGE,
    otherwise: 403,
  },
  ...(['unlock', 'sessions/revoke', 'invite'] as const).map((a): RouteCase => ({
    method: 'POST',
    pattern: `/admin/accounts/:id/${a}`,
    path: () => `/admin/accounts/${MISSING}/${a}`,
    expect: ADMIN_POST(404),
    otherwise: 403,
  })),
  {
    method: 'POST',
    pattern: '/admin/accounts/:id/sign-in-method',
    path: (f) => `/admin/accounts/${f.extra.matrixUserId}/sign-in-method`,
    form: { method: 'kerberos' },
    expect: ADMIN_POST(422),
    otherwise: 403,
  },
  { method: 'GET', pattern: '/admin/sso', path: () => '/admin/sso', expect: ADMIN_PAGE, otherwise: 403 },
  {
    method: 'POST',
    pattern: '/admin/sso/rules',
    path: () => '/admin/sso/rules',
    form: { source: 'any', claim: 'groups', value: '' },
    expect: ADMIN_POST(422),
    otherwise: 403,
  },
  ...(['', '/delete', '/move'] as const).map((a): RouteCase => ({
    method: 'POST',
    pattern: `/admin/sso/rules/:id${a}`,
    path: () => `/admin/sso/rules/${MISSING}${a}`,
    form: { direction: 'up', source: 'any', claim: 'groups', value: 'x', role: 'observer' },
    expect: ADMIN_POST(404),
    otherwise: 403,
  })),
];

/** An account for the admin page's concrete path (not one of the personas: nothing is done to it). */
export async function setupAccountFixture(f: {
  db: import('../../../db/index.ts').Db;
  extra: Record<string, number>;
}) {
  const u = await f.db
    .insertInto('app_user')
    .values({ login: 'matrix-person', display_name: 'Matrix Person', password_hash: null, role: 'observer' })
    .returning('id')
    .executeTakeFirstOrThrow();
  f.extra.matrixUserId = u.id;
}
