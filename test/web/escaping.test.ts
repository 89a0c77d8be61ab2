import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../web/index.ts';
import { insertUser } from '../support/fixtures.ts';
import {
  controlledItem,
  dueIn,
  PDF,
  postForm,
  postMultipart,
  startWebStack,
  textOf,
  type WebStack,
} from '../support/item-ui-fixtures.ts';
import { WebClient } from '../support/web.ts';

// Hostile input in every field our pages render: it must come out as text, never as markup, and no link
// may carry a javascript: URL.
const X = {
  agency: '<script>alert("agency")</script>',
  short: `<img src=x onerror=alert('short')>`,
  user: '<script>alert("user")</script>',
  wgUser: '"><img src=x onerror=alert("wg")>',
  ls: '<script>alert("ls")</script>',
  title: '<script>alert("title")</script>',
  number: '<b onmouseover=alert(1)>7</b>',
  deliverable: '"><script>alert("deliverable")</script>',
  description: '<iframe src="javascript:alert(1)"></iframe>',
  text: '</textarea><script>alert("text")</script>',
  linkTitle: '<img src=x onerror=alert("link")>',
  file: '<img src=x onerror=alert("file")>.pdf',
  reason: '<script>alert("reason")</script>',
  note: '" onmouseover="alert(\'note\')',
  subject: '<script>alert("subject")</script>',
  body: '<img src=x onerror=alert("body")>',
};

const HTMX_TAG = /<script src="\/static\/htmx\.min\.js" defer=""><\/script>/;

