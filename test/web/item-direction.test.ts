import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../web/index.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { dueIn, eventIdFor, textOf } from '../support/item-ui-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

// A measure's direction (issue 16 item 6) through the real app: set by the working group on the item page,
// refused to an agency and for an unknown code, shown, audited, and the roadmap list filtered by it
// (the page and its XLSX export alike).
describe("a measure's direction", () => {
  let s: TestStack;
  let wg: WebClient;
  let exec: WebClient;
  let items: { edu: number; med: number; none: number };

  beforeAll(async () => {
    s = await startTestStack();
    const db = s.tdb.db;
    const password_hash = await hashPassword('pw');
    const agency = await insertAgency(db);
    const wgUser = await insertUser(db, 'working_group', null, { password_hash });
    const execUser = await insertUser(db, 'agency_executor', agency.id, { password_hash });
    const mk = async (title: string) =>
      (await insertItem(db, { agencyId: agency.id, due: dueIn(30), title })).row;
    items = {
      edu: (await mk('Открыть запись в первый класс через портал')).id,
      med: (await mk('Запись к врачу без очереди')).id,
      none: (await mk('Мероприятие без направления')).id,
    };
    await db.updateTable('control_item').set({ direction: 'MED' }).where('id', '=', items.med).execute();
    wg = new WebClient(s.web.url);
    await wg.login(wgUser.login, 'pw');
    exec = new WebClient(s.web.url);
    await exec.login(execUser.login, 'pw');
  });
  afterAll(async () => {
    await s?.close();
  });

  const directionOf = async (id: number) =>
    (
      await s.tdb.db
        .selectFrom('control_item')
        .select('direction')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).direction;

  it('the working group sets it on the item page; the page shows it and the timeline records it', async () => {
    const page = await wg.get(`/items/${items.edu}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`action="/items/${items.edu}/direction"`);
    expect(page.text).toContain('Направления социального рейтинга');
    const res = await wg.submit(`/items/${items.edu}/direction`, {
      eventId: eventIdFor(page.text, `/items/${items.edu}/direction`),
      direction: 'EDU',
    });
    expect(res.status).toBe(200);
    expect(await directionOf(items.edu)).toBe('EDU');
    const text = textOf(res.text);
    expect(text).toContain('Направление сохранено');
    expect(text).toMatch(/Направление\s+Образование/);
    expect(text).toContain('Изменено направление');
    const events = await s.tdb.db
      .selectFrom('event')
      .select(['type', 'before', 'after'])
      .where('control_item_id', '=', items.edu)
      .where('type', '=', 'direction.changed')
      .execute();
    expect(events).toEqual([
      { type: 'direction.changed', before: { direction: null }, after: { direction: 'EDU' } },
    ]);
  });

  it('refuses an agency user (403) and an unknown code (422, the form with its error, nothing stored)', async () => {
    const page = await exec.get(`/items/${items.none}`);
    expect(page.status).toBe(200);
    // The agency sees no form to set it.
    expect(page.text).not.toContain(`action="/items/${items.none}/direction"`);
    const refused = await exec.post(`/items/${items.none}/direction`, {
      eventId: crypto.randomUUID(),
      direction: 'EDU',
    });
    expect(refused.status).toBe(403);
    expect(await directionOf(items.none)).toBeNull();

    const wgPage = await wg.get(`/items/${items.none}`);
    const bad = await wg.post(`/items/${items.none}/direction`, {
      eventId: eventIdFor(wgPage.text, `/items/${items.none}/direction`),
      direction: 'NO-SUCH',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('class="error-summary"');
    expect(bad.text).toContain('Выберите направление из списка');
    expect(bad.text).toContain('id="direction-direction-error"');
    expect(await directionOf(items.none)).toBeNull();
  });

  it('the roadmap list filters by direction, and its export has exactly the filtered rows', async () => {
    const list = await wg.get('/items?direction=MED');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Запись к врачу без очереди');
    expect(list.text).not.toContain('Открыть запись в первый класс');
    expect(list.text).toContain('<option value="MED" selected');
    const all = await wg.get('/items');
    expect(all.text).toContain('Открыть запись в первый класс');
    // An unknown code is dropped like any malformed filter: the whole list.
    expect((await wg.get('/items?direction=%3Cx%3E')).text).toContain('Открыть запись в первый класс');

    const file = await wg.download('/exports/items.xlsx?direction=EDU');
    expect(file.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const col = header.indexOf('Направление');
    expect(col).toBeGreaterThan(0);
    const rows = ws.getSheetValues().slice(2).filter(Boolean) as unknown[][];
    expect(rows).toHaveLength(1);
    expect(String(rows[0]![2])).toContain('Открыть запись в первый класс');
    expect(rows[0]![col]).toBe('Образование');
  });

  it('clearing it is allowed and recorded', async () => {
    const page = await wg.get(`/items/${items.med}`);
    const res = await wg.submit(`/items/${items.med}/direction`, {
      eventId: eventIdFor(page.text, `/items/${items.med}/direction`),
      direction: '',
    });
    expect(res.status).toBe(200);
    expect(await directionOf(items.med)).toBeNull();
  });
});
