import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { insertAgency, insertUser } from '../support/fixtures.ts';
import { brief, FUZZ_SEED, fuzzParams, nastyString, tableDigests } from '../support/fuzz-fixtures.ts';
import { controlledItem, dueIn, startWebStack, type WebStack } from '../support/item-ui-fixtures.ts';

// Arbitrary requests against the JSON API /api/v1 (bearer tokens) on the real stack: wrong types, missing
// and extra fields, broken JSON, odd ids and query strings. The answer is JSON: 2xx, or a 4xx whose
// error names what is wrong; never a 500, and a refused request stores nothing.
const TABLES = ['control_item', 'event', 'submission', 'extension_request', 'import_job'];

/** Any JSON value, with the strings people and scripts really send mixed in. */
const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 3 }),
  ),
})).v;

/** For URLs: within Node's 16 KiB header limit (past it the HTTP layer answers 431 before the app). */
const shortNasty = nastyString.filter((x) => x.length < 1000);

/** Header values fetch can send: visible ASCII. */
const headerValue = fc.stringMatching(/^[!-~]{0,80}$/);

describe(`fuzzed JSON API (seed ${FUZZ_SEED})`, () => {
  let s: WebStack;
  const tokens: Record<'exec' | 'wg', string> = { exec: '', wg: '' };
  let itemIds: number[];
  let agencyIds: number[];
  const tally = new Map<string, number>();
  const report = (label: string) => {
    console.log(`fuzz api, ${label}: ${[...tally].map(([k, n]) => `${k}×${n}`).join(' ')}`);
    tally.clear();
  };

  beforeAll(async () => {
    console.log(`fuzz api: FUZZ_SEED=${FUZZ_SEED}`);
    s = await startWebStack();
    const [a, b] = [await insertAgency(s.db), await insertAgency(s.db)];
    agencyIds = [a.id, b.id];
    const admin = await insertUser(s.db, 'admin', null);
    for (const [k, role, agency] of [
      ['exec', 'agency_executor', a.id],
      ['wg', 'working_group', null],
    ] as const) {
      const u = await insertUser(s.db, role, agency);
      tokens[k] = (
        await createApiToken(s.db, { name: k, subject: { userId: u.id }, createdBy: admin.id })
      ).token;
    }
    itemIds = [];
    for (let i = 0; i < 6; i++)
      itemIds.push((await controlledItem(s, { agencyId: i < 5 ? a.id : b.id, due: dueIn(30 + i) })).id);
  });
  afterAll(async () => {
    await s?.close();
  });

  async function call(
    who: 'exec' | 'wg',
    method: string,
    path: string,
    o: { body?: string; type?: string; key?: string } = {},
  ) {
    const headers = new Headers({ authorization: `Bearer ${tokens[who]}` });
    if (o.type) headers.set('content-type', o.type);
    if (o.key !== undefined) headers.set('idempotency-key', o.key);
    const res = await fetch(`${s.web.url}/api/v1${path}`, {
      method,
      headers,
      ...(o.body !== undefined ? { body: o.body } : {}),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* checked below */
    }
    return { status: res.status, body, text };
  }

  /** The checks every fuzzed request gets. */
  async function check(who: 'exec' | 'wg', method: string, path: string, o: Parameters<typeof call>[3] = {}) {
    const before = method === 'GET' ? null : await tableDigests(s.db, TABLES);
    const res = await call(who, method, path, o);
    tally.set(String(res.status), (tally.get(String(res.status)) ?? 0) + 1);
    const what = `${res.status} ${method} ${path} ${brief(o)} → ${res.text.slice(0, 300)}`;
    expect(res.status, what).toBeLessThan(500);
    expect(typeof res.body, `JSON body: ${what}`).toBe('object');
    if (res.status >= 400) {
      expect(res.body.error?.message, what).toEqual(expect.stringMatching(/\S/));
      expect(res.body.error?.code, what).toEqual(expect.any(String));
      // A validation error names its field (a body field, a query parameter or the header).
      if (res.status === 422) expect(res.body.error.field, what).toEqual(expect.stringMatching(/\S/));
      if (before) expect(await tableDigests(s.db, TABLES), `nothing stored: ${what}`).toEqual(before);
    }
    return res;
  }

  it('item actions: any JSON body, content type, id and idempotency key → 2xx or a 4xx with a message', async () => {
    const good: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
      start: {},
      submit: {
        text: fc.string({ minLength: 1, maxLength: 30 }),
        links: fc.constant([{ url: 'https://example.test/a' }]),
        part: fc.boolean(),
      },
      review: {
        outcome: fc.constantFrom('accept', 'return'),
        reason: fc.string(),
        newDue: fc.constant(dueIn(50)),
      },
      'extension-request': { requestedDue: fc.constant(dueIn(60)), reason: fc.string({ minLength: 1 }) },
      'extension-decision': { approve: fc.boolean(), note: fc.string() },
      reassign: {
        agencyId: fc.constantFrom(...agencyIds),
        coAgencyIds: fc.constant([]),
        reason: fc.string({ minLength: 1 }),
      },
      cancel: { reason: fc.string({ minLength: 1 }) },
      'change-deadline': { due: fc.constant(dueIn(70)), reason: fc.string({ minLength: 1 }) },
    };
    const body = (action: string) =>
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .record(
              Object.fromEntries(
                Object.entries(good[action]!).map(([k, g]) => [
                  k,
                  fc.oneof({ weight: 3, arbitrary: g }, json),
                ]),
              ),
              { requiredKeys: [] },
            )
            .chain((o) =>
              fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 2 }).map((x) => ({ ...x, ...o })),
            )
            .map((o) => JSON.stringify(o)),
        },
        { weight: 1, arbitrary: json.map((v) => JSON.stringify(v) ?? 'null') },
        { weight: 1, arbitrary: nastyString },
      );
    const request = fc.constantFrom(...Object.keys(good)).chain((action) =>
      fc.record({
        action: fc.constant(action),
        body: fc.option(body(action), { freq: 8 }),
        type: fc.oneof(
          { weight: 8, arbitrary: fc.constant('application/json') },
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/json; charset=koi8-r',
          ),
        ),
        who: fc.constantFrom('exec' as const, 'wg' as const),
        id: fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom(...itemIds).map(String) },
          fc.constantFrom('0', '-1', 'abc', '1.5', '99999999999', '1e3', '%00'),
        ),
        key: fc.option(fc.oneof(fc.uuid(), headerValue), { freq: 2 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        await check(r.who, 'POST', `/items/${r.id}/${r.action}`, {
          type: r.type,
          ...(r.body !== null ? { body: r.body } : {}),
          ...(r.key !== null ? { key: r.key } : {}),
        });
      }),
      fuzzParams(150),
    );
    report('item actions');
  });

  it('lists and lookups: any query string and path id → 200, 404 or a 422 naming the parameter', async () => {
    const params = [
      'status',
      'agencyId',
      'lifeSituationId',
      'q',
      'limit',
      'offset',
      'serviceId',
      'period',
      'x',
    ];
    const query = fc
      .array(fc.tuple(fc.constantFrom(...params), fc.oneof(shortNasty, fc.integer().map(String))), {
        maxLength: 4,
      })
      .map((kv) => new URLSearchParams(kv).toString());
    const target = fc.oneof(
      fc
        .constantFrom('/items', '/services', '/scores', '/agencies', '/life-situations')
        .chain((p) => query.map((q) => `${p}?${q}`)),
      fc
        .tuple(
          fc.constantFrom('/items/', '/services/', '/imports/'),
          fc.oneof(shortNasty, fc.integer().map(String)),
        )
        .map(([p, id]) => p + encodeURIComponent(id.replace(/[\ud800-\udfff]/g, '\ufffd'))),
    );
    await fc.assert(
      fc.asyncProperty(target, fc.constantFrom('exec' as const, 'wg' as const), async (path, who) => {
        const res = await check(who, 'GET', path);
        expect([200, 403, 404, 422]).toContain(res.status);
      }),
      fuzzParams(150),
    );
    report('lists');
  });
  it('regressions: broken JSON, a non-JSON body, a body of the wrong type, a NUL → 4xx naming the field', async () => {
    // A fresh item: the properties above may have moved every other one to its end.
    const id = (await controlledItem(s, { agencyId: agencyIds[0]!, due: dueIn(45) })).id;
    const huge = await check('wg', 'GET', '/items/99999999999');
    expect(huge.body.error).toMatchObject({ code: 'validation', field: 'id' });
    // Seed 20261123's counterexamples: each of these was a 500.
    const broken = await check('wg', 'POST', `/items/${id}/cancel`, {
      type: 'application/json',
      body: '{"reason":',
    });
    expect(broken.body.error).toMatchObject({ code: 'validation', field: 'body' });
    const plain = await check('wg', 'POST', `/items/${id}/cancel`, {
      type: 'text/plain',
      body: '{"reason":"x"}',
    });
    expect(plain.status).toBe(415);
    expect(plain.body.error.field).toBe('content-type');
    const number = await check('wg', 'POST', `/items/${id}/cancel`, { type: 'application/json', body: '12' });
    expect(number.body.error).toMatchObject({ code: 'validation', field: 'body' });
    // Postgres text cannot hold U+0000; the API refuses it before the workflow's activity would fail on it.
    const nul = await check('exec', 'POST', `/items/${id}/start`, { type: 'application/json', body: '{}' });
    expect(nul.status).toBe(200);
    const report = await check('exec', 'POST', `/items/${id}/submit`, {
      type: 'application/json',
      body: JSON.stringify({ text: 'a\u0000b' }),
    });
    expect(report.status).toBe(422);
    expect(report.body.error.field).toBe('text');
  });
});
