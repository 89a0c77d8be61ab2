import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.ts';
import { insertHostileProgramme } from '../support/hostile-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { connectDevServer } from '../support/temporal.ts';
import { startTestApp } from '../support/web.ts';

describe('dashboards in Chromium', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let web: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let hostile: Awaited<ReturnType<typeof insertHostileProgramme>>;
  let largeFamily: number;
  let mtsr: number;

  beforeAll(async () => {
    [tdb, temporal, browser] = await Promise.all([createTestDatabase(), connectDevServer(), launchBrowser()]);
    const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
    await seedDemo(tdb.db, {
      today,
      password: 'demo',
      passwordHash: await hashPassword('demo'),
      utcOffsetMinutes: DEFAULT_CHASE_POLICY.utcOffsetMinutes,
    });
    hostile = await insertHostileProgramme(tdb.db, today);
    largeFamily = (
      await tdb.db
        .selectFrom('life_situation')
        .select('id')
        .where('code', '=', 'FLS-LARGEFAM')
        .executeTakeFirstOrThrow()
    ).id;
    mtsr = (
      await tdb.db.selectFrom('agency').select('id').where('code', '=', 'MTSR').executeTakeFirstOrThrow()
    ).id;
    web = await startTestApp({ db: tdb.db, temporal: temporal.handle });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await temporal?.close();
    await tdb?.drop();
  });

  async function signedIn(login: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      // Failed loads are reported below with their URL (a missing /favicon.ico is fine).
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`); // a hostile alert() that ran
      void d.dismiss();
    });
    await page.goto(`${web.url}/login`);
    await page.locator('#signin-login').fill(login);
    await page.locator('#signin-password').fill('demo');
    await page.locator('button[type=submit]').click();
    await page.waitForURL(`${web.url}/`);
    return { page, problems };
  }

  const visit = async (page: Page, path: string, name: string) => {
    await page.goto(`${web.url}${path}`);
    expect(await seriousAxeViolations(page), `${name}: axe`).toEqual([]);
    await screenshot(page, name);
  };

  it.each([
    ['rg', 'ru'],
    ['observer', 'en'],
  ] as const)(
    'shows every page to %s in %s with no serious axe violations, CSP errors or script runs',
    async (login, lang) => {
      const { page, problems } = await signedIn(login);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await visit(page, '/dashboard', `dashboards-dashboard-${lang}`);
      // The chart is one labelled image with its numbers in a table for screen readers.
      const chart = page.getByRole('img', {
        name: lang === 'ru' ? /Диаграмма выполнения/ : /Burn-up chart/,
      });
      expect(await chart.count()).toBe(1);
      expect(await page.locator('.burnup-done').getAttribute('points')).toMatch(/^[\d.,\s]+$/);
      await visit(page, '/items', `dashboards-roadmap-${lang}`);
      await visit(page, '/life-situations', `dashboards-life-situations-${lang}`);
      await visit(page, `/life-situations/${largeFamily}`, `dashboards-life-situation-${lang}`);
      await visit(
        page,
        `/life-situations/${hostile.lifeSituationId}`,
        `dashboards-life-situation-hostile-${lang}`,
      );
      await visit(page, '/agencies', `dashboards-agencies-${lang}`);
      await visit(page, `/agencies/${mtsr}`, `dashboards-agency-${lang}`);
      await visit(page, `/agencies/${hostile.agencyId}`, `dashboards-agency-hostile-${lang}`);
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it('filters and pages the roadmap with htmx, pushing shareable URLs that survive Back and reload', async () => {
    const { page, problems } = await signedIn('rg');
    await page.goto(`${web.url}/items`);
    const firstRows = await page.locator('#roadmap-results tbody tr').count();
    expect(firstRows).toBe(25);

    // Choosing a status fires the form's change trigger: results swap in place, the URL is pushed.
    await page.locator('#f-status').selectOption('overdue');
    await page.waitForURL(`${web.url}/items?status=overdue`);
    await expect.poll(() => page.locator('#roadmap-results tbody tr').count()).toBeLessThan(firstRows);
    const overdueRows = await page.locator('#roadmap-results tbody tr').count();
    expect(await page.locator('#roadmap-results .badge.overdue').count()).toBe(overdueRows);
    expect(await page.locator('h1').count()).toBe(1); // a fragment, not a page inside the page

    // Search by title: Enter submits through htmx too.
    await page.locator('#f-q').fill('щука');
    await page.locator('#f-q').press('Enter');
    await page.waitForURL(/q=%D1%89%D1%83%D0%BA%D0%B0/);
    await expect.poll(() => page.locator('#roadmap-results tbody tr').count()).toBe(1);
    await screenshot(page, 'dashboards-roadmap-filtered-ru');

    // Back restores the previous filter state as a whole page.
    await page.goBack();
    await page.waitForURL(`${web.url}/items?status=overdue`);
    await expect.poll(() => page.locator('#roadmap-results tbody tr').count()).toBe(overdueRows);
    expect(await page.locator('h1').count()).toBe(1);

    // Paging with htmx; the pushed URL reloads to the same page.
    await page.goto(`${web.url}/items`);
    await page.locator('.page-nav a[rel=next]').click();
    await page.waitForURL(`${web.url}/items?page=2`);
    await expect.poll(() => page.locator('.page-nav a[aria-current=page]').textContent()).toBe('2');
    const page2 = await page.locator('#roadmap-results tbody tr a').first().getAttribute('href');
    await page.reload();
    expect(await page.locator('#roadmap-results tbody tr a').first().getAttribute('href')).toBe(page2);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // League table sorting through htmx.
    await page.goto(`${web.url}/agencies`);
    await page.getByRole('link', { name: /Возвратов на доработку/ }).click();
    await page.waitForURL(`${web.url}/agencies?sort=rework&dir=desc`);
    await expect
      .poll(() => page.locator('th[aria-sort=descending]').textContent())
      .toContain('Возвратов на доработку');
    expect(problems).toEqual([]);
    await page.close();
  });
});
