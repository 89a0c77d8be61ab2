import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../domain/control-item/index.ts';
import { addDays } from '../../domain/local-date.ts';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { hashPassword } from '../../web/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { stateQuery } from '../../workflows/definitions.ts';
import { insertItem, insertUser } from '../support/fixtures.ts';
import {
  OFFSET,
  roadmapXlsx,
  ru,
  seedImportReferences,
  todayLocal,
  workingOnOrAfter,
} from '../support/import-fixtures.ts';
import type { TestDatabase } from '../support/pg.ts';
import { WebClient } from '../support/web.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

// The integration API against the real app, Temporal dev server and Postgres.
describe('JSON API', () => {
  let tdb: TestDatabase;
  let temporal: TestStack['temporal'];
  let stack: TestStack;
  let web: TestStack['web'];
  let refs: Awaited<ReturnType<typeof seedImportReferences>>;
  const tokens: Record<string, string> = {};
  const users: Record<string, number> = {};
  const policy = resolvePolicy(null, OFFSET);
  const today = todayLocal();
  const due = workingOnOrAfter(addDays(today, 30));

  beforeAll(async () => {
    stack = await startTestStack({
      publicUrl: 'http://t',
      workerStartsWorkflows: true,
      deps: { utcOffsetMinutes: OFFSET },
      app: { policy },
    });
    ({ tdb, temporal, web } = stack);
    refs = await seedImportReferences(tdb.db);
    const hash = await hashPassword('pw');
    const admin = await insertUser(tdb.db, 'admin', null, { login: 'admin', password_hash: hash });
    const mk = async (name: string, role: Parameters<typeof insertUser>[1], agencyId: number | null) => {
      const u = await insertUser(tdb.db, role, agencyId, { login: name, password_hash: hash });
      users[name] = u.id;
      tokens[name] = (
        await createApiToken(tdb.db, { name, subject: { userId: u.id }, createdBy: admin.id })
      ).token;
    };
    await mk('mtsr', 'agency_executor', refs.agency('MTSR'));
    await mk('mz', 'agency_executor', refs.agency('MZ'));
    await mk('wg', 'working_group', null);
    await mk('obs', 'observer', null);
    tokens.role = (
      await createApiToken(tdb.db, {
        name: 'МТСР: интеграция с СЭД',
        subject: { role: 'agency_executor', agencyId: refs.agency('MTSR') },
        createdBy: admin.id,
      })
    ).token;
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function call(token: string | null, path: string, init: RequestInit & { json?: unknown } = {}) {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    const res = await fetch(`${web.url}/api/v1${path}`, {
      ...init,
      headers,
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body, headers: res.headers };
  }
  async function newItem(agency: string, extra: { coAgencyIds?: number[] } = {}) {
    const { row, state } = await insertItem(tdb.db, { agencyId: refs.agency(agency), due, ...extra });
    await startControlItem(temporal.handle, state, policy);
    return row.id;
  }

  it('requires a bearer token: none, unknown, revoked, a disabled user or a session cookie get 401', async () => {
    const none = await call(null, '/items');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      error: {
        code: 'unauthorized',
        message: 'An access token is required: Authorization: Bearer <token>',
        key: 'error.api.unauthorized',
      },
    });
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="shtab"');
    expect((await call('sht_nonsense', '/items')).status).toBe(401);

    const admin = await tdb.db
      .selectFrom('app_user')
      .select('id')
      .where('login', '=', 'admin')
      .executeTakeFirstOrThrow();
    const temp = await createApiToken(tdb.db, {
      name: 'temp',
      subject: { userId: users.obs! },
      createdBy: admin.id,
    });
    expect((await call(temp.token, '/agencies')).status).toBe(200);
    await tdb.db.updateTable('api_token').set({ revoked_at: new Date() }).where('id', '=', temp.id).execute();
    const revoked = await call(temp.token, '/agencies', { headers: { 'accept-language': 'ru' } });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toBe('Токен неизвестен или отозван');

    const u = await insertUser(tdb.db, 'observer', null, {
      login: 'gone',
      password_hash: await hashPassword('pw'),
    });
    const gone = await createApiToken(tdb.db, {
      name: 'gone',
      subject: { userId: u.id },
      createdBy: admin.id,
    });
    await tdb.db.updateTable('app_user').set({ disabled: true }).where('id', '=', u.id).execute();
    expect((await call(gone.token, '/agencies')).status).toBe(401);

    // Signed in through the web: the session cookie and CSRF token open nothing here.
    const browser = new WebClient(web.url);
    await browser.login('gone', 'pw').catch(() => undefined);
    await browser.login('obs', 'pw');
    const viaCookie = await browser.request('/api/v1/items');
    expect(viaCookie.status).toBe(401);
    const post = await browser.request(`/api/v1/items/1/start`, { method: 'POST', htmx: true });
    expect(post.status).toBe(401);
    // last_used_at is recorded.
    const used = await tdb.db
      .selectFrom('api_token')
      .select('last_used_at')
      .where('id', '=', temp.id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).toBeInstanceOf(Date);
  });

  it('publishes an OpenAPI 3 document describing every endpoint and the bearer scheme', async () => {
    const res = await call(null, '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.info.title).toBe('Shtab API');
    expect(doc.servers).toEqual([{ url: `${web.url}/api/v1` }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    // The feedback intake takes any JSON (the use case checks it whole); its shape is documented apart.
    expect(Object.keys(doc.components.schemas.FeedbackBatch.properties).sort()).toEqual(['items', 'source']);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/agencies',
        '/feedback',
        '/imports/{id}',
        '/items',
        '/items/{id}',
        '/items/{id}/cancel',
        '/items/{id}/change-deadline',
        '/items/{id}/extension-decision',
        '/items/{id}/extension-request',
        '/items/{id}/reassign',
        '/items/{id}/reopen',
        '/items/{id}/review',
        '/items/{id}/start',
        '/items/{id}/submit',
        '/items/{id}/extension-withdraw',
        '/items/{id}/withdraw-submission',
        '/life-situations',
        '/roadmaps/{id}/imports',
        '/scores',
        '/services',
        '/services/{id}',
        '/services/{id}/feedback-scores',
        '/sso/rules',
        // Reference data (issue 15).
        '/agencies/{id}',
        '/agencies/{id}/merge',
        '/people',
        '/people/{id}',
        '/life-situations/{id}',
        '/roadmaps',
        '/roadmaps/{id}',
        '/services/{id}/curator',
        '/curators/import',
        '/onboarding/agencies',
        '/onboarding/people',
        '/committee',
        '/committee/{body}',
        '/calendar',
        '/calendar/{year}',
        '/audit',
      ].sort(),
    );
    // Every operation is secured, has a success response, and every $ref points at a defined schema.
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        expect(op.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
        expect(
          Object.keys(op.responses).some((s) => s.startsWith('2')),
          `${method} ${path}`,
        ).toBe(true);
        expect(op.responses['401'], `${method} ${path}`).toBeDefined();
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(doc.components.schemas[r], r).toBeDefined();
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toContain('forbidden');
  });

  it('lists and reads items with filters and tells each token what it may do', async () => {
    const id = await newItem('MTSR');
    const list = await call(tokens.obs!, `/items?agencyId=${refs.agency('MTSR')}&status=open`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: number }) => i.id)).toContain(id);
    expect(list.body.items.every((i: { agencyId: number }) => i.agencyId === refs.agency('MTSR'))).toBe(true);
    expect((await call(tokens.obs!, '/items?status=whatever')).body.error).toMatchObject({
      code: 'validation',
      field: 'status',
    });
    expect((await call(tokens.obs!, '/items?limit=5000')).status).toBe(422);

    const own = await call(tokens.mtsr!, `/items/${id}`);
    expect(own.body.item).toMatchObject({
      id,
      status: 'assigned',
      agencyCode: 'MTSR',
      currentDue: due,
      actions: ['start', 'submit', 'requestExtension'],
    });
    expect((await call(tokens.obs!, `/items/${id}`)).body.item.actions).toEqual([]);
    expect((await call(tokens.wg!, `/items/${id}`)).body.item.actions).toEqual([
      'reassign',
      'cancel',
      'changeDeadline',
    ]);
    // Messages in the token user's language, or the one the client asks for.
    expect((await call(tokens.obs!, '/items/999999')).body).toEqual({
      error: { code: 'not_found', message: 'Мероприятие не найдено', key: 'error.item.notFound' },
    });
    const en = await call(tokens.obs!, '/items/999999', { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(en.body.error.message).toBe('Item not found');
  });

  it('runs lifecycle actions as Temporal Updates with the token identity, respecting role and agency', async () => {
    const id = await newItem('MTSR');
    // Another agency, an observer: refused before anything reaches the workflow.
    const other = await call(tokens.mz!, `/items/${id}/start`, { method: 'POST', json: {} });
    expect(other.status).toBe(403);
    expect(other.body.error.key).toBe('error.forbidden.otherAgency');
    expect((await call(tokens.obs!, `/items/${id}/start`, { method: 'POST', json: {} })).status).toBe(403);
    // The working group cannot review what was not submitted: a state conflict.
    const early = await call(tokens.wg!, `/items/${id}/review`, {
      method: 'POST',
      json: { outcome: 'accept' },
    });
    expect(early.status).toBe(409);
    expect(early.body.error.key).toBe('error.transition.notInStatus');

    const started = await call(tokens.mtsr!, `/items/${id}/start`, {
      method: 'POST',
      json: {},
      headers: { 'idempotency-key': 'start-once-0001' },
    });
    expect(started.status).toBe(200);
    expect(started.body.item.status).toBe('in_progress');
    // A repeated request with the same key changes nothing.
    const again = await call(tokens.mtsr!, `/items/${id}/start`, {
      method: 'POST',
      json: {},
      headers: { 'idempotency-key': 'start-once-0001' },
    });
    expect(again.status).toBe(200);
    const events = await tdb.db
      .selectFrom('event')
      .select(['type', 'actor_user_id', 'event_key'])
      .where('control_item_id', '=', id)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'started', actor_user_id: users.mtsr });
    const wf = temporal.client.workflow.getHandle(`${temporal.workflowIdPrefix}control-item-${id}`);
    expect((await wf.query(stateQuery)).status).toBe('in_progress');

    // Field validation from the lifecycle rules (422 with the field) and from the schema.
    const empty = await call(tokens.mtsr!, `/items/${id}/submit`, { method: 'POST', json: { text: ' ' } });
    expect(empty.status).toBe(422);
    expect(empty.body.error).toMatchObject({ code: 'validation', field: 'text', key: 'error.submit.empty' });
    const badOutcome = await call(tokens.wg!, `/items/${id}/review`, {
      method: 'POST',
      json: { outcome: 'maybe' },
    });
    expect(badOutcome.status).toBe(422);
    expect(badOutcome.body.error.field).toBe('outcome');
    const badKey = await call(tokens.mtsr!, `/items/${id}/submit`, {
      method: 'POST',
      json: { text: 'x' },
      headers: { 'idempotency-key': 'no' },
    });
    expect(badKey.body.error).toMatchObject({ code: 'validation', field: 'Idempotency-Key' });

    // A role token acts as its agency, with no user in the audit trail.
    const submitted = await call(tokens.role!, `/items/${id}/submit`, {
      method: 'POST',
      json: { text: 'Отчёт из СЭД', links: [{ url: 'https://sed.example.ru/doc/1', title: 'Письмо' }] },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.item.status).toBe('submitted');
    const sub = await tdb.db
      .selectFrom('submission')
      .selectAll()
      .where('control_item_id', '=', id)
      .executeTakeFirstOrThrow();
    expect([sub.body, sub.author_user_id, sub.links]).toEqual([
      'Отчёт из СЭД',
      null,
      [{ url: 'https://sed.example.ru/doc/1', title: 'Письмо' }],
    ]);

    const accepted = await call(tokens.wg!, `/items/${id}/review`, {
      method: 'POST',
      json: { outcome: 'accept' },
    });
    expect(accepted.body.item.status).toBe('done');
  });

  it('changes deadlines and reassigns through the workflow for the working group only', async () => {
    const id = await newItem('MTSR');
    const newDue = workingOnOrAfter(addDays(today, 90));
    const denied = await call(tokens.mtsr!, `/items/${id}/change-deadline`, {
      method: 'POST',
      json: { due: newDue, reason: 'Сам себе продлю' },
    });
    expect(denied.status).toBe(403);
    const missing = await call(tokens.wg!, `/items/${id}/change-deadline`, {
      method: 'POST',
      json: { due: newDue },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error.field).toBe('reason');
    const changed = await call(tokens.wg!, `/items/${id}/change-deadline`, {
      method: 'POST',
      json: { due: newDue, reason: 'Новая редакция дорожной карты' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.item).toMatchObject({ currentDue: newDue, originalDue: newDue });
    const moved = await call(tokens.wg!, `/items/${id}/reassign`, {
      method: 'POST',
      json: {
        agencyId: refs.agency('MZ'),
        coAgencyIds: [refs.agency('MTSR')],
        reason: 'Перераспределение полномочий',
      },
    });
    expect(moved.body.item).toMatchObject({
      agencyId: refs.agency('MZ'),
      coAgencyIds: [refs.agency('MTSR')],
    });
    const types = await tdb.db
      .selectFrom('event')
      .select('type')
      .where('control_item_id', '=', id)
      .orderBy('id')
      .execute();
    expect(types.map((t) => t.type)).toEqual(['deadline_changed', 'reassigned']);
    // The executors were told about the new deadline.
    const note = await tdb.db
      .selectFrom('notification')
      .select('subject')
      .where('control_item_id', '=', id)
      .where('kind', '=', 'deadline_changed')
      .execute();
    expect(note.length).toBeGreaterThan(0);
    expect(note[0]!.subject).toMatch(/^Изменён срок: /);
  });

  it('serves agencies, life situations, services with their latest score, and scores', async () => {
    const svc = await tdb.db
      .insertInto('service')
      .values({ code: 'S-API', title_ru: 'Услуга', agency_id: refs.agency('MZ'), proactive: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tdb.db
      .insertInto('service_life_situation')
      .values({ service_id: svc.id, life_situation_id: refs.lifeSituation('FLS-RELOC') })
      .execute();
    await tdb.db
      .insertInto('service_score')
      .values([
        { service_id: svc.id, period: '2025-Q1', avg_score: 3.5, votes: 10 },
        { service_id: svc.id, period: '2025-Q2', avg_score: 4.1, votes: 20 },
      ])
      .execute();
    const agencies = await call(tokens.obs!, '/agencies');
    expect(agencies.body.agencies.map((a: { code: string }) => a.code)).toEqual(['MFC', 'MO', 'MTSR', 'MZ']);
    const ls = await call(tokens.obs!, '/life-situations');
    expect(ls.body.lifeSituations).toHaveLength(2);
    const services = await call(tokens.obs!, `/services?lifeSituationId=${refs.lifeSituation('FLS-RELOC')}`);
    expect(services.body.services).toEqual([
      {
        id: svc.id,
        code: 'S-API',
        titleRu: 'Услуга',
        titleEn: null,
        agencyId: refs.agency('MZ'),
        level: 'regional',
        electronic: false,
        proactive: true,
        sociallySignificant: false,
        curatorUserId: null,
        lifeSituationIds: [refs.lifeSituation('FLS-RELOC')],
        latestScore: { serviceId: svc.id, period: '2025-Q2', avgScore: 4.1, votes: 20 },
      },
    ]);
    expect((await call(tokens.obs!, `/services/${svc.id}`)).body.service.code).toBe('S-API');
    expect((await call(tokens.obs!, '/services/999999')).status).toBe(404);
    const scores = await call(tokens.obs!, `/scores?serviceId=${svc.id}`);
    expect(scores.body.scores.map((s: { period: string }) => s.period)).toEqual(['2025-Q1', '2025-Q2']);
  });

  it('imports a roadmap file for the working group and reports the job with messages', async () => {
    const fd = () => {
      const f = new FormData();
      return f;
    };
    const bad = await roadmapXlsx([['7', 'Мероприятие', '32.01.2026', 'MZ', null, null, null]]);
    const form = fd();
    form.set('file', new Blob([new Uint8Array(bad)]), 'bad.xlsx');
    const denied = await call(tokens.mz!, `/roadmaps/${refs.roadmapId}/imports`, {
      method: 'POST',
      body: form,
    });
    expect(denied.status).toBe(403);
    const csv = fd();
    csv.set('file', new Blob([new TextEncoder().encode('a;b\n1;2\n')]), 'x.xlsx');
    const refused = await call(tokens.wg!, `/roadmaps/${refs.roadmapId}/imports`, {
      method: 'POST',
      body: csv,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ field: 'file', key: 'error.import.file.text' });

    const queued = await call(tokens.wg!, `/roadmaps/${refs.roadmapId}/imports`, {
      method: 'POST',
      body: form,
    });
    expect(queued.status).toBe(202);
    const jobId = queued.body.job.id;
    let job;
    for (let i = 0; i < 300; i++) {
      job = (await call(tokens.wg!, `/imports/${jobId}`)).body.job;
      if (job.status === 'failed' || job.status === 'done') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job).toMatchObject({
      status: 'failed',
      errors: [
        {
          row: 5,
          column: 'C',
          header: 'Срок исполнения',
          key: 'error.import.deadline.invalidDate',
          message: 'Такой даты нет: «32.01.2026»',
        },
      ],
    });

    const good = fd();
    good.set(
      'file',
      new Blob([new Uint8Array(await roadmapXlsx([['7', 'Мероприятие', ru(due), 'MZ', null, null, null]]))]),
      'ok.xlsx',
    );
    const ok = await call(tokens.wg!, `/roadmaps/${refs.roadmapId}/imports`, { method: 'POST', body: good });
    for (let i = 0; i < 300; i++) {
      job = (await call(tokens.wg!, `/imports/${ok.body.job.id}`)).body.job;
      if (job.status === 'failed' || job.status === 'done') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job).toMatchObject({ status: 'done', errors: [], result: { inserted: 1 } });
  });
});