/** What must never appear in our HTML, whatever users typed. */
function expectInert(html: string, where: string) {
  const rest = html.replace(HTMX_TAG, '');
  expect(rest, `${where}: script tag`).not.toMatch(/<script/i);
  expect(rest, `${where}: img tag`).not.toMatch(/<img/i);
  expect(rest, `${where}: iframe tag`).not.toMatch(/<iframe/i);
  expect(rest, `${where}: event handler attribute`).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
  expect(rest, `${where}: javascript: link`).not.toMatch(/(?:href|src|action)\s*=\s*["']?\s*javascript:/i);
}

describe('escaping of hostile input', () => {
  let s: WebStack;
  let itemId: number;
  let fileId: number;
  const client = {} as Record<'exec' | 'wg' | 'lead' | 'co', WebClient>;

  beforeAll(async () => {
    s = await startWebStack();
    const { db } = s;
    const password_hash = await hashPassword('pw');
    const mk = (code: string) =>
      db
        .insertInto('agency')
        .values({ code, title_ru: `Мин ${X.agency}`, title_en: `Min ${X.agency}`, short_ru: X.short })
        .returningAll()
        .executeTakeFirstOrThrow();
    const [own, co, other] = [
      await mk(`X1-${randomUUID()}`),
      await mk(`X2-${randomUUID()}`),
      await mk(`X3-${randomUUID()}`),
    ];
    const exec = await insertUser(db, 'agency_executor', own.id, { password_hash });
    const coExec = await insertUser(db, 'agency_executor', co.id, { password_hash });
    const wg = await insertUser(db, 'working_group', null, { password_hash });
    const lead = await insertUser(db, 'leadership', null, { password_hash });
    await db
      .updateTable('app_user')
      .set({ display_name: X.user })
      .where('id', 'in', [exec.id, coExec.id])
      .execute();
    await db.updateTable('app_user').set({ display_name: X.wgUser }).where('id', '=', wg.id).execute();
    const ls = await db
      .insertInto('life_situation')
      .values({ code: `ls-${randomUUID()}`, title_ru: X.ls, title_en: X.ls, level: 'regional' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const item = await controlledItem(s, {
      agencyId: own.id,
      coAgencyIds: [co.id],
      due: dueIn(30),
      title: X.title,
      number: X.number,
    });
    itemId = item.id;
    await db
      .updateTable('control_item')
      .set({
        deliverable: X.deliverable,
        description: X.description,
        life_situation_id: ls.id,
        title_en: X.title,
      })
      .where('id', '=', item.id)
      .execute();

    for (const [k, u] of [
      ['exec', exec],
      ['wg', wg],
      ['lead', lead],
      ['co', coExec],
    ] as const) {
      client[k] = new WebClient(s.web.url);
      await client[k].login(u.login, 'pw');
    }

    // Through the app: a part, a report with a hostile link title and file name, a return, an extension
    // request and its rejection, a reassignment.
    const ok = async (p: Promise<{ status: number; text: string }>) => {
      const r = await p;
      expect(r.status, r.text.slice(0, 300)).toBe(200);
    };
    await ok(
      postMultipart(
        client.co,
        `/items/${itemId}/submit`,
        { eventId: randomUUID(), part: '1', text: X.text },
        [],
        {
          htmx: true,
        },
      ),
    );
    await ok(
      postMultipart(
        client.exec,
        `/items/${itemId}/submit`,
        {
          eventId: randomUUID(),
          part: '0',
          text: X.text,
          links: `https://example.ru/"><script>alert(1)</script> ${X.linkTitle}`,
        },
        [{ name: X.file, bytes: PDF }],
        { htmx: true },
      ),
    );
    await ok(
      client.wg.post(
        `/items/${itemId}/review`,
        { eventId: randomUUID(), outcome: 'return', reason: X.reason },
        { htmx: true },
      ),
    );
    await ok(
      client.exec.post(
        `/items/${itemId}/extension`,
        { eventId: randomUUID(), requestedDue: dueIn(80), reason: X.reason },
        { htmx: true },
      ),
    );
    await ok(
      client.wg.post(
        `/items/${itemId}/extension/decision`,
        { eventId: randomUUID(), decision: 'reject', note: X.note },
        { htmx: true },
      ),
    );
    await ok(
      client.exec.post(
        `/items/${itemId}/extension`,
        { eventId: randomUUID(), requestedDue: dueIn(90), reason: X.reason },
        { htmx: true },
      ),
    );
    await ok(
      postForm(
        client.wg,
        `/items/${itemId}/reassign`,
        {
          eventId: randomUUID(),
          agencyId: String(own.id),
          coAgencyIds: [String(co.id), String(other.id)],
          reason: X.reason,
        },
        { htmx: true },
      ),
    );
    fileId = (
      await db.selectFrom('attachment').select('id').where('filename', '=', X.file).executeTakeFirstOrThrow()
    ).id;

    // Data no form would let through: links with other schemes, odd event payloads, notifications.
    await db
      .insertInto('submission')
      .values({
        control_item_id: itemId,
        event_key: `hostile-${randomUUID()}`,
        round: 9,
        agency_id: own.id,
        body: X.text,
        links: JSON.stringify([
          { url: 'javascript:alert(1)', title: X.linkTitle },
          { url: ' JaVaScRiPt:alert(2)' },
          { url: 'data:text/html,<script>alert(3)</script>' },
        ]),
        submitted_at: new Date(),
        outcome: 'returned',
        review_reason: X.reason,
      })
      .execute();
    await db
      .insertInto('event')
      .values([
        {
          event_key: `hostile-ev-${randomUUID()}`,
          control_item_id: itemId,
          type: 'chase.escalation',
          at: new Date(),
          data: JSON.stringify({ level: X.number, reason: X.reason, requestedDue: X.title }),
          after: JSON.stringify({ currentDue: X.title, agencyId: X.agency }),
        },
        {
          event_key: `hostile-ev-${randomUUID()}`,
          control_item_id: itemId,
          type: X.title,
          at: new Date(),
          data: JSON.stringify({ note: X.note }),
        },
      ])
      .execute();
    await db
      .insertInto('notification')
      .values(
        [exec.id, wg.id].map((id) => ({
          idempotency_key: `hostile-${randomUUID()}`,
          recipient_user_id: id,
          control_item_id: itemId,
          kind: 'reminder',
          subject: X.subject,
          body_text: `${X.body}\n\nОткрыть в Штабе: javascript:alert(1)`,
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('renders the item page as text for every role', async () => {
    for (const who of ['exec', 'wg', 'lead', 'co'] as const) {
      const page = await client[who].get(`/items/${itemId}`);
      expect(page.status).toBe(200);
      expectInert(page.text, `/items/${itemId} as ${who}`);
      const text = textOf(page.text);
      for (const v of [
        X.title,
        X.number,
        X.deliverable,
        X.description,
        X.ls,
        X.text,
        X.reason,
        X.file,
        X.short,
      ]) {
        expect(text, `${who} sees ${v}`).toContain(v);
      }
    }
    const wgPage = textOf((await client.wg.get(`/items/${itemId}`)).text);
    for (const v of [X.linkTitle, X.wgUser, X.user, X.note, `Мин ${X.agency}`]) expect(wgPage).toContain(v);
    // Links that are not http(s) stay text; the escaped URL of the real link is percent-encoded.
    expect(wgPage).toContain('javascript:alert(1)');
    expect((await client.wg.get(`/items/${itemId}`)).text).toContain(
      'href="https://example.ru/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"',
    );
  });

  it('keeps hostile text inert in the 422 fragment that re-renders the form', async () => {
    const page = await client.wg.get(`/items/${itemId}`);
    expect(page.status).toBe(200);
    const res = await client.wg.post(
      `/items/${itemId}/cancel`,
      { eventId: randomUUID(), reason: X.text },
      { htmx: true },
    );
    expect(res.status).toBe(422);
    expectInert(res.text, 'cancel 422');
    expect(res.text).toContain('&lt;/textarea&gt;&lt;script&gt;');
  });

  it('renders queues, the inbox and the list as text', async () => {
    const pages: [keyof typeof client, string][] = [
      ['exec', '/my'],
      ['co', '/my'],
      ['wg', '/review'],
      ['exec', '/inbox'],
      ['wg', '/inbox'],
      ['lead', '/items'],
      ['lead', '/'],
    ];
    for (const [who, path] of pages) {
      const page = await client[who].get(path);
      expect(page.status, `${who} ${path}`).toBe(200);
      expectInert(page.text, `${path} as ${who}`);
    }
    expect(textOf((await client.wg.get('/review')).text)).toContain(X.reason);
    const inbox = textOf((await client.exec.get('/inbox')).text);
    expect(inbox).toContain(X.subject);
    expect(inbox).toContain(X.body);
    expect(textOf((await client.exec.get('/my')).text)).toContain(X.title);
  });

  it('sends hostile file names only inside a quoted, escaped Content-Disposition', async () => {
    const res = await client.lead.get(`/attachments/${fileId}`);
    expect(res.status).toBe(200);
    const cd = res.headers.get('content-disposition')!;
    expect(cd).toBe(
      `attachment; filename="<img src=x onerror=alert(_file_)>.pdf"; filename*=UTF-8''${encodeURIComponent(X.file).replace(/[()]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    );
    expect(res.headers.get('content-type')).toBe('application/pdf');
  });
});
