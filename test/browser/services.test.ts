import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { connectDevServer } from '../support/temporal.ts';
import { startTestApp } from '../support/web.ts';

describe('service quality pages in Chromium', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let web: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;

  beforeAll(async () => {
    [tdb, temporal, browser] = await Promise.all([createTestDatabase(), connectDevServer(), launchBrowser()]);
    await seedDemo(tdb.db, {
      today: instantToLocalDate(Date.now(), 420),
      password: 'demo',
      passwordHash: await hashPassword('demo'),
      utcOffsetMinutes: 420,
    });
    web = await startTestApp({ db: tdb.db, temporal: temporal.handle });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await temporal?.close();
    await tdb?.drop();
  });

  async function visit(page: Page, path: string, shot: string) {
    const res = await page.goto(`${web.url}${path}`);
    expect(res?.status(), path).toBe(200);
    expect(await seriousAxeViolations(page), path).toEqual([]);
    await screenshot(page, shot);
  }

  it('shows the register, a card, the low-scoring list with the KPI, and selects a service for improvement', async () => {
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${web.url}/login`);
    await page.getByLabel('Логин').fill('rg');
    await page.getByLabel('Пароль').fill('demo');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${web.url}/`);

    // The whole register (no axe here: 190 rows make it slow; the filtered page below is checked).
    await page.goto(`${web.url}/services`);
    expect(await page.locator('table.services tbody tr').count()).toBe(190);
    await page.getByLabel('Оценка').selectOption('low');
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL(/score=low/);
    const lowRows = await page.locator('table.services tbody tr').count();
    expect(lowRows).toBeGreaterThan(0);
    expect(lowRows).toBeLessThan(190);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'services-register-low');

    await page.locator('table.services tbody tr a').first().click();
    await page.waitForURL(/\/services\/\d+$/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await page.locator('dd.curator strong').textContent()).toBeTruthy();
    await screenshot(page, 'services-card');

    const openBefore = (
      await tdb.db
        .selectFrom('service_improvement')
        .select('id')
        .where('status', 'not in', ['improved', 'cancelled'])
        .execute()
    ).length;
    await visit(page, '/services/low-scoring', 'services-low-scoring');
    const box = page.locator('input[name="service"]').first();
    const code = ((await box.getAttribute('aria-label')) ?? '').match(/услугу (\S+)/)?.[1];
    expect(code).toBeTruthy();
    await box.check();
    await page.getByRole('button', { name: 'Отобрать для улучшения' }).click();
    await page.waitForURL(/\/services\/low-scoring\?period=/);
    // The message after the action, focused at the top (issue 14).
    expect(await page.locator('#flash .flash-message').textContent()).toBe(
      'Выбрано для улучшения: 1. По каждой услуге запущен план улучшения',
    );
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('flash');
    expect(await page.locator(`text=Улучшения на контроле: ${openBefore + 1}`).count()).toBe(1);

    await visit(page, '/services/scores/import', 'services-import');
    await visit(page, '/services/checks', 'services-checks');
    await visit(page, '/services/settings', 'services-settings');
    const ls = await tdb.db
      .selectFrom('life_situation')
      .select('id')
      .orderBy('sort')
      .executeTakeFirstOrThrow();
    await visit(page, `/life-situations/${ls.id}/target-state`, 'services-target-state');
    await visit(page, `/life-situations/${ls.id}/indicators`, 'services-indicators');
    expect(cspErrors).toEqual([]);
  });
});
