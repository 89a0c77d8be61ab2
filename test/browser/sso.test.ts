import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRule } from '../../app/auth/index.ts';
import { SYSTEM_ACTOR } from '../../domain/roles.ts';
import { hashPassword } from '../../web/index.ts';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { dueIn } from '../support/item-ui-fixtures.ts';
import { CLIENT_ID, startKeycloak, type Keycloak } from '../support/keycloak.ts';
import { startSlapd, type Slapd } from '../support/slapd.ts';
import { authFromEnv, ldapEnv } from '../support/sso.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

// What an official meets in Chromium: signing in through the provider's real login form (Keycloak) and
// with the directory's password (slapd), seeing the agency's items; a directory account locked by its
// administrator losing its session at the next page; the lockout message; changing one's password; an
// invitation link that works once. Pages are checked with axe and saved as screenshots.

const SECRET = 'browser-client-secret-1';
const DIR_PASSWORD = 'Пароль-домена-1';
const ITEM = 'Единый портал записи в МФЦ для многодетных семей';

describe('single sign-on and accounts in Chromium', () => {
  let kc: Keycloak;
  let slapd: Slapd;
  let stack: TestStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const fresh = async (): Promise<Page> => {
    const context = await browser.newContext({ locale: 'ru-RU' });
    contexts.push(context);
    return context.newPage();
  };
  const url = (p: string) => `${stack.web.url}${p}`;
  const accessible = async (page: Page, where: string) =>
    expect(await seriousAxeViolations(page), where).toEqual([]);
  const signInLocal = async (page: Page, login: string, password: string) => {
    await page.goto(url('/login'));
    await page.getByLabel('Логин').fill(login);
    await page.getByLabel('Пароль', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Войти' }).click();
  };

  beforeAll(async () => {
    [kc, slapd, browser] = await Promise.all([
      startKeycloak(),
      startSlapd({
        people: [{ uid: 'kozlov', name: 'Кирилл Козлов', password: DIR_PASSWORD, groups: ['shtab-exec'] }],
      }),
      launchBrowser(),
    ]);
    console.log(`[sso browser] Keycloak started in ${kc.startMs} ms`);
    stack = await startTestStack({
      changeFeed: true,
      app: {
        auth: authFromEnv({
          ...ldapEnv(slapd),
          OIDC_ISSUER: kc.issuer,
          OIDC_CLIENT_ID: CLIENT_ID,
          OIDC_CLIENT_SECRET: SECRET,
          OIDC_ALLOW_HTTP: '1',
          OIDC_DISPLAY_NAME: 'Keycloak региона',
          SSO_RECHECK_SECONDS: '0',
          LOGIN_MAX_FAILURES: '3',
        }),
      },
    });
    await kc.createRealm({
      clientSecret: SECRET,
      redirectUri: url('/auth/oidc/callback'),
      groups: ['shtab-exec'],
      users: [
        {
          username: 'smirnova',
          password: 'Пароль-Keycloak-1',
          firstName: 'Елена',
          lastName: 'Смирнова',
          email: 'smirnova@region.test',
          groups: ['shtab-exec'],
        },
      ],
    });
    const db = stack.tdb.db;
    const agency = await insertAgency(db, 'MTSR');
    await insertItem(db, { agencyId: agency.id, due: dueIn(20), title: ITEM, number: '4.2' });
    for (const source of ['oidc', 'ldap'] as const)
      await addRule(db, SYSTEM_ACTOR, {
        source,
        claim: 'groups',
        value: 'shtab-exec',
        role: 'agency_executor',
        agencyId: String(agency.id),
      });
    await insertUser(db, 'admin', null, {
      login: 'admin',
      password_hash: await hashPassword('admin-password-1'),
    });
    await insertUser(db, 'observer', null, {
      login: 'guard',
      password_hash: await hashPassword('guard-password-1'),
    });
  }, 400_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await stack?.close();
    await Promise.all([kc?.stop(), slapd?.stop()]);
  });

  it('an executor signs in through the provider’s login form and sees the agency’s items', async () => {
    const page = await fresh();
    await page.goto(url('/my'));
    await page.waitForURL(/\/login\?next=%2Fmy/);
    await accessible(page, 'login page');
    await screenshot(page, 'sso-login');
    await page.getByRole('link', { name: 'Войти через Keycloak региона' }).click();
    // Keycloak's own page.
    await page.waitForURL(/\/realms\/shtab\/protocol\/openid-connect\/auth/);
    await page.locator('#username').fill('smirnova');
    await page.locator('#password').fill('Пароль-Keycloak-1');
    await page.locator('#kc-login').click();
    await page.waitForURL(url('/my'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Мои задачи');
    expect(await page.locator('main').textContent()).toContain(ITEM);
    expect(await page.locator('.who').textContent()).toContain('Елена Смирнова');
    await screenshot(page, 'sso-oidc-my-tasks');
  });

  it('an executor signs in with the directory password; locked in the directory, the next page is the sign-in page', async () => {
    const page = await fresh();
    await page.goto(url('/login?next=%2Fmy'));
    expect(await page.locator('#signin-login-hint').textContent()).toContain('от рабочего компьютера');
    await page.getByLabel('Логин').fill('kozlov');
    await page.getByLabel('Пароль', { exact: true }).fill(DIR_PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(url('/my'));
    expect(await page.locator('main').textContent()).toContain(ITEM);
    await page.getByRole('link', { name: 'Ведомства' }).click();
    await page.waitForURL(url('/agencies'));

    slapd.lock('kozlov');
    await page.reload();
    await page.waitForURL(/\/login\?ended=directory/);
    expect(await page.locator('#login-notice').textContent()).toContain('Сеанс завершён');
    await accessible(page, 'ended session');
    await screenshot(page, 'sso-ldap-session-ended');
    // Going back to an inner page does not bring the session back.
    await page.goto(url('/my'));
    await page.waitForURL(/\/login\?next=%2Fmy/);
  });

  it('locks an account after repeated wrong passwords with a message that says what to do', async () => {
    const page = await fresh();
    for (let i = 0; i < 3; i++) {
      await signInLocal(page, 'guard', `wrong-password-${i}`);
      await expect
        .poll(() => page.locator('#signin-login-error').textContent())
        .toContain('Неверный логин или пароль');
    }
    await signInLocal(page, 'guard', 'guard-password-1');
    const error = await page.locator('#signin-login-error').textContent();
    expect(error).toContain('временно заблокирована после 3 неудачных попыток');
    expect(error).toContain('обратитесь к администратору');
    await screenshot(page, 'sso-locked');
  });

  it('a person changes their own password from their account page', async () => {
    await insertUser(stack.tdb.db, 'working_group', null, {
      login: 'volkova',
      password_hash: await hashPassword('first-password-1'),
    });
    const page = await fresh();
    await signInLocal(page, 'volkova', 'first-password-1');
    await page.waitForURL(url('/'));
    await page.locator('a.who').click();
    await page.waitForURL(url('/account'));
    const change = async (repeat: string) => {
      await page.getByLabel('Текущий пароль').fill('first-password-1');
      await page.getByLabel('Новый пароль', { exact: true }).fill('second-password-2');
      await page.getByLabel('Новый пароль ещё раз').fill(repeat);
      await page.getByRole('button', { name: 'Сменить пароль' }).click();
    };
    await change('second-password-3');
    expect(await page.locator('#pw-repeat-error').textContent()).toContain('Пароли не совпадают');
    await accessible(page, 'account page with an error');
    await change('second-password-2');
    expect(await page.locator('#flash .flash-message').textContent()).toContain('Пароль изменён');
    await screenshot(page, 'sso-password-changed');
    const other = await fresh();
    await signInLocal(other, 'volkova', 'second-password-2');
    await other.waitForURL(url('/'));
  });

  it('an admin issues an invitation link; it works once', async () => {
    const invited = await insertUser(stack.tdb.db, 'agency_head', (await insertAgency(stack.tdb.db)).id, {
      login: 'lebedev',
      email: null,
    });
    const admin = await fresh();
    await signInLocal(admin, 'admin', 'admin-password-1');
    await admin.waitForURL(url('/'));
    await admin.getByRole('link', { name: 'Администрирование' }).click();
    await admin.waitForURL(url('/admin/accounts'));
    await admin.getByRole('link', { name: 'lebedev' }).click();
    await admin.getByRole('button', { name: 'Выдать ссылку-приглашение' }).click();
    const link = (await admin.locator('#invite-link').textContent())!;
    expect(link).toContain('/invite/');
    expect(await admin.locator('.token-once').textContent()).toContain('Передайте ссылку сотруднику лично');
    await accessible(admin, 'admin account page');
    await screenshot(admin, 'sso-admin-invite');
    await admin.getByRole('link', { name: 'Единый вход' }).click();
    await accessible(admin, 'admin SSO page');
    await screenshot(admin, 'sso-admin-rules');

    const person = await fresh();
    await person.goto(link);
    expect(await person.locator('main').textContent()).toContain('Ваш логин: lebedev');
    await person.getByLabel('Новый пароль', { exact: true }).fill('river-stone-lamp');
    await person.getByLabel('Новый пароль ещё раз').fill('river-stone-lamp');
    await person.getByRole('button', { name: 'Задать пароль и войти' }).click();
    await person.waitForURL(url('/'));
    expect(await person.locator('.who').textContent()).toContain(invited.display_name);

    const again = await fresh();
    const res = await again.goto(link);
    expect(res?.status()).toBe(410);
    expect(await again.locator('main').textContent()).toContain('уже использована');
  });
});
