import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeDigest } from '../../activities/check-in/index.ts';
import { addWorkingDays } from '../../domain/calendar/index.ts';
import { DEFAULT_CHECK_IN_POLICY } from '../../domain/check-in/index.ts';
import { lateness, resolvePolicy } from '../../domain/control-item/index.ts';
import { daysBetween, localTimeToInstant } from '../../domain/local-date.ts';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { hashPassword } from '../../web/index.ts';
import { insertUser } from '../support/fixtures.ts';
import { OFFSET, seedImportReferences, todayLocal } from '../support/import-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

// One definition of lateness (domain/control-item/lateness.ts): working days past the control date, the
// same number on the item page, the dashboard's red list, the league table, the weekly digest, the XLSX
// export and the API — for an overdue item and for an item accepted late (issue 12: item 1.1 showed
// 127 calendar days on its page and in the XLSX, 89 working days on the dashboard).
describe('lateness is one number in one unit everywhere', () => {
  let stack: TestStack;
  let refs: Awaited<ReturnType<typeof seedImportReferences>>;
  let wg: WebClient;
  let token: string;
  const today = todayLocal();
  // Due three months ago: calendar and working days differ by a lot (weekends, holidays).
  const overdueDue = addWorkingDays(today, -63);
  const lateDue = addWorkingDays(today, -40);
  const acceptedOn = addWorkingDays(lateDue, 17);
  let overdueId: number;
  let lateId: number;

  beforeAll(async () => {
    stack = await startTestStack({
      publicUrl: 'http://t',
      deps: { utcOffsetMinutes: OFFSET },
      app: { policy: resolvePolicy(null, OFFSET) },
    });
    const { db } = stack.tdb;
    refs = await seedImportReferences(db);
    const hash = await hashPassword('pw');
    const wgUser = await insertUser(db, 'working_group', null, { login: 'wg', password_hash: hash });
    token = (await createApiToken(db, { name: 'wg', subject: { userId: wgUser.id }, createdBy: wgUser.id }))
      .token;
    const item = (number: string, agency: string, v: object) =>
      db
        .insertInto('control_item')
        .values({
          kind: 'measure',
          roadmap_id: refs.roadmapId,
          number,
          title_ru: `Мероприятие ${number}`,
          agency_id: refs.agency(agency),
          original_due: overdueDue,
          current_due: overdueDue,
          ...v,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
    overdueId = (
      await item('1.1', 'MTSR', {
        status: 'returned',
        escalation_level: 4,
        rework_due: addWorkingDays(today, 3),
      })
    ).id;
    const accepted = new Date(localTimeToInstant(acceptedOn, 15 * 60, OFFSET));
    lateId = (
      await item('1.2', 'MZ', {
        status: 'done',
        original_due: lateDue,
        current_due: lateDue,
        escalation_level: 2,
        accepted_at: accepted,
        closed_at: accepted,
      })
    ).id;
    wg = new WebClient(stack.web.url);
    await wg.login('wg', 'pw');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;|\s+/g, ' ');
  const api = async (path: string) =>
    (await fetch(`${stack.web.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json();

  it('gives the overdue item the same working days on every screen, export and API', async () => {
    const expected = lateness({ status: 'returned', currentDue: overdueDue }, today);
    expect(expected.state).toBe('overdue');
    const n = expected.workingDays;
    // 63 working days back (62 or 63 past it, as today is a working day or not): far fewer than the
    // calendar days, which some screens used to count.
    expect(n).toBeGreaterThanOrEqual(62);
    expect(daysBetween(overdueDue, today)).toBeGreaterThan(n + 20);

    // Item page.
    const page = text((await wg.get(`/items/${overdueId}`)).text);
    expect(page).toContain(`просрочено на ${n} раб. дн.`);

    // Dashboard red list: the row of 1.1, its "Просрочка, раб. дн." cell.
    const dash = (await wg.get('/dashboard')).text;
    expect(dash).toContain('Просрочка, раб. дн.');
    const redRow = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Мероприятие 1\.1(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(dash)![0];
    expect(redRow).toMatch(new RegExp(`<td class="num"[^>]*>${n}</td>`));

    // League table: the agency's only late item, average delay in working days.
    const league = (await wg.get('/agencies')).text;
    expect(league).toContain('Средняя задержка, раб. дн.');
    const mtsrRow = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Минтруд(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(league)![0];
    expect(mtsrRow).toMatch(new RegExp(`<td class="num"[^>]*>${n}</td>`));

    // Weekly digest, composed as the check-in workflow's activity does, and its page.
    const ci = await stack.tdb.db
      .insertInto('check_in')
      .values({ roadmap_id: refs.roadmapId, meeting_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const digest = await composeDigest(stack.tdb.db, {
      checkInId: ci.id,
      at: Date.now(),
      late: true,
      policy: { ...DEFAULT_CHECK_IN_POLICY, utcOffsetMinutes: OFFSET },
    });
    expect(digest.redList.find((r) => r.id === overdueId)?.daysOverdue).toBe(n);
    await stack.tdb.db
      .updateTable('check_in')
      .set({ digest: JSON.stringify(digest), digest_at: new Date(), status: 'held' })
      .where('id', '=', ci.id)
      .execute();
    const digestPage = (await wg.get(`/check-ins/${ci.id}`)).text;
    const digestRow = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Мероприятие 1\.1(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(
      digestPage.slice(digestPage.indexOf('id="dg-red"')),
    )![0];
    expect(text(digestRow)).toContain(` ${n} `);
    expect(digestPage).toContain('Просрочка, раб. дн.');

    // XLSX export: "Просрочка, раб. дн." column.
    const xlsx = await wg.download(`/exports/roadmap-status.xlsx?roadmap=${refs.roadmapId}`);
    const rows = await sheetRows(Buffer.from(xlsx.body));
    const col = rows.header.indexOf('Просрочка, раб. дн.');
    expect(col).toBeGreaterThan(0);
    expect(rows.byNumber.get('1.1')![col]).toBe(n);

    // API item DTO.
    const dto = (await api(`/items/${overdueId}`)).item;
    expect(dto).toMatchObject({
      overdue: true,
      daysOverdue: n,
      lateness: { state: 'overdue', workingDays: n, unit: 'working_days' },
      currentDue: overdueDue,
      reworkDue: addWorkingDays(today, 3),
    });
  });

  it('keeps an item accepted late late on record, with the same number everywhere it is shown', async () => {
    const expected = lateness({ status: 'done', currentDue: lateDue, accepted: acceptedOn }, today);
    expect(expected).toEqual({ state: 'late', workingDays: 17 });

    const page = text((await wg.get(`/items/${lateId}`)).text);
    expect(page).toContain('исполнено с опозданием на 17 раб. дн.');

    const league = (await wg.get('/agencies')).text;
    const mzRow = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Минздрав(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(league)![0];
    expect(mzRow).toMatch(/<td class="num"[^>]*>17<\/td>/);
    // On-time rate 0: accepted after the control date.
    expect(mzRow).toMatch(
      new RegExp(
        `<td class="num"[^>]*>${new Intl.NumberFormat('ru-RU', { style: 'percent' }).format(0)}</td>`,
      ),
    );

    const xlsx = await wg.download(`/exports/roadmap-status.xlsx?roadmap=${refs.roadmapId}`);
    const rows = await sheetRows(Buffer.from(xlsx.body));
    expect(rows.byNumber.get('1.2')![rows.header.indexOf('Просрочка, раб. дн.')]).toBe(17);

    const dto = (await api(`/items/${lateId}`)).item;
    expect(dto).toMatchObject({
      overdue: false,
      daysOverdue: 0,
      lateness: { state: 'late', workingDays: 17, unit: 'working_days' },
    });
  });
});

/** The export's header row and data rows by item number (cells as ExcelJS reads them). */
async function sheetRows(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const header = (ws.getRow(3).values as unknown[]).slice(1).map(String);
  const byNumber = new Map<string, unknown[]>();
  ws.eachRow((row, i) => {
    if (i <= 3) return;
    const v = (row.values as unknown[]).slice(1);
    byNumber.set(String(v[0]), v);
  });
  return { header, byNumber };
}
