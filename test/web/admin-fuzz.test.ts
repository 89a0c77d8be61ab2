import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { hashPassword } from '../../web/index.ts';
import { insertAgency, insertUser } from '../support/fixtures.ts';
import {
  brief,
  FUZZ_SEED,
  fuzzForm,
  fuzzParams,
  hasMessage,
  nastyString,
  tableDigests,
} from '../support/fuzz-fixtures.ts';
import { postForm } from '../support/item-ui-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

// Arbitrary input to every reference-data form, file upload and API body (issue 15): the answer is a
// page, a redirect or a 4xx that says what is wrong — never a 500 — and a refused request stores nothing.

const TABLES = [
  'agency',
  'app_user',
  'roadmap',
  'life_situation',
  'service',
  'committee_member',
  'calendar_year',
  'setting',
  'event',
];

describe(`fuzzed reference-data input (seed ${FUZZ_SEED})`, () => {
  let stack: TestStack;
  let admin: WebClient;
  let token: string;
  let agencyId: number;
  let serviceId: number;

  beforeAll(async () => {
    stack = await startTestStack({ workerStartsWorkflows: true });
    const db = stack.tdb.db;
    agencyId = (await insertAgency(db, 'FZR')).id;
    serviceId = (
      await db
        .insertInto('service')
        .values({ code: 'FZ-SVC', title_ru: 'Услуга', agency_id: agencyId })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const boss = await insertUser(db, 'admin', null, {
      login: 'fzr-admin',
      password_hash: await hashPassword('pw'),
    });
    admin = new WebClient(stack.web.url);
    await admin.login('fzr-admin', 'pw');
    await admin.get('/admin/agencies');
    token = (await createApiToken(db, { name: 'fzr', subject: { userId: boss.id }, createdBy: boss.id }))
      .token;
  });
  afterAll(() => stack?.close());

  const check = async (path: string, form: Record<string, string | string[]>, allowed: number[]) => {
    const before = await tableDigests(stack.tdb.db, TABLES);
    const res = await postForm(admin, path, form);
    const what = `${path} ${brief(form)}`;
    expect(res.status, what).toBeLessThan(500);
    expect(allowed, `${what}: ${res.status}`).toContain(res.status);
    if (res.status >= 400) {
      expect(hasMessage(res.text), what).toBe(true);
      expect(await tableDigests(stack.tdb.db, TABLES), what).toEqual(before);
    }
  };

  const id = fc.oneof(fc.constant(''), fc.nat({ max: 10 }).map(String), nastyString);
  const code = fc.constantFrom('FZ-1', 'fz.2', 'Я-3');

  it('the agency, person, roadmap, life situation, committee and calendar forms', async () => {
    const forms: [string, Record<string, fc.Arbitrary<string>[]>][] = [
      [
        '/admin/agencies',
        {
          code: [code],
          titleRu: [fc.constantFrom('Министерство', 'Управление делами')],
          shortRu: [fc.constant('Мин')],
          kind: [fc.constantFrom('regional', 'mfc', 'municipality')],
          aliases: [fc.constant('Один\nДва')],
        },
      ],
      [
        '/admin/accounts',
        {
          login: [fc.constantFrom('fz.user', 'fz2')],
          displayName: [fc.constant('Иванов')],
          email: [fc.constant('a@b.ru')],
          role: [fc.constantFrom('observer', 'agency_executor')],
          agencyId: [id],
          locale: [fc.constantFrom('ru', 'en')],
          authSource: [fc.constantFrom('local', 'ldap', 'oidc')],
        },
      ],
      [
        '/admin/roadmaps',
        {
          code: [code],
          titleRu: [fc.constant('Карта')],
          horizon: [fc.constant('2027-12-31')],
          ownPolicy: [fc.constant('1')],
          reminders: [fc.constant('10, 5, 0')],
          ladder1: [fc.constant('0')],
          ladder2: [fc.constant('1')],
          ladder3: [fc.constant('3')],
          ladder4: [fc.constant('5')],
          repeatEvery: [fc.constant('5')],
          reworkDays: [fc.constant('5')],
        },
      ],
      [
        '/admin/life-situations',
        {
          code: [code],
          titleRu: [fc.constant('Ситуация')],
          level: [fc.constantFrom('federal', 'regional')],
          periodFrom: [fc.constant('2025-01-01')],
          periodTo: [fc.constant('2026-12-31')],
        },
      ],
      [
        '/admin/committee',
        {
          body: [fc.constantFrom('working_group', 'shtab')],
          role: [fc.constantFrom('member', 'expert')],
          userId: [id],
          agencyId: [id],
          name: [fc.constant('Эксперт')],
        },
      ],
      [
        '/admin/calendar',
        {
          year: [fc.constantFrom('2031', '2032')],
          source: [fc.constant('Постановление')],
          daysOff: [fc.constant('2031-01-01, 2031-01-02')],
          workingWeekends: [fc.constant('')],
        },
      ],
    ];
    for (const [path, fields] of forms)
      await fc.assert(
        fc.asyncProperty(fuzzForm(fields), async (form) => check(path, form, [303, 409, 422])),
        fuzzParams(25),
      );
  });

  it('the merge, curator and edit forms of existing records', async () => {
    await fc.assert(
      fc.asyncProperty(
        fuzzForm({ intoId: [id], reason: [fc.constant('реорганизация')], confirm: [fc.constant('1')] }),
        async (form) => {
          // Merging into nothing real: refused whatever the form says (404 unknown, 409, 422).
          const into = typeof form.intoId === 'string' && /^\d+$/.test(form.intoId) ? '999999' : form.intoId;
          const f = { ...form, intoId: into ?? '' };
          await check(`/admin/agencies/${agencyId}/merge`, f, [404, 409, 422]);
        },
      ),
      fuzzParams(25),
    );
    await fc.assert(
      fc.asyncProperty(fuzzForm({ login: [fc.constantFrom('', 'nobody')] }), async (form) =>
        check(`/admin/curators/${serviceId}`, form, [303, 422]),
      ),
      fuzzParams(25),
    );
  });

  it('uploads of arbitrary bytes to every reference file import store nothing', async () => {
    await admin.get('/admin/onboarding');
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc.string({ maxLength: 300 }).map((s) => new TextEncoder().encode(`Код;Наименование\n${s}`)),
      fc.string({ maxLength: 300 }).map((s) => new TextEncoder().encode(`Логин;ФИО;Роль\n${s}`)),
      fc.string({ maxLength: 300 }).map((s) => new TextEncoder().encode(`Дата;Тип\n${s}`)),
    );
    await fc.assert(
      fc.asyncProperty(
        bytes,
        fc.constantFrom(
          '/admin/onboarding/agencies',
          '/admin/onboarding/people',
          '/admin/curators/import',
          '/admin/calendar/import',
        ),
        fc.constantFrom('x.csv', 'x.xlsx', 'x'),
        async (content, path, name) => {
          const before = await tableDigests(stack.tdb.db, TABLES);
          const fd = new FormData();
          fd.set('_csrf', admin.csrf!);
          fd.set('year', '2031');
          fd.set('source', 'Постановление');
          fd.set('file', new Blob([Buffer.from(content)]), name);
          const res = await admin.request(path, { method: 'POST', body: fd });
          const what = `${path} ${name} ${brief(Buffer.from(content).toString('latin1'))}`;
          expect(res.status, what).toBeLessThan(500);
          if (res.status === 422) {
            expect(hasMessage(res.text), what).toBe(true);
            expect(await tableDigests(stack.tdb.db, TABLES), what).toEqual(before);
          } else expect(res.status, what).toBe(path === '/admin/calendar/import' ? 303 : 200);
        },
      ),
      fuzzParams(40),
    );
  });

  it('the reference API answers any JSON with 2xx or a 4xx naming the field, never a partial write', async () => {
    const bodies = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record(
          {
            code: fc.oneof(code, nastyString),
            titleRu: fc.oneof(fc.constant('Т'), nastyString),
            kind: fc.oneof(fc.constantFrom('regional', 'federal'), nastyString),
            aliases: fc.oneof(fc.array(nastyString, { maxLength: 3 }), nastyString),
            login: fc.oneof(fc.constant('api.user'), nastyString),
            displayName: fc.oneof(fc.constant('Имя'), nastyString),
            role: fc.oneof(fc.constantFrom('observer', 'agency_head'), nastyString),
            agencyId: fc.oneof(fc.constant(agencyId), fc.integer(), fc.constant(null), nastyString),
            daysOff: fc.oneof(
              fc.array(fc.constantFrom('2031-01-01', '2031-02-30', 'x'), { maxLength: 3 }),
              nastyString,
            ),
            source: fc.oneof(fc.constant('Пост.'), nastyString),
            level: fc.oneof(fc.constantFrom('federal', 'regional'), nastyString),
          },
          { requiredKeys: [] },
        ),
      },
      { weight: 1, arbitrary: fc.anything() },
    );
    const targets = [
      ['POST', '/agencies'],
      ['PUT', `/agencies/${agencyId}`],
      ['POST', '/people'],
      ['POST', '/life-situations'],
      ['POST', '/roadmaps'],
      ['PUT', '/calendar/2031'],
      ['PUT', '/committee/shtab'],
      ['PUT', `/services/${serviceId}/curator`],
    ] as const;
    await fc.assert(
      fc.asyncProperty(bodies, fc.constantFrom(...targets), async (b, [method, path]) => {
        const before = await tableDigests(stack.tdb.db, TABLES);
        const res = await fetch(`${stack.web.url}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(b),
        });
        const json = (await res.json()) as { error?: { field?: string } };
        const what = `${method} ${path} ${brief(b)}`;
        expect(res.status, what).toBeLessThan(500);
        if (res.status >= 400) {
          expect([404, 409, 422], what).toContain(res.status);
          if (res.status === 422) expect(json.error?.field, what).toBeTruthy();
          expect(await tableDigests(stack.tdb.db, TABLES), what).toEqual(before);
        }
      }),
      fuzzParams(60),
    );
  });
});
