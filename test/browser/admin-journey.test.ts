import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../web/index.ts';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.ts';
import { insertUser } from '../support/fixtures.ts';
import { roadmapXlsx, ru, todayLocal, workingOnOrAfter } from '../support/import-fixtures.ts';
import { CLIENT_ID, startKeycloak, type Keycloak } from '../support/keycloak.ts';
import { startSlapd, type Slapd } from '../support/slapd.ts';
import { authFromEnv, ldapEnv } from '../support/sso.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { addDays } from '../../domain/local-date.ts';

// A new project office adopts Shtab without a developer, in Chromium, on an EMPTY database (no demo data;
// only the break-glass administrator the installation creates): it creates a roadmap, two agencies (one
// with an alias, one known by a short name under 5 characters) and three people (one for the OpenID
// provider, one for the LDAP directory, one local), imports a roadmap .xlsx that names the agencies as a
// real roadmap does («Министерство юстиции», «Многофункциональный центр», «МФЦ»), assigns a service's
// curator from an .xlsx, and the executors sign in through Keycloak and through slapd and see their items.

const SECRET = 'journey-client-secret-1';
const DIR_PASSWORD = 'Пароль-домена-2';
const OIDC_PASSWORD = 'Пароль-Keycloak-2';
const MEASURE_MJ = 'Запись на приём к нотариусу через Госуслуги';
const MEASURE_MFC = 'Выдача документов в МФЦ по экстерриториальному принципу';

