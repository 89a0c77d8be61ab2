import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precedingWorkingDay } from '../../domain/calendar/index.ts';
import { addDays } from '../../domain/local-date.ts';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { startTallyFolder } from '../../app/feedback/index.ts';
import { pendingFold } from '../../db/feedback-store.ts';
import { regionToday } from '../support/item-ui-fixtures.ts';
import { hashPassword } from '../../web/index.ts';
import { insertUser } from '../support/fixtures.ts';
import { feedbackWorld } from '../support/feedback-fixtures.ts';
import { tableDigests } from '../support/fuzz-fixtures.ts';
import { csv, utf8, xlsx } from '../support/services-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { startTestApp, WebClient } from '../support/web.ts';

const TABLES = ['feedback', 'feedback_month', 'feedback_topic_month', 'feedback_case', 'feedback_import'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The public form's token and the browser-like post a citizen's phone makes. */
async function openForm(base: string, path: string) {
  const res = await fetch(base + path);
  const html = await res.text();
  return { res, html, token: WebClient.field(html, 'token') };
}
function postForm(
  base: string,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, ...headers },
    body: new URLSearchParams(form),
  });
}

describe('citizen feedback on the web', () => {
  let stack: TestStack;
  let w: Awaited<ReturnType<typeof feedbackWorld>>;
  let base: string;
  let wgToken: string;
  let observerToken: string;

  let fdgLogin = '';
  beforeAll(async () => {
    stack = await startTestStack({
      publicUrl: 'http://shtab.test',
      app: { publicForm: { minAgeMs: 300, perAddress: 8 } },
    });
    base = stack.web.url;
    const db = stack.tdb.db;
    w = await feedbackWorld(db);
    fdgLogin = (await insertUser(db, 'leadership')).login;
    const hash = await hashPassword('pw');
    await db.updateTable('app_user').set({ password_hash: hash }).execute();
    const admin = await insertUser(db, 'admin');
    const observer = await insertUser(db, 'observer');
    wgToken = (await createApiToken(db, { name: 'pos', subject: { userId: w.wg.id }, createdBy: admin.id }))
      .token;
    observerToken = (
      await createApiToken(db, { name: 'obs', subject: { userId: observer.id }, createdBy: admin.id })
    ).token;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('serves the public page without a session, cookie or cache, and with the QR code', async () => {
    const { res, html, token } = await openForm(base, `/feedback/${w.service.code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('Выдача удостоверения многодетной семьи');
    expect(token).toMatch(/^\d{13}\./);
    const en = await (await fetch(`${base}/feedback/${w.service.code}?lang=en`)).text();
    expect(en).toContain('How was the service?');
    const qr = await fetch(`${base}/feedback/${w.service.code}/qr.svg?via=mfc`);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect(await qr.text()).toMatch(/^<svg/);
    expect((await fetch(`${base}/feedback/NO-SUCH`)).status).toBe(404);
    expect((await fetch(`${base}/feedback/%3Cscript%3E`)).status).toBe(404);
  });

  it('takes a 1-star review with text, opens a case the curator answers, and emails the citizen', async () => {
    const { token } = await openForm(base, `/feedback/${w.service.code}?via=mfc`);
    await sleep(350);
    const text = 'Нагрубили в окне <script>alert(1)</script> и потребовали лишние справки';
    const form = {
      token: token!,
      via: 'mfc',
      rating: '1',
      text,
      email: 'citizen@example.ru',
      consent: '1',
    };
    const res = await postForm(base, `/feedback/${w.service.code}`, form);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/feedback/${w.service.code}/thanks`);
    // The same form posted twice (double tap): one review.
    expect((await postForm(base, `/feedback/${w.service.code}`, form)).status).toBe(303);
    const reviews = await stack.tdb.db
      .selectFrom('feedback')
      .selectAll()
      .where('source', '=', 'web')
      .execute();
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({
      channel: 'mfc',
      rating: 1,
      body: text,
      contact_email: 'citizen@example.ru',
    });
    expect(reviews[0]!.consent_at).not.toBeNull();

    const curator = new WebClient(base);
    await curator.login(w.curator.login, 'pw');
    const list = await curator.get('/cases');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('<script>alert(1)</script>');
    expect(list.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const caseId = Number(/href="\/cases\/(\d+)"/.exec(list.text)![1]);
    const page = await curator.get(`/cases/${caseId}`);
    expect(page.text).toContain('name="fixed"');
    const empty = await curator.post(`/cases/${caseId}/answer`, {
      text: '',
      fixed: 'yes',
      eventId: crypto.randomUUID(),
    });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('case-text-error');
    const ok = await curator.post(`/cases/${caseId}/answer`, {
      text: 'Приносим извинения: с сотрудником проведена беседа, перечень справок сокращён.',
      fixed: 'yes',
      eventId: crypto.randomUUID(),
    });
    expect(ok.status).toBe(303);
    const after = await curator.get(`/cases/${caseId}`);
    expect(after.text).toContain('проблема устранена');
    const mail = await stack.tdb.db
      .selectFrom('notification')
      .select(['recipient_email', 'body_html'])
      .where('kind', '=', 'case_answer_citizen')
      .executeTakeFirstOrThrow();
    expect(mail.recipient_email).toBe('citizen@example.ru');
    expect(mail.body_html).toContain('перечень справок сокращён');
    const opened = await stack.tdb.db
      .selectFrom('notification')
      .select('body_html')
      .where('kind', '=', 'case_opened')
      .executeTakeFirstOrThrow();
    // (the case's workflow sent it before the curator could answer: its first step)
    expect(opened.body_html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(opened.body_html).not.toContain('<script>');

    // The service card shows the score from reviews; the leadership's panel shows the topics.
    const lead = new WebClient(base);
    await lead.login(w.wg.login, 'pw');
    const card = await lead.get(`/services/${w.service.id}`);
    expect(card.text).toContain('Оценки по отзывам граждан');
    const dash = await lead.get('/dashboard');
    expect(dash.text).toContain('Что беспокоит граждан');
    expect(dash.text).toContain('Вежливость и компетентность сотрудников');
    // … and so does the first deputy governor's home, where they land.
    const fdg = new WebClient(base);
    await fdg.login(fdgLogin, 'pw');
    const home = await fdg.get('/');
    // «Что сделать сейчас» names the top complaint and leads to the panel.
    expect(home.text).toMatch(/<a href="#worries-h">Граждане чаще всего жалуются: [^<]+<\/a>/);
    expect(home.text).toContain('Что беспокоит граждан');
    expect(home.text).toContain('Вежливость и компетентность сотрудников');
  });

  it('refuses hostile and bad posts with a clear 4xx and stores nothing', async () => {
    const path = `/feedback/${w.service.code}`;
    const before = await tableDigests(stack.tdb.db, TABLES);
    const fresh = async () => {
      const { token } = await openForm(base, path);
      await sleep(350);
      return token!;
    };
    // Another site's form.
    expect(
      (await postForm(base, path, { token: await fresh(), rating: '1' }, { origin: 'https://evil.example' }))
        .status,
    ).toBe(403);
    expect(
      (await postForm(base, path, { token: await fresh(), rating: '1' }, { 'sec-fetch-site': 'cross-site' }))
        .status,
    ).toBe(403);
    // No token, a forged one, a token of another service.
    expect((await postForm(base, path, { rating: '5' })).status).toBe(403);
    const forged = (await fresh()).replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await postForm(base, path, { token: forged, rating: '5' })).status).toBe(403);
    // Too fast: the time trap.
    const { token: quick } = await openForm(base, path);
    const tooFast = await postForm(base, path, { token: quick!, rating: '5' });
    expect(tooFast.status).toBe(422);
    expect(await tooFast.text()).toContain('слишком быстро');
    // The honeypot.
    expect(
      (await postForm(base, path, { token: await fresh(), rating: '5', website: 'http://spam' })).status,
    ).toBe(422);
    // Bad fields: rating, NUL and control characters, contacts without consent; the values come back escaped.
    const bad = await postForm(base, path, { token: await fresh(), rating: '7', text: 'a\u0000b' });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Оценка — целое число от 1 до 5');
    const noConsent = await postForm(base, path, {
      token: await fresh(),
      rating: '2',
      email: 'a@b.ru',
      name: '"><img src=x>',
    });
    expect(noConsent.status).toBe(422);
    const nc = await noConsent.text();
    expect(nc).toContain('только с согласием');
    expect(nc).not.toContain('"><img src=x>');
    // Oversized bodies and other content types.
    expect(
      (await postForm(base, path, { token: await fresh(), rating: '3', text: 'x'.repeat(20_000) })).status,
    ).toBe(413);
    const multipart = new FormData();
    multipart.set('rating', '3');
    expect(
      (await fetch(base + path, { method: 'POST', body: multipart, headers: { origin: base } })).status,
    ).toBe(403);
    expect(await tableDigests(stack.tdb.db, TABLES)).toEqual(before);
  });

  it('limits posts per address', async () => {
    const path = `/feedback/${w.service.code}`;
    // Earlier tests used this address's budget of 8 posts per 10 minutes already.
    let last = 0;
    let retryAfter: string | null = null;
    for (let i = 0; i < 10 && last !== 429; i++) {
      const { token } = await openForm(base, path);
      await sleep(320);
      const res = await postForm(base, path, { token: token!, rating: '4' });
      last = res.status;
      retryAfter = res.headers.get('retry-after');
    }
    expect(last).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('takes batches through the API, idempotent by the source id, all or nothing', async () => {
    const call = (token: string, body: unknown, type = 'application/json') =>
      fetch(`${base}/api/v1/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const items = Array.from({ length: 20 }, (_, i) => ({
      sourceId: `api-${i}`,
      serviceCode: w.service.code,
      channel: i % 2 ? 'epgu' : 'pos',
      municipality: w.municipality.code,
      date: '2026-01-15',
      rating: (i % 5) + 1,
      ...(i % 3 === 0 ? { text: 'Долго ждала ответа на портале' } : {}),
    }));
    const first = await call(wgToken, { source: 'pos', items });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: 20, inserted: 20, duplicates: 0 });
    const again = await call(wgToken, { source: 'pos', items });
    expect(await again.json()).toMatchObject({ inserted: 0, duplicates: 20 });
    expect((await call(observerToken, { source: 'pos', items })).status).toBe(403);
    expect((await call('sht_nope', { source: 'pos', items })).status).toBe(401);
    const before = await tableDigests(stack.tdb.db, TABLES);
    const bad = await call(wgToken, {
      source: 'pos',
      items: [
        ...items.slice(0, 2).map((x) => ({ ...x, sourceId: `${x.sourceId}-b` })),
        { ...items[0], sourceId: 'z', rating: 0 },
      ],
    });
    expect(bad.status).toBe(422);
    const body = await bad.json();
    expect(body.errors).toEqual([
      expect.objectContaining({ index: 2, field: 'items.2.rating', key: 'error.feedback.rating' }),
    ]);
    expect(body.error.field).toBe('items.2.rating');
    expect((await call(wgToken, '{"source":')).status).toBe(422);
    expect((await call(wgToken, { source: 'pos', items: 'x' })).status).toBe(422);
    expect((await call(wgToken, { source: 'bad source!', items })).status).toBe(422);
    expect((await call(wgToken, { source: 'pos', items: Array(1001).fill(items[0]) })).status).toBe(422);
    expect(await tableDigests(stack.tdb.db, TABLES)).toEqual(before);
    const scores = await fetch(`${base}/api/v1/services/${w.service.id}/feedback-scores?by=month`, {
      headers: { authorization: `Bearer ${wgToken}` },
    });
    const s = await scores.json();
    expect(s.scores.find((x: { period: string }) => x.period === '2026-01')).toMatchObject({
      votes: 20,
      avg: 3,
    });
  });

  it('with the folder runWeb runs, an API batch in a stream reaches the scores at the next fold', async () => {
    const db = stack.tdb.db;
    // A long interval, and a fold just run: the next intake is in a stream, not alone.
    const folder = startTallyFolder({ db, intervalMs: 60_000, sweepMs: 60_000 });
    const app = await startTestApp({ db, temporal: stack.temporal.handle, feedbackFolder: folder });
    try {
      await folder.flush();
      const scores = async () => {
        const res = await fetch(`${app.url}/api/v1/services/${w.service.id}/feedback-scores?by=month`, {
          headers: { authorization: `Bearer ${wgToken}` },
        });
        const body = (await res.json()) as { scores: { period: string; votes: number }[] };
        return body.scores.find((x) => x.period === '2026-02')?.votes ?? 0;
      };
      const before = await scores();
      const res = await fetch(`${app.url}/api/v1/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${wgToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          source: 'pos',
          items: Array.from({ length: 7 }, (_, i) => ({
            sourceId: `folded-${i}`,
            serviceId: w.service.id,
            channel: 'epgu',
            date: '2026-02-10',
            rating: 4,
          })),
        }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ inserted: 7 });
      // Stored and answered; the scores follow at the fold.
      expect(await pendingFold(db)).toMatchObject({ batches: 1 });
      expect(await scores()).toBe(before);
      await folder.flush();
      expect(await scores()).toBe(before + 7);
    } finally {
      await folder.stop();
      await app.close();
    }
  });

  it('uploads an export file checked whole, with row numbers', async () => {
    const wg = new WebClient(base);
    await wg.login(w.wg.login, 'pw');
    await wg.get('/citizens/import');
    const upload = async (bytes: Uint8Array, name: string) => {
      const form = new FormData();
      form.set('_csrf', wg.csrf ?? '');
      form.set('source', 'mfc-ais');
      form.set('file', new Blob([bytes as BlobPart]), name);
      return wg.request('/citizens/import', { method: 'POST', body: form });
    };
    const header = [
      'ID отзыва',
      'Код услуги',
      'Канал',
      'Дата',
      'Оценка',
      'Текст',
      'Муниципальное образование',
    ];
    const before = await tableDigests(stack.tdb.db, TABLES);
    const bad = await upload(
      utf8(
        csv([
          header,
          ['f1', w.service.code, 'МФЦ', '10.01.2026', '5', 'Спасибо', w.municipality.code],
          ['f2', 'NOPE', 'МФЦ', '10.01.2026', '4', '', ''],
          ['f3', w.service.code, 'телеграф', '32.01.2026', '9', '', ''],
        ]),
      ),
      'export.csv',
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/<td class="num"[^>]*>3<\/td>\s*<td[^>]*>Код услуги<\/td>/);
    expect(bad.text).toMatch(/<td class="num"[^>]*>4<\/td>\s*<td[^>]*>Канал<\/td>/);
    expect(bad.text).toMatch(/<td class="num"[^>]*>4<\/td>\s*<td[^>]*>Оценка<\/td>/);
    expect(await tableDigests(stack.tdb.db, TABLES)).toEqual(before);
    const good = await upload(
      await xlsx([
        header,
        ['x1', w.service.code, 'ЕПГУ', '2026-01-11', 2, 'Портал не работает', null],
        ['x2', w.service.code, 'ПОС', '2026-01-12', 4, null, w.municipality.code],
      ]),
      'export.xlsx',
    );
    expect(good.status).toBe(200);
    expect(good.text).toContain('новых отзывов: 2');
    const again = await upload(
      await xlsx([header, ['x1', w.service.code, 'ЕПГУ', '2026-01-11', 2, 'Портал не работает', null]]),
      'export.xlsx',
    );
    expect(again.text).toContain('новых отзывов: 0, уже были: 1');
    // A systemic problem becomes a remediation item linked to the reviews that show it.
    const staff = await stack.tdb.db
      .selectFrom('feedback_topic')
      .select('id')
      .where('code', '=', 'STAFF')
      .executeTakeFirstOrThrow();
    const quarter = (
      await stack.tdb.db
        .selectFrom('feedback')
        .select('received_on')
        .where('source', '=', 'web')
        .executeTakeFirstOrThrow()
    ).received_on;
    const period = `${quarter.slice(0, 4)}-Q${Math.ceil(Number(quarter.slice(5, 7)) / 3)}`;
    const page = await wg.get(`/citizens?topic=${staff.id}&period=${period}`);
    expect(page.text).toContain(`/citizens/remediation?service=${w.service.id}&amp;topic=${staff.id}`);
    await wg.get(`/citizens/remediation?service=${w.service.id}&topic=${staff.id}&period=${period}`);
    const noDue = await wg.post('/citizens/remediation', {
      service: String(w.service.id),
      topic: String(staff.id),
      period,
      due: '',
    });
    expect(noDue.status).toBe(422);
    const due = precedingWorkingDay(addDays(regionToday(), 30));
    const raised = await wg.post('/citizens/remediation', {
      service: String(w.service.id),
      topic: String(staff.id),
      period,
      due,
      description: 'Обучить сотрудников окна приёма',
    });
    expect(raised.status).toBe(303);
    const itemId = Number(/\/items\/(\d+)/.exec(raised.headers.get('location') ?? '')![1]);
    const item = await stack.tdb.db
      .selectFrom('control_item')
      .selectAll()
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(item).toMatchObject({
      kind: 'remediation',
      agency_id: w.agency.id,
      service_id: w.service.id,
      current_due: due,
    });
    expect(item.description).toContain('Нагрубили');
    const evidence = await stack.tdb.db
      .selectFrom('feedback_evidence')
      .select('feedback_id')
      .where('control_item_id', '=', itemId)
      .execute();
    expect(evidence).toHaveLength(1);
    await expect.poll(() => wg.get(`/items/${itemId}`).then((r) => r.status)).toBe(200);

    // Reviews are history: the service cannot be deleted under them (they carry no foreign key).
    expect((await wg.post(`/services/${w.service.id}/delete`, {})).status).toBe(409);
  });
});
