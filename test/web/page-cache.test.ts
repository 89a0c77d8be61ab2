import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, createSessionLoader, destroySession } from '../../web/auth/index.ts';
import { hashPassword } from '../../web/index.ts';
import { createPageCache } from '../../web/page-cache.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

/** The page as the raw bytes of one response: no automatic decompression, unlike fetch. */
async function raw(web: TestStack['web'], sid: string, path: string, headers: Record<string, string>) {
  const { request } = await import('node:http');
  const url = new URL(web.url + path);
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers: { cookie: `shtab_sid=${sid}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const badge = (html: string) => /<span id="unread-badge"[^>]*>(.*?)<\/span>/s.exec(html)?.[1] ?? '';

// Whole pages answered from memory (web/page-cache.ts) must never show anyone stale or someone else's page.
describe('the page cache', () => {
  let stack: TestStack;
  let tdb: TestDatabase;
  let web: TestStack['web'];
  const cache = createPageCache();
  let wgId: number;
  let agencyId: number;
  let itemId: number;

  beforeAll(async () => {
    stack = await startTestStack({ app: { pageCache: cache } });
    ({ tdb, web } = stack);
    const hash = await hashPassword('secret-1');
    const agency = await insertAgency(tdb.db);
    agencyId = agency.id;
    wgId = (
      await insertUser(tdb.db, 'working_group', null, {
        login: 'pc-wg',
        password_hash: hash,
      })
    ).id;
    await insertUser(tdb.db, 'leadership', null, {
      login: 'pc-lead',
      password_hash: hash,
    });
    itemId = (
      await insertItem(tdb.db, { agencyId: agency.id, due: '2027-03-01', title: 'Мероприятие в кэше' })
    ).row.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers a repeated view from memory, gzipped for clients that take it, identical to the plain page', async () => {
    const wg = new WebClient(web.url);
    await wg.login('pc-wg', 'secret-1');
    const first = await wg.get('/items');
    const before = cache.stats();
    const second = await wg.get('/items');
    expect(cache.stats().hits).toBe(before.hits + 1);
    expect(second.text).toBe(first.text);
    expect(second.text).toContain('Мероприятие в кэше');

    const zipped = await raw(web, wg.cookie('shtab_sid')!, '/items', {
      'accept-encoding': 'gzip, deflate, br',
    });
    const plain = await raw(web, wg.cookie('shtab_sid')!, '/items', { 'accept-encoding': 'identity' });
    const none = await raw(web, wg.cookie('shtab_sid')!, '/items', {});
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.body).toString()).toBe(plain.body.toString());
    expect(plain.body.toString()).toBe(first.text);
    expect(zipped.body.byteLength).toBeLessThan(plain.body.byteLength / 2);
    // The protective headers come with cached answers too.
    expect(zipped.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(zipped.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('caches the item page but gives every response its own idempotency keys', async () => {
    const exec = new WebClient(web.url);
    const hash = await hashPassword('secret-1');
    await insertUser(tdb.db, 'agency_executor', agencyId, { login: 'pc-exec', password_hash: hash });
    await exec.login('pc-exec', 'secret-1');
    const path = `/items/${itemId}`;
    const before = cache.stats().hits;
    const views = [await exec.get(path), await exec.get(path), await exec.get(path)];
    expect(cache.stats().hits).toBe(before + 2);
    const ids = views.map((v) => [...v.text.matchAll(/name="eventId" value="([^"]*)"/g)].map((m) => m[1]));
    expect(ids[0]!.length).toBeGreaterThan(0);
    for (const list of ids) for (const id of list) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids.flat()).size).toBe(ids.flat().length);
    for (const v of views) expect(v.text).not.toContain('\u0000');
    // The same page otherwise.
    const strip = (html: string) => html.replace(/name="eventId" value="[^"]*"/g, '');
    expect(strip(views[2]!.text)).toBe(strip(views[0]!.text));
  });

  it('keeps each user, language and kind of htmx request apart', async () => {
    const wg = new WebClient(web.url);
    await wg.login('pc-wg', 'secret-1');
    const lead = new WebClient(web.url);
    await lead.login('pc-lead', 'secret-1');
    const path = `/agencies/${agencyId}`;
    for (let i = 0; i < 2; i++) {
      const a = await wg.get(path);
      const b = await lead.get(path);
      expect(a.text).toContain('Пользователь pc-wg');
      expect(a.text).not.toContain('Пользователь pc-lead');
      expect(b.text).toContain('Пользователь pc-lead');
      // Each page carries its own session's CSRF token.
      expect(WebClient.field(a.text, '_csrf')).not.toBe(WebClient.field(b.text, '_csrf'));
    }
    await wg.get('/lang/en');
    const en = await wg.get(path);
    expect(en.text).toContain('lang="en"');
    await wg.get('/lang/ru');
    expect((await wg.get(path)).text).toContain('lang="ru"');

    const list = '/items?status=open';
    const full = await wg.get(list);
    const fragment = await wg.request(list, {
      htmx: true,
      headers: { 'HX-Request-Type': 'partial', 'HX-Target': '#roadmap-results' },
    });
    const again = await wg.get(list);
    expect(full.text).toContain('<html');
    expect(fragment.text).not.toContain('<html');
    expect(again.text).toBe(full.text);
  });

  it('shows a new notice and a read inbox at the next view, and never serves a signed-out session', async () => {
    const wg = new WebClient(web.url);
    await wg.login('pc-wg', 'secret-1');
    for (let i = 0; i < 2; i++) expect(badge((await wg.get('/')).text)).not.toMatch(/\d/);
    await tdb.db
      .insertInto('notification')
      .values({
        idempotency_key: 'pc-1',
        recipient_user_id: wgId,
        kind: 'reminder',
        subject: 'Напоминание',
        body_text: 'b',
      })
      .execute();
    expect(badge((await wg.get('/')).text)).toMatch(/^1/);
    const inbox = await wg.get('/inbox');
    expect(inbox.text).toContain('Напоминание');
    await wg.post('/inbox/read-all', { page: '1' });
    expect(badge((await wg.get('/')).text)).not.toMatch(/\d/);

    const cookie = wg.cookie('shtab_sid')!;
    await wg.post('/logout', {});
    const stale = await raw(web, cookie, '/', {});
    expect(stale.status).toBe(303);
    expect(String(stale.headers.location)).toMatch(/^\/login/);
  });

  it("keeps other people's pages when one person gets a notice; a change to the data drops them", async () => {
    const wg = new WebClient(web.url);
    await wg.login('pc-wg', 'secret-1');
    const other = new WebClient(web.url);
    await other.login('pc-lead', 'secret-1');
    await other.get('/dashboard');
    const hits = () => cache.stats().hits;
    let h = hits();
    await other.get('/dashboard');
    expect(hits()).toBe(h + 1);

    await tdb.db
      .insertInto('notification')
      .values({
        idempotency_key: 'pc-2',
        recipient_user_id: wgId,
        kind: 'reminder',
        subject: 'Только рабочей группе',
        body_text: 'b',
      })
      .execute();
    // The recipient sees the badge at once; the other person's page is still the kept one.
    expect(badge((await wg.get('/dashboard')).text)).toMatch(/^1/);
    h = hits();
    const kept = await other.get('/dashboard');
    expect(hits()).toBe(h + 1);
    expect(badge(kept.text)).not.toMatch(/\d/);

    await insertAgency(tdb.db);
    h = hits();
    await other.get('/dashboard');
    expect(hits()).toBe(h);
  });

  it('turns a disabled account away at its next request', async () => {
    const lead = new WebClient(web.url);
    await lead.login('pc-lead', 'secret-1');
    for (let i = 0; i < 2; i++) expect((await lead.get('/')).status).toBe(200);
    await tdb.db.updateTable('app_user').set({ disabled: true }).where('login', '=', 'pc-lead').execute();
    expect((await lead.get('/')).status).toBe(303);
  });
});

describe('the session loader', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('serves many concurrent requests with one query, each seeing every write committed before it', async () => {
    let queries = 0;
    const counted = tdb.db.withPlugin({
      transformQuery: (a) => {
        queries++;
        return a.node;
      },
      transformResult: async (a) => a.result,
    });
    const loader = createSessionLoader(counted);
    const users = await Promise.all(
      ['a', 'b', 'c'].map((x) => insertUser(tdb.db, 'working_group', null, { login: `sl-${x}` })),
    );
    const cookies = await Promise.all(users.map((u) => createSession(tdb.db, u.id)));
    const asked = Array.from({ length: 30 }, (_, i) =>
      i % 4 === 3 ? 'no-such-cookie' : cookies[i % 4]!.cookieValue,
    );
    const states = await Promise.all(asked.map((c) => loader.load(c)));
    states.forEach((s, i) => {
      if (i % 4 === 3) expect(s.session).toBeNull();
      else expect(s.session?.user.login).toBe(`sl-${'abc'[i % 4]}`);
    });
    expect(new Set(states.map((s) => s.version)).size).toBe(1);
    expect(queries).toBe(1);

    // A write committed before a load is seen by it, whether or not a load is running meanwhile.
    const running = loader.load(cookies[0]!.cookieValue);
    await insertAgency(tdb.db);
    await destroySession(tdb.db, cookies[1]!.cookieValue);
    const after = await loader.load(cookies[1]!.cookieValue);
    expect(after.session).toBeNull();
    expect(after.version.reference).toBeGreaterThan(states[0]!.version.reference);
    expect((await running).session?.user.login).toBe('sl-a');
  });
});
