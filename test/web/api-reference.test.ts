import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { BUILT_IN_CALENDAR, fixedHolidays, installCalendar } from '../../domain/calendar/index.ts';
import { insertUser } from '../support/fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

// Reference data on the JSON API with an administrator's and a working-group member's tokens: the same
// use cases as the pages, the same refusals (a 422 naming the field, row errors for files), the same audit.
describe('reference data API', () => {
  let stack: TestStack;
  let admin: string;
  let wg: string;
  beforeAll(async () => {
    stack = await startTestStack({ workerStartsWorkflows: true });
    const db = stack.tdb.db;
    const a = await insertUser(db, 'admin', null);
    const w = await insertUser(db, 'working_group', null);
    admin = (await createApiToken(db, { name: 'a', subject: { userId: a.id }, createdBy: a.id })).token;
    wg = (await createApiToken(db, { name: 'w', subject: { userId: w.id }, createdBy: a.id })).token;
  });
  afterAll(async () => {
    installCalendar(BUILT_IN_CALENDAR);
    await stack?.close();
  });

  async function call(token: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${stack.web.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'accept-language': 'ru',
        ...(body instanceof FormData ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('creates, edits and merges agencies; the working group may not', async () => {
    const mj = await call(admin, 'POST', '/agencies', {
      code: 'MJ',
      titleRu: 'Министерство юстиции Новосибирской области',
      shortRu: 'Минюст',
      aliases: ['Министерство юстиции'],
    });
    expect(mj.status).toBe(201);
    const dup = await call(admin, 'POST', '/agencies', {
      code: 'OTHER',
      titleRu: 'Другое',
      aliases: ['минюст'],
    });
    expect(dup).toMatchObject({
      status: 422,
      body: { error: { field: 'aliases', key: 'error.agency.nameTaken' } },
    });
    expect((await call(wg, 'POST', '/agencies', { code: 'X', titleRu: 'Х' })).status).toBe(403);
    const old = await call(admin, 'POST', '/agencies', {
      code: 'OLD',
      titleRu: 'Старое управление',
      kind: 'regional',
    });
    const put = await call(admin, 'PUT', `/agencies/${old.body.id}`, {
      code: 'OLD',
      titleRu: 'Старое управление',
      kind: 'federal',
      disabled: false,
    });
    expect(put.status).toBe(200);
    const merged = await call(admin, 'POST', `/agencies/${old.body.id}/merge`, {
      intoAgencyId: mj.body.id,
      reason: 'реорганизация',
    });
    expect(merged).toMatchObject({ status: 200, body: { reassigned: 0, pending: 0 } });
    const list = await call(admin, 'GET', '/agencies');
    expect(list.status).toBe(200);
  });

  it('creates people, roadmaps and life situations; lists them; audits everything', async () => {
    const p = await call(admin, 'POST', '/people', {
      login: 'api.person',
      displayName: 'Лицо API',
      role: 'observer',
      authSource: 'ldap',
    });
    expect(p.status).toBe(201);
    const bad = await call(admin, 'POST', '/people', {
      login: 'api.exec',
      displayName: 'И',
      role: 'agency_executor',
    });
    expect(bad).toMatchObject({ status: 422, body: { error: { field: 'agencyId' } } });
    const people = await call(admin, 'GET', '/people');
    expect(people.body.people.map((x: { login: string }) => x.login)).toContain('api.person');
    const rm = await call(wg, 'POST', '/roadmaps', {
      code: 'API-RM',
      titleRu: 'Карта',
      horizon: '2027-12-31',
      policy: { reminders: [5, 0], ladder: [0, 1, 2, 3], repeatEvery: 5, reworkDays: 5 },
    });
    expect(rm.status).toBe(201);
    const ladder = await call(wg, 'PUT', `/roadmaps/${rm.body.id}`, {
      code: 'API-RM',
      titleRu: 'Карта',
      policy: { reminders: [5], ladder: [3, 1, 2, 3], repeatEvery: 5, reworkDays: 5 },
    });
    expect(ladder).toMatchObject({ status: 422, body: { error: { field: 'ladder' } } });
    expect((await call(wg, 'GET', '/roadmaps')).body.roadmaps[0]).toMatchObject({
      code: 'API-RM',
      horizon: '2027-12-31',
    });
    expect(
      (await call(wg, 'POST', '/life-situations', { code: 'API-LS', titleRu: 'Ситуация', level: 'federal' }))
        .status,
    ).toBe(201);
    const audit = await call(wg, 'GET', '/audit?category=programme');
    expect(audit.body.events.map((e: { type: string }) => e.type).sort()).toEqual([
      'life_situation.created',
      'roadmap.created',
    ]);
  });

  it('replaces a committee, enters a calendar year, onboards people from a file', async () => {
    const put = await call(wg, 'PUT', '/committee/shtab', {
      members: [
        { role: 'chair', name: 'Петров П. П.' },
        { role: 'expert', name: 'Сидорова А. А.' },
      ],
    });
    expect(put.status).toBe(200);
    expect((await call(wg, 'GET', '/committee')).body.members).toHaveLength(2);
    const none = await call(wg, 'PUT', '/committee/shtab', { members: [{ role: 'member' }] });
    expect(none).toMatchObject({ status: 422, body: { error: { field: 'members.0.userId' } } });

    const year = 2031;
    const days = fixedHolidays(year).filter((d) => ![6, 0].includes(new Date(`${d}T00:00:00Z`).getUTCDay()));
    const missing = await call(admin, 'PUT', `/calendar/${year}`, {
      daysOff: days.slice(1),
      source: 'Пост.',
    });
    expect(missing).toMatchObject({
      status: 422,
      body: { error: { field: 'daysOff', key: 'error.calendar.holidayMissing' } },
    });
    expect((await call(wg, 'PUT', `/calendar/${year}`, { daysOff: days, source: 'Пост.' })).status).toBe(403);
    const ok = await call(admin, 'PUT', `/calendar/${year}`, { daysOff: days, source: 'Постановление № 1' });
    expect(ok).toMatchObject({ status: 200, body: { rolledOut: true } });
    expect((await call(wg, 'GET', '/calendar')).body.years[0]).toMatchObject({
      year,
      version: ok.body.version,
    });

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Люди');
    ws.addRow(['Логин', 'ФИО', 'Роль', 'Ведомство']);
    ws.addRow(['file.exec', 'Из файла', 'исполнитель ведомства', 'Министерство юстиции']);
    ws.addRow(['file.bad', 'Плохо', 'космонавт', '']);
    const form = (buf: ArrayBuffer) => {
      const fd = new FormData();
      fd.set('file', new Blob([buf]), 'people.xlsx');
      return fd;
    };
    const refused = await call(admin, 'POST', '/onboarding/people', form(await wb.xlsx.writeBuffer()));
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { row: 3, column: 'Роль', key: 'error.onboarding.role', message: 'Непонятная роль «космонавт»' },
    ]);
    ws.spliceRows(3, 1);
    const done = await call(admin, 'POST', '/onboarding/people', form(await wb.xlsx.writeBuffer()));
    expect(done).toMatchObject({ status: 200, body: { rows: 1, created: 1 } });
  });
});
