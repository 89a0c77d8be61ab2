import type { FixtureSetup, Persona, RouteCase } from './types.ts';

// Reference data (issue 15): agencies, people, onboarding and the calendar's entry are the administrator's;
// roadmaps, life situations, curators, committees, the calendar's view and the audit page are the
// project office's (working group and administrator). POSTs carry a bad field, or aim at a record that
// does not exist, so an allowed persona changes nothing (422 / 404); everyone else is refused first (403,
// anonymous 401); pages send the anonymous to sign in (303). The API is bearer-only (authz/api.ts).

const MISSING = 999999;
const ADMIN_PAGE = { anonymous: 303, admin: 200 };
const OFFICE_PAGE = { anonymous: 303, admin: 200, working_group: 200 };
const ADMIN_POST = (status: number) => ({ anonymous: 401, admin: status });
const OFFICE_POST = (status: number) => ({ anonymous: 401, admin: status, working_group: status });

const get = (
  pattern: string,
  path: RouteCase['path'],
  expect: Partial<Record<Persona, number>>,
): RouteCase => ({
  method: 'GET',
  pattern,
  path,
  expect,
  otherwise: 403,
});
const post = (
  pattern: string,
  path: RouteCase['path'],
  expect: Partial<Record<Persona, number>>,
  form: Record<string, string> = {},
): RouteCase => ({ method: 'POST', pattern, path, form, expect, otherwise: 403 });

export const REFERENCE_ROUTES: RouteCase[] = [
  // Agencies (admin).
  get('/admin/agencies', () => '/admin/agencies', ADMIN_PAGE),
  get('/admin/agencies/new', () => '/admin/agencies/new', ADMIN_PAGE),
  get('/admin/agencies/:id', (f) => `/admin/agencies/${f.ownAgencyId}`, ADMIN_PAGE),
  post('/admin/agencies', () => '/admin/agencies', ADMIN_POST(422), { code: 'bad code', titleRu: '' }),
  post('/admin/agencies/:id', (f) => `/admin/agencies/${f.ownAgencyId}`, ADMIN_POST(422), {
    code: '',
    titleRu: '',
    kind: 'regional',
  }),
  post('/admin/agencies/:id/disable', () => `/admin/agencies/${MISSING}/disable`, ADMIN_POST(404)),
  post('/admin/agencies/:id/enable', () => `/admin/agencies/${MISSING}/enable`, ADMIN_POST(404)),
  // No confirmation: the page comes back with the message, nothing merged.
  post('/admin/agencies/:id/merge', (f) => `/admin/agencies/${f.ownAgencyId}/merge`, ADMIN_POST(422), {
    intoId: '',
  }),
  // People (admin), on the account pages.
  get('/admin/accounts/new', () => '/admin/accounts/new', ADMIN_PAGE),
  post('/admin/accounts', () => '/admin/accounts', ADMIN_POST(422), { login: 'x y', displayName: '' }),
  post(
    '/admin/accounts/:id/details',
    (f) => `/admin/accounts/${f.extra.matrixUserId}/details`,
    ADMIN_POST(422),
    {
      displayName: '',
      role: 'observer',
    },
  ),
  post('/admin/accounts/:id/disable', () => `/admin/accounts/${MISSING}/disable`, ADMIN_POST(404)),
  post('/admin/accounts/:id/enable', () => `/admin/accounts/${MISSING}/enable`, ADMIN_POST(404)),
  // Onboarding files (admin): no file → 422.
  get('/admin/onboarding', () => '/admin/onboarding', ADMIN_PAGE),
  post('/admin/onboarding/agencies', () => '/admin/onboarding/agencies', ADMIN_POST(422)),
  post('/admin/onboarding/people', () => '/admin/onboarding/people', ADMIN_POST(422)),
  // Roadmaps and life situations (project office).
  ...(['roadmaps', 'life-situations'] as const).flatMap((kind): RouteCase[] => [
    get(`/admin/${kind}`, () => `/admin/${kind}`, OFFICE_PAGE),
    get(`/admin/${kind}/new`, () => `/admin/${kind}/new`, OFFICE_PAGE),
    get(
      `/admin/${kind}/:id`,
      (f) => `/admin/${kind}/${kind === 'roadmaps' ? f.extra.refRoadmapId : f.lifeSituationId}`,
      OFFICE_PAGE,
    ),
    post(`/admin/${kind}`, () => `/admin/${kind}`, OFFICE_POST(422), { code: '', titleRu: '' }),
    post(
      `/admin/${kind}/:id`,
      (f) => `/admin/${kind}/${kind === 'roadmaps' ? f.extra.refRoadmapId : f.lifeSituationId}`,
      OFFICE_POST(422),
      { code: '', titleRu: '', level: 'regional' },
    ),
  ]),
  // Curators (project office).
  get('/admin/curators', () => '/admin/curators', OFFICE_PAGE),
  get('/admin/curators/template.xlsx', () => '/admin/curators/template.xlsx', OFFICE_PAGE),
  post('/admin/curators/import', () => '/admin/curators/import', OFFICE_POST(422)),
  post('/admin/curators/:id', (f) => `/admin/curators/${f.extra.serviceId}`, OFFICE_POST(422), {
    login: 'no-such-login',
  }),
  // Committees (project office).
  get('/admin/committee', () => '/admin/committee', OFFICE_PAGE),
  post('/admin/committee', () => '/admin/committee', OFFICE_POST(422), {
    body: 'working_group',
    role: 'member',
  }),
  post('/admin/committee/:id/delete', () => `/admin/committee/${MISSING}/delete`, OFFICE_POST(404)),
  // The calendar: the project office sees it, the administrator enters it.
  get('/admin/calendar', () => '/admin/calendar', OFFICE_PAGE),
  post('/admin/calendar', () => '/admin/calendar', ADMIN_POST(422), {
    year: '2031',
    source: '',
    daysOff: '',
  }),
  post('/admin/calendar/import', () => '/admin/calendar/import', ADMIN_POST(422), { year: '2031' }),
  post('/admin/calendar/:year/delete', () => '/admin/calendar/2099/delete', ADMIN_POST(404)),
  // The audit trail (project office).
  get('/admin/audit', () => '/admin/audit', OFFICE_PAGE),
];

/** A roadmap for the concrete paths (the check-in fixture makes its own). */
export const setupReferenceFixture: FixtureSetup = async (f) => {
  const r = await f.db
    .insertInto('roadmap')
    .values({ code: 'M-REF', title_ru: 'Карта для матрицы', title_en: 'Matrix roadmap' })
    .returning('id')
    .executeTakeFirstOrThrow();
  f.extra.refRoadmapId = r.id;
};
