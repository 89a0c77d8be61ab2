import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckInActivities } from '../../activities/check-in/index.ts';
import { getScheduleSettings, saveStatusNotes } from '../../db/check-ins.ts';
import {
  DEFAULT_CHECK_IN_POLICY,
  nextMeetingDate,
  type DigestSnapshot,
} from '../../domain/check-in/index.ts';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import { isWorkingDay, precedingWorkingDay } from '../../domain/calendar/index.ts';
import { hashPassword } from '../../web/index.ts';
import { WEEKLY_CHECK_IN_WORKFLOW, type WeeklyCheckInInput } from '../../workflows/check-in-definitions.ts';
import { checkInRunState } from '../../app/check-ins/index.ts';
import { describeCheckInSchedule } from '../../app/check-ins/index.ts';
import { insertRoadmap } from '../support/check-in-fixtures.ts';
import { insertAgency, insertUser } from '../support/fixtures.ts';
import type { TestDatabase } from '../support/pg.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

const OFF = 7 * 60;
const POLICY = { ...DEFAULT_CHECK_IN_POLICY, utcOffsetMinutes: OFF };
const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)> "quoted", semi; =1+1`;

async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  what: string,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** RFC 5545 lines, unfolded, as [name with params, value]. */
function icsLines(text: string): [string, string][] {
  return text
    .replace(/\r\n[ \t]/g, '')
    .split(/\r\n/)
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i), l.slice(i + 1)];
    });
}

describe('check-in pages, forms and exports', () => {
  let tdb: TestDatabase;
  let temporal: TestStack['temporal'];
  let stack: TestStack;
  let web: TestStack['web'];
  let roadmapId: number;
  let own: { id: number };
  let other: { id: number };
  let ownItem: number;
  let otherItem: number;

  beforeAll(async () => {
    stack = await startTestStack();
    ({ tdb, temporal, web } = stack);
    const hash = await hashPassword('pw');
    own = await insertAgency(tdb.db);
    other = await insertAgency(tdb.db);
    await insertUser(tdb.db, 'working_group', null, { login: 'wg', password_hash: hash });
    await insertUser(tdb.db, 'leadership', null, { login: 'fzg', password_hash: hash });
    await insertUser(tdb.db, 'agency_executor', own.id, { login: 'own', password_hash: hash });
    await insertUser(tdb.db, 'agency_executor', other.id, { login: 'other', password_hash: hash });
    roadmapId = (await insertRoadmap(tdb.db)).id;
    const today = instantToLocalDate(Date.now(), OFF);
    const mk = async (agencyId: number, title: string, due: string) =>
      (
        await tdb.db
          .insertInto('control_item')
          .values({
            kind: 'measure',
            roadmap_id: roadmapId,
            title_ru: title,
            agency_id: agencyId,
            status: 'in_progress',
            original_due: due,
            current_due: due,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    ownItem = await mk(own.id, 'Своё мероприятие', precedingWorkingDay(addDays(today, -5)));
    otherItem = await mk(other.id, 'Чужое мероприятие', precedingWorkingDay(addDays(today, 30)));
  });
  afterAll(async () => {
    const d = await describeCheckInSchedule(temporal.handle, roadmapId).catch(() => null);
    for (const a of d?.info.runningActions ?? []) {
      await temporal.client.workflow
        .getHandle(a.workflow.workflowId)
        .terminate('test over')
        .catch(() => {});
    }
    await temporal.client.schedule
      .getHandle(`${temporal.workflowIdPrefix}check-in-schedule-${roadmapId}`)
      .delete()
      .catch(() => {});
    await stack?.close();
  });

  it('schedule settings: 422 next to the field, saved to the Schedule, pause/resume, run now, roles', async () => {
    const wg = new WebClient(web.url);
    await wg.login('wg', 'pw');
    const page = await wg.get('/check-ins');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="weekday"');

    const bad = await wg.post('/check-ins/schedule', {
      roadmapId: String(roadmapId),
      weekday: '6',
      time: '25:00',
      requestDays: '2',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain(`id="schedule-${roadmapId}-weekday-error"`);
    expect(bad.text).toContain('Выберите день недели с понедельника по пятницу');
    expect(await getScheduleSettings(tdb.db, roadmapId)).toBeNull(); // nothing stored

    const badTime = await wg.post('/check-ins/schedule', {
      roadmapId: String(roadmapId),
      weekday: '4',
      time: '07:00',
      requestDays: '2',
    });
    expect(badTime.status).toBe(422);
    expect(badTime.text).toContain(`id="schedule-${roadmapId}-time-error"`);
    expect(badTime.text).toContain('value="07:00"'); // what was typed stays in the form

    const ok = await wg.post('/check-ins/schedule', {
      roadmapId: String(roadmapId),
      weekday: '4',
      time: '15:30',
      requestDays: '3',
    });
    expect(ok.status).toBe(303);
    expect(await getScheduleSettings(tdb.db, roadmapId)).toEqual({
      roadmapId,
      slot: { weekday: 4, minute: 930 },
      requestWorkingDaysBefore: 3,
      paused: false,
    });
    const d = (await describeCheckInSchedule(temporal.handle, roadmapId))!;
    expect(d.spec.calendars![0]).toMatchObject({
      dayOfWeek: [{ start: 'THURSDAY' }],
      hour: [{ start: 15 }],
      minute: [{ start: 30 }],
    });
    expect(d.spec.timezone).toBe('Asia/Novosibirsk');

    expect((await wg.post('/check-ins/schedule/pause', { roadmapId: String(roadmapId) })).status).toBe(303);
    expect((await describeCheckInSchedule(temporal.handle, roadmapId))!.state.paused).toBe(true);
    expect((await wg.get('/check-ins')).text).toContain('Возобновить');
    expect((await wg.post('/check-ins/schedule/resume', { roadmapId: String(roadmapId) })).status).toBe(303);
    expect((await describeCheckInSchedule(temporal.handle, roadmapId))!.state.paused).toBe(false);

    // Run now: the next meeting's check-in opens; a second press is refused while it is open.
    expect((await wg.post('/check-ins/schedule/trigger', { roadmapId: String(roadmapId) })).status).toBe(303);
    await eventually(
      () => tdb.db.selectFrom('check_in').select('id').where('roadmap_id', '=', roadmapId).executeTakeFirst(),
      'the triggered check-in',
    );
    const again = await wg.post('/check-ins/schedule/trigger', { roadmapId: String(roadmapId) });
    expect(again.status).toBe(409);
    expect(again.text).toContain('уже идёт');

    // Leadership reads, does not edit.
    const fzg = new WebClient(web.url);
    await fzg.login('fzg', 'pw');
    const read = await fzg.get('/check-ins');
    expect(read.status).toBe(200);
    expect(read.text).not.toContain('name="weekday"');
    expect(
      (
        await fzg.post('/check-ins/schedule', {
          roadmapId: String(roadmapId),
          weekday: '5',
          time: '10:00',
          requestDays: '2',
        })
      ).status,
    ).toBe(403);
  });

  it('status notes: own items only, errors next to fields, hostile text escaped, who answered', async () => {
    const ci = await tdb.db
      .insertInto('check_in')
      .values({
        roadmap_id: roadmapId,
        // Whole minutes, like a meeting slot (ICS times have no seconds).
        meeting_at: new Date(Math.floor((Date.now() + 5 * 86_400_000) / 60_000) * 60_000),
        status: 'collecting',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tdb.db
      .insertInto('status_request')
      .values([
        { check_in_id: ci.id, agency_id: own.id, item_ids: [ownItem], requested_at: new Date() },
        { check_in_id: ci.id, agency_id: other.id, item_ids: [otherItem], requested_at: new Date() },
      ])
      .execute();
    const exec = new WebClient(web.url);
    await exec.login('own', 'pw');
    const form = await exec.get(`/check-ins/${ci.id}/notes`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Своё мероприятие');
    expect(form.text).not.toContain('Чужое мероприятие');
    expect(form.text).toContain(`name="note_${ownItem}"`);

    const empty = await exec.post(`/check-ins/${ci.id}/notes`, { [`note_${ownItem}`]: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain(`id="notes-note_${ownItem}-error"`);
    const long = await exec.post(`/check-ins/${ci.id}/notes`, { [`note_${ownItem}`]: 'я'.repeat(2001) });
    expect(long.status).toBe(422);
    expect(long.text).toContain('не более 2000 символов');
    const foreign = await exec.post(`/check-ins/${ci.id}/notes`, { [`note_${otherItem}`]: 'чужое' });
    expect(foreign.status).toBe(403);
    expect(await tdb.db.selectFrom('status_note').select('id').execute()).toEqual([]);

    const saved = await exec.post(`/check-ins/${ci.id}/notes`, { [`note_${ownItem}`]: HOSTILE });
    expect(saved.status).toBe(303);
    // After the redirect the page says what was done, once.
    const after = await exec.get(saved.headers.get('location')!);
    expect(after.text).toContain('Заметки сохранены');
    expect(after.text).not.toContain('<script>alert');
    expect(after.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const req = await tdb.db
      .selectFrom('status_request')
      .select(['answered_at', 'answered_by'])
      .where('check_in_id', '=', ci.id)
      .where('agency_id', '=', own.id)
      .executeTakeFirstOrThrow();
    expect(req.answered_at).toBeInstanceOf(Date);
    expect(req.answered_by).not.toBeNull();

    // Another agency's user sees no foreign items; the working group may not post notes.
    const otherClient = new WebClient(web.url);
    await otherClient.login('other', 'pw');
    expect((await otherClient.get(`/check-ins/${ci.id}/notes`)).text).not.toContain('Своё мероприятие');
    const wg = new WebClient(web.url);
    await wg.login('wg', 'pw');
    expect((await wg.get(`/check-ins/${ci.id}/notes`)).status).toBe(403);

    // The digest freezes the notes: it renders them escaped, exports them verbatim; later posts are refused.
    const acts = createCheckInActivities({ db: tdb.db, publicUrl: 'http://shtab.test' });
    await acts.buildDigest({
      checkInId: ci.id,
      at: Date.now(),
      late: false,
      policy: POLICY,
      meetingTime: '10:00',
    });
    expect((await exec.post(`/check-ins/${ci.id}/notes`, { [`note_${ownItem}`]: 'позже' })).status).toBe(409);
    const page = await wg.get(`/check-ins/${ci.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    for (const h of [
      'Что поручалось на прошлой неделе',
      'Красный список',
      'Рейтинг ведомств',
      'Сроки на ближайшие 2 недели',
    ])
      expect(page.text).toContain(h);

    const xlsx = await wg.download(`/check-ins/${ci.id}/digest.xlsx`);
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(
      [
        'Сводка',
        'Что поручалось на прошлой неделе',
        'Красный список',
        'Изменения',
        'Сроки на ближайшие 2 недели',
        'Рейтинг ведомств',
        'Жизненные ситуации',
        'Целевые показатели факт план',
        'Статусные заметки ведомств',
      ].map((n) => n.slice(0, 31)),
    );
    const digest = (
      await tdb.db.selectFrom('check_in').select('digest').where('id', '=', ci.id).executeTakeFirstOrThrow()
    ).digest as DigestSnapshot;
    const summary = wb.worksheets[0]!;
    const value = (label: string) =>
      summary.getSheetValues().find((r) => Array.isArray(r) && r[1] === label)?.[2 as never];
    expect(value('Просрочено')).toBe(digest.totals.overdue);
    expect(value('Всего')).toBe(digest.totals.total);
    const red = wb.worksheets[2]!;
    expect(red.rowCount - 1).toBe(digest.redList.length);
    expect(red.getRow(2).getCell(2).value).toBe('Своё мероприятие');
    const notes = wb.worksheets[8]!;
    expect(notes.getRow(2).getCell(5).value).toBe(HOSTILE); // a plain string cell, never a formula
    expect(notes.getRow(2).getCell(5).type).toBe(ExcelJS.ValueType.String);

    const ics = await wg.get(`/check-ins/${ci.id}/meeting.ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const lines = icsLines(ics.text);
    const get = (k: string) => lines.find(([n]) => n === k || n.startsWith(`${k};`))?.[1];
    const meeting = (
      await tdb.db
        .selectFrom('check_in')
        .select('meeting_at')
        .where('id', '=', ci.id)
        .executeTakeFirstOrThrow()
    ).meeting_at;
    expect(lines[0]).toEqual(['BEGIN', 'VCALENDAR']);
    expect(get('DTSTART')).toBe(
      meeting
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '')
        .slice(0, 15) + 'Z',
    );
    expect(get('DURATION')).toBe('PT1H');
    expect(get('UID')).toBe(`check-in-${ci.id}@${new URL(web.url).host}`);
    expect(get('URL')).toBe(`${web.url}/check-ins/${ci.id}`);
    expect(get('SUMMARY')).toContain('Совещание у первого заместителя губернатора');
    expect(get('DESCRIPTION')).toContain(`Просрочено: ${digest.totals.overdue}`);
  });

  it('minutes through the web: 422 per row, hostile text escaped, instructions under control', async () => {
    // A run for a meeting that already passed (a working day) builds a late digest at once and waits for
    // the minutes.
    const slot = { weekday: 3, minute: 600 };
    let scheduledAt = Date.now() - 14 * 86_400_000;
    while (!isWorkingDay(nextMeetingDate(scheduledAt, slot, OFF))) scheduledAt -= 7 * 86_400_000;
    const workflowId = `${temporal.workflowIdPrefix}check-in-${roadmapId}-late`;
    await temporal.client.workflow.start(WEEKLY_CHECK_IN_WORKFLOW, {
      taskQueue: temporal.taskQueue,
      workflowId,
      args: [
        {
          roadmapId,
          slot,
          policy: POLICY,
          workflowIdPrefix: temporal.workflowIdPrefix,
          scheduledAt,
        } satisfies WeeklyCheckInInput,
      ],
    });
    const state = await eventually(async () => {
      const s = await checkInRunState(temporal.handle, workflowId).catch(() => null);
      return s?.stage === 'held' ? s : undefined;
    }, 'the late digest');
    const id = state.checkInId!;
    const wg = new WebClient(web.url);
    await wg.login('wg', 'pw');
    const page = await wg.get(`/check-ins/${id}`);
    expect(page.text).toContain('Сводка сформирована после времени совещания');
    expect(page.text).toContain('name="text_0"');
    const eventId = WebClient.field(page.text, 'eventId')!;

    const bad = await wg.post(`/check-ins/${id}/minutes`, {
      eventId,
      rows: '5',
      minutes: HOSTILE,
      text_0: 'Поручение без срока',
      agency_0: String(own.id),
      text_1: '',
      due_1: '2099-01-10',
      text_2: 'Соисполнитель = ответственный',
      agency_2: String(own.id),
      co_2: String(own.id),
      due_2: '2099-01-10',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="min-due_0-error"');
    expect(bad.text).toContain('id="min-text_1-error"');
    expect(bad.text).toContain('id="min-agency_1-error"');
    expect(bad.text).toContain('id="min-co_2-error"');
    expect(bad.text).toContain('Поручение без срока'); // entered values survive
    expect(
      await tdb.db.selectFrom('check_in_decision').select('id').where('check_in_id', '=', id).execute(),
    ).toEqual([]);

    const agencyUser = new WebClient(web.url);
    await agencyUser.login('own', 'pw');
    expect((await agencyUser.post(`/check-ins/${id}/minutes`, { minutes: 'x' })).status).toBe(403);

    const ok = await wg.post(`/check-ins/${id}/minutes`, {
      eventId,
      rows: '5',
      minutes: HOSTILE,
      text_0: `Подготовить отчёт ${HOSTILE}`,
      agency_0: String(own.id),
      co_0: String(other.id),
      due_0: '2099-01-10',
      special_0: '1',
      text_1: 'Принять к сведению',
    });
    expect(ok.status).toBe(303);
    const decisions = await tdb.db
      .selectFrom('check_in_decision')
      .selectAll()
      .where('check_in_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(
      decisions.map((d) => [d.seq, d.agency_id, d.due, d.special_control, d.control_item_id !== null]),
    ).toEqual([
      [1, own.id, '2099-01-09', true, true], // 10 Jan 2099 is a Saturday: the Friday before
      [2, null, null, false, false],
    ]);
    const item = await tdb.db
      .selectFrom('control_item')
      .selectAll()
      .where('id', '=', decisions[0]!.control_item_id!)
      .executeTakeFirstOrThrow();
    expect([item.kind, item.check_in_id, item.co_agency_ids]).toEqual(['instruction', id, [other.id]]);
    const desc = await temporal.client.workflow
      .getHandle(`${temporal.workflowIdPrefix}control-item-${item.id}`)
      .describe();
    expect(desc.status.name).toBe('RUNNING');
    const closed = await wg.get(`/check-ins/${id}`);
    expect(closed.text).toContain('Протокол оформлен');
    expect(closed.text).not.toContain('<script>alert');
    expect(closed.text).toContain('&lt;script&gt;');
    expect(closed.text).toContain(`href="/items/${item.id}"`);
    expect(closed.text).not.toContain('name="text_0"');
    // Posting the same form again does nothing new.
    expect((await wg.post(`/check-ins/${id}/minutes`, { eventId, minutes: 'again' })).status).toBe(409);
  });
});
