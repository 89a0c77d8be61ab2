import type { Worker } from '@temporalio/worker';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { hashPassword } from '../../web/index.ts';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.ts';
import { regionToday } from '../support/item-ui-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { connectDevServer, createTestWorker } from '../support/temporal.ts';
import { startTestApp } from '../support/web.ts';

const REMARK = 'Сотрудница нагрубила в окне, и ещё потребовали лишние документы';

// Issue 16's journey: a citizen leaves a 1-star review with a remark on the public page (a phone, then a
// desktop), the curator gets the case and answers, the service's score from reviews and the "what worries
// citizens" panel change, and leadership sees it on the dashboard.
describe('the citizen’s voice in Chromium', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let worker: Worker;
  let running: Promise<void>;
  let web: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const cspErrors: string[] = [];
  let service: { id: number; code: string; title_ru: string };

  async function open(width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 1000 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    return page;
  }
  async function signIn(login: string, width = 1400): Promise<Page> {
    const page = await open(width);
    await page.goto(`${web.url}/login`);
    await page.getByLabel('Логин').fill(login);
    await page.getByLabel('Пароль').fill('demo');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${web.url}/`);
    return page;
  }
  const staffCount = async (page: Page) => {
    const li = page.locator('.worries li', { hasText: 'Вежливость и компетентность сотрудников' });
    if ((await li.count()) === 0) return 0;
    return Number(/— (\d+)/.exec((await li.first().textContent()) ?? '')?.[1] ?? 0);
  };

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
    web = await startTestApp({ db: tdb.db, temporal: temporal.handle, publicForm: { minAgeMs: 500 } });
    const exec = await tdb.db
      .selectFrom('app_user')
      .select('id')
      .where('login', '=', 'mtsr.exec')
      .executeTakeFirstOrThrow();
    service = await tdb.db
      .selectFrom('service')
      .select(['id', 'code', 'title_ru'])
      .where('curator_user_id', '=', exec.id)
      .orderBy('code')
      .executeTakeFirstOrThrow();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    worker?.shutdown();
    await running;
    await web?.close();
    await temporal?.close();
    await tdb?.drop();
  });

  it('a 1-star review on a phone reaches the curator, whose answer goes back; scores and the panel change', async () => {
    // Before: the leadership's panel and the service's votes in this quarter.
    const lead = await signIn('fzg');
    await lead.goto(`${web.url}/`);
    const staffBefore = await staffCount(lead);
    const votesBefore = await tdb.db
      .selectFrom('feedback_month')
      .select((eb) => eb.fn.sum<number>('votes').as('v'))
      .where('service_id', '=', service.id)
      .executeTakeFirstOrThrow();

    // The citizen at an МФЦ window scans the QR code: 390 px wide.
    const phone = await open(390);
    const res = await phone.goto(`${web.url}/feedback/${service.code}?via=mfc`);
    expect(res?.status()).toBe(200);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousAxeViolations(phone)).toEqual([]);
    await phone.locator('label.star', { hasText: 'очень плохо' }).click();
    await phone.getByLabel('Что понравилось или что нужно исправить?').fill(REMARK);
    await phone.getByText('Хочу получить ответ').click();
    await phone.getByLabel('Электронная почта').fill('citizen@example.ru');
    await phone.getByLabel(/Согласен/).check();
    await screenshot(phone, 'feedback-public-390');
    await phone.waitForTimeout(600);
    await phone.getByRole('button', { name: 'Отправить' }).click();
    await phone.waitForURL(/\/thanks$/);
    expect(await phone.locator('h1').textContent()).toBe('Спасибо за отзыв!');
    await screenshot(phone, 'feedback-thanks-390');

    // The same page on a desktop, in English.
    const desk = await open(1400);
    await desk.goto(`${web.url}/feedback/${service.code}?lang=en`);
    expect(await desk.locator('h1').count()).toBe(1);
    expect(await seriousAxeViolations(desk)).toEqual([]);
    await screenshot(desk, 'feedback-public-1400-en');

    // The curator finds the case and answers it.
    const curator = await signIn('mtsr.exec');
    await curator.goto(`${web.url}/cases?mine=1`);
    await expect
      .poll(() => curator.locator('td', { hasText: 'Сотрудница нагрубила' }).count())
      .toBeGreaterThan(0);
    expect(await seriousAxeViolations(curator)).toEqual([]);
    await screenshot(curator, 'feedback-cases-1400');
    await curator.locator('tr', { hasText: 'Сотрудница нагрубила' }).locator('a').first().click();
    await curator.waitForURL(/\/cases\/\d+$/);
    expect(await curator.locator('blockquote.remark').textContent()).toContain(REMARK);
    await curator
      .getByLabel('Ответ гражданину')
      .fill('Приносим извинения. С сотрудницей проведена беседа, перечень документов сокращён.');
    await curator.getByLabel('да', { exact: true }).check();
    await curator.getByRole('button', { name: 'Ответить' }).click();
    await curator.waitForURL(/\/cases\/\d+$/);
    await expect.poll(() => curator.locator('text=проблема устранена').count()).toBe(1);
    expect(await seriousAxeViolations(curator)).toEqual([]);
    await screenshot(curator, 'feedback-case-answered-1400');
    const mail = await tdb.db
      .selectFrom('notification')
      .select('recipient_email')
      .where('kind', '=', 'case_answer_citizen')
      .where('recipient_email', '=', 'citizen@example.ru')
      .execute();
    expect(mail).toHaveLength(1);

    // The score from reviews counts the new vote; the panel counts the new remark.
    const votesAfter = await tdb.db
      .selectFrom('feedback_month')
      .select((eb) => eb.fn.sum<number>('votes').as('v'))
      .where('service_id', '=', service.id)
      .executeTakeFirstOrThrow();
    expect(Number(votesAfter.v)).toBe(Number(votesBefore.v) + 1);
    await curator.goto(`${web.url}/services/${service.id}`);
    expect(await curator.locator('#svc-fb').textContent()).toBe('Оценки по отзывам граждан');
    expect(await curator.locator('.reviews li', { hasText: 'Сотрудница нагрубила' }).count()).toBe(1);
    await lead.goto(`${web.url}/`);
    expect(await staffCount(lead)).toBe(staffBefore + 1);
    expect(await seriousAxeViolations(lead)).toEqual([]);
    await screenshot(lead, 'feedback-dashboard-panel-1400');
    expect(cspErrors).toEqual([]);
  });
});
