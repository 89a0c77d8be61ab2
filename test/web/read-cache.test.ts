import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precedingWorkingDay } from '../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import type { TestDatabase } from '../support/pg.ts';
import { WebClient } from '../support/web.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/** The table row that links to the item: what a page says about it. */
const rowOf = (html: string, itemId: number) =>
  html.split('<tr>').find((r) => r.includes(`href="/items/${itemId}"`)) ?? '';

// Cached pages (db/read-cache.ts) after a write through the real path: web → Temporal Update → activity →
// Postgres. The next view must show the change, without any invalidation call from the writer.
describe('cached pages after a write', () => {
  let tdb: TestDatabase;
  let temporal: TestStack['temporal'];
  let stack: TestStack;
  let web: TestStack['web'];

  beforeAll(async () => {
    stack = await startTestStack();
    ({ tdb, temporal, web } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('the dashboard, the agency page, the league table and the roadmap list show an action at once', async () => {
    const hash = await hashPassword('secret-1');
    const agency = await insertAgency(tdb.db);
    await insertUser(tdb.db, 'agency_executor', agency.id, { login: 'rc-exec', password_hash: hash });
    await insertUser(tdb.db, 'working_group', null, { login: 'rc-wg', password_hash: hash });
    const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
    // Due within the dashboard's two working weeks, so it is in "upcoming deadlines".
    const { row, state } = await insertItem(tdb.db, {
      agencyId: agency.id,
      due: precedingWorkingDay(addDays(today, 8)),
      title: 'Кэшируемое мероприятие',
    });
    await startControlItem(temporal.handle, state, DEFAULT_CHASE_POLICY);

    const wg = new WebClient(web.url);
    await wg.login('rc-wg', 'secret-1');
    const exec = new WebClient(web.url);
    await exec.login('rc-exec', 'secret-1');
    const pages = {
      dashboard: '/dashboard',
      agency: `/agencies/${agency.id}`,
      list: '/items?status=open',
    };
    // Fill the cache (twice: the second view is served from it).
    for (let i = 0; i < 2; i++) {
      for (const [name, path] of Object.entries(pages)) {
        const res = await wg.get(path);
        expect(res.status, path).toBe(200);
        expect(rowOf(res.text, row.id), name).toContain('Назначено');
      }
    }
    const league = async () => {
      const html = (await wg.get('/agencies?sort=items&dir=desc')).text;
      return html.split('<tr>').find((r) => r.includes(`href="/agencies/${agency.id}"`)) ?? '';
    };
    expect(await league()).toContain('>1<');

    const page = await exec.get(`/items/${row.id}`);
    const eventId = WebClient.field(page.text, 'eventId')!;
    const started = await exec.post(`/items/${row.id}/start`, { eventId }, { htmx: true });
    expect(started.status).toBe(200);

    for (const [name, path] of Object.entries(pages)) {
      const row_ = rowOf((await wg.get(path)).text, row.id);
      expect(row_, name).toContain('В работе');
      expect(row_, name).not.toContain('Назначено');
    }

    // A new item written directly (as an import does) is counted at the next view too.
    await insertItem(tdb.db, { agencyId: agency.id, due: precedingWorkingDay(addDays(today, 60)) });
    const after = await league();
    expect(after).toContain('>2<');
  });
});
