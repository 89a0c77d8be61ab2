import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../domain/control-item/index.ts';
import { dueOnDayOfMonth, periodEndOf, periodKeyOf } from '../../../domain/control-item/recurrence.ts';
import { addWorkingDays, precedingWorkingDay } from '../../../domain/calendar/index.ts';
import { addDays, formatLocalDate, type LocalDate } from '../../../domain/local-date.ts';
import { hashPassword } from '../../../web/index.ts';
import { stateQuery } from '../../../workflows/definitions.ts';
import { insertUser } from '../../support/fixtures.ts';
import {
  OFFSET,
  roadmapXlsx,
  ru,
  seedImportReferences,
  todayLocal,
  waitForJob,
  workingOnOrAfter,
} from '../../support/import-fixtures.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { WebClient } from '../../support/web.ts';

// Recurring reports as people write them into a roadmap (issue 12): an explicit day in the cadence,
// open-ended cadences, «постоянно» with the cadence the uploader chose — through the web upload, the
// import workflow and the items' own workflows on the dev server; the result page says how each row's
// deadline was read.
describe('roadmap import: cadences as written', () => {
  let stack: TestStack;
  let refs: Awaited<ReturnType<typeof seedImportReferences>>;
  let wg: WebClient;
  const today = todayLocal();

  beforeAll(async () => {
    stack = await startTestStack({
      publicUrl: 'http://t',
      workerStartsWorkflows: true,
      deps: { utcOffsetMinutes: OFFSET },
      app: { policy: resolvePolicy(null, OFFSET) },
    });
    refs = await seedImportReferences(stack.tdb.db);
    await insertUser(stack.tdb.db, 'working_group', null, {
      login: 'wg',
      password_hash: await hashPassword('pw'),
    });
    wg = new WebClient(stack.web.url);
    await wg.login('wg', 'pw');
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function importFile(file: Buffer, openEndedEvery = '') {
    const fd = new FormData();
    fd.set('_csrf', wg.csrf ?? '');
    fd.set('roadmap', String(refs.roadmapId));
    fd.set('openEndedEvery', openEndedEvery);
    fd.set('file', new Blob([new Uint8Array(file)]), 'roadmap.xlsx');
    const res = await wg.request('/imports', { method: 'POST', body: fd });
    expect(res.status).toBe(303);
    return waitForJob(stack.tdb.db, Number(/\/imports\/(\d+)/.exec(res.headers.get('location') ?? '')?.[1]));
  }

  const rows: [string, string, string][] = [
    ['3.1', 'Отчёт о достижении показателей', 'Ежеквартально, до 10 числа месяца, следующего за отчётным'],
    ['3.2', 'Мониторинг обращений', 'не позднее 5 рабочего дня месяца'],
    ['3.3', 'Информация о ходе реализации', 'ежемесячно до 25 числа'],
    ['3.4', 'Сопровождение семей', 'постоянно'],
    ['3.5', 'Мониторинг качества', 'ежеквартально'],
  ];
  const file = () =>
    roadmapXlsx([
      ...rows.map(([n, title, deadline]) => [n, title, deadline, 'Минтруд', null, 'Отчёт', null]),
      [
        '3.6',
        'Разовое мероприятие',
        ru(workingOnOrAfter(addDays(today, 30))),
        'Минтруд',
        null,
        'Приказ',
        null,
      ],
    ]);

  it('refuses «постоянно» unless the uploader chose a cadence for it', async () => {
    const job = await importFile(await file());
    expect(job.status).toBe('failed');
    expect((job.errors ?? []).map((e) => [e.row, e.column, e.key])).toEqual([
      [8, 'C', 'error.import.deadline.openEnded'],
    ]);
  });

  it('honours the day written in the cadence, and open-ended cadences have no end', async () => {
    const job = await importFile(await file(), 'quarterly');
    expect(job.errors).toBeNull();
    expect(job.status).toBe('done');
    const items = await stack.tdb.db
      .selectFrom('control_item')
      .selectAll()
      .where('roadmap_id', '=', refs.roadmapId)
      .orderBy('number')
      .execute();
    const byNumber = new Map(items.map((i) => [i.number, i]));

    // The expected first deadlines, from the rules of domain/control-item/recurrence.ts.
    const quarterEnd = periodEndOf(today, 'quarterly');
    const monthEnd = periodEndOf(today, 'monthly');
    const q10 = dueOnDayOfMonth(quarterEnd, 10, 1);
    const wd5 = precedingWorkingDay(addWorkingDays(monthEnd, 5));
    const m25 = dueOnDayOfMonth(monthEnd, 25, 0);
    const nextMonthEnd = periodEndOf(addDays(monthEnd, 1), 'monthly');
    const [m25Due, m25Key] =
      m25 >= today
        ? [m25, periodKeyOf(today, 'monthly')]
        : [dueOnDayOfMonth(nextMonthEnd, 25, 0), periodKeyOf(nextMonthEnd, 'monthly')];
    const q5 = precedingWorkingDay(addWorkingDays(quarterEnd, 5));

    expect(byNumber.get('3.1')).toMatchObject({
      recurrence: 'quarterly',
      period_key: periodKeyOf(today, 'quarterly'),
      recurrence_until: null,
      recurrence_due_day: 10,
      recurrence_due_month_offset: 1,
      current_due: q10,
    });
    expect(byNumber.get('3.2')).toMatchObject({
      recurrence: 'monthly',
      recurrence_until: null,
      recurrence_due_days: 5,
      recurrence_due_day: null,
      current_due: wd5,
    });
    expect(byNumber.get('3.3')).toMatchObject({
      recurrence: 'monthly',
      period_key: m25Key,
      recurrence_due_day: 25,
      recurrence_due_month_offset: 0,
      current_due: m25Due,
    });
    // «постоянно» read as the chosen cadence, «ежеквартально» alone: both open-ended, the default due day.
    for (const n of ['3.4', '3.5']) {
      expect(byNumber.get(n)).toMatchObject({
        recurrence: 'quarterly',
        recurrence_until: null,
        recurrence_due_days: 5,
        current_due: q5,
      });
    }

    // Each item's workflow holds the same rule and no end: periods go on past the roadmap's horizon.
    const state = await stack.temporal.client.workflow
      .getHandle(`${stack.temporal.workflowIdPrefix}control-item-${byNumber.get('3.1')!.id}`)
      .query(stateQuery);
    expect(state).toMatchObject({
      currentDue: q10,
      recurrence: { every: 'quarterly', until: null, dueDayOfMonth: 10, dueMonthsAfterPeriodEnd: 1 },
    });

    // The result page says, per row, how the deadline was read.
    const page = await wg.get(`/imports/${job.id}`);
    expect(page.status).toBe(200);
    const text = page.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const d = (x: LocalDate) => formatLocalDate(x, 'ru');
    expect(text).toContain('Как прочитаны сроки');
    expect(text).toContain(
      `Ежеквартально, до 10 числа месяца, следующего за отчётным ежеквартально, до 10-го числа месяца после квартала, без даты окончания — до снятия с контроля → первый срок ${d(q10)}`,
    );
    expect(text).toContain(
      `не позднее 5 рабочего дня месяца ежемесячно, 5-й рабочий день после окончания периода, без даты окончания — до снятия с контроля → первый срок ${d(wd5)}`,
    );
    expect(text).toContain(`ежемесячно, до 25-го числа отчётного месяца, без даты окончания`);
    expect(text).toContain(`«постоянно» с выбранной периодичностью → первый срок ${d(q5)}`);
    expect(text).toMatch(/3\.6 \d\d\.\d\d\.\d{4} срок \d\d\.\d\d\.\d{4}/);
  });
});
