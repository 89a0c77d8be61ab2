import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../web/index.ts';
import { insertAgency, insertUser } from '../support/fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

// The administration pages end to end over HTTP (real Postgres, Temporal, worker): agencies, people,
// roadmaps, life situations, curators one by one and from a file, committees, onboarding files, the
// audit page. Refused forms answer 422 with the field's message and store nothing.

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Лист1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The rows of a page's import-problems table as "row | column | problem" lines. */
function problemRows(html: string): string[] {
  const table = /<table class="data-table import-errors"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)]
    .slice(1)
    .map((m) =>
      [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)]
        .map((c) => c[1]!.replace(/<[^>]+>/g, '').trim())
        .join(' | '),
    );
}

describe('administration of reference data', () => {
  let stack: TestStack;
  let admin: WebClient;
  let wg: WebClient;
  const count = (
    table: 'agency' | 'app_user' | 'roadmap' | 'life_situation' | 'committee_member' | 'event',
  ) =>
    stack.tdb.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));

  const upload = (
    c: WebClient,
    path: string,
    bytes: Uint8Array,
    name: string,
    extra: Record<string, string> = {},
  ) => {
    const fd = new FormData();
    fd.set('_csrf', c.csrf!);
    for (const [k, v] of Object.entries(extra)) fd.set(k, v);
    fd.set('file', new Blob([Buffer.from(bytes)]), name);
    return c.request(path, { method: 'POST', body: fd });
  };

  beforeAll(async () => {
    stack = await startTestStack({ workerStartsWorkflows: true });
    const hash = await hashPassword('pw');
    await insertUser(stack.tdb.db, 'admin', null, { login: 'adm', password_hash: hash });
    await insertUser(stack.tdb.db, 'working_group', null, { login: 'wg', password_hash: hash });
    admin = new WebClient(stack.web.url);
    await admin.login('adm', 'pw');
    wg = new WebClient(stack.web.url);
    await wg.login('wg', 'pw');
  });
  afterAll(() => stack?.close());

  it('creates and edits an agency with aliases; refuses a taken name or code and stores nothing', async () => {
    await admin.get('/admin/agencies/new');
    const created = await admin.post('/admin/agencies', {
      code: 'MJ',
      titleRu: 'Министерство юстиции Новосибирской области',
      shortRu: 'Минюст',
      kind: 'regional',
      aliases: 'Министерство юстиции\nМинюст НСО',
    });
    expect(created.status).toBe(303);
    const id = Number(/\/admin\/agencies\/(\d+)/.exec(created.headers.get('location')!)![1]);
    const page = await admin.get(`/admin/agencies/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Министерство юстиции');
    expect(page.text).toContain('агентство добавлено'.replace('агентство', 'ведомство'));

    const before = await count('agency');
    const events = await count('event');
    const clash = await admin.post('/admin/agencies', {
      code: 'mj',
      titleRu: 'Другое',
      kind: 'regional',
      aliases: 'Минюст НСО',
    });
    expect(clash.status).toBe(422);
    expect(clash.text).toContain('Ведомство с кодом «mj» уже есть');
    expect(clash.text).toContain('Наименование «Минюст НСО» уже относится к ведомству «Минюст»');
    const bad = await admin.post('/admin/agencies', { code: 'has space', titleRu: '', kind: 'alien' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Заполните поле');
    expect(bad.text).toContain('aria-invalid="true"');
    expect(await count('agency')).toBe(before);
    expect(await count('event')).toBe(events);

    const edited = await admin.post(`/admin/agencies/${id}`, {
      code: 'MJ',
      titleRu: 'Министерство юстиции Новосибирской области',
      shortRu: 'Минюст',
      kind: 'regional',
      aliases: 'Министерство юстиции',
    });
    expect(edited.status).toBe(303);
    const audit = await admin.get('/admin/audit?category=agency');
    expect(audit.text).toContain('сведения о ведомстве изменены');
    expect(audit.text).toMatch(
      /<del>Министерство юстиции; Минюст НСО<\/del> →\s*<ins>Министерство юстиции<\/ins>/,
    );
  });

  it('creates a person with a sign-in method, edits the role, disables; the working group may not', async () => {
    const agency = await insertAgency(stack.tdb.db);
    await admin.get('/admin/accounts/new');
    const bad = await admin.post('/admin/accounts', {
      login: 'x y',
      displayName: 'Иванов',
      role: 'agency_executor',
      agencyId: '',
      locale: 'ru',
      authSource: 'ldap',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Логин: буквы');
    expect(bad.text).toContain('укажите ведомство');
    const r = await admin.post('/admin/accounts', {
      login: 'ivanov',
      displayName: 'Иванов Иван Иванович',
      email: 'ivanov@region.test',
      role: 'agency_executor',
      agencyId: String(agency.id),
      position: 'Консультант',
      locale: 'ru',
      authSource: 'ldap',
    });
    expect(r.status).toBe(303);
    const person = await stack.tdb.db
      .selectFrom('app_user')
      .selectAll()
      .where('login', '=', 'ivanov')
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ auth_source: 'ldap', password_hash: null, position: 'Консультант' });
    const list = await admin.get('/admin/accounts');
    expect(list.text).toContain('Консультант');
    const upd = await admin.post(`/admin/accounts/${person.id}/details`, {
      displayName: 'Иванов Иван Иванович',
      email: 'ivanov@region.test',
      role: 'agency_head',
      agencyId: String(agency.id),
      position: 'Начальник отдела',
      locale: 'ru',
    });
    expect(upd.status).toBe(303);
    expect(
      (
        await stack.tdb.db
          .selectFrom('app_user')
          .select('role')
          .where('id', '=', person.id)
          .executeTakeFirstOrThrow()
      ).role,
    ).toBe('agency_head');
    expect((await admin.post(`/admin/accounts/${person.id}/disable`, {})).status).toBe(303);
    const again = await admin.get(`/admin/accounts/${person.id}`);
    expect(again.text).toContain('учётная запись отключена');
    expect((await wg.post('/admin/accounts', { login: 'nope' }, { htmx: true })).status).toBe(403);
  });

  it('keeps roadmaps and life situations for the working group, with a chase policy in working days', async () => {
    await wg.get('/admin/roadmaps/new');
    const bad = await wg.post('/admin/roadmaps', {
      code: 'RM-1',
      titleRu: 'Дорожная карта',
      ownPolicy: '1',
      reminders: '10, five',
      ladder1: '0',
      ladder2: '3',
      ladder3: '1',
      ladder4: '5',
      repeatEvery: '5',
      reworkDays: '0',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Укажите целые числа через запятую');
    expect(await count('roadmap')).toBe(0);
    const ok = await wg.post('/admin/roadmaps', {
      code: 'RM-1',
      titleRu: 'Дорожная карта «Государство для людей»',
      act: 'Распоряжение № 95-рп',
      horizon: '2027-12-31',
      headSignoffRequired: '1',
      ownPolicy: '1',
      reminders: '10, 3, 0',
      reworkReminders: '1',
      recurringReminders: '5',
      ladder1: '0',
      ladder2: '2',
      ladder3: '4',
      ladder4: '6',
      repeatEvery: '5',
      reworkDays: '7',
    });
    expect(ok.status).toBe(303);
    const rm = await stack.tdb.db.selectFrom('roadmap').selectAll().executeTakeFirstOrThrow();
    expect(rm).toMatchObject({
      horizon: '2027-12-31',
      head_signoff_required: true,
      act: 'Распоряжение № 95-рп',
    });
    expect(rm.chase_policy).toMatchObject({
      reminderWorkingDaysBefore: [10, 3, 0],
      escalation: [
        { level: 1, afterWorkingDays: 0 },
        { level: 2, afterWorkingDays: 2 },
        { level: 3, afterWorkingDays: 4 },
        { level: 4, afterWorkingDays: 6 },
      ],
      reworkWorkingDays: 7,
    });

    const ls = await wg.post('/admin/life-situations', {
      code: 'LS-1',
      titleRu: 'Многодетная семья',
      level: 'regional',
      periodFrom: '2025-01-01',
      periodTo: '2024-12-31',
    });
    expect(ls.status).toBe(422);
    expect(ls.text).toContain('Окончание периода раньше начала');
    expect(await count('life_situation')).toBe(0);
    expect(
      (
        await wg.post('/admin/life-situations', {
          code: 'LS-1',
          titleRu: 'Многодетная семья',
          level: 'regional',
          periodFrom: '2025-01-01',
          periodTo: '2027-12-31',
        })
      ).status,
    ).toBe(303);
    const audit = await wg.get('/admin/audit?category=programme');
    expect(audit.text).toContain('дорожная карта добавлена');
    expect(audit.text).toContain('жизненная ситуация добавлена');
  });

  it('assigns curators one by one and from a file, refusing a file with any bad row', async () => {
    const agency = await insertAgency(stack.tdb.db);
    const cur = await insertUser(stack.tdb.db, 'agency_executor', agency.id, { login: 'curator1' });
    await insertUser(stack.tdb.db, 'observer', null, { login: 'watcher' });
    const mk = (code: string) =>
      stack.tdb.db
        .insertInto('service')
        .values({ code, title_ru: `Услуга ${code}`, agency_id: agency.id })
        .returning('id')
        .executeTakeFirstOrThrow();
    const s1 = await mk('SVC-1');
    const s2 = await mk('SVC-2');
    await wg.get('/admin/curators');
    const one = await wg.post(`/admin/curators/${s1.id}`, { login: 'CURATOR1', back: '/admin/curators' });
    expect(one.status).toBe(303);
    const unknown = await wg.post(`/admin/curators/${s2.id}`, { login: 'nobody' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Нет сотрудника с логином «nobody»');

    await wg.get('/admin/curators');
    const broken = await upload(
      wg,
      '/admin/curators/import',
      await xlsx([
        ['Код услуги', 'Куратор'],
        ['SVC-2', 'curator1'],
        ['SVC-9', 'curator1'],
        ['SVC-1', 'watcher'],
        ['SVC-2', 'curator1'],
      ]),
      'curators.xlsx',
    );
    expect(broken.status).toBe(422);
    expect(problemRows(broken.text)).toEqual([
      '3 | Код услуги | Нет услуги с кодом «SVC-9»',
      '4 | Куратор | Сотрудник «watcher» не может быть куратором (отключён или наблюдатель)',
      '5 | Код услуги | Услуга SVC-2 уже есть в строке 2',
    ]);
    const s2row = await stack.tdb.db
      .selectFrom('service')
      .select('curator_user_id')
      .where('id', '=', s2.id)
      .executeTakeFirstOrThrow();
    expect(s2row.curator_user_id).toBeNull();

    const good = await upload(
      wg,
      '/admin/curators/import',
      await xlsx([
        ['Код услуги', 'Наименование услуги', 'Куратор'],
        ['svc-2', 'Услуга SVC-2', 'curator1'],
        ['SVC-1', 'Услуга SVC-1', '—'],
      ]),
      'curators.xlsx',
    );
    expect(good.status).toBe(200);
    expect(good.text).toContain('Кураторы изменены: 2');
    const after = await stack.tdb.db
      .selectFrom('service')
      .select(['code', 'curator_user_id'])
      .orderBy('code')
      .execute();
    expect(after).toEqual([
      { code: 'SVC-1', curator_user_id: null },
      { code: 'SVC-2', curator_user_id: cur.id },
    ]);
    const template = await wg.download('/admin/curators/template.xlsx');
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toContain('spreadsheetml');
  });

  it('lists the working group and the штаб, with agencies as participants, on the check-in page too', async () => {
    const muni = await insertAgency(stack.tdb.db, 'MO-ISK');
    await wg.get('/admin/committee');
    const none = await wg.post('/admin/committee', { body: 'working_group', role: 'member' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Укажите сотрудника, ФИО или ведомство');
    expect(await count('committee_member')).toBe(0);
    const seats: Record<string, string>[] = [
      {
        body: 'working_group',
        role: 'chair',
        name: 'Петров Пётр Петрович',
        position: 'Первый заместитель Губернатора',
      },
      { body: 'shtab', role: 'participant', agencyId: String(muni.id) },
      { body: 'working_group', role: 'expert', name: 'Сидорова А. А.', position: 'АНО «Эксперт»' },
    ];
    for (const form of seats) expect((await wg.post('/admin/committee', form)).status).toBe(303);
    const page = await wg.get('/admin/committee');
    expect(page.text).toContain('Петров Пётр Петрович');
    expect(page.text).toContain(`Министерство MO-ISK`);
    const roadmap = await stack.tdb.db.selectFrom('roadmap').select('id').executeTakeFirstOrThrow();
    const ci = await stack.tdb.db
      .insertInto('check_in')
      .values({ roadmap_id: roadmap.id, meeting_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const meeting = await wg.get(`/check-ins/${ci.id}`);
    expect(meeting.status).toBe(200);
    expect(meeting.text).toContain('Состав рабочей группы и штаба');
    expect(meeting.text).toContain('Сидорова А. А.');
  });

  it('onboards agencies and people from files: checked whole, re-import updates by code and login', async () => {
    await admin.get('/admin/onboarding');
    const agencies = await xlsx([
      ['Код', 'Наименование', 'Краткое наименование', 'Вид', 'Синонимы'],
      ['MFC', 'ГАУ НСО «Многофункциональный центр»', 'МФЦ', 'МФЦ', 'Многофункциональный центр'],
      [
        'OMSU',
        'Органы местного самоуправления Новосибирской области',
        'ОМСУ',
        'ОМСУ',
        'Органы местного самоуправления',
      ],
      ['BAD', 'Плохое', '', 'инопланетный', ''],
    ]);
    const before = await count('agency');
    const refused = await upload(admin, '/admin/onboarding/agencies', agencies, 'agencies.xlsx');
    expect(refused.status).toBe(422);
    expect(problemRows(refused.text)).toEqual(['4 | Вид | Непонятный вид ведомства «инопланетный»']);
    expect(await count('agency')).toBe(before);
    const fixed = await xlsx([
      ['Код', 'Наименование', 'Краткое наименование', 'Вид', 'Синонимы'],
      ['MFC', 'ГАУ НСО «Многофункциональный центр»', 'МФЦ', 'МФЦ', 'Многофункциональный центр'],
      [
        'OMSU',
        'Органы местного самоуправления Новосибирской области',
        'ОМСУ',
        'ОМСУ',
        'Органы местного самоуправления',
      ],
    ]);
    const ok = await upload(admin, '/admin/onboarding/agencies', fixed, 'agencies.xlsx');
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Добавлено: 2, обновлено: 0');
    const kinds = await stack.tdb.db
      .selectFrom('agency')
      .select(['code', 'kind', 'aliases'])
      .where('code', 'in', ['MFC', 'OMSU'])
      .orderBy('code')
      .execute();
    expect(kinds).toEqual([
      { code: 'MFC', kind: 'mfc', aliases: ['Многофункциональный центр'] },
      { code: 'OMSU', kind: 'municipality', aliases: ['Органы местного самоуправления'] },
    ]);

    const people = (role: string) =>
      xlsx([
        ['Логин', 'ФИО', 'Роль', 'Ведомство', 'Должность', 'Способ входа'],
        ['mfc.exec', 'Кузнецова Мария', role, 'МФЦ', 'Специалист', 'каталог'],
        [
          'omsu.head',
          'Смирнов Олег',
          'руководитель ведомства',
          'Органы местного самоуправления',
          '',
          'единый вход',
        ],
      ]);
    const wrong = await upload(
      admin,
      '/admin/onboarding/people',
      await xlsx([
        ['Логин', 'ФИО', 'Роль', 'Ведомство'],
        ['a.b', 'А Б', 'исполнитель', 'Многофункциональный цент'],
      ]),
      'people.xlsx',
    );
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Возможно, имелось в виду: МФЦ');
    const first = await upload(
      admin,
      '/admin/onboarding/people',
      await people('исполнитель ведомства'),
      'people.xlsx',
    );
    expect(first.status).toBe(200);
    expect(first.text).toContain('Добавлено: 2, обновлено: 0');
    const second = await upload(
      admin,
      '/admin/onboarding/people',
      await people('руководитель ведомства'),
      'people.xlsx',
    );
    expect(second.text).toContain('Добавлено: 0, обновлено: 1, без изменений: 1');
    const rows = await stack.tdb.db
      .selectFrom('app_user')
      .select(['login', 'role', 'auth_source'])
      .where('login', 'in', ['mfc.exec', 'omsu.head'])
      .orderBy('login')
      .execute();
    expect(rows).toEqual([
      { login: 'mfc.exec', role: 'agency_head', auth_source: 'ldap' },
      { login: 'omsu.head', role: 'agency_head', auth_source: 'oidc' },
    ]);
  });

  it('shows an entered calendar year with its decree and who entered it, marked as typed text', async () => {
    await admin.get('/admin/calendar');
    const entered = await admin.post('/admin/calendar', {
      year: '2033',
      source: 'Постановление Правительства РФ № 1 (проект)',
      daysOff:
        '2033-01-01, 2033-01-02, 2033-01-03, 2033-01-04, 2033-01-05, 2033-01-06, 2033-01-07, 2033-01-08, 2033-02-23, 2033-03-08, 2033-05-01, 2033-05-09, 2033-06-13, 2033-11-04',
      workingWeekends: '',
    });
    expect(entered.status).toBe(303);
    const page = (await admin.get('/admin/calendar')).text;
    // On an English page too these stay Russian and are read as such: the decree's name and the person.
    expect(page).toMatch(
      /<span lang="ru">Постановление Правительства РФ № 1 \(проект\)<\/span> · внёс\(ла\) <span lang="ru">Пользователь adm<\/span>, \d\d\.\d\d\.\d{4}/,
    );
  });
});
