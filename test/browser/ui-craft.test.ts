import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { hashPassword } from '../../web/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.ts';
import { insertItem } from '../support/fixtures.ts';
import { dueIn, regionToday } from '../support/item-ui-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

// Issue 14's "done when", in Chromium against the demo programme: the message after an action (with
// and without JavaScript), the error summary, dates typed as day / month / year, saved views, the XLSX
// of a filtered list, and a walk over every main page of every role at phone width (390 px) — nothing
// wider than the screen, no serious axe violation, no Russian left on an English page except what people
// typed (marked lang="ru"). Screenshots of the walk are kept under test-results/ (ui-craft-*.png).

const PHONE = { width: 390, height: 844 };
const ROLES = ['rg', 'fzg', 'mtsr.head', 'mtsr.exec', 'admin', 'observer'] as const;

describe('UI craft in Chromium (issue 14)', () => {
  let stack: TestStack;
  let browser: Browser;
  let agencyId: number;
  const contexts: BrowserContext[] = [];

  /** A signed-in page in its own context (own cookies); a phone unless said otherwise. */
  async function signIn(
    login: string,
    o: { javaScript?: boolean; viewport?: { width: number; height: number } } = {},
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport: o.viewport ?? PHONE,
      javaScriptEnabled: o.javaScript ?? true,
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${stack.web.url}/login`);
    await page.getByLabel(/^(Логин|Login)$/).fill(login);
    await page.getByLabel(/^(Пароль|Password)$/).fill('demo');
    await page.getByRole('button', { name: /^(Войти|Sign in)$/ }).click();
    await page.waitForURL(/\/(dashboard)?$/);
    return page;
  }

  /** An item of the executor's agency under control: a row and its running workflow. */
  async function controlledItem(title: string) {
    const { row, state } = await insertItem(stack.tdb.db, { agencyId, due: dueIn(30), title });
    await startControlItem(stack.temporal.handle, state, DEFAULT_CHASE_POLICY);
    return row.id;
  }

  const status = (page: Page) => page.locator('#item-panel .facts .badge').first();
  const flashText = (page: Page) => page.locator('#flash .flash').textContent();
  /** What the person sees after an action: the message on top, focused, the window at the top. */
  async function expectMessageOnTop(page: Page, message: string) {
    await expect.poll(() => flashText(page)).toBe(message);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.matches('#flash .flash') ?? false))
      .toBe(true);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    // The message is the first thing in the main content, above everything else on the page.
    const box = await page.locator('#flash .flash').boundingBox();
    expect(box!.y).toBeLessThan(PHONE.height / 2);
  }

  /** Scrolls the window until `target` shows at the bottom of the screen, and checks it moved. */
  async function scrolledTo(page: Page, target: Locator) {
    await target.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(100);
  }

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
    await seedDemo(stack.tdb.db, {
      today: regionToday(),
      password: 'demo',
      passwordHash: await hashPassword('demo'),
      utcOffsetMinutes: DEFAULT_CHASE_POLICY.utcOffsetMinutes,
    });
    const exec = await stack.tdb.db
      .selectFrom('app_user')
      .select('agency_id')
      .where('login', '=', 'mtsr.exec')
      .executeTakeFirstOrThrow();
    agencyId = exec.agency_id!;
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await stack?.close();
  });

  describe.each([
    ['with JavaScript (htmx swaps the panel)', true],
    ['without JavaScript (post, redirect, get)', false],
  ])('after an action, %s', (_, javaScript) => {
    it('the message is at the top of the page, focused, the page scrolled to the top', async () => {
      const title = `Приём заявлений онлайн ${javaScript ? 'htmx' : 'PRG'}`;
      const id = await controlledItem(title);
      const exec = await signIn('mtsr.exec', { javaScript });
      await exec.goto(`${stack.web.url}/items/${id}`);
      await exec.getByLabel('Текст отчёта').fill('Приём заявлений открыт на портале');
      // On a phone the form's button is below the fold: the person scrolled down to it.
      await scrolledTo(exec, exec.getByRole('button', { name: 'Представить отчёт' }));
      await exec.getByRole('button', { name: 'Представить отчёт' }).click();
      await expectMessageOnTop(exec, 'Отчёт представлен в рабочую группу');
      expect(await status(exec).textContent()).toBe('На рассмотрении');
      await screenshot(exec, `ui-craft-flash-submit-${javaScript ? 'js' : 'nojs'}`);

      const wg = await signIn('rg', { javaScript });
      await wg.goto(`${stack.web.url}/items/${id}`);
      await wg.getByLabel('Что доработать').fill('Приложите приказ о порядке приёма');
      await scrolledTo(wg, wg.getByRole('button', { name: 'Вернуть на доработку' }));
      await wg.getByRole('button', { name: 'Вернуть на доработку' }).click();
      await expectMessageOnTop(wg, 'Отчёт возвращён на доработку');
      expect(await status(wg).textContent()).toBe('На доработке');
      await screenshot(wg, `ui-craft-flash-return-${javaScript ? 'js' : 'nojs'}`);

      // The message is said once: the next page view has none.
      await wg.reload();
      expect(await wg.locator('#flash .flash').count()).toBe(0);
    });

    it('a refused form shows the error summary, focused; its link moves the focus to the field', async () => {
      const id = await controlledItem(`Запись к врачу по телефону ${javaScript ? 'htmx' : 'PRG'}`);
      const exec = await signIn('mtsr.exec', { javaScript });
      await exec.goto(`${stack.web.url}/items/${id}`);
      await exec.getByLabel('Обоснование').fill('Поставщик сорвал сроки поставки оборудования');
      await exec.getByRole('button', { name: 'Запросить продление' }).click();
      const summary = exec.locator('#ext-error-summary');
      await expect.poll(() => summary.count()).toBe(1);
      expect(await summary.locator('h2').textContent()).toBe('Исправьте ошибки');
      await expect
        .poll(() => exec.evaluate(() => document.activeElement?.id ?? ''))
        .toBe('ext-error-summary');
      // What was typed stays.
      expect(await exec.getByLabel('Обоснование').inputValue()).toBe(
        'Поставщик сорвал сроки поставки оборудования',
      );
      const link = summary.locator('a').first();
      const target = (await link.getAttribute('href'))!;
      expect(target).toBe('#ext-requestedDue');
      await link.click();
      await expect.poll(() => exec.evaluate(() => `#${document.activeElement?.id ?? ''}`)).toBe(target);
      // The focused box is the day of the date the summary names.
      expect(await exec.locator(target).getAttribute('name')).toBe('requestedDue-day');
      // axe runs in the page's own JavaScript: only where the page has it.
      if (javaScript) expect(await seriousAxeViolations(exec)).toEqual([]);
      await screenshot(exec, `ui-craft-error-summary-${javaScript ? 'js' : 'nojs'}`);
    });
  });

  it('a date typed as day / month / year round-trips; 31 February is refused and nothing is stored', async () => {
    const id = await controlledItem('Выдача справок через МФЦ в день обращения');
    const exec = await signIn('mtsr.exec');
    await exec.goto(`${stack.web.url}/items/${id}`);
    const requests = () =>
      stack.tdb.db
        .selectFrom('extension_request')
        .select(['requested_due', 'status'])
        .where('control_item_id', '=', id)
        .execute();
    const year = String(Number(regionToday().slice(0, 4)) + 1);
    const typeDate = async (day: string, month: string, y: string) => {
      await exec.locator('#ext-requestedDue').fill(day);
      await exec.locator('#ext-requestedDue-month').fill(month);
      await exec.locator('#ext-requestedDue-year').fill(y);
    };

    await typeDate('31', '02', year);
    await exec.getByLabel('Обоснование').fill('Нужно время на закупку оборудования');
    await exec.getByRole('button', { name: 'Запросить продление' }).click();
    await expect
      .poll(() => exec.locator('#ext-requestedDue-error').textContent())
      .toContain('Такой даты нет: проверьте день и месяц');
    expect(await exec.locator('#ext-error-summary').textContent()).toContain('Такой даты нет');
    expect(await exec.locator('#ext-requestedDue').getAttribute('aria-invalid')).toBe('true');
    // The boxes keep what was typed, for the person to correct.
    expect(await exec.locator('#ext-requestedDue').inputValue()).toBe('31');
    expect(await exec.locator('#ext-requestedDue-year').inputValue()).toBe(year);
    expect(await requests()).toEqual([]);
    expect(await exec.locator('#flash .flash').count()).toBe(0);

    // A real date: a working day four months away, typed with and without leading zeros.
    const wanted = dueIn(120);
    const [y, m, d] = wanted.split('-') as [string, string, string];
    await typeDate(d, String(Number(m)), y);
    await exec.getByRole('button', { name: 'Запросить продление' }).click();
    await expectMessageOnTop(exec, 'Запрос на продление срока отправлен');
    await expect.poll(requests).toEqual([{ requested_due: wanted, status: 'pending' }]);

    // Reopened, the date reads back the same: in the request and in the decision form's three boxes.
    const wg = await signIn('rg');
    await wg.goto(`${stack.web.url}/items/${id}`);
    expect(await wg.locator('#item-panel').textContent()).toContain(`${d}.${m}.${y}`);
    expect(await wg.locator('#decision-grantedDue').inputValue()).toBe(String(Number(d)));
    expect(await wg.locator('#decision-grantedDue-month').inputValue()).toBe(String(Number(m)));
    expect(await wg.locator('#decision-grantedDue-year').inputValue()).toBe(y);
  });

  it('a saved view of the roadmap list restores its filters and sort', async () => {
    const wg = await signIn('rg', { viewport: { width: 1400, height: 900 } });
    await wg.goto(`${stack.web.url}/items`);
    const results = wg.locator('#roadmap-results');
    await wg.getByLabel('Статус').selectOption('open');
    await expect.poll(() => wg.url()).toContain('status=open');
    const agencyLabel = (await wg
      .getByLabel('Ответственный исполнитель', { exact: true })
      .locator('option')
      .filter({ hasText: /^Минтруд/ })
      .first()
      .textContent())!;
    await wg.getByLabel('Ответственный исполнитель', { exact: true }).selectOption({ label: agencyLabel });
    await expect.poll(() => wg.url()).toContain('agency=');
    // The list is by control date (earliest first) by default; one click on the header: latest first.
    expect(await results.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
    await results.locator('th a.sort-link', { hasText: 'Контрольный срок' }).click();
    await expect.poll(() => results.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => wg.url()).toContain('sort=due&dir=desc');
    const listed = await results.locator('.result-count').textContent();
    const firstRows = await results.locator('tbody tr td.num').allTextContents();
    const savedUrl = new URL(wg.url());

    await wg.getByText('Сохранить этот вид').click();
    await wg.getByLabel('Название вида').fill('Открытые Минтруда по сроку');
    await wg.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await expectMessageOnTopWide(wg, 'Вид «Открытые Минтруда по сроку» сохранён');

    // Back to the whole list, then the saved view.
    await wg.getByRole('link', { name: 'Сбросить' }).click();
    await wg.waitForURL(`${stack.web.url}/items`);
    expect(await wg.getByLabel('Статус').inputValue()).toBe('');
    await wg.getByRole('link', { name: 'Открытые Минтруда по сроку' }).click();
    await expect.poll(() => new URL(wg.url()).search).toBe(savedUrl.search);
    await wg.reload(); // the form's fields as the restored URL renders them
    expect(await wg.getByLabel('Статус').inputValue()).toBe('open');
    expect(await wg.getByLabel('Ответственный исполнитель', { exact: true }).inputValue()).toBe(
      savedUrl.searchParams.get('agency'),
    );
    expect(await results.locator('th[aria-sort]').textContent()).toContain('Контрольный срок');
    expect(await results.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
    expect(await results.locator('.result-count').textContent()).toBe(listed);
    expect(await results.locator('tbody tr td.num').allTextContents()).toEqual(firstRows);
    expect(
      await wg.getByRole('link', { name: 'Открытые Минтруда по сроку' }).getAttribute('aria-current'),
    ).toBe('true');
  });

  async function expectMessageOnTopWide(page: Page, message: string) {
    await expect.poll(() => flashText(page)).toBe(message);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.matches('#flash .flash') ?? false))
      .toBe(true);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
  }

  it('the XLSX of a filtered list has exactly the filtered rows, every page of them', async () => {
    const wg = await signIn('rg', { viewport: { width: 1400, height: 900 } });
    // Open items: more than one page of the list.
    await wg.goto(`${stack.web.url}/items?status=open`);
    const found = Number(/\d+/.exec((await wg.locator('.result-count').textContent())!)![0]);
    expect(found).toBeGreaterThan(25);
    const shown: string[] = [];
    for (let p = 1; shown.length < found; p++) {
      await wg.goto(`${stack.web.url}/items?status=open&page=${p}`);
      const rows = wg.locator('#roadmap-results tbody tr');
      for (const r of await rows.all())
        shown.push(
          `${await r.locator('td.num').first().textContent()}|${await r.locator('td.wide a').first().textContent()}`,
        );
      expect(p).toBeLessThan(10);
    }
    const [download] = await Promise.all([wg.waitForEvent('download'), wg.locator('#export-list').click()]);
    expect(download.url()).toContain('/exports/items.xlsx?status=open');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const ws = wb.worksheets[0]!;
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 2)).toEqual(['№', 'Наименование']);
    const exported: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) exported.push(`${String(row.getCell(1).value)}|${String(row.getCell(2).value)}`);
    });
    expect(exported.length).toBe(found);
    expect([...exported].sort()).toEqual([...shown].sort());
    // And nothing of what the filter left out: every exported row is open.
    const statuses = new Set<string>();
    ws.eachRow((row, n) => {
      if (n > 1) statuses.add(String(row.getCell(header.indexOf('Статус') + 1).value).split(',')[0]!);
    });
    expect(statuses.size).toBeGreaterThan(0);
    for (const s of statuses)
      expect(['Назначено', 'В работе', 'На рассмотрении', 'На доработке']).toContain(s);
  });

  // ---- every main page of every role at 390 px ------------------------------------------------------

  /** Links that are not pages to look at: downloads, the language switch, signing out, the public form. */
  const NOT_A_PAGE = /^\/(logout|lang\/|exports\/|attachments\/|feedback|api\/)|\.(xlsx|csv|ics|pdf)$/;
  /** A path's shape: ids replaced, so one item page stands for all of them. */
  const shape = (path: string) => path.replace(/\/\d+(?=\/|$)/g, '/:id');

  /** Same-origin links of a page (as written in href) that are pages to look at. */
  const pageLinks = async (page: Page, selector: string) =>
    (
      await page
        .locator(selector)
        .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''))
    )
      .map((h) => h.split(/[?#]/)[0]!)
      .filter((h) => h.startsWith('/') && !h.startsWith('//') && !NOT_A_PAGE.test(h));

  /**
   * The pages of a section worth a look besides itself: its tabs, and one page of each kind one or two
   * levels down (an item, a meeting, a life situation, an admin record); from a home, an item.
   */
  async function sectionChildren(page: Page, section: string) {
    const tabs = await pageLinks(page, 'main nav.tabs a');
    const root = section === '/' ? '' : section.split('/').slice(0, 2).join('/');
    const depth = root.split('/').length;
    const children = (await pageLinks(page, 'main a[href]')).filter((path) =>
      root ? path.startsWith(`${root}/`) && path.split('/').length <= depth + 2 : /^\/items\/\d+$/.test(path),
    );
    return [...tabs, ...children];
  }

  /** Text (and labels read aloud) in Cyrillic outside elements marked lang="ru". */
  const russianOutsideUserText = (page: Page) =>
    page.evaluate(() => {
      const cyrillic = /[\u0400-\u04ff]/;
      const found: string[] = [];
      const where = (el: Element) => {
        const id = el.id ? `#${el.id}` : '';
        const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
        return `${el.tagName.toLowerCase()}${id}${cls}`;
      };
      const userText = (el: Element | null) => !!el?.closest('[lang|="ru"]');
      // The window's title names the page's heading; a heading someone typed in Russian is theirs there too.
      let title = document.title;
      for (const el of document.querySelectorAll('h1 [lang|="ru"], h1[lang|="ru"]'))
        title = title.replace(el.textContent ?? '', '');
      if (cyrillic.test(title)) found.push(`<title> ${document.title}`);
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || !cyrillic.test(n.textContent ?? '') || userText(el)) continue;
        if (el.closest('script, style, template')) continue;
        found.push(`${where(el)}: ${n.textContent!.trim().slice(0, 80)}`);
      }
      for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
        if (userText(el)) continue;
        for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
          const v = el.getAttribute(a);
          if (v && cyrillic.test(v)) found.push(`${where(el)}[${a}]: ${v.slice(0, 80)}`);
        }
      }
      return found;
    });

  interface Finding {
    who: string;
    path: string;
    what: string;
  }

  /**
   * Visits each main page of one person at 390 px: its width, a screenshot, axe (when asked) and, on an
   * English page, Russian outside what people typed. Collects every finding rather than stopping at the
   * first, so one run lists all that is wrong.
   */
  async function walk(login: string, o: { english: boolean; axe: boolean }) {
    const page = await signIn(login);
    const lang = o.english ? 'en' : 'ru';
    // The language is the browser's choice (a cookie) over the account's: the observer reads English.
    if ((await page.locator('html').getAttribute('lang')) !== lang)
      await page.goto(`${stack.web.url}/lang/${lang}?back=/`);
    // The menu's sections and the account (from the rendered header: what this role is offered), then
    // what each section leads to, one page per shape.
    const sections = ['/', ...(await pageLinks(page, 'header nav a, header a.inbox-link, header a.who'))];
    const queue = [...new Set(sections)];
    const seen = new Set(queue.map(shape));
    const findings: Finding[] = [];
    const who = `${login} (${lang})`;
    for (let i = 0; i < queue.length; i++) {
      const path = queue[i]!;
      const res = await page.goto(stack.web.url + path);
      if (!res || res.status() >= 400) {
        findings.push({ who, path, what: `HTTP ${res?.status()}` });
        continue;
      }
      if (i < sections.length)
        for (const next of await sectionChildren(page, path))
          if (!seen.has(shape(next))) {
            seen.add(shape(next));
            queue.push(next);
          }
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > PHONE.width) {
        const wide = await page.evaluate((limit) => {
          // The outermost elements that stick out past the screen's edge: where to look.
          const out: string[] = [];
          for (const el of document.body.querySelectorAll('*')) {
            const parent = el.parentElement!;
            if (el.getBoundingClientRect().right <= limit + 0.5) continue;
            if (parent !== document.body && parent.getBoundingClientRect().right > limit + 0.5) continue;
            out.push(
              `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} → ${Math.round(el.getBoundingClientRect().right)}`,
            );
          }
          return out.slice(0, 5).join('; ');
        }, PHONE.width);
        findings.push({ who, path, what: `${width} px wide: ${wide}` });
      }
      const name = `ui-craft-390-${lang}-${login.replace(/\W/g, '-')}${path === '/' ? '-home' : path.replace(/\W/g, '-')}`;
      await screenshot(page, name);
      if (o.english) {
        expect(await page.locator('html').getAttribute('lang')).toBe('en');
        for (const r of await russianOutsideUserText(page))
          findings.push({ who, path, what: `russian: ${r}` });
      }
      if (o.axe)
        for (const v of await seriousAxeViolations(page))
          findings.push({
            who,
            path,
            what: `axe ${v.id} (${v.impact}): ${v.nodes
              .slice(0, 3)
              .map((n) => n.target.join(' '))
              .join(', ')}`,
          });
    }
    return { pages: queue, findings };
  }

  /** Runs the walks two at a time (two cores). */
  async function walkAll(o: { english: boolean; axe: (login: string) => boolean }) {
    const queue = [...ROLES];
    const done: Awaited<ReturnType<typeof walk>>[] = [];
    const visited = new Map<string, string[]>();
    await Promise.all(
      [0, 1].map(async () => {
        for (let login = queue.shift(); login; login = queue.shift()) {
          const r = await walk(login, { english: o.english, axe: o.axe(login) });
          visited.set(login, r.pages);
          done.push(r);
        }
      }),
    );
    return { visited, findings: done.flatMap((r) => r.findings) };
  }

  it('every main page of every role fits a 390 px phone and has no serious axe violations', async () => {
    const { visited, findings } = await walkAll({ english: false, axe: () => true });
    // The walk found the pages the issue names, for the roles that have them.
    expect(visited.get('rg')).toEqual(
      expect.arrayContaining([
        '/',
        '/dashboard',
        '/items',
        '/agencies',
        '/life-situations',
        '/services',
        '/check-ins',
        '/inbox',
        '/account',
        '/citizens',
        '/cases',
      ]),
    );
    for (const login of ROLES) {
      const shapes = visited.get(login)!.map(shape);
      expect(shapes, login).toEqual(
        expect.arrayContaining(['/items/:id', '/life-situations/:id', '/check-ins/:id']),
      );
    }
    expect(visited.get('admin')!.filter((p) => p.startsWith('/admin/')).length).toBeGreaterThan(5);
    expect(findings).toEqual([]);
  }, 900_000);

  it('every main page in English has no Russian outside what people typed, and fits 390 px', async () => {
    const { findings } = await walkAll({ english: true, axe: (login) => login === 'observer' });
    expect(findings).toEqual([]);
  }, 900_000);
});
