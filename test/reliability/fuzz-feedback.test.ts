import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { insertUser } from '../support/fixtures.ts';
import { feedbackWorld } from '../support/feedback-fixtures.ts';
import { brief, FUZZ_SEED, fuzzParams, nastyString, tableDigests } from '../support/fuzz-fixtures.ts';
import { regionToday } from '../support/item-ui-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

// Hostile and arbitrary input on the citizens' doors: the batch API and the public review page. Whatever
// arrives, the answer is a 2xx or a 4xx that says what is wrong — never a 500 — a refused request stores
// nothing, and what is stored comes back escaped.
const TABLES = ['feedback', 'feedback_month', 'feedback_area_month', 'feedback_case', 'feedback_batch'];

const value: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), nastyString, { maxKeys: 3 }),
);

/**
 * fetch, resent once when a kept-alive connection turns out closed under it: after refusing an oversized
 * body (413) the server drops the rest and closes the connection, which the next request may have reused
 * (as test/support/web.ts does for the browser-like client).
 */
async function fetchAgain(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    if (((e as Error).cause as { code?: string } | undefined)?.code !== 'UND_ERR_SOCKET') throw e;
    return fetch(url, init);
  }
}

describe(`fuzzed citizen feedback (seed ${FUZZ_SEED})`, () => {
  let stack: TestStack;
  let token: string;
  let code: string;
  let serviceId: number;

  beforeAll(async () => {
    // Limits high enough for the fuzz; the rate limits have their own test (test/feedback/web.test.ts).
    stack = await startTestStack({
      app: { publicForm: { minAgeMs: 0, perAddress: 100_000, perService: 100_000 } },
    });
    const w = await feedbackWorld(stack.tdb.db);
    const admin = await insertUser(stack.tdb.db, 'admin');
    token = (
      await createApiToken(stack.tdb.db, { name: 'fz', subject: { userId: w.wg.id }, createdBy: admin.id })
    ).token;
    code = w.service.code;
    serviceId = w.service.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('API batches: any item shape → 200 or a 422 naming the field, nothing partial', async () => {
    const good = () => ({ serviceCode: code, channel: 'mfc', date: regionToday(), rating: 4 });
    const item = fc.oneof(
      fc.record({ sourceId: nastyString, text: nastyString }).map((x) => ({ ...good(), ...x })),
      fc
        .dictionary(
          fc.constantFrom(
            'sourceId',
            'serviceId',
            'serviceCode',
            'channel',
            'municipality',
            'date',
            'rating',
            'text',
            'categories',
            'contact',
            'consent',
            'office',
          ),
          value,
          { maxKeys: 8 },
        )
        .map((x) => ({ ...good(), ...x })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 5 }), nastyString, async (items, source) => {
        const before = await tableDigests(stack.tdb.db, TABLES);
        const res = await fetch(`${stack.web.url}/api/v1/feedback`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ source: source.length % 2 ? 'fuzz' : source, items }),
        });
        const body = (await res.json()) as { error?: { message: string; field?: string } };
        const what = `${res.status} ${brief(items)} → ${JSON.stringify(body).slice(0, 300)}`;
        expect(res.status, what).toBeLessThan(500);
        if (res.status >= 400) {
          expect(body.error?.message, what).toMatch(/\S/);
          if (res.status === 422) expect(body.error?.field, what).toMatch(/\S/);
          expect(await tableDigests(stack.tdb.db, TABLES), `nothing stored: ${what}`).toEqual(before);
        }
      }),
      fuzzParams(60),
    );
  });

  it('the public page: any field values → a page or a 4xx, stored text escaped', async () => {
    const form = fc.record({
      rating: fc.oneof(fc.constantFrom('1', '2', '3', '4', '5'), nastyString),
      text: nastyString,
      name: fc.oneof(fc.constant(''), nastyString),
      email: fc.oneof(fc.constant(''), fc.constant('a@b.ru'), nastyString),
      phone: fc.oneof(fc.constant(''), nastyString),
      consent: fc.constantFrom('', '1'),
      via: fc.oneof(fc.constant('mfc'), nastyString),
      mo: fc.oneof(fc.constant(''), nastyString),
    });
    const client = new WebClient(stack.web.url);
    await fc.assert(
      fc.asyncProperty(form, async (f) => {
        const page = await fetchAgain(`${stack.web.url}/feedback/${code}`);
        const tokenValue = WebClient.field(await page.text(), 'token')!;
        const before = await tableDigests(stack.tdb.db, TABLES);
        const body = new URLSearchParams({ token: tokenValue, ...f });
        let res: Response;
        try {
          res = await fetchAgain(`${stack.web.url}/feedback/${code}`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.web.url },
            body,
          });
        } catch (e) {
          // A body far over the 16 KB limit: the server answers 413 and closes the connection while the
          // client is still sending, which fetch reports as a closed socket. Refused all the same.
          expect(body.toString().length, String(e)).toBeGreaterThan(16 * 1024);
          expect(await tableDigests(stack.tdb.db, TABLES)).toEqual(before);
          return;
        }
        const html = await res.text();
        const what = `${res.status} ${brief(f)} → ${html.slice(0, 200)}`;
        expect(res.status, what).toBeLessThan(500);
        expect(res.status === 303 || res.status === 413 || res.status === 422, what).toBe(true);
        if (res.status !== 303)
          expect(await tableDigests(stack.tdb.db, TABLES), `nothing stored: ${what}`).toEqual(before);
        // Whatever was typed comes back escaped: no tag from the input survives as markup.
        if (res.status === 422) expect(html.includes('<script'), what).toBe(false);
      }),
      fuzzParams(60),
    );
    // Stored remarks show escaped on the service card.
    const wg = await stack.tdb.db
      .selectFrom('app_user')
      .select('login')
      .where('role', '=', 'working_group')
      .executeTakeFirstOrThrow();
    await stack.tdb.db
      .updateTable('app_user')
      .set({ password_hash: await (await import('../../web/index.ts')).hashPassword('pw') })
      .execute();
    await client.login(wg.login, 'pw');
    const card = await client.get(`/services/${serviceId}`);
    expect(card.status).toBe(200);
    expect(card.text.includes('<script>')).toBe(false);
  });
});
