import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../web/index.ts';
import { insertAgency, insertUser } from '../support/fixtures.ts';
import {
  brief,
  FUZZ_SEED,
  fuzzForm,
  fuzzParams,
  hasMessage,
  nastyString,
  tableDigests,
} from '../support/fuzz-fixtures.ts';
import { insertLifeSituation } from '../support/check-in-fixtures.ts';
import {
  controlledItem,
  dueIn,
  postForm,
  startWebStack,
  type WebStack,
} from '../support/item-ui-fixtures.ts';
import { WebClient } from '../support/web.ts';

// Arbitrary form posts against the real app (Postgres, Temporal dev server, a worker): whatever arrives,
// the answer is a page or a 4xx that says what is wrong, never a 500, and a refused post stores nothing.
const ITEM_TABLES = ['control_item', 'event', 'submission', 'attachment', 'extension_request'];
const SERVICE_TABLES = ['service', 'service_life_situation'];

const eventId = fc.oneof(fc.uuid(), fc.stringMatching(/^[\w-]{8,64}$/));

describe(`fuzzed web forms (seed ${FUZZ_SEED})`, () => {
  let s: WebStack;
  let exec: WebClient;
  let wg: WebClient;
  let itemIds: number[];
  let agencyIds: number[];
  let lsIds: number[];
  let serviceId: number;

  beforeAll(async () => {
    console.log(`fuzz forms: FUZZ_SEED=${FUZZ_SEED}`);
    s = await startWebStack();
    const hash = await hashPassword('fuzz-pw');
    const [a, b] = [await insertAgency(s.db), await insertAgency(s.db)];
    agencyIds = [a.id, b.id];
    await insertUser(s.db, 'agency_executor', a.id, { login: 'fz-exec', password_hash: hash });
    await insertUser(s.db, 'working_group', null, { login: 'fz-wg', password_hash: hash });
    itemIds = [];
    for (let i = 0; i < 8; i++)
      itemIds.push((await controlledItem(s, { agencyId: i < 6 ? a.id : b.id, due: dueIn(30 + i) })).id);
    lsIds = [(await insertLifeSituation(s.db, 'FZ-LS1')).id, (await insertLifeSituation(s.db, 'FZ-LS2')).id];
    serviceId = (
      await s.db
        .insertInto('service')
        .values({ code: 'fz-svc', title_ru: 'Услуга для фаззинга', agency_id: a.id, level: 'regional' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    exec = new WebClient(s.web.url);
    await exec.login('fz-exec', 'fuzz-pw');
    wg = new WebClient(s.web.url);
    await wg.login('fz-wg', 'fuzz-pw');
    // Some items move on, so the fuzz meets every state: in progress, and submitted for review.
    for (const id of itemIds.slice(0, 4)) await exec.post(`/items/${id}/start`, {}, { htmx: true });
    for (const id of itemIds.slice(0, 2))
      await exec.post(`/items/${id}/submit`, { text: 'Отчёт', part: '0' }, { htmx: true });
  });
  afterAll(async () => {
    await s?.close();
  });

  const tally = new Map<string, number>();
  const report = (label: string) => {
    console.log(`fuzz forms, ${label}: ${[...tally].map(([k, n]) => `${k}×${n}`).join(' ')}`);
    tally.clear();
  };

  /** Posts, then checks the answer and, for a refusal, that the given tables did not change. */
  async function check(
    client: WebClient,
    path: string,
    form: Record<string, string | string[]>,
    htmx: boolean,
    tables: string[],
  ) {
    const before = await tableDigests(s.db, tables);
    const res = await postForm(client, path, form, { htmx });
    const what = `${res.status} POST ${path} ${brief(form)}`;
    tally.set(String(res.status), (tally.get(String(res.status)) ?? 0) + 1);
    expect(res.status, what).toBeLessThan(500);
    expect([200, 303, 400, 403, 404, 409, 413, 422], what).toContain(res.status);
    if (res.status >= 400) {
      expect(hasMessage(res.text), `message in ${what}: ${res.text.slice(0, 500)}`).toBe(true);
      expect(await tableDigests(s.db, tables), `nothing stored by ${what}`).toEqual(before);
    }
    return res;
  }

  it('item actions: any fields, any state, either role → 2xx/3xx or a 4xx with a message', async () => {
    const id = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...itemIds).map(String) },
      { weight: 1, arbitrary: fc.constantFrom('0', '999999', '-1', 'abc', '1e3', '99999999999999999999') },
    );
    // [action, fields, who may do it]: each role mostly tries its own actions, sometimes the others'.
    const actions: [string, Record<string, fc.Arbitrary<string>[]>, 'exec' | 'wg'][] = [
      ['start', { eventId: [eventId] }, 'exec'],
      [
        'submit',
        {
          eventId: [eventId],
          text: [fc.string({ minLength: 1 })],
          links: [fc.constant('https://example.test/report')],
          part: [fc.constantFrom('0', '1')],
        },
        'exec',
      ],
      [
        'review',
        {
          eventId: [eventId],
          outcome: [fc.constantFrom('accept', 'return')],
          reason: [fc.string()],
          newDue: [fc.constant('')],
        },
        'wg',
      ],
      [
        'extension',
        {
          eventId: [eventId],
          requestedDue: [fc.integer({ min: 40, max: 90 }).map((d) => dueIn(d))],
          reason: [fc.string({ minLength: 1 })],
        },
        'exec',
      ],
      [
        'extension/decision',
        { eventId: [eventId], decision: [fc.constantFrom('approve', 'reject')], note: [fc.string()] },
        'wg',
      ],
      [
        'reassign',
        {
          eventId: [eventId],
          agencyId: [fc.constantFrom(...agencyIds).map(String)],
          coAgencyIds: [fc.constantFrom(...agencyIds).map(String)],
          reason: [fc.string({ minLength: 1 })],
        },
        'wg',
      ],
      [
        'cancel',
        { eventId: [eventId], reason: [fc.string({ minLength: 1 })], confirm: [fc.constant('1')] },
        'wg',
      ],
    ];
    const post = fc.oneof(
      ...actions.map(([action, fields, who]) =>
        fc.record({
          action: fc.constant(action),
          form: fuzzForm(fields),
          asWg: fc.oneof({ weight: 4, arbitrary: fc.constant(who === 'wg') }, fc.boolean()),
        }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(id, post, fc.boolean(), async (itemId, { action, form, asWg }, htmx) => {
        await check(asWg ? wg : exec, `/items/${itemId}/${action}`, form, htmx, ITEM_TABLES);
      }),
      fuzzParams(120),
    );
    report('item actions');
    // Files a refused report had uploaded are not left behind.
    const unlinked = await s.db
      .selectFrom('attachment')
      .select('id')
      .where('submission_id', 'is', null)
      .execute();
    expect(unlinked).toEqual([]);
  });

  it('services: create and edit with any fields → a service or a 422 with the field, nothing partial', async () => {
    const fields = {
      code: [fc.stringMatching(/^[a-z][a-z0-9._/-]{0,10}$/)],
      title_ru: [fc.string({ minLength: 1, maxLength: 30 })],
      title_en: [fc.string({ maxLength: 30 })],
      agency_id: [fc.constantFrom(...agencyIds).map(String)],
      curator_user_id: [fc.constant('')],
      level: [fc.constantFrom('regional', 'federal', 'municipal')],
      electronic: [fc.constant('1')],
      proactive: [fc.constant('1')],
      socially_significant: [fc.constant('1')],
      channels: [fc.constantFrom('epgu', 'mfc', 'office')],
      lifeSituationIds: [fc.constantFrom(...lsIds).map(String)],
    };
    await fc.assert(
      fc.asyncProperty(fuzzForm(fields), fc.boolean(), fc.boolean(), async (form, edit, htmx) => {
        await check(wg, edit ? `/services/${serviceId}` : '/services', form, htmx, SERVICE_TABLES);
      }),
      fuzzParams(100),
    );
    report('services');
  });

  it('one huge or control-character value in every field of a form → a 422 per field, never a 500', async () => {
    const names = ['code', 'title_ru', 'title_en', 'agency_id', 'curator_user_id', 'level', 'channels'];
    await fc.assert(
      fc.asyncProperty(nastyString, fc.boolean(), async (v, htmx) => {
        const form = Object.fromEntries(names.map((n) => [n, v]));
        await check(wg, `/services/${serviceId}`, form, htmx, SERVICE_TABLES);
      }),
      fuzzParams(40),
    );
    report('every field');
  });
  it('regression: a NUL in any form field is a 422 naming the field, not a 500', async () => {
    // Seed 20261123's counterexample: POST /services with code "\u0000…" reached Postgres, which cannot
    // store U+0000 in text ("invalid byte sequence for encoding UTF8: 0x00") → 500.
    const svc = await check(
      wg,
      '/services',
      { code: '\u0000\u0007я', title_ru: 'Услуга', agency_id: String(agencyIds[0]) },
      false,
      SERVICE_TABLES,
    );
    expect(svc.status).toBe(422);
    expect(svc.text).toContain('«code»');
    // The same byte in a report would have gone to the workflow and failed in its persist activity.
    const sub = await check(
      exec,
      `/items/${itemIds[2]}/submit`,
      { text: 'a\u0000b', part: '0' },
      true,
      ITEM_TABLES,
    );
    expect(sub.status).toBe(422);
    expect(sub.text).toContain('«text»');
  });
});
