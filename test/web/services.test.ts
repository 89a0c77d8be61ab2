import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { controlItemWorkflowId } from '../../workflows/definitions.ts';
import { serviceImprovementWorkflowId } from '../../workflows/service-improvement-definitions.ts';
import { insertAgency, insertUser } from '../support/fixtures.ts';
import type { TestDatabase } from '../support/pg.ts';
import { csv, insertLifeSituation, insertScore, insertService, utf8 } from '../support/services-fixtures.ts';
import { WebClient } from '../support/web.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

const HOSTILE_TITLE = '<script>alert("svc")</script> Выдача <b>справки</b>';
const HOSTILE_CURATOR = '<img src=x onerror=alert(1)> Иванова';

describe('service quality pages through the real app', () => {
  let tdb: TestDatabase;
  let temporal: TestStack['temporal'];
  let stack: TestStack;
  let web: TestStack['web'];
  let agency: Awaited<ReturnType<typeof insertAgency>>;
  let curatorId: number;
  const wg = () => {
    const c = new WebClient(web.url);
    return c.login('svc-wg', 'pw').then(() => c);
  };

  beforeAll(async () => {
    stack = await startTestStack();
    ({ tdb, temporal, web } = stack);
    const hash = await hashPassword('pw');
    agency = await insertAgency(tdb.db, 'MTSR');
    await insertUser(tdb.db, 'working_group', null, { login: 'svc-wg', password_hash: hash });
    await insertUser(tdb.db, 'agency_executor', agency.id, { login: 'svc-exec', password_hash: hash });
    await insertUser(tdb.db, 'observer', null, { login: 'svc-obs', password_hash: hash });
    const curator = await tdb.db
      .insertInto('app_user')
      .values({
        login: 'svc-curator',
        display_name: HOSTILE_CURATOR,
        position: 'заместитель министра',
        password_hash: hash,
        role: 'agency_head',
        agency_id: agency.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    curatorId = curator.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('creates and edits a service; invalid forms come back 422 with the message at the field', async () => {
    const ls = await insertLifeSituation(tdb.db);
    const c = await wg();
    const form = await c.get('/services/new');
    expect(form.status).toBe(200);

    const empty = await c.post('/services', { code: '', title_ru: '  ', agency_id: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('id="svc-code-error"');
    expect(empty.text).toContain('id="svc-title_ru-error"');
    expect(empty.text).toContain('id="svc-agency_id-error"');
    expect(empty.text).toContain('aria-invalid="true"');

    const bad = await c.post('/services', {
      code: 'bad code!',
      title_ru: 'Услуга',
      agency_id: '999999',
      curator_user_id: '999999',
      channels: 'pigeon',
    });
    expect(bad.status).toBe(422);
    for (const id of ['svc-code-error', 'svc-agency_id-error']) expect(bad.text).toContain(`id="${id}"`);
    expect(bad.text).toContain('Код: буквы, цифры');

    const body = new URLSearchParams({
      _csrf: c.csrf!,
      code: 'MTSR-100',
      title_ru: HOSTILE_TITLE,
      agency_id: String(agency.id),
      curator_user_id: String(curatorId),
      level: 'regional',
      electronic: '1',
      lifeSituationIds: String(ls.id),
    });
    body.append('channels', 'epgu');
    body.append('channels', 'mfc');
    const created = await c.request('/services', { method: 'POST', body });
    expect(created.status).toBe(303);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/^\/services\/\d+$/);
    const row = await tdb.db
      .selectFrom('service')
      .selectAll()
      .where('code', '=', 'MTSR-100')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channels: ['epgu', 'mfc'],
      electronic: true,
      proactive: false,
      curator_user_id: curatorId,
    });

    // The card names the curator with their position; hostile text is escaped everywhere.
    const card = await c.get(location);
    expect(card.status).toBe(200);
    expect(card.text).toContain('заместитель министра');
    expect(card.text).toContain('&lt;img src=x onerror=alert(1)&gt; Иванова');
    expect(card.text).toContain('&lt;script&gt;');
    expect(card.text).not.toContain('<script>alert');
    expect(card.text).not.toContain('<img src=x');
    const list = await c.get('/services?q=MTSR-100');
    expect(list.text).toContain('&lt;script&gt;');
    expect(list.text).not.toContain('<script>alert');
    expect(list.text).not.toContain('<img src=x');

    // A taken code is a field error too (case-insensitive).
    const dup = await c.post('/services', {
      code: 'mtsr-100',
      title_ru: 'Другая',
      agency_id: String(agency.id),
    });
    expect(dup.status).toBe(422);
    expect(dup.text).toContain('Услуга с таким кодом уже есть');

    const edit = await c.get(`${location}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.text).toContain('value="MTSR-100"');
    const saved = await c.post(location, {
      code: 'MTSR-100',
      title_ru: 'Назначение пособия',
      agency_id: String(agency.id),
      proactive: 'on',
      channels: 'office',
    });
    expect(saved.status).toBe(303);
    const after = await tdb.db
      .selectFrom('service')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      title_ru: 'Назначение пособия',
      proactive: true,
      electronic: false,
      channels: ['office'],
      curator_user_id: null,
    });
    expect(
      await tdb.db
        .selectFrom('service_life_situation')
        .selectAll()
        .where('service_id', '=', row.id)
        .execute(),
    ).toEqual([]);

    // No history yet: the service (and its scores) can be deleted.
    await insertScore(tdb.db, row.id, '2025-Q1', 4.1);
    expect((await c.post(`${location}/delete`, {})).status).toBe(303);
    expect(await tdb.db.selectFrom('service').select('id').where('id', '=', row.id).execute()).toEqual([]);
    expect(
      await tdb.db.selectFrom('service_score').select('id').where('service_id', '=', row.id).execute(),
    ).toEqual([]);
  });

  it('refuses non-working-group users (403) and changes nothing', async () => {
    for (const login of ['svc-exec', 'svc-obs']) {
      const c = new WebClient(web.url);
      await c.login(login, 'pw');
      expect((await c.get('/services')).status).toBe(200);
      expect((await c.get('/services/new')).status).toBe(403);
      const r = await c.post('/services', { code: 'X-1', title_ru: 'X', agency_id: String(agency.id) });
      expect(r.status).toBe(403);
      expect((await c.post('/services/settings', { threshold: '4.5' })).status).toBe(403);
    }
    expect(await tdb.db.selectFrom('service').select('id').where('code', '=', 'X-1').execute()).toEqual([]);
  });

  it('imports scores by upload: errors listed with row and column and nothing stored; then a clean import', async () => {
    const s1 = await insertService(tdb.db, { agencyId: agency.id, code: 'MTSR-201' });
    const c = await wg();
    await c.get('/services/scores/import');
    const upload = (content: Uint8Array, name: string) => {
      const fd = new FormData();
      fd.set('_csrf', c.csrf!);
      fd.set('file', new Blob([Buffer.from(content)]), name);
      return c.request('/services/scores/import', { method: 'POST', body: fd });
    };
    const broken = await upload(
      utf8(
        csv([
          ['Код услуги', 'Период', 'Средняя оценка', 'Количество оценок'],
          ['MTSR-201', '2025-Q3', '7', '3'],
          ['NOPE', '2025-Q3', '4', '3'],
        ]),
      ),
      'broken.csv',
    );
    expect(broken.status).toBe(422);
    expect(broken.text).toContain('ошибок — 2');
    expect(broken.text).toMatch(/>2<\/td><td[^>]*>Средняя оценка<\/td><td[^>]*>«7» вне диапазона 1–5<\/td>/);
    expect(broken.text).toMatch(/>3<\/td><td[^>]*>Код услуги<\/td><td[^>]*>Нет услуги с кодом «NOPE»<\/td>/);
    expect(
      await tdb.db.selectFrom('service_score').select('id').where('service_id', '=', s1.id).execute(),
    ).toEqual([]);

    const good = await upload(
      utf8(
        csv([
          ['code', 'period', 'average', 'count'],
          ['MTSR-201', '2025-Q3', '3.4', '12'],
        ]),
      ),
      'good.csv',
    );
    expect(good.status).toBe(200);
    expect(good.text).toContain('Загружено строк: 1. Новых: 1');
    const again = await upload(
      utf8(
        csv([
          ['code', 'period', 'average', 'count'],
          ['MTSR-201', '2025-Q3', '3.4', '12'],
        ]),
      ),
      'good.csv',
    );
    expect(again.text).toContain('без изменений: 1');
    const log = await tdb.db
      .selectFrom('score_import')
      .select(['filename', 'rows', 'inserted', 'unchanged'])
      .execute();
    expect(log).toEqual([
      { filename: 'good.csv', rows: 1, inserted: 1, unchanged: 0 },
      { filename: 'good.csv', rows: 1, inserted: 0, unchanged: 1 },
    ]);
  });

  it('lists low-scoring services, selects them for improvement and starts their workflows', async () => {
    const low = await insertService(tdb.db, {
      agencyId: agency.id,
      code: 'MTSR-301',
      title: 'Низкая услуга',
    });
    const ok = await insertService(tdb.db, { agencyId: agency.id, code: 'MTSR-302' });
    await insertScore(tdb.db, low.id, '2026-Q1', 3.1);
    await insertScore(tdb.db, ok.id, '2026-Q1', 4.4);
    const c = await wg();
    const page = await c.get('/services/low-scoring?period=2026-Q1');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Низкая услуга');
    expect(page.text).toContain(`value="${low.id}"`);
    expect(page.text).not.toContain(`name="service" value="${ok.id}"`);

    const today = instantToLocalDate(Date.now(), 420);
    const planDue = addDays(today, 30);
    const implementationDue = addDays(today, 120);
    const none = await c.post('/services/improvements', {
      period: '2026-Q1',
      target: '4',
      planDue,
      implementationDue,
    });
    expect(none.status).toBe(422);
    expect(none.text).toContain('id="sel-service-error"');
    const notLow = await c.post('/services/improvements', {
      period: '2026-Q1',
      service: String(ok.id),
      target: '4',
      planDue,
      implementationDue,
    });
    expect(notLow.status).toBe(422);
    expect(notLow.text).toContain('MTSR-302 не относится к услугам с низкой оценкой');
    const order = await c.post('/services/improvements', {
      period: '2026-Q1',
      service: String(low.id),
      target: '4',
      planDue: implementationDue,
      implementationDue: planDue,
    });
    expect(order.status).toBe(422);
    expect(order.text).toContain('id="sel-implementationDue-error"');
    expect(await tdb.db.selectFrom('service_improvement').select('id').execute()).toEqual([]);

    const sel = await c.post('/services/improvements', {
      period: '2026-Q1',
      service: String(low.id),
      target: '4,2',
      planDue,
      implementationDue,
    });
    expect(sel.status).toBe(303);
    const imp = await tdb.db
      .selectFrom('service_improvement')
      .selectAll()
      .where('service_id', '=', low.id)
      .executeTakeFirstOrThrow();
    expect(imp).toMatchObject({ period_selected: '2026-Q1', baseline_avg: 3.1, target_avg: 4.2 });
    expect(imp.workflow_id).toBe(serviceImprovementWorkflowId(imp.id, temporal.workflowIdPrefix));
    // The workflow opens the plan as a controlled item with its own workflow.
    let planItem: number | null = null;
    for (let i = 0; i < 100 && !planItem; i++) {
      planItem = (
        await tdb.db
          .selectFrom('service_improvement')
          .select('plan_item_id')
          .where('id', '=', imp.id)
          .executeTakeFirstOrThrow()
      ).plan_item_id;
      if (!planItem) await new Promise((r) => setTimeout(r, 100));
    }
    expect(planItem).not.toBeNull();
    const described = await temporal.client.workflow.getHandle(imp.workflow_id!).describe();
    expect(described.status.name).toBe('RUNNING');
    const card = await c.get(`/services/${low.id}`);
    expect(card.text).toContain('План улучшения');
    expect(card.text).toContain(`href="/items/${planItem}"`);

    // Selecting it again is refused: one open improvement per service.
    const twice = await c.post('/services/improvements', {
      period: '2026-Q1',
      service: String(low.id),
      target: '4',
      planDue,
      implementationDue,
    });
    expect(twice.status).toBe(422);
    expect(twice.text).toContain('уже на контроле');

    // The threshold is a setting: at 3.0 nothing is low any more.
    const bad = await c.post('/services/settings', { threshold: '7' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="set-threshold-error"');
    expect((await c.post('/services/settings', { threshold: '3,0' })).status).toBe(303);
    const relaxed = await c.get('/services/low-scoring?period=2026-Q1');
    expect(relaxed.text).toContain('С низкой оценкой за 1 кв. 2026: 0');
    expect((await c.post('/services/settings', { threshold: '4' })).status).toBe(303);
  });

  it('schedules a check, records findings and opens a remediation item under control', async () => {
    const s = await insertService(tdb.db, {
      agencyId: agency.id,
      code: 'MTSR-401',
      title: 'Проверяемая услуга',
    });
    const c = await wg();
    expect((await c.get(`/services/${s.id}/checks/new`)).status).toBe(200);
    const badKind = await c.post(`/services/${s.id}/checks`, { kind: 'audit', scheduledOn: '2026-01-10' });
    expect(badKind.status).toBe(422);
    expect(badKind.text).toContain('id="chk-kind-error"');
    const sched = await c.post(`/services/${s.id}/checks`, {
      kind: 'mystery_shopping',
      scheduledOn: '2026-01-10',
      channel: 'mfc',
    });
    expect(sched.status).toBe(303);
    const checkUrl = sched.headers.get('location')!;
    const checkId = Number(checkUrl.split('/').at(-1));

    // Remediation needs findings first.
    const early = await c.post(`${checkUrl}/remediation`, { description: 'x', due: '2099-01-10' });
    expect(early.status).toBe(409);

    const badFindings = await c.post(`${checkUrl}/findings`, {
      performedOn: '2026-01-10',
      steps: '-1',
      minutes: 'долго',
    });
    expect(badFindings.status).toBe(422);
    expect(badFindings.text).toContain('id="fd-steps-error"');
    expect(badFindings.text).toContain('id="fd-minutes-error"');
    const findings = await c.post(`${checkUrl}/findings`, {
      performedOn: '2026-01-10',
      steps: '7',
      minutes: '95,5',
      documentsAsked: '4',
      documentsNote: 'справка о составе семьи',
      issues: '<b>Потребовали</b> справку, которой нет в регламенте',
    });
    expect(findings.status).toBe(303);
    const page = await c.get(checkUrl);
    expect(page.text).toContain('95.5');
    expect(page.text).toContain('&lt;b&gt;Потребовали&lt;/b&gt;');

    const noText = await c.post(`${checkUrl}/remediation`, { description: '', due: '2099-01-10' });
    expect(noText.status).toBe(422);
    expect(noText.text).toContain('id="rm-description-error"');
    const opened = await c.post(`${checkUrl}/remediation`, {
      description: 'Исключить требование справки',
      due: '2099-01-10',
    });
    expect(opened.status).toBe(303);
    const check = await tdb.db
      .selectFrom('service_check')
      .selectAll()
      .where('id', '=', checkId)
      .executeTakeFirstOrThrow();
    expect(check).toMatchObject({ status: 'done', steps: 7, minutes: 95.5, documents_asked: 4 });
    const item = await tdb.db
      .selectFrom('control_item')
      .selectAll()
      .where('id', '=', check.remediation_item_id!)
      .executeTakeFirstOrThrow();
    expect(item).toMatchObject({
      kind: 'remediation',
      service_id: s.id,
      agency_id: agency.id,
      description: 'Исключить требование справки',
      current_due: '2099-01-09', // 10 Jan 2099 is a Saturday: the preceding working day
    });
    expect(item.title_ru).toBe(
      'Устранение замечаний по итогам контрольной закупки услуги «Проверяемая услуга»',
    );
    const wf = await temporal.client.workflow
      .getHandle(controlItemWorkflowId(item.id, temporal.workflowIdPrefix))
      .describe();
    expect(wf.status.name).toBe('RUNNING');
    expect((await c.get(`/items/${item.id}`)).status).toBe(200);
    // Only once.
    expect(
      (await c.post(`${checkUrl}/remediation`, { description: 'again', due: '2099-02-10' })).status,
    ).toBe(409);
  });

  it('edits a life situation target state and enters indicator values', async () => {
    const ls = await insertLifeSituation(tdb.db);
    await tdb.db
      .updateTable('life_situation')
      .set({
        target_state: JSON.stringify({
          asIs: { visits: 5 },
          toBe: { visits: 1 },
          phases: [{ name: 'Этап 1', deadline: '2026-06-30' }],
        }),
      })
      .where('id', '=', ls.id)
      .execute();
    const ind = await tdb.db
      .insertInto('indicator')
      .values({
        life_situation_id: ls.id,
        code: 'VISITS',
        title_ru: 'Визиты',
        title_en: 'Visits',
        unit: 'ед.',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const c = await wg();
    const form = await c.get(`/life-situations/${ls.id}/target-state`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="asIs.visits" type="text" value="5"');
    const bad = await c.post(`/life-situations/${ls.id}/target-state`, {
      'asIs.visits': '2.5',
      'toBe.shareOnline': '140',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="ts-asIs-visits-error"');
    expect(bad.text).toContain('id="ts-toBe-shareOnline-error"');
    const ok = await c.post(`/life-situations/${ls.id}/target-state`, {
      'asIs.visits': '5',
      'toBe.visits': '0',
      'asIs.termDays': '45',
      'toBe.termDays': '10',
      'toBe.shareOnline': '90',
      'toBe.avgRating': '4,6',
      'toBe.eForm': '1',
      asIsSteps: 'Очередь в МФЦ\r\nСправка из ЗАГС\r\n',
      scenarioSteps: 'Заявление на Госуслугах',
      approvedBy: '<i>Рабочая группа</i>',
    });
    expect(ok.status).toBe(303);
    const saved = await tdb.db
      .selectFrom('life_situation')
      .select('target_state')
      .where('id', '=', ls.id)
      .executeTakeFirstOrThrow();
    expect(saved.target_state).toEqual({
      asIs: { visits: 5, termDays: 45 },
      toBe: { visits: 0, termDays: 10, shareOnline: 90, avgRating: 4.6, eForm: true, proactive: false },
      asIsSteps: ['Очередь в МФЦ', 'Справка из ЗАГС'],
      scenarioSteps: ['Заявление на Госуслугах'],
      approvedBy: '<i>Рабочая группа</i>',
      phases: [{ name: 'Этап 1', deadline: '2026-06-30' }],
    });
    expect((await c.get(`/life-situations/${ls.id}/target-state`)).text).toContain(
      '&lt;i&gt;Рабочая группа&lt;/i&gt;',
    );

    const badValue = await c.post(`/life-situations/${ls.id}/indicators`, {
      indicatorId: String(ind.id),
      period: 'весной',
      plan: '1',
    });
    expect(badValue.status).toBe(422);
    expect(badValue.text).toContain('id="iv-period-error"');
    const entered = await c.post(`/life-situations/${ls.id}/indicators`, {
      indicatorId: String(ind.id),
      period: '2 кв. 2026',
      plan: '2',
      actual: '3',
    });
    expect(entered.status).toBe(303);
    expect(await tdb.db.selectFrom('indicator_value').selectAll().execute()).toEqual([
      { indicator_id: ind.id, period: '2026-Q2', plan: 2, actual: 3 },
    ]);
    const table = await c.get(`/life-situations/${ls.id}/indicators`);
    expect(table.text).toContain('2 кв. 2026');
    expect(table.text).toContain('2 / 3');
  });
});
