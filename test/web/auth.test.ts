import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { createApp, hashPassword } from '../../web/index.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { dueIn, postMultipart } from '../support/item-ui-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { connectDevServer } from '../support/temporal.ts';
import { startTestApp, WebClient } from '../support/web.ts';

const sessionsOf = (tdb: TestDatabase, userId: number) =>
  tdb.db.selectFrom('session').select('id').where('user_id', '=', userId).execute();

describe('authentication and request protection', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let web: Awaited<ReturnType<typeof startTestApp>>;
  let exec: Awaited<ReturnType<typeof insertUser>>;
  let itemId: number;

  beforeAll(async () => {
    [tdb, temporal] = await Promise.all([createTestDatabase(), connectDevServer()]);
    web = await startTestApp({ db: tdb.db, temporal: temporal.handle });
    const password_hash = await hashPassword('s3cret');
    const agency = await insertAgency(tdb.db);
    exec = await insertUser(tdb.db, 'agency_executor', agency.id, { login: 'auth-exec', password_hash });
    await insertUser(tdb.db, 'working_group', null, { login: 'auth-wg', password_hash });
    itemId = (await insertItem(tdb.db, { agencyId: agency.id, due: dueIn(30) })).row.id;
  });
  afterAll(async () => {
    await web?.close();
    await temporal?.close();
    await tdb?.drop();
  });

  it('rotates the session on every sign-in: the old cookie stops working', async () => {
    const c = new WebClient(web.url);
    await c.login('auth-exec', 's3cret');
    const before = await sessionsOf(tdb, exec.id);
    expect(before).toHaveLength(1);
    const oldCookie = c.cookie('shtab_sid')!;

    // Signing in again while signed in (e.g. a shared computer) replaces the session.
    const again = await c.post('/login', { login: 'auth-exec', password: 's3cret' });
    expect(again.status).toBe(303);
    const newCookie = c.cookie('shtab_sid')!;
    expect(newCookie).not.toBe(oldCookie);
    const after = await sessionsOf(tdb, exec.id);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before[0]!.id);

    const replay = await fetch(`${web.url}/my`, {
      headers: { cookie: `shtab_sid=${oldCookie}` },
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/login?next=%2Fmy');
    expect((await c.get('/my')).status).toBe(200);
  });

  it('signs out: the session row is gone, the cookie is cleared and cannot be replayed', async () => {
    const c = new WebClient(web.url);
    await c.login('auth-exec', 's3cret');
    const cookie = c.cookie('shtab_sid')!;
    const open = (await sessionsOf(tdb, exec.id)).length;
    const out = await c.post('/logout', {});
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    const cleared = out.headers.getSetCookie().find((x) => x.startsWith('shtab_sid='))!;
    expect(cleared).toMatch(/^shtab_sid=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax/);
    expect(await sessionsOf(tdb, exec.id)).toHaveLength(open - 1);
    const replay = await fetch(`${web.url}/`, {
      headers: { cookie: `shtab_sid=${cookie}` },
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);
  });

  it('sets HttpOnly, SameSite=Lax cookies, and Secure ones when the public URL is https', async () => {
    const c = new WebClient(web.url);
    const loginPage = await c.get('/login');
    const pre = loginPage.headers.getSetCookie().find((x) => x.startsWith('shtab_pre='))!;
    expect(pre).toMatch(/; HttpOnly; SameSite=Lax$/);
    const res = await c.post('/login', { login: 'auth-exec', password: 's3cret' });
    const sid = res.headers.getSetCookie().find((x) => x.startsWith('shtab_sid='))!;
    expect(sid).toMatch(/^shtab_sid=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax$/);

    const https = createApp({
      db: tdb.db,
      temporal: temporal.handle,
      log: pino({ level: 'silent' }),
      policy: DEFAULT_CHASE_POLICY,
      config: {
        publicUrl: 'https://shtab.example.ru',
        timeZone: 'Asia/Novosibirsk',
        uploadMaxBytes: 1024,
        secureCookies: true,
      },
    });
    const page = await https.request('https://shtab.example.ru/login');
    const preCookie = page.headers.getSetCookie().find((x) => x.startsWith('shtab_pre='))!;
    expect(preCookie).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const signedIn = await https.request('https://shtab.example.ru/login', {
      method: 'POST',
      headers: {
        origin: 'https://shtab.example.ru',
        cookie: preCookie.split(';')[0]!,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: token, login: 'auth-exec', password: 's3cret' }),
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.getSetCookie().find((x) => x.startsWith('shtab_sid='))).toMatch(
      /; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('locks an account after 5 failures in a row, even for the right password, and says when to retry', async () => {
    // Its own account: the lock is kept in the database, for every web instance.
    await insertUser(tdb.db, 'observer', null, {
      login: 'auth-lock',
      password_hash: await hashPassword('s3cret'),
    });
    const own = await startTestApp({ db: tdb.db, temporal: temporal.handle });
    try {
      const c = new WebClient(own.url);
      await c.get('/login');
      // Failures before a success do not add up.
      for (let i = 0; i < 4; i++)
        expect((await c.post('/login', { login: 'auth-lock', password: 'x' })).status).toBe(401);
      expect((await c.post('/login', { login: 'auth-lock', password: 's3cret' })).status).toBe(303);
      await c.post('/logout', {});
      await c.get('/login');
      for (let i = 0; i < 5; i++) {
        const r = await c.post('/login', { login: 'auth-lock', password: `wrong-${i}` });
        expect(r.status).toBe(401);
        expect(r.text).toContain('Неверный логин или пароль');
      }
      const locked = await c.post('/login', { login: 'auth-lock', password: 's3cret' });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(locked.text).toContain(
        'Учётная запись временно заблокирована после 5 неудачных попыток входа подряд. Повторите через 15 мин.',
      );
      // Another person behind the same address (a ministry's NAT) still signs in: the address limit is
      // looser (test/auth/accounts.test.ts).
      expect((await c.post('/login', { login: 'auth-wg', password: 's3cret' })).status).toBe(303);
    } finally {
      await own.close();
    }
  });

  it('slides the session: an active user keeps it beyond the first 12 hours', async () => {
    const c = new WebClient(web.url);
    await c.login('auth-exec', 's3cret');
    const quiet = await c.get('/my');
    expect(quiet.headers.getSetCookie().some((x) => x.startsWith('shtab_sid='))).toBe(false);
    // Last seen two minutes ago: the next request extends the row and re-sends the cookie.
    await tdb.db
      .updateTable('session')
      .set({ last_seen_at: new Date(Date.now() - 120_000), expires_at: new Date(Date.now() + 60_000) })
      .where('user_id', '=', exec.id)
      .execute();
    const renewed = await c.get('/my');
    expect(renewed.status).toBe(200);
    expect(renewed.headers.getSetCookie().find((x) => x.startsWith('shtab_sid='))).toBe(
      `shtab_sid=${c.cookie('shtab_sid')}; Max-Age=43200; Path=/; HttpOnly; SameSite=Lax`,
    );
    const rows = await tdb.db
      .selectFrom('session')
      .select('expires_at')
      .where('user_id', '=', exec.id)
      .execute();
    expect(rows.some((r) => r.expires_at.getTime() > Date.now() + 11 * 3600_000)).toBe(true);
  });

  it('refuses disabled users, and their open sessions stop working at once', async () => {
    const user = await insertUser(tdb.db, 'agency_executor', exec.agency_id, {
      login: 'soon-disabled',
      password_hash: await hashPassword('s3cret'),
    });
    const c = new WebClient(web.url);
    await c.login('soon-disabled', 's3cret');
    expect((await c.get('/my')).status).toBe(200);
    await tdb.db.updateTable('app_user').set({ disabled: true }).where('id', '=', user.id).execute();

    const page = await c.get('/my');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fmy');
    // Its posts no longer pass either: the session's CSRF token died with it.
    const post = await c.request('/inbox/read-all', { method: 'POST', htmx: true });
    expect(post.status).toBe(403);

    const again = new WebClient(web.url);
    await again.get('/login');
    const refused = await again.post('/login', { login: 'soon-disabled', password: 's3cret' });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('Неверный логин или пароль');
    // Unknown logins get the same answer.
    const unknown = await again.post('/login', { login: 'nobody-here', password: 's3cret' });
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain('Неверный логин или пароль');
  });

  it('checks CSRF on every POST route, multipart included', async () => {
    const c = new WebClient(web.url);
    await c.login('auth-exec', 's3cret');
    const posts = web.app.routes.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(posts.length).toBeGreaterThan(8);
    for (const pattern of [...new Set(posts)]) {
      const path = pattern.replace(':id', String(itemId)).replace(':locale', 'en');
      if (pattern.startsWith('/api/')) {
        // The JSON API takes bearer tokens only: the session cookie opens nothing there, token or not.
        const viaCookie = await c.request(path, { method: 'POST', htmx: true });
        expect(viaCookie.status, `${path} with a session cookie`).toBe(401);
        continue;
      }
      const plain = await c.request(path, { method: 'POST', body: new URLSearchParams({ eventId: 'x' }) });
      expect(plain.status, `${path} without a token`).toBe(403);
      expect(plain.text).toContain('Форма устарела');
      const form = new FormData();
      form.append('_csrf', 'forged');
      const multipart = await c.request(path, { method: 'POST', body: form });
      expect(multipart.status, `${path} multipart, wrong token`).toBe(403);
    }

    // The right token in a multipart body passes (the handler then refuses the bad link: 422).
    const page = await c.get(`/items/${itemId}`);
    expect(page.status).toBe(200);
    const ok = await postMultipart(c, `/items/${itemId}/submit`, {
      eventId: 'csrf-multipart-1',
      part: '0',
      text: 'x',
      links: 'javascript:alert(1)',
    });
    expect(ok.status).toBe(422);

    // A valid token from another origin, or another session's token, is refused.
    const evil = await fetch(`${web.url}/inbox/read-all`, {
      method: 'POST',
      headers: {
        cookie: `shtab_sid=${c.cookie('shtab_sid')}`,
        origin: 'https://evil.example',
        'x-csrf-token': c.csrf!,
      },
    });
    expect(evil.status).toBe(403);
    const other = new WebClient(web.url);
    await other.login('auth-wg', 's3cret');
    const mixed = await fetch(`${web.url}/inbox/read-all`, {
      method: 'POST',
      headers: {
        cookie: `shtab_sid=${c.cookie('shtab_sid')}`,
        origin: web.url,
        'x-csrf-token': other.csrf!,
        'hx-request': 'true',
      },
    });
    expect(mixed.status).toBe(403);
  });

  it('sends a CSP without unsafe-inline and the usual protective headers', async () => {
    const c = new WebClient(web.url);
    await c.login('auth-exec', 's3cret');
    const res = await c.get(`/items/${itemId}`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    // No inline style or script attribute anywhere on the page.
    expect(res.text).not.toMatch(/\sstyle="/);
    expect(res.text).toContain('<script src="/static/htmx.min.js"');
    expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)/);
    // The sign-in form never sends people elsewhere.
    const anon = new WebClient(web.url);
    await anon.get('/login');
    const redirect = await anon.post('/login', {
      login: 'auth-exec',
      password: 's3cret',
      next: '//evil.example/x',
    });
    expect(redirect.headers.get('location')).toBe('/');
  });
});
