import type { Worker } from '@temporalio/worker';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { hashPassword } from '../../web/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.ts';
import { insertItem } from '../support/fixtures.ts';
import { dueIn, PDF, regionToday } from '../support/item-ui-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { connectDevServer, createTestWorker } from '../support/temporal.ts';
import { startTestApp } from '../support/web.ts';

const TITLE = 'Запись многодетных семей в МФЦ через Госуслуги';

describe('user journeys in Chromium', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let worker: Worker;
  let running: Promise<void>;
  let web: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let itemId: number;
  const contexts: BrowserContext[] = [];
  const cspErrors: string[] = [];

  /** A signed-in page in its own browser context (own cookies), watched for CSP violations. */
  async function signIn(login: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${web.url}/login`);
    await page.getByLabel('Логин').fill(login);
    await page.getByLabel('Пароль').fill('demo');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${web.url}/`);
    return page;
  }

  const expectAccessible = async (page: Page, where: string) =>
    expect(await seriousAxeViolations(page), where).toEqual([]);
  const status = (page: Page) => page.locator('#item-panel .facts .badge').first();
  const kpi = (page: Page, label: string) =>
    page.locator('.kpis li', { hasText: label }).locator('.kpi-value').first();

  beforeAll(async () => {
    [tdb, temporal, browser] = await Promise.all([createTestDatabase(), connectDevServer(), launchBrowser()]);
    await seedDemo(tdb.db, {
      today: regionToday(),
      password: 'demo',
      passwordHash: await hashPassword('demo'),
      utcOffsetMinutes: DEFAULT_CHASE_POLICY.utcOffsetMinutes,
    });
    worker = await createTestWorker({
      connection: temporal.nativeConnection,
      taskQueue: temporal.taskQueue,
      deps: { db: tdb.db, publicUrl: 'http://shtab.test' },
    });
    running = worker.run();
    web = await startTestApp({ db: tdb.db, temporal: temporal.handle });
    const exec = await tdb.db
      .selectFrom('app_user')
      .select('agency_id')
      .where('login', '=', 'mtsr.exec')
      .executeTakeFirstOrThrow();
    const { row, state } = await insertItem(tdb.db, {
      agencyId: exec.agency_id!,
      due: dueIn(30),
      title: TITLE,
    });
    itemId = row.id;
    await startControlItem(temporal.handle, state, DEFAULT_CHASE_POLICY);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await web?.close();
    worker?.shutdown();
    await running;
    await temporal?.close();
    await tdb?.drop();
  });

  it('executor submits with a file, the working group returns it, the resubmission is accepted, the dashboard moves', async () => {
    const wg = await signIn('rg');
    await wg.goto(`${web.url}/dashboard`);
    const doneBefore = Number(await kpi(wg, 'Исполнено').textContent());

    // The executor finds the item in "My tasks".
    const exec = await signIn('mtsr.exec');
    await exec.getByRole('link', { name: 'Мои задачи' }).click();
    await exec.waitForURL(`${web.url}/my`);
    await expectAccessible(exec, 'my tasks');
    await screenshot(exec, 'journey-01-my-tasks');
    await exec.getByRole('link', { name: TITLE }).click();
    await exec.waitForURL(`${web.url}/items/${itemId}`);
    expect(await exec.locator('h1').textContent()).toBe(TITLE);
    await expectAccessible(exec, 'item page with forms');

    // A bad link: the message appears next to the field (422 fragment), the text stays.
    await exec.getByLabel('Текст отчёта').fill('Регламент записи утверждён приказом');
    await exec.getByLabel('Ссылки').fill('javascript:alert(1)');
    await exec.getByRole('button', { name: 'Представить отчёт' }).click();
    await expect
      .poll(() => exec.locator('#submit-links-error').textContent())
      .toContain('Строка 1: нужна ссылка');
    expect(await exec.getByLabel('Текст отчёта').inputValue()).toBe('Регламент записи утверждён приказом');
    await expectAccessible(exec, 'item page with a field error');
    await screenshot(exec, 'journey-02-field-error');

    await exec.getByLabel('Ссылки').fill('https://pravo.example.ru/order/17 Приказ № 17');
    await exec.locator('#submit-files').setInputFiles({
      name: 'Приказ 17.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(PDF),
    });
    await exec.getByRole('button', { name: 'Представить отчёт' }).click();
    await expect.poll(() => status(exec).textContent()).toBe('На рассмотрении');
    await expect.poll(() => exec.getByRole('link', { name: 'Приказ 17.pdf' }).count()).toBe(1);
    expect(await exec.getByRole('link', { name: 'Приказ № 17' }).getAttribute('href')).toBe(
      'https://pravo.example.ru/order/17',
    );
    await screenshot(exec, 'journey-03-submitted');

    // The working group finds it in its queue, downloads the file and returns it with a reason.
    await wg.goto(`${web.url}/review`);
    await expectAccessible(wg, 'review queue');
    await screenshot(wg, 'journey-04-review-queue');
    // The queue's link opens the item in queue mode (a decision would open the next report); this
    // journey stays on the item to follow it, so it opens the item's own page.
    expect(await wg.getByRole('link', { name: TITLE }).getAttribute('href')).toBe(`/items/${itemId}?queue=1`);
    await wg.goto(`${web.url}/items/${itemId}`);
    await expectAccessible(wg, 'item page for the working group');
    const [download] = await Promise.all([
      wg.waitForEvent('download'),
      wg.getByRole('link', { name: 'Приказ 17.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Приказ 17.pdf');
    await wg.getByLabel('Что доработать').fill('Приложите утверждённый график приёма');
    await wg.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await expect.poll(() => status(wg).textContent()).toBe('На доработке');
    await screenshot(wg, 'journey-05-returned');

    // The executor sees why and resubmits with another file.
    await exec.reload();
    expect(await exec.locator('#item-panel').textContent()).toContain('Приложите утверждённый график приёма');
    await exec.getByLabel('Текст отчёта').fill('График приёма утверждён, прилагается');
    await exec.locator('#submit-files').setInputFiles({
      name: 'График.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(PDF),
    });
    await exec.getByRole('button', { name: 'Представить отчёт' }).click();
    await expect.poll(() => status(exec).textContent()).toBe('На рассмотрении');

    // Accepted: the item is closed and the programme dashboard counts it.
    await wg.reload();
    // Taking an item off control is confirmed (issue 14).
    await wg.getByLabel('Отчёт проверен: мероприятие исполнено, снять его с контроля').check();
    await wg.getByRole('button', { name: 'Принять и снять с контроля' }).click();
    await expect.poll(() => status(wg).textContent()).toBe('Исполнено');
    const history = await wg.locator('#item-panel').textContent();
    expect(history).toContain('Итерация 2');
    expect(history).toContain('Итерация 1');
    expect(history).toContain('Отчёт принят, снято с контроля');
    await screenshot(wg, 'journey-06-accepted');
    await wg.goto(`${web.url}/dashboard`);
    expect(Number(await kpi(wg, 'Исполнено').textContent())).toBe(doneBefore + 1);

    // The executor was told, in the app (no SMTP here).
    await exec.goto(`${web.url}/my`);
    expect(
      Number(await exec.locator('#unread-badge').evaluate((e) => e.firstChild?.textContent)),
    ).toBeGreaterThan(0);
    await exec.getByRole('link', { name: /Уведомления/ }).click();
    await exec.waitForURL(`${web.url}/inbox`);
    expect(await exec.locator('#inbox').textContent()).toContain(`Снято с контроля: #${itemId}`);
    await expectAccessible(exec, 'inbox');
    await screenshot(exec, 'journey-07-inbox');
    await exec.getByRole('button', { name: 'Отметить все прочитанными' }).click();
    await expect.poll(() => exec.locator('#unread-badge').textContent()).toBe('');
    expect(cspErrors).toEqual([]);
  });

  it('leadership reads the dashboard and an item in Russian and in English', async () => {
    const lead = await signIn('fzg');
    // The home first (issue 13), then the programme dashboard it links to.
    expect(await lead.locator('h1').textContent()).toBe('Первый заместитель губернатора');
    await lead.getByRole('link', { name: 'Дашборд', exact: true }).first().click();
    await lead.waitForURL(`${web.url}/dashboard`);
    expect(await lead.locator('h1').textContent()).toBe('Ход реализации программы');
    await expectAccessible(lead, 'dashboard ru');
    await screenshot(lead, 'journey-08-dashboard-ru');

    await lead.getByRole('link', { name: 'English' }).click();
    await lead.waitForURL(`${web.url}/dashboard`);
    expect(await lead.locator('html').getAttribute('lang')).toBe('en');
    expect(await lead.locator('h1').textContent()).toBe('Programme progress');
    await expectAccessible(lead, 'dashboard en');
    await screenshot(lead, 'journey-09-dashboard-en');

    await lead.goto(`${web.url}/items/${itemId}`);
    const panel = await lead.locator('#item-panel').textContent();
    expect(panel).toContain('Control date');
    expect(panel).toContain('Report accepted, item closed');
    expect(panel).toContain('Returned for rework');
    await expectAccessible(lead, 'item page en');
    await screenshot(lead, 'journey-10-item-en');

    await lead.goto(`${web.url}/items`);
    await expectAccessible(lead, 'roadmap list en');
    expect(cspErrors).toEqual([]);
  });
});
