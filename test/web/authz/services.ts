import { insertLifeSituation, insertService } from '../../support/services-fixtures.ts';
import type { MatrixFixture, RouteCase } from './types.ts';

const id = (f: MatrixFixture, k: string) => {
  const v = f.extra[k];
  if (v === undefined) throw new Error(`fixture has no ${k}`);
  return v;
};

/** A service of the own agency with a done check (its history makes delete a conflict), a life situation. */
export async function setupServiceFixture(f: MatrixFixture) {
  const svc = await insertService(f.db, { agencyId: f.ownAgencyId, code: 'AUTHZ-001' });
  const check = await f.db
    .insertInto('service_check')
    .values({
      service_id: svc.id,
      kind: 'mystery_shopping',
      scheduled_on: '2025-10-01',
      status: 'done',
      performed_on: '2025-10-01',
      issues: 'Запросили лишний документ',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ls = await insertLifeSituation(f.db, 'AUTHZ-LS');
  await f.db
    .insertInto('indicator')
    .values({ life_situation_id: ls.id, code: 'VISITS', title_ru: 'Визиты', title_en: 'Visits', unit: 'ед.' })
    .execute();
  f.extra.serviceId = svc.id;
  f.extra.checkId = check.id;
  f.extra.lifeSituationId = ls.id;
}

/** Everyone signed in reads. */
const read = (pattern: string, path: RouteCase['path']): RouteCase => ({
  method: 'GET',
  pattern,
  path,
  expect: { anonymous: 303 },
  otherwise: 200,
});

/** Working group and admin only; others get 403. */
const manageGet = (pattern: string, path: RouteCase['path']): RouteCase => ({
  method: 'GET',
  pattern,
  path,
  expect: { anonymous: 303, admin: 200, working_group: 200 },
  otherwise: 403,
});

/** Working group and admin reach validation (the form is invalid: nothing changes); others get 403. */
const managePost = (
  pattern: string,
  path: RouteCase['path'],
  form: Record<string, string>,
  allowed = 422,
): RouteCase => ({
  method: 'POST',
  pattern,
  path,
  form,
  expect: { anonymous: 401, admin: allowed, working_group: allowed },
  otherwise: 403,
});

const svc = (f: MatrixFixture) => id(f, 'serviceId');
const chk = (f: MatrixFixture) => id(f, 'checkId');
const ls = (f: MatrixFixture) => id(f, 'lifeSituationId');

export const SERVICE_ROUTES: RouteCase[] = [
  read('/services', () => '/services?score=low'),
  read('/services/low-scoring', () => '/services/low-scoring'),
  read('/services/checks', () => '/services/checks'),
  read('/services/checks/:checkId', (f) => `/services/checks/${chk(f)}`),
  read('/services/:id', (f) => `/services/${svc(f)}`),
  read('/life-situations/:id/indicators', (f) => `/life-situations/${ls(f)}/indicators`),
  manageGet('/services/new', () => '/services/new'),
  manageGet('/services/settings', () => '/services/settings'),
  manageGet('/services/scores/import', () => '/services/scores/import'),
  manageGet('/services/:id/edit', (f) => `/services/${svc(f)}/edit`),
  manageGet('/services/:id/checks/new', (f) => `/services/${svc(f)}/checks/new`),
  manageGet('/life-situations/:id/target-state', (f) => `/life-situations/${ls(f)}/target-state`),
  managePost('/services', () => '/services', { code: '', title_ru: '' }),
  managePost('/services/settings', () => '/services/settings', { threshold: 'x' }),
  managePost('/services/:id', (f) => `/services/${svc(f)}`, { code: 'bad code!' }),
  // The fixture service has history: deleting it is a conflict, so nothing is deleted.
  managePost('/services/:id/delete', (f) => `/services/${svc(f)}/delete`, {}, 409),
  managePost('/services/improvements', () => '/services/improvements', { period: '2025-Q3' }),
  managePost('/services/scores/import', () => '/services/scores/import', {}),
  managePost('/services/:id/checks', (f) => `/services/${svc(f)}/checks`, { kind: 'audit' }),
  managePost('/services/checks/:checkId/findings', (f) => `/services/checks/${chk(f)}/findings`, {
    performedOn: 'yesterday',
  }),
  managePost('/services/checks/:checkId/remediation', (f) => `/services/checks/${chk(f)}/remediation`, {
    description: '',
  }),
  managePost('/life-situations/:id/target-state', (f) => `/life-situations/${ls(f)}/target-state`, {
    'asIs.visits': 'many',
  }),
  managePost('/life-situations/:id/indicators', (f) => `/life-situations/${ls(f)}/indicators`, {
    period: 'soon',
  }),
  managePost(
    '/life-situations/:id/indicators/import',
    (f) => `/life-situations/${ls(f)}/indicators/import`,
    {},
  ),
];
