import { sql } from 'kysely';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssignmentWorkflows } from '../../app/assignments/index.ts';
import { ensureItemWorkflows } from '../../app/control-items/index.ts';
import { seedDemo } from '../../db/seed/index.ts';
import { addWorkingDays } from '../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.ts';
import { regionToday } from '../support/item-ui-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The people's day on the seeded demo, in Chromium, one persona at a time (issue 13's first "done when"):
 * the first deputy governor gives an instruction from the red list and finds it in «мои поручения» and in
 * the next meeting's agenda; an agency head hands an item to the executor, who reports, and the head signs
 * it off to the working group; the working group reviews three reports through the queue and accepts two
 * more at once; an executor lands on their week and acts from it. Every home is checked with axe, its links
 * are followed, and the key steps are kept as screenshots at 1400 and 390 px (test-results/people-*.png).
 */
describe("the people's day on the demo, in Chromium", () => {
  let stack: TestStack;
  let db: TestStack['tdb']['db'];
  let url: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const today = regionToday();
  const DESK = { width: 1400, height: 900 };
  const PHONE = { width: 390, height: 844 };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startTestStack({ workerStartsWorkflows: true }), launchBrowser()]);
    db = stack.tdb.db;
    url = stack.web.url;
    await seedDemo(db, {
      today,
      password: 'demo',
      passwordHash: await hashPassword('demo'),
      utcOffsetMinutes: DEFAULT_CHASE_POLICY.utcOffsetMinutes,
    });
    // What a worker does on start (scripts/worker.ts): every open item and assignment gets its workflow.
    const deps = { db, temporal: stack.temporal.handle, policy: DEFAULT_CHASE_POLICY };
    await ensureItemWorkflows(deps, { concurrency: 4 });
    await ensureAssignmentWorkflows(deps);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await stack?.close();
  });

  /** A signed-in page in its own context (own cookies), watched for script errors and failed requests. */
  async function signIn(login: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'ru-RU', viewport: DESK });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        problems.push(`${login} at ${page.url()}: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 500) problems.push(`${login}: ${r.status()} ${r.url()}`);
    });
    await page.goto(`${url}/login`);
    await page.getByLabel('Логин').fill(login);
    await page.getByLabel('Пароль').fill('demo');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${url}/`);
    return page;
  }

  /** The page as the persona sees it on a desk and on a phone; nothing wider than the phone's screen. */
  async function shoot(page: Page, name: string) {
    await screenshot(page, `people-${name}-1400`);
    await page.setViewportSize(PHONE);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      `${name} at 390 px`,
    ).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, `people-${name}-390`);
    await page.setViewportSize(DESK);
  }

  const accessible = async (page: Page, where: string) =>
    expect(await seriousAxeViolations(page), `${where}: axe`).toEqual([]);

  /**
   * Every link of the page's main content answers, and a link to a part of a page (#act-submit) finds that
   * part there: a home that points at a form the persona does not have is a dead end.
   */
  async function linksWork(page: Page, where: string) {
    const hrefs = await page
      .locator('main a[href]')
      .evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href') ?? ''))]);
    const broken: string[] = [];
    for (const href of hrefs) {
      if (href.startsWith('#')) {
        if ((await page.locator(`[id="${href.slice(1)}"]`).count()) === 0) broken.push(href);
        continue;
      }
      if (!href.startsWith('/') || /\.(xlsx|ics|csv)(\?|$)/.test(href)) continue;
      const [path, anchor] = href.split('#') as [string, string | undefined];
      const r = await page.request.get(`${url}${path}`, { maxRedirects: 0 });
      if (r.status() !== 200) broken.push(`${href} → ${r.status()}`);
      else if (anchor && !(await r.text()).includes(`id="${anchor}"`)) broken.push(`${href} → no #${anchor}`);
    }
    expect(broken, `${where}: broken links`).toEqual([]);
  }

  const section = (page: Page, id: string) => page.locator(`section[aria-labelledby="${id}"]`);
  const rowsOf = (s: Locator) => s.locator('table tbody tr');
  /** "(12)" after a section's heading. */
  const headingCount = async (page: Page, id: string) =>
    Number(/\((\d+)\)/.exec((await page.locator(`#${id}`).textContent()) ?? '')?.[1]);
  const todo = (page: Page) => page.getByRole('list', { name: 'Что сделать сейчас' });
  const flashText = (page: Page) => page.locator('#flash .flash-message').textContent();
  const status = (page: Page) => page.locator('#item-panel .facts .badge').first();
  /** The number next to «На рассмотрении» in the working group's menu (none when the queue is empty). */
  const menuQueue = async (page: Page) => {
    const badge = page.locator('header a[href="/review"] .count');
    return (await badge.count()) ? Number(await badge.evaluate((e) => e.firstChild?.textContent)) : 0;
  };
  const fillDate = async (page: Page, id: string, d: LocalDate) => {
    const [y, m, day] = d.split('-') as [string, string, string];
    await page.locator(`#${id}`).fill(String(Number(day)));
    await page.locator(`#${id}-month`).fill(String(Number(m)));
    await page.locator(`#${id}-year`).fill(y);
  };
  /** Back to the persona's home through the menu. */
  const goHome = async (page: Page) => {
    await page.locator('header').getByRole('link', { name: 'Главная', exact: true }).click();
    await page.waitForURL(`${url}/`);
  };
  const ru = (d: LocalDate) => d.split('-').reverse().join('.');
  const row = (id: number) =>
    db.selectFrom('control_item').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  /** How the item's latest report was decided (an accepted recurring item opens its next period at once). */
  const lastOutcome = async (id: number) =>
    (
      await db
        .selectFrom('submission')
        .select('outcome')
        .where('control_item_id', '=', id)
        .where('is_part', '=', false)
        .orderBy('id', 'desc')
        .executeTakeFirst()
    )?.outcome ?? null;
  const userId = async (login: string) =>
    (await db.selectFrom('app_user').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;

  it('the first deputy governor gives an instruction from the red list, finds it in «мои поручения» and in the next meeting’s agenda', async () => {
    const lead = await signIn('fzg');
    expect(await lead.locator('h1').textContent()).toBe('Первый заместитель губернатора');
    // The red list counts what is overdue in the whole programme, as the programme's rule says.
    const overdue = await db
      .selectFrom('control_item as i')
      .select(sql<number>`count(*)::int`.as('n'))
      .where(
        sql<boolean>`i.status in ('assigned','in_progress','returned') and i.current_due < ${today}::date`,
      )
      .executeTakeFirstOrThrow();
    expect(overdue.n).toBeGreaterThan(0);
    expect(await headingCount(lead, 'lead-red')).toBe(overdue.n);
    const mineBefore = await rowsOf(section(lead, 'lead-mine')).count();
    expect(mineBefore).toBeGreaterThan(5); // the demo's past: instructions in every state
    const openBefore = Number(/в работе (\d+)/.exec((await todo(lead).textContent()) ?? '')?.[1]);
    expect(await headingCount(lead, 'lead-mine')).toBe(openBefore);
    // The demo's three meetings are behind; the next one is not being prepared yet, and the home says so.
    expect(await section(lead, 'lead-meetings').textContent()).toContain(
      'Ближайшее совещание ещё не готовится',
    );
    expect(
      await section(lead, 'lead-meetings')
        .getByRole('link', { name: /^Прошлое совещание: / })
        .count(),
    ).toBe(1);
    await accessible(lead, 'leadership home');
    await linksWork(lead, 'leadership home');
    await shoot(lead, 'lead-01-home');

    // A red-list row nobody has given an instruction about yet.
    const red = rowsOf(section(lead, 'lead-red')).filter({ hasNotText: 'поручений в работе' }).first();
    const itemLink = red.locator('th a, td a').first();
    const itemTitle = (await itemLink.textContent())!.trim();
    const sourceId = Number(/\/items\/(\d+)/.exec((await itemLink.getAttribute('href'))!)![1]);
    const source = await row(sourceId);
    await red.getByRole('link', { name: 'Дать поручение' }).click();
    await lead.waitForURL(`${url}/instructions/new?source=${sourceId}`);
    expect(await lead.locator('h1').textContent()).toBe('Дать поручение');
    expect(await lead.locator('.instruction-form > p.muted').textContent()).toContain(itemTitle);
    // The responsible agency is the item's: one less thing to choose.
    expect(await lead.getByLabel('Ответственный исполнитель').inputValue()).toBe(String(source.agency_id));
    await accessible(lead, 'instruction form');
    const text = `Доложить о причинах отставания и новом сроке (journey ${process.pid})`;
    await lead.getByLabel('Текст поручения').fill(`${text}\nПриложить график работ с точками контроля.`);
    await lead.getByLabel('Особый контроль').check();
    await shoot(lead, 'lead-02-instruction-form');
    await lead.getByRole('button', { name: 'Дать поручение' }).click();
    await lead.waitForURL(/\/items\/\d+$/);
    const instructionId = Number(/\/items\/(\d+)$/.exec(lead.url())![1]);
    expect(await flashText(lead)).toBe('Поручение дано и поставлено на контроль');
    expect(await lead.locator('h1').textContent()).toBe(text);
    expect(await row(instructionId)).toMatchObject({
      kind: 'instruction',
      source_item_id: sourceId,
      agency_id: source.agency_id,
      special_control: true,
      author_user_id: await userId('fzg'),
    });
    await shoot(lead, 'lead-03-instruction-given');

    // «Мои поручения»: the new one with its status; the count in «что сделать сейчас» moved by one.
    await goHome(lead);
    const mine = rowsOf(section(lead, 'lead-mine')).filter({ hasText: text });
    expect(await mine.count()).toBe(1);
    expect(await mine.locator('.badge[class*="status-"]').textContent()).toMatch(/Назначено|В работе/);
    expect(await mine.textContent()).toContain('Особый контроль');
    expect(await mine.textContent()).toContain(`дано ${ru(today)}`);
    expect(await rowsOf(section(lead, 'lead-mine')).count()).toBe(mineBefore + 1);
    expect(await todo(lead).textContent()).toContain(`в работе ${openBefore + 1}`);
    // The red-list row says an instruction is already in work.
    const redAfter = rowsOf(section(lead, 'lead-red')).filter({
      has: lead.locator(`a[href="/items/${sourceId}"]`),
    });
    expect(await redAfter.textContent()).toContain('поручений в работе: 1');
    await shoot(lead, 'lead-04-home-with-instruction');

    // The working group opens the next meeting's cycle now («Запустить сейчас»).
    const wg = await signIn('rg');
    await wg.locator('header').getByRole('link', { name: 'Совещания', exact: true }).click();
    await wg.waitForURL(`${url}/check-ins`);
    const meetingsBefore = await db.selectFrom('check_in').select('id').execute();
    await wg.getByRole('button', { name: 'Запустить сейчас' }).click();
    await wg.waitForURL(`${url}/check-ins`);
    expect(await flashText(wg)).toBe('Подготовка ближайшего совещания запущена.');
    await expect
      .poll(
        async () =>
          (await db.selectFrom('check_in').select('id').where('status', '=', 'collecting').execute()).length,
      )
      .toBe(1);
    const next = await db
      .selectFrom('check_in')
      .select(['id', 'meeting_at'])
      .where('status', '=', 'collecting')
      .executeTakeFirstOrThrow();
    expect(meetingsBefore.map((m) => m.id)).not.toContain(next.id);

    // The first deputy governor's home now leads to its agenda, which opens with what they asked and
    // where it stands.
    await goHome(lead);
    const toAgenda = todo(lead).getByRole('link', {
      name: /^Повестка совещания .*: что поручалось и как исполнено$/,
    });
    expect(await toAgenda.count()).toBe(1);
    expect(await section(lead, 'lead-meetings').locator(`a[href="/check-ins/${next.id}"]`).count()).toBe(1);
    await shoot(lead, 'lead-05-home-next-meeting');
    await toAgenda.click();
    await lead.waitForURL(`${url}/check-ins/${next.id}`);
    const agenda = lead.locator('section.agenda');
    expect(await agenda.getByRole('heading', { name: 'Повестка совещания' }).count()).toBe(1);
    const asked = agenda.locator('section[aria-labelledby="dg-instr"] tbody tr').filter({ hasText: text });
    expect(await asked.count()).toBe(1);
    expect(await asked.locator('.badge[class*="status-"]').textContent()).toMatch(/Назначено|В работе/);
    expect(await asked.textContent()).toContain('Особый контроль');
    await accessible(lead, 'next meeting with its agenda');
    await shoot(lead, 'lead-06-next-meeting-agenda');
    expect(problems).toEqual([]);
  });

  it('an agency head assigns an item to the executor with an internal deadline, the executor reports, the head signs it off to the working group', async () => {
    const head = await signIn('mtsr.head');
    expect(await head.locator('h1').textContent()).toMatch(/^Руководителю: /);
    await accessible(head, 'head home');
    await linksWork(head, 'head home');
    await shoot(head, 'head-01-home');
    const signoffBefore = await rowsOf(section(head, 'head-signoff')).count();
    // The demo: a measure's report and an instruction's wait for this head's signature.
    expect(signoffBefore).toBeGreaterThanOrEqual(1);
    expect(await todo(head).textContent()).toContain(`Подписать отчёты исполнителей: ${signoffBefore}`);

    // An item nobody is assigned to yet, with a control date far enough for an internal deadline.
    const candidates = rowsOf(section(head, 'head-assign')).filter({ hasText: 'не назначен' });
    expect(await candidates.count()).toBeGreaterThan(0);
    const ahead = addWorkingDays(today, 5);
    let pick: Locator | undefined;
    for (let i = 0; i < (await candidates.count()) && !pick; i++) {
      const href = await candidates.nth(i).locator('th a').first().getAttribute('href');
      const r = await row(Number(/\/items\/(\d+)/.exec(href!)![1]));
      if (r.kind === 'measure' && r.current_due > ahead) pick = candidates.nth(i);
    }
    expect(pick, 'a measure ahead of its control date to assign').toBeDefined();
    const link = pick!.locator('th a').first();
    const title = (await link.textContent())!.trim();
    const itemId = Number(/\/items\/(\d+)/.exec((await link.getAttribute('href'))!)![1]);
    const item = await row(itemId);
    expect(item.signoff_pending).toBe(false);
    const internalDue =
      addWorkingDays(today, 2) < item.current_due ? addWorkingDays(today, 2) : item.current_due;
    await pick!.getByLabel('Исполнитель').selectOption({ label: (await execName('mtsr.exec'))! });
    await fillDate(head, `assign-${itemId}-internalDue`, internalDue);
    await pick!.getByRole('button', { name: 'Поручить' }).click();
    await head.waitForURL(`${url}/`);
    expect(await flashText(head)).toBe('Исполнитель назначен и получил уведомление');
    const assigned = rowsOf(section(head, 'head-assign')).filter({
      has: head.locator(`a[href="/items/${itemId}"]`),
    });
    expect(await assigned.textContent()).toContain(`внутренний срок ${ru(internalDue)}`);
    const load = section(head, 'head-load');
    expect(await load.textContent()).toContain(title);
    await shoot(head, 'head-02-assigned');

    // The executor finds it on their week, to the internal deadline, and reports.
    const exec = await signIn('mtsr.exec');
    const mineRow = exec
      .locator('table.home-table tbody tr')
      .filter({ has: exec.locator(`a[href="/items/${itemId}"]`) });
    expect(await mineRow.count()).toBe(1);
    expect(await mineRow.textContent()).toContain(ru(internalDue));
    expect(await mineRow.textContent()).toContain(`внутренний срок; контрольный — ${ru(item.current_due)}`);
    await mineRow.locator(`a[href="/items/${itemId}"]`).first().click();
    await exec.waitForURL(`${url}/items/${itemId}`);
    expect(await exec.locator('#item-panel').textContent()).toContain(await execName('mtsr.exec'));
    await exec
      .getByLabel('Текст отчёта')
      .fill('Проект регламента подготовлен, согласован с МФЦ; прошу подписать.');
    await exec.getByRole('button', { name: 'Представить отчёт' }).click();
    await expect.poll(() => flashText(exec)).toBe('Отчёт направлен на подпись руководителю ведомства');
    await expect.poll(async () => (await row(itemId)).signoff_pending).toBe(true);
    expect((await row(itemId)).status).not.toBe('submitted'); // not with the working group yet
    await shoot(exec, 'head-03-executor-reported');
    await goHome(exec);
    const waiting = rowsOf(section(exec, 'week-waiting')).filter({
      has: exec.locator(`a[href="/items/${itemId}"]`),
    });
    expect(await waiting.textContent()).toContain('У руководителя на подписи');

    // The head signs it off from their home; it reaches the working group's queue.
    const wg = await signIn('rg');
    const queueBefore = await menuQueue(wg);
    await head.reload();
    expect(await rowsOf(section(head, 'head-signoff')).count()).toBe(signoffBefore + 1);
    const toSign = rowsOf(section(head, 'head-signoff')).filter({
      has: head.locator(`a[href="/items/${itemId}"]`),
    });
    expect(await toSign.textContent()).toContain('Проект регламента подготовлен');
    await shoot(head, 'head-04-signoff-waiting');
    await toSign.getByRole('button', { name: 'Подписать и направить' }).click();
    await head.waitForURL(`${url}/`);
    expect(await flashText(head)).toBe('Отчёт подписан и направлен в рабочую группу');
    expect(await rowsOf(section(head, 'head-signoff')).count()).toBe(signoffBefore);
    await expect.poll(async () => (await row(itemId)).status).toBe('submitted');
    await wg.reload();
    expect(await menuQueue(wg)).toBe(queueBefore + 1);
    expect(await rowsOf(section(wg, 'wg-queue')).filter({ hasText: title }).count()).toBe(1);
    await shoot(wg, 'head-05-in-working-group-queue');
    expect(problems).toEqual([]);
  });

  async function execName(login: string) {
    return (
      await db
        .selectFrom('app_user')
        .select('display_name')
        .where('login', '=', login)
        .executeTakeFirstOrThrow()
    ).display_name;
  }

  it('the working group reviews three reports through next-in-queue and accepts two more at once', async () => {
    const wg = await signIn('rg');
    expect(await wg.locator('h1').textContent()).toBe('Рабочая группа');
    await accessible(wg, 'working group home');
    await linksWork(wg, 'working group home');
    await shoot(wg, 'wg-01-home');
    const queue = rowsOf(section(wg, 'wg-queue'));
    const n = await queue.count();
    expect(n).toBeGreaterThanOrEqual(6);
    const submitted = await db
      .selectFrom('control_item')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow();
    expect(n).toBe(submitted.n);
    expect(await menuQueue(wg)).toBe(n);
    expect(await headingCount(wg, 'wg-queue')).toBe(n);
    expect(await todo(wg).textContent()).toContain(`Рассмотреть отчёты: ${n}`);
    const ids = await queue
      .locator('th a')
      .evaluateAll((as) => as.map((a) => Number(/\/items\/(\d+)/.exec(a.getAttribute('href') ?? '')?.[1])));

    // Queue mode: each decision opens the next report.
    await wg.getByRole('link', { name: 'Рассматривать по очереди' }).click();
    await wg.waitForURL(`${url}/items/${ids[0]}?queue=1`);
    expect(await wg.locator('main').textContent()).toContain(
      'Режим очереди: после решения откроется следующий отчёт.',
    );
    await accessible(wg, 'report in queue mode');
    await shoot(wg, 'wg-02-queue-first');
    await wg.getByLabel('Отчёт проверен').check();
    await wg.getByRole('button', { name: 'Принять и снять с контроля' }).click();
    await wg.waitForURL(`${url}/items/${ids[1]}?queue=1`);
    expect(await flashText(wg)).toBe('Отчёт принят, мероприятие снято с контроля');
    expect(await status(wg).textContent()).toBe('На рассмотрении');

    await wg.getByLabel('Что доработать').fill('Не приложен проект нормативного акта');
    await wg.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await wg.waitForURL(`${url}/items/${ids[2]}?queue=1`);
    expect(await flashText(wg)).toBe('Отчёт возвращён на доработку');
    await shoot(wg, 'wg-03-queue-after-return');

    await wg.getByLabel('Отчёт проверен').check();
    await wg.getByRole('button', { name: 'Принять и снять с контроля' }).click();
    await wg.waitForURL(`${url}/items/${ids[3]}?queue=1`);
    expect(await menuQueue(wg)).toBe(n - 3);
    await expect.poll(() => lastOutcome(ids[0]!)).toBe('accepted');
    await expect.poll(() => lastOutcome(ids[1]!)).toBe('returned');
    await expect.poll(() => lastOutcome(ids[2]!)).toBe('accepted');
    expect((await row(ids[1]!)).status).toBe('returned');

    // Bulk: the next two ticked and accepted together.
    await goHome(wg);
    expect(await rowsOf(section(wg, 'wg-queue')).count()).toBe(n - 3);
    for (const id of ids.slice(3, 5)) await wg.locator(`#accept-${id}`).check();
    await shoot(wg, 'wg-04-bulk-selected');
    await wg.getByRole('button', { name: 'Принять выбранные' }).click();
    await wg.waitForURL(`${url}/`);
    expect(await flashText(wg)).toBe('Принято отчётов: 2');
    for (const id of ids.slice(3, 5)) expect(await lastOutcome(id)).toBe('accepted');
    expect(await rowsOf(section(wg, 'wg-queue')).count()).toBe(n - 5);
    expect(await menuQueue(wg)).toBe(n - 5);
    expect(await todo(wg).textContent()).toContain(`Рассмотреть отчёты: ${n - 5}`);
    await shoot(wg, 'wg-05-after-bulk');
    expect(problems).toEqual([]);
  });

  it('an executor lands on their week and acts from it', async () => {
    // An executor with something overdue and something due later: the demo's Минтруд executor is busy with
    // the journey above, so the first other one whose week has both.
    const candidates = await db
      .selectFrom('app_user as u')
      .select(['u.login', 'u.id', 'u.agency_id'])
      .where('u.role', '=', 'agency_executor')
      .where('u.login', '!=', 'mtsr.exec')
      .where(
        sql<boolean>`exists (select 1 from control_item i where i.agency_id = u.agency_id
          and i.status in ('in_progress','returned') and i.current_due < ${today}::date and not i.signoff_pending
          and not exists (select 1 from extension_request x where x.control_item_id = i.id and x.status = 'pending'))`,
      )
      .where(
        sql<boolean>`exists (select 1 from control_item i where i.agency_id = u.agency_id
          and i.status in ('assigned','in_progress','returned') and i.current_due >= ${today}::date)`,
      )
      .orderBy('u.login')
      .execute();
    expect(candidates.length).toBeGreaterThan(0);
    const who = candidates[0]!;
    const exec = await signIn(who.login);
    expect(await exec.locator('h1').textContent()).toBe('Моя неделя');
    for (const g of ['Просрочено', 'Срок на этой неделе', 'Позже', 'Ждут решения других'])
      expect(await exec.getByRole('heading', { name: new RegExp(`^${g}`) }).count()).toBe(1);
    const counts = { overdue: 0, thisWeek: 0, later: 0, waiting: 0 };
    for (const g of ['overdue', 'thisWeek', 'later', 'waiting'] as const) {
      counts[g] = await rowsOf(section(exec, `week-${g}`)).count();
      if (counts[g] > 0) expect(await headingCount(exec, `week-${g}`)).toBe(counts[g]);
    }
    // Overdue: every item of theirs past its control date that waits for nobody else.
    const overdue = await db
      .selectFrom('control_item as i')
      .select('i.id')
      .where('i.agency_id', '=', who.agency_id)
      .where((eb) => eb.or([eb('i.executor_user_id', '=', who.id), eb('i.executor_user_id', 'is', null)]))
      .where(
        sql<boolean>`i.status in ('assigned','in_progress','returned') and i.current_due < ${today}::date`,
      )
      .where('i.signoff_pending', '=', false)
      .where(
        sql<boolean>`not exists (select 1 from extension_request x where x.control_item_id = i.id and x.status = 'pending')`,
      )
      .execute();
    const overdueShown = await rowsOf(section(exec, 'week-overdue'))
      .locator('th a')
      .evaluateAll((as) => as.map((a) => Number(/\/items\/(\d+)/.exec(a.getAttribute('href') ?? '')?.[1])));
    for (const o of overdue) expect(overdueShown).toContain(o.id);
    expect(counts.overdue).toBeGreaterThan(0);
    expect(await todo(exec).textContent()).toContain(`Просрочено: ${counts.overdue}`);
    await accessible(exec, 'executor home');
    await linksWork(exec, 'executor home');
    await shoot(exec, 'exec-01-week');

    // The first overdue row: ask for more time from its own link.
    const late = rowsOf(section(exec, 'week-overdue')).first();
    const lateLink = late.locator('th a').first();
    const lateId = Number(/\/items\/(\d+)/.exec((await lateLink.getAttribute('href'))!)![1]);
    await late.getByRole('link', { name: 'Запросить продление' }).click();
    await exec.waitForURL(`${url}/items/${lateId}#act-extension`);
    const newDue = addWorkingDays(today, 15);
    await fillDate(exec, 'ext-requestedDue', newDue);
    await exec
      .getByLabel('Обоснование')
      .fill('Проект на согласовании в Минюсте, заключение ожидается через три недели');

    await shoot(exec, 'exec-02-extension-form');
    await exec.getByRole('button', { name: 'Запросить продление' }).click();
    await expect.poll(() => flashText(exec)).toBe('Запрос на продление срока отправлен');
    await expect
      .poll(async () =>
        (
          await db
            .selectFrom('extension_request')
            .select('requested_due')
            .where('control_item_id', '=', lateId)
            .where('status', '=', 'pending')
            .execute()
        ).map((x) => x.requested_due),
      )
      .toEqual([newDue]);

    // Back on the week: that item waits for a decision now, one fewer overdue.
    await goHome(exec);
    expect(await rowsOf(section(exec, 'week-overdue')).count()).toBe(counts.overdue - 1);
    const waiting = rowsOf(section(exec, 'week-waiting')).filter({
      has: exec.locator(`a[href="/items/${lateId}"]`),
    });
    expect(await waiting.textContent()).toContain('Ждёт решения о продлении');
    await shoot(exec, 'exec-03-week-after');
    expect(problems).toEqual([]);
  });
});
