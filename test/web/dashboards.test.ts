import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { PAGE_SIZE } from '../../web/routes/roadmap-list.tsx';
import { HOSTILE, insertHostileProgramme, unescapedHostile } from '../support/hostile-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { connectDevServer } from '../support/temporal.ts';
import { startTestApp, WebClient } from '../support/web.ts';

const RAW_KEY = /\b(dash|ls|league|roadmap|agencyPage)\.[a-zA-Z]+/;
const rowCount = (html: string) => (html.match(/<tr[\s>]/g) ?? []).length;
const linkIds = (html: string) => [...html.matchAll(/href="\/items\/(\d+)"/g)].map((m) => Number(m[1]));

// The read-side pages through the real app on Postgres, with the demo programme plus hostile names.
describe('dashboards, life situations, agencies and the roadmap list', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let web: Awaited<ReturnType<typeof startTestApp>>;
  let ru: WebClient;
  let en: WebClient;
  let hostile: Awaited<ReturnType<typeof insertHostileProgramme>>;
  const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);

  beforeAll(async () => {
    [tdb, temporal] = await Promise.all([createTestDatabase(), connectDevServer()]);
    await seedDemo(tdb.db, {
      today,
      password: 'demo',
      passwordHash: await hashPassword('demo'),
      utcOffsetMinutes: DEFAULT_CHASE_POLICY.utcOffsetMinutes,
    });
    hostile = await insertHostileProgramme(tdb.db, today);
    web = await startTestApp({ db: tdb.db, temporal: temporal.handle });
    ru = new WebClient(web.url);
    await ru.login('rg', 'demo');
    en = new WebClient(web.url);
    await en.login('observer', 'demo'); // English UI
  });
  afterAll(async () => {
    await web?.close();
    await temporal?.close();
    await tdb?.drop();
  });

  const pages = () => [
    '/',
    '/dashboard',
    '/items',
    `/items?q=${encodeURIComponent(HOSTILE.img)}`,
    `/items?ls=${hostile.lifeSituationId}`,
    '/life-situations',
    `/life-situations/${hostile.lifeSituationId}`,
    '/agencies',
    '/agencies?sort=overdue&dir=desc',
    `/agencies/${hostile.agencyId}`,
  ];

  it('renders every page in Russian and in English, complete, escaped, without inline styles', async () => {
    for (const [client, lang] of [
      [ru, 'ru'],
      [en, 'en'],
    ] as const) {
      for (const path of pages()) {
        const res = await client.get(path);
        expect(res.status, `${lang} ${path}`).toBe(200);
        expect(res.text, path).toMatch(/^<!DOCTYPE html>/i);
        expect(res.text, path).toContain(`<html lang="${lang}">`);
        expect(res.text.match(RAW_KEY)?.[0] ?? null, `${lang} ${path}: untranslated key`).toBeNull();
        expect(unescapedHostile(res.text), `${lang} ${path}`).toEqual([]);
        expect(res.text, path).not.toMatch(/\sstyle=/);
      }
    }
    // The hostile names were rendered (escaped), not skipped.
    const ls = await ru.get(`/life-situations/${hostile.lifeSituationId}`);
    expect(ls.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(ls.text).toContain('&quot;&gt;&lt;img src=x onerror=alert(3)&gt;');
    const dash = await en.get('/dashboard');
    expect(dash.text).toContain(`href="/items/${hostile.overdueId}"`);
    expect(dash.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows the dashboard: progress, KPI, accessible burn-up, red list, deadlines, RAG with legend', async () => {
    const { text } = await ru.get('/dashboard');
    expect(text).toContain('Ход реализации программы');
    expect(text).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="burnup-title burnup-desc"/);
    expect(text).toMatch(/<title id="burnup-title">[^<]+<\/title><desc id="burnup-desc">[^<]+<\/desc>/);
    expect(text).toContain('<table class="data-table sr-only"><caption>Данные диаграммы по неделям');
    expect(text).toContain('низкооценённых услуг улучшено (цель 20');
    // Red list: every overdue item of the database links to its page, with its escalation level.
    const overdue = await tdb.db
      .selectFrom('control_item')
      .select('id')
      .where('status', 'in', ['assigned', 'in_progress', 'returned'])
      .where('current_due', '<', today)
      .execute();
    const red = text.slice(text.indexOf('id="dash-red"'), text.indexOf('id="dash-upcoming"'));
    expect(new Set(linkIds(red))).toEqual(new Set(overdue.map((o) => o.id)));
    expect(red).toContain(`Красный список: просрочено ${overdue.length}`);
    expect(red).toContain('4 — руководство');
    // The item due in two working days is in the next-two-weeks list.
    const soon = text.slice(text.indexOf('id="dash-upcoming"'), text.indexOf('id="dash-rag-ls"'));
    expect(linkIds(soon)).toContain(hostile.soonId);
    expect(soon).toContain('href="/items?status=open&amp;due=2w"');
    // RAG per life situation and per agency, and the legend states the thresholds.
    expect(text).toMatch(/class="rag rag-(red|amber|green)"/);
    expect(text).toContain('просроченный на 6 и более рабочих дней');
    expect(text).toContain('ближайшие 10 рабочих дней');
  });

  it('filters by agency, life situation, status and due window with shareable URLs that render whole pages', async () => {
    const url = `/items?agency=${hostile.agencyId}&status=overdue`;
    const full = await ru.get(url);
    expect(full.status).toBe(200);
    expect(full.text).toContain('<html');
    expect(full.text).toContain(`<option value="${hostile.agencyId}" selected="">`);
    expect(full.text).toContain('<option value="overdue" selected="">');
    expect(linkIds(full.text)).toEqual([hostile.overdueId]);
    expect(full.text).toContain('Найдено: 1');

    const due = await ru.get(`/items?agency=${hostile.agencyId}&due=2w`);
    expect(linkIds(due.text)).toEqual([hostile.soonId]);
    const both = await ru.get(`/items?ls=${hostile.lifeSituationId}&status=open`);
    expect(linkIds(both.text).sort()).toEqual([hostile.overdueId, hostile.soonId].sort());

    // A mistyped shared link still works: unknown values are ignored.
    const junk = await ru.get('/items?status=nope&agency=abc&due=forever&page=-3');
    expect(junk.status).toBe(200);
    expect(junk.text).toMatch(/Найдено: \d+/);
  });

  it('answers htmx requests aimed at the results with a fragment and the canonical URL to push', async () => {
    const headers = {
      'HX-Request': 'true',
      'HX-Target': 'div#roadmap-results',
      'HX-Request-Type': 'partial',
    };
    const frag = await ru.request(`/items?q=&agency=${hostile.agencyId}&ls=&status=overdue&due=`, {
      headers,
    });
    expect(frag.status).toBe(200);
    expect(frag.text).not.toContain('<html');
    // The filter form stays on the page; the fragment carries only the results (and the saved views, whose
    // «save this list» form takes the query as it is now).
    expect(frag.text).not.toContain('<form method="get" action="/items"');
    expect(frag.text).toContain('action="/items/views"');
    expect(frag.text).toMatch(/^<title>/);
    expect(linkIds(frag.text)).toEqual([hostile.overdueId]);
    expect(frag.headers.get('HX-Push-Url')).toBe(`/items?agency=${hostile.agencyId}&status=overdue`);
    // The pushed URL is a whole page on its own (Back and shared links).
    const pushed = await ru.get(frag.headers.get('HX-Push-Url')!);
    expect(pushed.text).toContain('<html');
    expect(linkIds(pushed.text)).toEqual([hostile.overdueId]);
    // htmx 4 restores history by fetching the URL into <body>: that must be a whole page too.
    const restore = await ru.request('/items?status=overdue', {
      headers: { 'HX-Request': 'true', 'HX-Request-Type': 'full', 'HX-History-Restore-Request': 'true' },
    });
    expect(restore.text).toContain('<html');
    // So must an htmx request for another target.
    const other = await ru.request('/items', { headers: { 'HX-Request': 'true', 'HX-Target': 'main#main' } });
    expect(other.text).toContain('<html');

    // The filter form and page links carry the htmx wiring.
    const page = await ru.get('/items');
    expect(page.text).toMatch(
      /<form method="get" action="\/items"[^>]*hx-get="\/items" hx-target="#roadmap-results" hx-swap="innerHTML" hx-push-url="true" hx-trigger="change, submit"/,
    );
  });

  it('pages the list with stable, shareable page links', async () => {
    const total = Number(
      (
        await tdb.db
          .selectFrom('control_item')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const pages = Math.ceil(total / PAGE_SIZE);
    expect(pages).toBeGreaterThan(2);
    const p1 = await ru.get('/items');
    expect(p1.text).toContain(`Найдено: ${total} · страница 1 из ${pages}`);
    expect(rowCount(p1.text) - 1).toBe(PAGE_SIZE);
    expect(p1.text).toContain('href="/items?page=2"');
    expect(p1.text).toMatch(
      /<a href="\/items\?page=2" hx-get="\/items\?page=2"[^>]*hx-push-url="true" rel="next">/,
    );
    const p2 = await ru.get('/items?page=2');
    expect(p2.text).toContain(`страница 2 из ${pages}`);
    expect(p2.text).toContain('<a href="/items?page=2" aria-current="page">2</a>');
    const seen = new Set<number>();
    for (let p = 1; p <= pages; p++)
      for (const id of linkIds((await ru.get(`/items?page=${p}`)).text)) seen.add(id);
    expect(seen.size).toBe(total);
    // Past the end: the last page, not an empty one.
    const beyond = await ru.get('/items?page=999');
    expect(beyond.text).toContain(`страница ${pages} из ${pages}`);
    expect(beyond.text).toContain(`Страницы 999 нет: в списке страниц — ${pages}. Показана последняя.`);
    // Filters survive paging.
    const filtered = await ru.get('/items?status=done');
    if (filtered.text.includes('page=2'))
      expect(filtered.text).toContain('href="/items?status=done&amp;page=2"');
  });

  it('searches by number (exact, with №, or a section) and by title, case-insensitively', async () => {
    const byNumber = async (n: string) =>
      (await tdb.db.selectFrom('control_item').select('id').where('number', '=', n).executeTakeFirstOrThrow())
        .id;
    const exact = await ru.get(`/items?q=${encodeURIComponent('1.2')}`);
    expect(linkIds(exact.text)).toContain(await byNumber('1.2'));
    expect(linkIds(exact.text)).not.toContain(await byNumber('1.3'));
    const sign = await ru.get(`/items?q=${encodeURIComponent('№ 1.3')}`);
    expect(linkIds(sign.text)).toContain(await byNumber('1.3'));
    const section = await ru.get('/items?q=2');
    for (const n of ['2.1', '2.2', '2.3', '2.4']) expect(linkIds(section.text)).toContain(await byNumber(n));
    const title = await ru.get(`/items?q=${encodeURIComponent('щУКА')}`);
    expect(linkIds(title.text).sort()).toEqual([hostile.overdueId, hostile.soonId].sort());
    // The query is reflected escaped in the search box.
    const reflected = await ru.get(`/items?q=${encodeURIComponent(HOSTILE.img)}`);
    expect(reflected.text).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(3)&gt;"');
  });

  it('sorts the league table by query parameter, as a page or an htmx fragment', async () => {
    const stats = await tdb.db
      .selectFrom('control_item')
      .select(['agency_id', (e) => e.fn.countAll<number>().as('n')])
      .where('status', 'in', ['assigned', 'in_progress', 'returned'])
      .where('current_due', '<', today)
      .groupBy('agency_id')
      .execute();
    const worst = Math.max(...stats.map((s) => Number(s.n)));
    const page = await ru.get('/agencies?sort=overdue&dir=desc');
    expect(page.text).toContain('<html');
    expect(page.text).toMatch(
      /<th scope="col" class="num" aria-sort="descending"><a href="\/agencies\?sort=overdue&amp;dir=asc"/,
    );
    const firstRow = page.text.slice(page.text.indexOf('<tbody>'));
    const firstOverdue =
      /<td class="num"[^>]*>(?:<a [^>]*>)?(\d+)(?:<\/a>)?<\/td><td class="num"[^>]*>[^<]*<\/td><td class="num"[^>]*>\d+<\/td><td class="num"[^>]*>\d+<\/td><\/tr>/.exec(
        firstRow,
      );
    expect(Number(firstOverdue?.[1])).toBe(worst);
    const frag = await ru.request('/agencies?sort=name&dir=asc', {
      headers: { 'HX-Request': 'true', 'HX-Target': 'div#league' },
    });
    expect(frag.text).toMatch(/^<nav class="sort-bar"[\s\S]*<table class="data-table league">/);
    expect(frag.headers.get('HX-Push-Url')).toBe('/agencies?sort=name&dir=asc');
    const bad = await ru.get('/agencies?sort=%3Cscript%3E&dir=sideways');
    expect(bad.status).toBe(200);
    expect(bad.text).toContain('aria-sort="ascending"'); // fell back to the default rank order
  });

  it('shows a life situation: target state, indicators plan/actual, measures, services with scores, agencies', async () => {
    const ls = await tdb.db
      .selectFrom('life_situation')
      .select('id')
      .where('code', '=', 'FLS-LARGEFAM')
      .executeTakeFirstOrThrow();
    const { text } = await ru.get(`/life-situations/${ls.id}`);
    expect(text).toContain('Многодетная семья');
    expect(text).toContain('Целевое состояние');
    expect(text).toContain('Срок получения результата');
    expect(text).toMatch(/<span class="plan">план: [\d,]+<\/span>/);
    expect(text).toContain(`href="/items?ls=${ls.id}"`);
    const items = await tdb.db
      .selectFrom('control_item')
      .select('id')
      .where('life_situation_id', '=', ls.id)
      .execute();
    expect(new Set(linkIds(text))).toEqual(new Set(items.map((i) => i.id)));
    const services = await tdb.db
      .selectFrom('service_life_situation')
      .select('service_id')
      .where('life_situation_id', '=', ls.id)
      .execute();
    expect(
      (
        text.match(/<table class="data-table compact services">[\s\S]*?<\/table>/)?.[0].match(/<tr[\s>]/g) ??
        []
      ).length - 1,
    ).toBe(services.length);
    const enPage = await en.get(`/life-situations/${ls.id}`);
    expect(enPage.text).toContain('Target state');
    expect(enPage.text).toContain('<ol class="scenario" lang="ru">'); // Russian-only text marked for screen readers
    expect((await ru.get('/life-situations/999999')).status).toBe(404);
    expect((await ru.get('/agencies/999999')).status).toBe(404);
    expect((await ru.get('/life-situations/abc')).status).toBe(404);
  });

  it('shows an agency: figures, its items as responsible and co-executor, its services', async () => {
    const a = await tdb.db
      .selectFrom('agency')
      .select('id')
      .where('code', '=', 'MTSR')
      .executeTakeFirstOrThrow();
    const { text } = await en.get(`/agencies/${a.id}`);
    expect(text).toContain('As responsible agency');
    expect(text).toContain('As co-executor');
    expect(text).toMatch(/rank \d+ of \d+ in the league table/);
    const own = await tdb.db.selectFrom('control_item').select('id').where('agency_id', '=', a.id).execute();
    for (const i of own) expect(text).toContain(`href="/items/${i.id}"`);
    expect(text).toContain(`href="/items?agency=${a.id}"`);
  });
});
