import type { MatrixFixture, RouteCase } from './types.ts';

const id = (f: MatrixFixture, k: string) => {
  const v = f.extra[k];
  if (v === undefined) throw new Error(`fixture has no ${k}`);
  return v;
};

/** A review with an open case on the own agency's service; its curator is the own agency's executor. */
export async function setupFeedbackFixture(f: MatrixFixture) {
  const exec = await f.db
    .selectFrom('app_user')
    .select('id')
    .where('login', '=', f.loginOf('agency_executor')!)
    .executeTakeFirstOrThrow();
  const svc = await f.db
    .insertInto('service')
    .values({
      code: 'AUTHZ-FB',
      title_ru: 'Услуга с отзывами',
      agency_id: f.ownAgencyId,
      curator_user_id: exec.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const fb = await f.db
    .insertInto('feedback')
    .values({
      source: 'web',
      service_id: svc.id,
      channel: 'web',
      received_on: '2026-01-10',
      rating: 1,
      body: 'Плохо',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const c = await f.db
    .insertInto('feedback_case')
    .values({
      feedback_id: fb.id,
      service_id: svc.id,
      agency_id: f.ownAgencyId,
      curator_user_id: exec.id,
      opened_on: '2026-01-10',
      due: '2026-01-16',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const topic = await f.db.selectFrom('feedback_topic').select('id').orderBy('id').executeTakeFirstOrThrow();
  f.extra.feedbackServiceId = svc.id;
  f.extra.caseId = c.id;
  f.extra.topicId = topic.id;
}

const everyone = (
  method: 'GET' | 'POST',
  pattern: string,
  path: RouteCase['path'],
  status: number,
): RouteCase => ({
  method,
  pattern,
  path,
  expect: {},
  otherwise: status,
});
const read = (pattern: string, path: RouteCase['path']): RouteCase => ({
  method: 'GET',
  pattern,
  path,
  expect: { anonymous: 303 },
  otherwise: 200,
});
const manageGet = (pattern: string, path: RouteCase['path']): RouteCase => ({
  method: 'GET',
  pattern,
  path,
  expect: { anonymous: 303, admin: 200, working_group: 200 },
  otherwise: 403,
});
const managePost = (pattern: string, path: RouteCase['path'], form: Record<string, string>): RouteCase => ({
  method: 'POST',
  pattern,
  path,
  form,
  expect: { anonymous: 401, admin: 422, working_group: 422 },
  otherwise: 403,
});
/** The curator (own executor), the own agency's head, the working group and admins reach validation. */
const curatorPost = (pattern: string, path: RouteCase['path'], form: Record<string, string>): RouteCase => ({
  method: 'POST',
  pattern,
  path,
  form,
  expect: { anonymous: 401, admin: 422, working_group: 422, agency_head: 422, agency_executor: 422 },
  otherwise: 403,
});

const code = () => 'AUTHZ-FB';

export const FEEDBACK_ROUTES: RouteCase[] = [
  // The citizen's page is public: signed in or not, the same page; a post without a form token is refused.
  everyone('GET', '/feedback/:code', () => `/feedback/${code()}`, 200),
  everyone('GET', '/feedback/:code/thanks', () => `/feedback/${code()}/thanks`, 200),
  everyone('GET', '/feedback/:code/qr.svg', () => `/feedback/${code()}/qr.svg`, 200),
  everyone('POST', '/feedback/:code', () => `/feedback/${code()}`, 403),
  read('/citizens', () => '/citizens'),
  read('/citizens/poster/:id', (f) => `/citizens/poster/${id(f, 'feedbackServiceId')}`),
  manageGet('/citizens/import', () => '/citizens/import'),
  manageGet('/citizens/topics', () => '/citizens/topics'),
  manageGet('/citizens/topics/rematch', () => '/citizens/topics/rematch'),
  managePost('/citizens/import', () => '/citizens/import', {}),
  managePost('/citizens/topics/:id', (f) => `/citizens/topics/${id(f, 'topicId')}`, {
    rules: 'a b c d e f g h',
  }),
  manageGet(
    '/citizens/remediation',
    (f) =>
      `/citizens/remediation?service=${id(f, 'feedbackServiceId')}&topic=${id(f, 'topicId')}&period=2026-Q1`,
  ),
  {
    ...managePost('/citizens/remediation', () => '/citizens/remediation', {}),
    form: (_, f) => ({
      period: '2026-Q1',
      service: String(id(f, 'feedbackServiceId')),
      topic: String(id(f, 'topicId')),
      due: '',
    }),
  },
  read('/citizens/principles', () => '/citizens/principles'),
  read(
    '/citizens/principles/service/:id',
    (f) => `/citizens/principles/service/${id(f, 'feedbackServiceId')}`,
  ),
  manageGet('/citizens/principles/checklist', () => '/citizens/principles/checklist'),
  managePost('/citizens/principles/settings', () => '/citizens/principles/settings', { basis: 'x' }),
  managePost('/citizens/principles/checklist', () => '/citizens/principles/checklist', {}),
  managePost(
    '/citizens/principles/service/:id',
    (f) => `/citizens/principles/service/${id(f, 'feedbackServiceId')}`,
    { heldOn: 'soon' },
  ),
  read('/citizens/rating', () => '/citizens/rating'),
  read('/citizens/plan', () => '/citizens/plan'),
  managePost('/citizens/plan', () => '/citizens/plan', { quarter: 'soon' }),
  read('/cases', () => '/cases'),
  read('/cases/:id', (f) => `/cases/${id(f, 'caseId')}`),
  curatorPost('/cases/:id/answer', (f) => `/cases/${id(f, 'caseId')}/answer`, { text: '', fixed: 'yes' }),
  curatorPost('/cases/:id/fix', (f) => `/cases/${id(f, 'caseId')}/fix`, { fixed: '' }),
];
