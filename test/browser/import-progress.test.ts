import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../domain/control-item/index.ts';
import { hashPassword } from '../../web/index.ts';
import { insertUser } from '../support/fixtures.ts';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.ts';
import { OFFSET, seedImportReferences } from '../support/import-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { connectDevServer } from '../support/temporal.ts';
import { startTestApp } from '../support/web.ts';

// The progress bar polls with hx-trigger="every 1s" under the app's nonce-only CSP, and stops when done.
describe('import progress in Chromium', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let web: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;

  beforeAll(async () => {
    [tdb, temporal, browser] = await Promise.all([createTestDatabase(), connectDevServer(), launchBrowser()]);
    web = await startTestApp({ db: tdb.db, temporal: temporal.handle, policy: resolvePolicy(null, OFFSET) });
    await insertUser(tdb.db, 'working_group', null, { login: 'wg', password_hash: await hashPassword('pw') });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await temporal?.close();
    await tdb?.drop();
  });

  it('updates the bar while the job runs and shows the result when it is done, without CSP errors', async () => {
    const refs = await seedImportReferences(tdb.db);
    // A job whose progress the test moves by hand (no worker): the page has to notice by polling.
    const job = await tdb.db
      .insertInto('import_job')
      .values({
        kind: 'roadmap',
        roadmap_id: refs.roadmapId,
        filename: 'дорожная-карта.xlsx',
        size_bytes: 1,
        status: 'running',
        phase: 'starting',
        rows_total: 100,
        rows_done: 100,
        workflows_total: 100,
        workflows_done: 10,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|unsafe-eval/i.test(m.text()))
        cspErrors.push(m.text());
    });
    await page.goto(`${web.url}/login`);
    await page.getByLabel('Логин').fill('wg');
    await page.getByLabel('Пароль').fill('pw');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${web.url}/`);

    await page.goto(`${web.url}/imports/${job.id}`);
    expect(await page.locator('progress').getAttribute('value')).toBe('110');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await tdb.db.updateTable('import_job').set({ workflows_done: 60 }).where('id', '=', job.id).execute();
    await expect.poll(() => page.locator('progress').getAttribute('value'), { timeout: 10_000 }).toBe('160');
    await screenshot(page, 'import-progress-running');

    await tdb.db
      .updateTable('import_job')
      .set({
        status: 'done',
        phase: 'finished',
        workflows_done: 100,
        result: JSON.stringify({
          roadmapId: refs.roadmapId,
          inserted: 100,
          insertedIds: [],
          updated: 0,
          unchanged: 0,
          lifecycle: [],
          missing: [],
          closedSkipped: [],
          pastDeadlines: [],
          movedDeadlines: 3,
          ignoredColumns: [],
          sheet: 'ДК',
          headerRow: 1,
        }),
      })
      .where('id', '=', job.id)
      .execute();
    await expect
      .poll(() => page.locator('#job-panel').textContent(), { timeout: 10_000 })
      .toContain('Готово');
    expect(await page.locator('progress').count()).toBe(0);
    expect(await page.locator('#job-panel').getAttribute('hx-trigger')).toBeNull();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'import-progress-done');
    expect(cspErrors).toEqual([]);
  });
});
