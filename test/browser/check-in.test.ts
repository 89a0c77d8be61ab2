import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckInActivities } from '../../activities/check-in/index.ts';
import { saveStatusNotes } from '../../db/check-ins.ts';
import { seedDemo } from '../../db/seed/index.ts';
import { DEFAULT_CHECK_IN_POLICY } from '../../domain/check-in/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { connectDevServer } from '../support/temporal.ts';
import { startTestApp } from '../support/web.ts';

// The digest of the demo roadmap in Chromium: accessible, and printable as a document.
describe('check-in digest in Chromium', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let web: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let checkInId: number;

  beforeAll(async () => {
    [tdb, temporal, browser] = await Promise.all([createTestDatabase(), connectDevServer(), launchBrowser()]);
    await seedDemo(tdb.db, {
      today: instantToLocalDate(Date.now(), 420),
      password: 'demo',
      passwordHash: await hashPassword('demo'),
      utcOffsetMinutes: 420,
    });
    web = await startTestApp({ db: tdb.db, temporal: temporal.handle });
    // One week's cycle through the real activities (the workflow's part is covered by test/workflows/weekly-check-in.test.ts).
    const roadmap = await tdb.db.selectFrom('roadmap').select('id').executeTakeFirstOrThrow();
    const ci = await tdb.db
      .insertInto('check_in')
      .values({
        roadmap_id: roadmap.id,
        meeting_at: new Date(Math.floor(Date.now() / 60_000) * 60_000),
        status: 'collecting',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    checkInId = ci.id;
    const acts = createCheckInActivities({ db: tdb.db, publicUrl: web.url });
    const policy = { ...DEFAULT_CHECK_IN_POLICY, utcOffsetMinutes: 420 };
    await acts.sendStatusRequests({ checkInId, at: Date.now(), policy, meetingTime: '10:00' });
    const req = await tdb.db
      .selectFrom('status_request as r')
      .innerJoin('app_user as u', (j) =>
        j.onRef('u.agency_id', '=', 'r.agency_id').on('u.role', '=', 'agency_executor'),
      )
      .select(['r.agency_id', 'r.item_ids', 'u.id as user_id'])
      .where('r.check_in_id', '=', checkInId)
      .orderBy('r.agency_id')
      .executeTakeFirstOrThrow();
    await saveStatusNotes(tdb.db, {
      checkInId,
      agencyId: req.agency_id,
      userId: req.user_id,
      notes: req.item_ids.map((id) => ({
        itemId: id,
        body: 'Проект направлен на согласование, ответ ожидается до пятницы',
      })),
    });
    await acts.buildDigest({ checkInId, at: Date.now(), late: false, policy, meetingTime: '10:00' });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await temporal?.close();
    await tdb?.drop();
  });

  it('shows the digest and the minutes form without serious axe violations, and prints without chrome', async () => {
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

    await page.getByRole('link', { name: 'Совещания', exact: true }).click();
    await page.waitForURL(`${web.url}/check-ins`);
    expect(await page.locator('h1').textContent()).toBe('Еженедельные совещания');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.goto(`${web.url}/check-ins/${checkInId}`);
    expect(await page.locator('h1').textContent()).toMatch(/^Совещание \d\d\.\d\d\.\d{4}, \d\d:\d\d$/);
    for (const h of [
      'Что поручалось на прошлой неделе',
      'Красный список',
      'Рейтинг ведомств',
      'Статусные заметки ведомств',
    ]) {
      await expect.poll(() => page.getByRole('heading', { name: h, exact: true }).count()).toBe(1);
    }
    expect(await page.locator('.red-list tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Оформить протокол' }).isVisible()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'check-in-digest');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.locator('.minutes-form').isVisible()).toBe(false);
    expect(await page.locator('.red-list').isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await screenshot(page, 'check-in-digest-print');
    expect(cspErrors).toEqual([]);
  });
});
