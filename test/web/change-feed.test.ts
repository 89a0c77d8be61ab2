import { get as httpGet } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startChangeFeed, type ChangeFeed } from '../../db/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { createSession, createSessionLoader } from '../../web/auth/index.ts';
import { hashPassword } from '../../web/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

const silent = pino({ level: 'silent' });
const badge = (html: string) => /<span id="unread-badge"[^>]*>(.*?)<\/span>/s.exec(html)?.[1] ?? '';

/** Ends the feed's listening connection from the server side, as a Postgres restart or a proxy would. */
async function killListeners(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query<{ n: number }>(
    `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
     where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`,
  );
  await c.end();
  return rows[0]!.n;
}

// Sessions and the data version kept in memory between Postgres change notices (db/change-feed.ts,
// docs/decisions.md §29): no round trip while nothing changes, and still nobody is shown a stale page for
// longer than a notice takes, nor their own write late.
describe('the change feed', () => {
  let stack: TestStack;
  let feed: ChangeFeed;
  let wgId: number;
  const notices: ChangeFeed[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ changeFeed: true });
    feed = stack.changeFeed!;
    const hash = await hashPassword('secret-1');
    wgId = (await insertUser(stack.tdb.db, 'working_group', null, { login: 'cf-wg', password_hash: hash }))
      .id;
    await insertUser(stack.tdb.db, 'leadership', null, { login: 'cf-lead', password_hash: hash });
    await vi.waitFor(() => expect(feed.live()).toBe(true), { timeout: 10_000 });
  });
  afterAll(async () => {
    for (const f of notices) await f.close();
    await stack?.close();
  });

  it('answers a session from memory until Postgres reports a change, then reads it again', async () => {
    const { db } = stack.tdb;
    let queries = 0;
    const counted = db.withPlugin({
      transformQuery: (a) => {
        queries++;
        return a.node;
      },
      transformResult: async (a) => a.result,
    });
    const own = startChangeFeed({ databaseUrl: stack.tdb.url, log: silent });
    notices.push(own);
    await vi.waitFor(() => expect(own.live()).toBe(true), { timeout: 10_000 });
    const loader = createSessionLoader(counted, own);
    const { cookieValue } = await createSession(db, wgId);

    const first = await loader.load(cookieValue);
    expect(first.session?.user.login).toBe('cf-wg');
    expect(queries).toBe(1);
    for (let i = 0; i < 20; i++) {
      const again = await loader.load(cookieValue);
      expect(again.session?.user.login).toBe('cf-wg');
      expect(again.version).toBe(first.version);
    }
    expect(queries).toBe(1);

    // Another process writes (here: another connection); its notice moves the epoch, the next load reads.
    const epoch = own.epoch();
    await insertAgency(db);
    await vi.waitFor(() => expect(own.epoch()).toBeGreaterThan(epoch), { timeout: 5_000 });
    const after = await loader.load(cookieValue);
    expect(queries).toBe(2);
    expect(after.version.reference).toBeGreaterThan(first.version.reference);

    // This process's own write needs no notice.
    own.invalidate();
    await loader.load(cookieValue);
    expect(queries).toBe(3);

    // A lost feed: every load reads again until it is back.
    await own.close();
    await loader.load(cookieValue);
    await loader.load(cookieValue);
    expect(queries).toBe(5);
  });

  it("shows another process's write once its notice arrives, and the user's own write at once", async () => {
    const wg = new WebClient(stack.web.url);
    await wg.login('cf-wg', 'secret-1');
    for (let i = 0; i < 2; i++) expect(badge((await wg.get('/')).text)).not.toMatch(/\d/);
    // The worker writes a notice to the working group (here: a direct insert on another connection).
    await stack.tdb.db
      .insertInto('notification')
      .values({
        idempotency_key: 'cf-1',
        recipient_user_id: wgId,
        kind: 'reminder',
        subject: 'Напоминание из воркера',
        body_text: 'b',
      })
      .execute();
    await vi.waitFor(async () => expect(badge((await wg.get('/')).text)).toMatch(/^1/), {
      timeout: 5_000,
      interval: 20,
    });
    expect((await wg.get('/inbox')).text).toContain('Напоминание из воркера');
    // Marking it read goes through this web process: the very next page shows it, no waiting.
    await wg.post('/inbox/read-all', { page: '1' });
    expect(badge((await wg.get('/')).text)).not.toMatch(/\d/);
  });

  it('shows an item action through Temporal to everyone at the next view', async () => {
    const hash = await hashPassword('secret-1');
    const agency = await insertAgency(stack.tdb.db);
    await insertUser(stack.tdb.db, 'agency_executor', agency.id, { login: 'cf-exec', password_hash: hash });
    const { row, state } = await insertItem(stack.tdb.db, {
      agencyId: agency.id,
      due: '2027-06-01',
      title: 'Мероприятие под уведомлениями',
    });
    await startControlItem(stack.temporal.handle, state, DEFAULT_CHASE_POLICY);
    const wg = new WebClient(stack.web.url);
    await wg.login('cf-wg', 'secret-1');
    const exec = new WebClient(stack.web.url);
    await exec.login('cf-exec', 'secret-1');
    const path = `/items/${row.id}`;
    await vi.waitFor(async () => expect((await wg.get(path)).text).toContain('Назначено'), {
      timeout: 5_000,
    });
    const page = await exec.get(path);
    const started = await exec.post(
      `/items/${row.id}/start`,
      { eventId: WebClient.field(page.text, 'eventId')! },
      { htmx: true },
    );
    expect(started.status).toBe(200);
    // The activity committed in the worker before the Update returned; this process forgot what it knew.
    expect((await wg.get(path)).text).toContain('В работе');
    expect((await exec.get(path)).text).toContain('В работе');
  });

  it('never serves a signed-out session, nor a disabled account once its notice arrives', async () => {
    const wg = new WebClient(stack.web.url);
    await wg.login('cf-wg', 'secret-1');
    const cookie = wg.cookie('shtab_sid')!;
    for (let i = 0; i < 2; i++) expect((await wg.get('/')).status).toBe(200);
    await wg.post('/logout', {});
    const stale = await fetch(`${stack.web.url}/`, {
      headers: { cookie: `shtab_sid=${cookie}` },
      redirect: 'manual',
    });
    expect(stale.status).toBe(303);

    const lead = new WebClient(stack.web.url);
    await lead.login('cf-lead', 'secret-1');
    for (let i = 0; i < 2; i++) expect((await lead.get('/')).status).toBe(200);
    await stack.tdb.db
      .updateTable('app_user')
      .set({ disabled: true })
      .where('login', '=', 'cf-lead')
      .execute();
    await vi.waitFor(async () => expect((await lead.get('/')).status).toBe(303), {
      timeout: 5_000,
      interval: 20,
    });
  });

  it('sends a kept page without touching the database while nothing changed', async () => {
    const wg = new WebClient(stack.web.url);
    await wg.login('cf-wg', 'secret-1');
    const first = await wg.get('/inbox');
    expect(first.status).toBe(200);
    // Sessions can no longer be read at all: only an answer from memory gets through.
    await sql`alter table session rename to session_away`.execute(stack.tdb.db);
    try {
      const again = await wg.get('/inbox');
      expect(again.status).toBe(200);
      expect(again.text).toBe(first.text);
      expect(again.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(again.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      // A session first seen now cannot be read: the kept one above was not read either.
      const other = await fetch(`${stack.web.url}/inbox`, {
        headers: { cookie: 'shtab_sid=never-seen' },
        redirect: 'manual',
      });
      expect(other.status).toBe(500);
    } finally {
      await sql`alter table session_away rename to session`.execute(stack.tdb.db);
    }
  });

  it('answers from memory with the same bytes the full path sends: gzip, headers, fresh idempotency keys', async () => {
    const hash = await hashPassword('secret-1');
    const agency = await insertAgency(stack.tdb.db);
    await insertUser(stack.tdb.db, 'agency_executor', agency.id, { login: 'cf-exec2', password_hash: hash });
    const { row } = await insertItem(stack.tdb.db, {
      agencyId: agency.id,
      due: '2027-06-01',
      title: 'Ключи',
    });
    const exec = new WebClient(stack.web.url);
    await exec.login('cf-exec2', 'secret-1');
    const path = `/items/${row.id}`;
    const views = [];
    for (let i = 0; i < 3; i++) views.push((await exec.get(path)).text);
    const ids = views.flatMap((v) => [...v.matchAll(/name="eventId" value="([^"]*)"/g)].map((m) => m[1]));
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (const v of views) expect(v).not.toContain('\u0000');
    const strip = (html: string) => html.replace(/name="eventId" value="[^"]*"/g, '');
    expect(strip(views[2]!)).toBe(strip(views[0]!));

    const cookie = `shtab_sid=${exec.cookie('shtab_sid')!}`;
    const get = (encoding: string) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const url = new URL(`${stack.web.url}/agencies/${agency.id}`);
        const req = httpGet(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            headers: { cookie, 'accept-encoding': encoding },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (d: Buffer) => chunks.push(d));
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          },
        );
        req.on('error', reject);
      });
    const plain = await get('identity');
    const zipped = await get('gzip, br');
    const again = await get('gzip, br');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(again.body).toString()).toBe(plain.body.toString());
    expect(again.headers.vary).toBe('Accept-Encoding');
    expect(again.headers['content-security-policy']).toBe(plain.headers['content-security-policy']);
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('drops a listening connection that stops answering without closing, and listens again', async (ctx) => {
    const name = `cf-silent-${process.pid}`;
    const own = startChangeFeed({
      databaseUrl: stack.tdb.url,
      log: silent,
      heartbeatMs: 200,
      applicationName: name,
    });
    notices.push(own);
    await vi.waitFor(() => expect(own.live()).toBe(true), { timeout: 10_000 });
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_stat_activity where application_name = ${name}`.execute(stack.tdb.db);
    const pid = rows[0]!.pid;
    // A frozen backend keeps its socket open and says nothing: what a NAT that forgot the connection does.
    try {
      process.kill(pid, 'SIGSTOP');
    } catch {
      ctx.skip(); // Postgres runs on another host or as a user we may not signal
    }
    try {
      await vi.waitFor(() => expect(own.live()).toBe(false), { timeout: 10_000, interval: 50 });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await vi.waitFor(() => expect(own.live()).toBe(true), { timeout: 10_000 });
  });

  it('reads from the database while the listening connection is lost, and listens again', async () => {
    const wg = new WebClient(stack.web.url);
    await wg.login('cf-wg', 'secret-1');
    const epoch = feed.epoch();
    expect(await killListeners(stack.tdb.url)).toBeGreaterThanOrEqual(1);
    await vi.waitFor(() => expect(feed.epoch()).toBeGreaterThan(epoch), { timeout: 5_000, interval: 5 });
    // Lost (or already back, which starts a new epoch too): a write from elsewhere shows at the very next
    // request, as without a feed.
    await stack.tdb.db
      .insertInto('notification')
      .values({
        idempotency_key: 'cf-2',
        recipient_user_id: wgId,
        kind: 'reminder',
        subject: 'Пока без уведомлений',
        body_text: 'b',
      })
      .execute();
    expect((await wg.get('/inbox')).text).toContain('Пока без уведомлений');
    await vi.waitFor(() => expect(feed.live()).toBe(true), { timeout: 10_000 });
    // Back: notices work again.
    await wg.get('/');
    await stack.tdb.db
      .insertInto('notification')
      .values({
        idempotency_key: 'cf-3',
        recipient_user_id: wgId,
        kind: 'reminder',
        subject: 'Снова с уведомлениями',
        body_text: 'b',
      })
      .execute();
    await vi.waitFor(async () => expect((await wg.get('/inbox')).text).toContain('Снова с уведомлениями'), {
      timeout: 5_000,
      interval: 20,
    });
  });
});