describe('adopting Shtab: the administrator sets up reference data, executors sign in', () => {
  let kc: Keycloak;
  let slapd: Slapd;
  let stack: TestStack;
  let browser: Browser;
  let admin: Page;
  const files = mkdtempSync(path.join(os.tmpdir(), 'shtab-journey-'));
  const contexts: BrowserContext[] = [];
  const url = (p: string) => `${stack.web.url}${p}`;
  const fresh = async (): Promise<Page> => {
    const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };
  const accessible = async (page: Page, where: string) =>
    expect(await seriousAxeViolations(page), where).toEqual([]);
  const submit = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).click();

  beforeAll(async () => {
    [kc, slapd, browser] = await Promise.all([
      startKeycloak(),
      startSlapd({ people: [{ uid: 'kozlov', name: 'Кирилл Козлов', password: DIR_PASSWORD, groups: [] }] }),
      launchBrowser(),
    ]);
    stack = await startTestStack({
      workerStartsWorkflows: true,
      changeFeed: true,
      app: {
        auth: authFromEnv({
          ...ldapEnv(slapd),
          OIDC_ISSUER: kc.issuer,
          OIDC_CLIENT_ID: CLIENT_ID,
          OIDC_CLIENT_SECRET: SECRET,
          OIDC_ALLOW_HTTP: '1',
          OIDC_DISPLAY_NAME: 'Keycloak региона',
        }),
      },
    });
    await kc.createRealm({
      clientSecret: SECRET,
      redirectUri: url('/auth/oidc/callback'),
      groups: [],
      users: [
        {
          username: 'smirnova',
          password: OIDC_PASSWORD,
          firstName: 'Елена',
          lastName: 'Смирнова',
          email: 'smirnova@region.test',
        },
      ],
    });
    // The database is empty but for the break-glass administrator an installation starts with.
    const tables = ['agency', 'roadmap', 'life_situation', 'service', 'control_item'] as const;
    for (const t of tables)
      expect((await stack.tdb.db.selectFrom(t).select('id').execute()).length, t).toBe(0);
    await insertUser(stack.tdb.db, 'admin', null, {
      login: 'admin',
      password_hash: await hashPassword('admin-password-1'),
    });
    admin = await fresh();
  }, 400_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await stack?.close();
    await Promise.all([kc?.stop(), slapd?.stop()]);
  });

  it('the administrator creates a roadmap, two agencies and three people', async () => {
    await admin.goto(url('/login'));
    await admin.getByLabel('Логин', { exact: true }).fill('admin');
    await admin.getByLabel('Пароль', { exact: true }).fill('admin-password-1');
    await submit(admin, 'Войти');
    await admin.waitForURL(url('/'));
    await admin.getByRole('link', { name: 'Администрирование' }).click();
    await admin.getByRole('link', { name: 'Дорожные карты' }).click();
    await admin.getByRole('link', { name: 'Новая дорожная карта' }).click();
    await admin.getByLabel('Код', { exact: true }).fill('GDL-2026');
    await admin
      .getByLabel('Наименование', { exact: true })
      .fill('Государство для людей: дорожная карта региона');
    await admin
      .getByLabel('Утверждающий документ')
      .fill('Распоряжение Правительства НСО от 12.03.2026 № 95-рп');
    // The horizon as the day / month / year boxes of every date field.
    await admin.locator('#roadmap-horizon').fill('31');
    await admin.locator('#roadmap-horizon-month').fill('12');
    await admin.locator('#roadmap-horizon-year').fill(String(new Date().getUTCFullYear() + 1));
    await submit(admin, 'Создать');
    await expect.poll(() => admin.locator('#flash').textContent()).toContain('Изменения сохранены');
    await accessible(admin, 'roadmap page');
    await screenshot(admin, 'journey-roadmap');

    const agency = async (a: {
      code: string;
      title: string;
      short: string;
      kind: string;
      aliases?: string;
    }) => {
      await admin.goto(url('/admin/agencies/new'));
      await admin.getByLabel('Код', { exact: true }).fill(a.code);
      await admin.getByLabel('Полное наименование').fill(a.title);
      await admin.getByLabel('Краткое наименование').fill(a.short);
      await admin.getByLabel('Вид').selectOption(a.kind);
      if (a.aliases) await admin.getByLabel('Синонимы для загрузки дорожных карт').fill(a.aliases);
      await submit(admin, 'Создать');
      await expect.poll(() => admin.locator('#flash').textContent()).toContain('Изменения сохранены');
    };
    await agency({
      code: 'MJ',
      title: 'Министерство юстиции Новосибирской области',
      short: 'Минюст',
      kind: 'regional',
    });
    await agency({
      code: 'MFC',
      title: 'Государственное автономное учреждение Новосибирской области «МФЦ»',
      short: 'МФЦ',
      kind: 'mfc',
      aliases: 'Многофункциональный центр',
    });
    await accessible(admin, 'agency page');
    await screenshot(admin, 'journey-agency');

    const person = async (p: {
      login: string;
      name: string;
      role: string;
      agency?: string;
      method: 'local' | 'ldap' | 'oidc';
    }) => {
      await admin.goto(url('/admin/accounts/new'));
      await admin.getByLabel('Логин', { exact: true }).fill(p.login);
      await admin.getByLabel('Фамилия, имя, отчество').fill(p.name);
      await admin.getByLabel('Роль', { exact: true }).selectOption(p.role);
      if (p.agency) await admin.getByLabel('Ведомство', { exact: true }).selectOption({ label: p.agency });
      await admin.locator(`input[name="authSource"][value="${p.method}"]`).check();
      await submit(admin, 'Создать');
      await expect.poll(() => admin.locator('#flash').textContent()).toContain('Изменения сохранены');
    };
    await person({
      login: 'smirnova',
      name: 'Смирнова Елена',
      role: 'agency_executor',
      agency: 'MJ — Минюст',
      method: 'oidc',
    });
    await person({
      login: 'kozlov',
      name: 'Козлов Кирилл',
      role: 'agency_executor',
      agency: 'MFC — МФЦ',
      method: 'ldap',
    });
    await person({ login: 'petrova', name: 'Петрова Анна', role: 'working_group', method: 'local' });
    await admin.goto(url('/admin/accounts'));
    for (const login of ['smirnova', 'kozlov', 'petrova'])
      expect(await admin.locator('table.accounts').textContent()).toContain(login);
    await accessible(admin, 'accounts list');
    await screenshot(admin, 'journey-people');
  });

  it('imports a roadmap that names agencies by an alias and a short name', async () => {
    const due = workingOnOrAfter(addDays(todayLocal(), 45));
    const file = path.join(files, 'roadmap.xlsx');
    writeFileSync(
      file,
      await roadmapXlsx([
        ['1', MEASURE_MJ, ru(due), 'Министерство юстиции', 'МФЦ', 'Отчёт', ''],
        ['2', MEASURE_MFC, ru(due), 'Многофункциональный центр', '', 'Отчёт', ''],
      ]),
    );
    await admin.goto(url('/imports'));
    await admin.getByLabel('Дорожная карта', { exact: true }).selectOption({
      label: 'Государство для людей: дорожная карта региона',
    });
    await admin.getByLabel('Файл', { exact: true }).setInputFiles(file);
    await submit(admin, 'Загрузить');
    await expect
      .poll(() => admin.locator('#job-panel').textContent(), { timeout: 60_000 })
      .toContain('Готово');
    await screenshot(admin, 'journey-import-done');
    const items = await stack.tdb.db
      .selectFrom('control_item as i')
      .innerJoin('agency as a', 'a.id', 'i.agency_id')
      .select(['i.title_ru', 'a.code', 'i.co_agency_ids', 'i.workflow_id'])
      .orderBy('i.number')
      .execute();
    expect(items.map((i) => [i.title_ru, i.code])).toEqual([
      [MEASURE_MJ, 'MJ'],
      [MEASURE_MFC, 'MFC'],
    ]);
    expect(items[0]!.co_agency_ids).toHaveLength(1);
  });

  it('creates a service and assigns its curator from an .xlsx', async () => {
    await admin.goto(url('/services/new'));
    await admin.getByLabel('Код услуги').fill('MFC-001');
    await admin.getByLabel('Наименование (рус.)').fill('Выдача паспорта гражданина РФ');
    await admin.getByLabel('Ведомство', { exact: true }).selectOption({ label: 'МФЦ' });
    await submit(admin, 'Сохранить');
    await admin.waitForURL(/\/services\/\d+/);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Кураторы');
    ws.addRow(['Код услуги', 'Наименование услуги', 'Куратор']);
    ws.addRow(['MFC-001', 'Выдача паспорта гражданина РФ', 'kozlov']);
    const file = path.join(files, 'curators.xlsx');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    await admin.goto(url('/admin/curators'));
    await admin.getByLabel('Файл CSV или XLSX с кураторами').setInputFiles(file);
    await submit(admin, 'Проверить и назначить');
    await expect.poll(() => admin.locator('.notice').textContent()).toContain('Кураторы изменены: 1');
    expect(await admin.locator('#curators-list').textContent()).toContain('Козлов Кирилл');
    await accessible(admin, 'curators page');
    await screenshot(admin, 'journey-curators');
    await admin.goto(url('/admin/audit'));
    const log = await admin.locator('main').textContent();
    for (const s of [
      'ведомство добавлено',
      'сотрудник добавлен',
      'дорожная карта добавлена',
      'кураторы назначены из файла',
    ])
      expect(log).toContain(s);
    await screenshot(admin, 'journey-audit');
  });

  it('an executor signs in through the OpenID provider and sees their item', async () => {
    const page = await fresh();
    await page.goto(url('/login?next=%2Fmy'));
    await page.getByRole('link', { name: 'Войти через Keycloak региона' }).click();
    await page.waitForURL(/\/realms\/shtab\/protocol\/openid-connect\/auth/);
    await page.locator('#username').fill('smirnova');
    await page.locator('#password').fill(OIDC_PASSWORD);
    await page.locator('#kc-login').click();
    await page.waitForURL(url('/my'));
    const main = await page.locator('main').textContent();
    expect(main).toContain(MEASURE_MJ);
    expect(main).not.toContain(MEASURE_MFC);
    // The provider's name claims replace the name the admin typed (single sign-on keeps it current).
    expect(await page.locator('.who').textContent()).toContain('Елена Смирнова');
    await screenshot(page, 'journey-oidc-my');
  });

  it('an executor signs in with the directory password and sees their items', async () => {
    const page = await fresh();
    await page.goto(url('/login?next=%2Fmy'));
    await page.getByLabel('Логин').fill('kozlov');
    await page.getByLabel('Пароль', { exact: true }).fill(DIR_PASSWORD);
    await submit(page, 'Войти');
    await page.waitForURL(url('/my'));
    const main = await page.locator('main').textContent();
    expect(main).toContain(MEASURE_MFC);
    expect(main).toContain(MEASURE_MJ); // as the co-executor named «МФЦ»
    await accessible(page, 'my tasks (LDAP)');
    await screenshot(page, 'journey-ldap-my');
    const accounts = await stack.tdb.db
      .selectFrom('app_user')
      .select(['login', 'oidc_subject'])
      .where('login', 'in', ['smirnova', 'kozlov'])
      .orderBy('login')
      .execute();
    expect(accounts[1]!.oidc_subject).toBeTruthy(); // smirnova was linked to the provider's subject
  });
});
