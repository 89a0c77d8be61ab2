import { recordFixture } from '../../support/histories.ts';
import { importJobWorkflowId } from '../../../workflows/definitions.ts';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precedingWorkingDay } from '../../../domain/calendar/index.ts';
import { resolvePolicy } from '../../../domain/control-item/index.ts';
import { addDays } from '../../../domain/local-date.ts';
import { hashPassword } from '../../../web/index.ts';
import { stateQuery } from '../../../workflows/definitions.ts';
import { insertUser } from '../../support/fixtures.ts';
import {
  OFFSET,
  roadmapXlsx,
  roadmapXlsxWithSection,
  ru,
  seedImportReferences,
  sundayOnOrAfter,
  todayLocal,
  waitForJob,
  workingOnOrAfter,
} from '../../support/import-fixtures.ts';
import type { TestDatabase } from '../../support/pg.ts';
import { WebClient } from '../../support/web.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

// Roadmap import end to end: web upload → import_job → roadmapImport workflow → activities → Postgres,
// and the new items' controlItem workflows on the real dev server.
describe('roadmap import', () => {
  let tdb: TestDatabase;
  let temporal: TestStack['temporal'];
  let stack: TestStack;
  let web: TestStack['web'];
  let refs: Awaited<ReturnType<typeof seedImportReferences>>;
  let wg: WebClient;
  const today = todayLocal();
  const d1 = workingOnOrAfter(addDays(today, 40));
  const d2 = workingOnOrAfter(addDays(today, 70));
  const sunday = sundayOnOrAfter(addDays(today, 100));

  beforeAll(async () => {
    stack = await startTestStack({
      publicUrl: 'http://t',
      workerStartsWorkflows: true,
      deps: { utcOffsetMinutes: OFFSET },
      app: { policy: resolvePolicy(null, OFFSET) },
    });
    ({ tdb, temporal, web } = stack);
    refs = await seedImportReferences(tdb.db);
    const hash = await hashPassword('pw');
    await insertUser(tdb.db, 'working_group', null, { login: 'wg', password_hash: hash });
    await insertUser(tdb.db, 'observer', null, { login: 'obs', password_hash: hash });
    await insertUser(tdb.db, 'agency_executor', refs.agency('MZ'), { login: 'mz', password_hash: hash });
    wg = new WebClient(web.url);
    await wg.login('wg', 'pw');
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function upload(
    client: WebClient,
    file: Buffer | Uint8Array,
    name = 'roadmap.xlsx',
    roadmap?: string,
  ) {
    const fd = new FormData();
    fd.set('_csrf', client.csrf ?? '');
    fd.set('roadmap', roadmap ?? String(refs.roadmapId));
    fd.set('file', new Blob([new Uint8Array(file)]), name);
    return client.request('/imports', { method: 'POST', body: fd });
  }
  async function importFile(file: Buffer, roadmap?: string) {
    const res = await upload(wg, file, 'roadmap.xlsx', roadmap);
    expect(res.status).toBe(303);
    const jobId = Number(/\/imports\/(\d+)/.exec(res.headers.get('location') ?? '')?.[1]);
    return waitForJob(tdb.db, jobId);
  }
  const items = () =>
    tdb.db
      .selectFrom('control_item')
      .selectAll()
      .where('roadmap_id', '=', refs.roadmapId)
      .orderBy('id')
      .execute();
  /** Workflows of this test's items on the dev server, found by their id prefix. */
  async function itemWorkflowIds(): Promise<string[]> {
    const ids: string[] = [];
    const prefix = `${temporal.workflowIdPrefix}control-item-`;
    for await (const w of temporal.client.workflow.list({ query: `WorkflowId STARTS_WITH "${prefix}"` })) {
      ids.push(w.workflowId);
    }
    return ids.sort();
  }
  const itemWorkflow = (id: number) =>
    temporal.client.workflow.getHandle(`${temporal.workflowIdPrefix}control-item-${id}`);

  it('refuses files that are not xlsx workbooks with one clear message, before creating a job', async () => {
    const csv =
      '№;Наименование мероприятия;Срок исполнения;Ответственный исполнитель\n1;Тест;31.03.2026;Минтруд\n';
    const utf8 = await upload(wg, Buffer.from(csv, 'utf8'), 'roadmap.xlsx');
    expect(utf8.status).toBe(422);
    expect(utf8.text).toContain('Это текстовый файл (CSV, кодировка UTF-8), а не книга Excel');
    expect(utf8.text).toContain('id="import-file-error"');
    const cp1251 = await upload(wg, iconv.encode(csv.replace(/\n/g, '\r\n'), 'win1251'), 'план.xlsx');
    expect(cp1251.status).toBe(422);
    expect(cp1251.text).toContain('Это текстовый файл (CSV, кодировка Windows-1251), а не книга Excel');
    const encrypted = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ]);
    const ole = await upload(wg, encrypted, 'secret.xlsx');
    expect(ole.status).toBe(422);
    expect(ole.text).toContain('Файл защищён паролем или сохранён в старом формате .xls');
    expect(await tdb.db.selectFrom('import_job').select('id').execute()).toEqual([]);

    // A zip that is not a workbook passes the first look and fails in the job, with one message.
    const zipLike = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('not really a zip')]);
    const job = await importFile(zipLike);
    expect(job.status).toBe('failed');
    expect(job.errors).toEqual([{ row: null, column: null, key: 'error.import.file.corrupt' }]);
    expect(await items()).toEqual([]);
  });

  it('reports every broken row with its row and column and writes nothing at all', async () => {
    const file = await roadmapXlsx([
      ['1.1', 'Описание целевого состояния', ru(d1), 'Минтруд', 'Минздрав', 'Протокол', 'Многодетная семья'],
      ['1.2', 'Неизвестное ведомство', ru(d1), 'Минобороны', null, null, null],
      ['1.3', 'Плохая дата', '31.02.2026', 'MZ', null, null, null],
      ['1.1', 'Повтор номера', ru(d2), 'MO', 'Минфин; МФЦ', null, null],
      ['1.4', '', 'постоянно', 'Минтруд, Минздрав', null, null, 'Рождение ребёнка'],
      ['1.5', 'Хорошая строка', ru(d2), 'МФЦ', null, null, null],
    ]);
    const job = await importFile(file);
    expect(job.status).toBe('failed');
    // Row numbers as Excel shows them: title block (1–2), header (3), column numbering (4), data from 5.
    expect((job.errors ?? []).map((e) => [e.row, e.column, e.header, e.key, e.params])).toEqual([
      [6, 'D', 'Ответственный исполнитель', 'error.import.agency.unknown', { value: 'Минобороны' }],
      [7, 'C', 'Срок исполнения', 'error.import.deadline.invalidDate', { value: '31.02.2026' }],
      [8, 'A', '№ п/п', 'error.import.duplicateNumber', { number: '1.1', first: 5 }],
      [8, 'E', 'Соисполнители', 'error.import.agency.unknown', { value: 'Минфин' }],
      [9, 'B', 'Наименование мероприятия', 'error.import.required', undefined],
      [9, 'C', 'Срок исполнения', 'error.import.deadline.openEnded', { value: 'постоянно' }],
      [
        9,
        'D',
        'Ответственный исполнитель',
        'error.import.responsible.several',
        { value: 'Минтруд, Минздрав' },
      ],
      [9, 'G', 'Жизненная ситуация', 'error.import.lifeSituation.unknown', { value: 'Рождение ребёнка' }],
    ]);
    expect(await items()).toEqual([]);
    expect(await tdb.db.selectFrom('event').select('id').execute()).toEqual([]);
    expect(await itemWorkflowIds()).toEqual([]);

    // The job page lists them in Russian, and stops polling.
    const page = await wg.get(`/imports/${job.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Импорт не выполнен, в дорожную карту ничего не записано');
    expect(page.text).toContain('Номер 1.1 уже встречается в строке 5');
    expect(page.text).toContain('Ведомство не найдено: «Минобороны»');
    expect(page.text).toContain('D «Ответственный исполнитель»');
    expect(page.text).not.toContain('hx-trigger');
  });

  it('imports a roadmap: rows, sections, cadences, weekend deadlines, one workflow per item', async () => {
    const file = await roadmapXlsx([
      [
        '1.1',
        'Описание целевого состояния',
        ru(d1),
        'Минтруд',
        'Минздрав;\nMO',
        'Протокол МРГ',
        'Многодетная семья',
      ],
      [
        '1.2',
        'План оптимизации услуг',
        new Date(`${sunday}T00:00:00Z`),
        'MTSR',
        null,
        'Приказ',
        'FLS-LARGEFAM',
      ],
      ['1.3', 'Мониторинг', 'ежеквартально', 'Министерство здравоохранения', null, 'Отчёт', null],
      [
        '1.4',
        'Контрольная закупка',
        `до ${ru(d2)} г.`,
        'МФЦ',
        'Минтруд, Минздрав',
        'Отчёт',
        'Переезд в другой регион',
      ],
    ]);
    const job = await importFile(file);
    expect(job.errors).toBeNull();
    expect(job.status).toBe('done');
    expect(job).toMatchObject({ rows_total: 4, rows_done: 4, workflows_total: 4, workflows_done: 4 });
    await recordFixture(
      'roadmap-import-four-rows',
      temporal.client.workflow.getHandle(importJobWorkflowId(job.id, temporal.workflowIdPrefix)),
    );
    const rows = await items();
    expect(rows.map((r) => [r.number, r.status, r.agency_id, r.co_agency_ids, r.life_situation_id])).toEqual([
      [
        '1.1',
        'assigned',
        refs.agency('MTSR'),
        [refs.agency('MZ'), refs.agency('MO')],
        refs.lifeSituation('FLS-LARGEFAM'),
      ],
      ['1.2', 'assigned', refs.agency('MTSR'), [], refs.lifeSituation('FLS-LARGEFAM')],
      ['1.3', 'assigned', refs.agency('MZ'), [], null],
      [
        '1.4',
        'assigned',
        refs.agency('MFC'),
        [refs.agency('MTSR'), refs.agency('MZ')],
        refs.lifeSituation('FLS-RELOC'),
      ],
    ]);
    expect(rows[0]!.original_due).toBe(d1);
    expect(rows[1]!.current_due).toBe(precedingWorkingDay(sunday)); // a Sunday moves to Friday (or earlier)
    expect(rows[2]).toMatchObject({ recurrence: 'quarterly', recurrence_due_days: 5 });
    expect(rows[2]!.period_key).toMatch(/^\d{4}-Q[1-4]$/);
    expect(rows[3]!.current_due).toBe(d2);

    // Every item is under control of its own workflow, which holds the imported deadline.
    // (visibility is eventually consistent: poll)
    await expect
      .poll(itemWorkflowIds)
      .toEqual(rows.map((r) => `${temporal.workflowIdPrefix}control-item-${r.id}`).sort());
    const state = await itemWorkflow(rows[1]!.id).query(stateQuery);
    expect(state).toMatchObject({
      status: 'assigned',
      currentDue: precedingWorkingDay(sunday),
      agencyId: refs.agency('MTSR'),
    });
    // The audit trail says where the item came from.
    const ev = await tdb.db
      .selectFrom('event')
      .select(['type', 'data'])
      .where('control_item_id', '=', rows[0]!.id)
      .execute();
    expect(ev).toEqual([{ type: 'imported', data: { jobId: job.id, row: 5 } }]);

    const page = await wg.get(`/imports/${job.id}`);
    expect(page.text).toContain('новых мероприятий');
    expect(page.text).toContain(
      'Сроков, перенесённых с выходного или праздника на предшествующий рабочий день: 1.',
    );
  });

  it('re-imports by number: reference fields in place, deadline and agency through Updates, no second workflow', async () => {
    const before = await items();
    const byNumber = new Map(before.map((r) => [r.number, r]));
    const newDue = workingOnOrAfter(addDays(today, 120));
    const file = await roadmapXlsx([
      [
        '1.1',
        'Описание целевого состояния (новая редакция)',
        ru(d1),
        'Минтруд',
        'Минздрав; MO',
        'Протокол МРГ',
        'Многодетная семья',
      ],
      ['1.2', 'План оптимизации услуг', ru(newDue), 'MTSR', null, 'Приказ', 'FLS-LARGEFAM'],
      ['1.3', 'Мониторинг', 'ежеквартально', 'MO', 'МФЦ', 'Отчёт', null],
      ['1.5', 'Новое мероприятие', ru(d2), 'MZ', null, null, null],
    ]);
    const job = await importFile(file);
    expect(job.status).toBe('done');
    const result = job.result!;
    expect(result).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    expect(result.missing).toEqual([
      { itemId: byNumber.get('1.4')!.id, number: '1.4', title: 'Контрольная закупка' },
    ]);
    expect(result.lifecycle).toEqual([
      {
        itemId: byNumber.get('1.2')!.id,
        number: '1.2',
        row: 6,
        changeDeadline: { due: newDue },
        outcome: 'applied',
      },
      {
        itemId: byNumber.get('1.3')!.id,
        number: '1.3',
        row: 7,
        reassign: { agencyId: refs.agency('MO'), coAgencyIds: [refs.agency('MFC')] },
        outcome: 'applied',
      },
    ]);

    const after = await items();
    expect(after).toHaveLength(5); // four kept (1.4 missing from the file is not deleted) + one new
    expect(after.slice(0, 4).map((r) => r.id)).toEqual(before.map((r) => r.id));
    const one = after.find((r) => r.number === '1.1')!;
    expect(one.title_ru).toBe('Описание целевого состояния (новая редакция)');
    const two = after.find((r) => r.number === '1.2')!;
    expect([two.original_due, two.current_due, two.version]).toEqual([newDue, newDue, 1]);
    const three = after.find((r) => r.number === '1.3')!;
    expect([three.agency_id, three.co_agency_ids]).toEqual([refs.agency('MO'), [refs.agency('MFC')]]);

    // Lifecycle changes are transitions written by the workflows, with the importer as the actor.
    const events = await tdb.db
      .selectFrom('event as e')
      .innerJoin('control_item as i', 'i.id', 'e.control_item_id')
      .select(['i.number', 'e.type', 'e.actor_user_id'])
      .where((eb) =>
        eb.or([
          eb('e.event_key', 'like', `import:${job.id}:%`),
          eb('e.event_key', 'like', `import-${job.id}-%`),
        ]),
      )
      .orderBy('i.number')
      .orderBy('e.type')
      .execute();
    const wgUser = await tdb.db
      .selectFrom('app_user')
      .select('id')
      .where('login', '=', 'wg')
      .executeTakeFirstOrThrow();
    expect(events).toEqual([
      { number: '1.1', type: 'import_updated', actor_user_id: wgUser.id },
      { number: '1.2', type: 'deadline_changed', actor_user_id: wgUser.id },
      { number: '1.3', type: 'reassigned', actor_user_id: wgUser.id },
      { number: '1.5', type: 'imported', actor_user_id: wgUser.id },
    ]);
    expect((await itemWorkflow(two.id).query(stateQuery)).currentDue).toBe(newDue);

    // Exactly one workflow per item: nothing started twice.
    await expect
      .poll(itemWorkflowIds)
      .toEqual(after.map((r) => `${temporal.workflowIdPrefix}control-item-${r.id}`).sort());

    // A change that the workflow would refuse (a deadline in the past) fails the whole file.
    const past = await roadmapXlsx([
      ['1.1', 'Описание целевого состояния (ещё одна редакция)', ru(d1), 'Минтруд', null, null, null],
      ['1.2', 'План оптимизации услуг', ru(addDays(today, -3)), 'MTSR', null, null, null],
    ]);
    const refused = await importFile(past);
    expect(refused.status).toBe('failed');
    expect(refused.errors!.map((e) => [e.row, e.column, e.key])).toEqual([[6, 'C', 'error.date.past']]);
    expect((await items()).find((r) => r.number === '1.1')!.title_ru).toBe(
      'Описание целевого состояния (новая редакция)',
    );
  });

  it('exports the roadmap status in the import layout; importing the export changes nothing', async () => {
    // A measure with a direction of its own: the column carries its title, and the import reads it back.
    await tdb.db
      .updateTable('control_item')
      .set({ direction: 'MED' })
      .where('roadmap_id', '=', refs.roadmapId)
      .where('number', '=', '1.1')
      .execute();
    const observer = new WebClient(web.url);
    await observer.login('obs', 'pw');
    const res = await observer.download(`/exports/roadmap-status.xlsx?roadmap=${refs.roadmapId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="NSO-CC-\d{4}-\d\d-\d\d\.xlsx"/,
    );
    const bytes = res.body;

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual([
      '№ п/п',
      'Наименование мероприятия',
      'Срок исполнения',
      'Ответственный исполнитель',
      'Соисполнители',
      'Результат / вид документа',
      'Жизненная ситуация',
      'Направление',
      'Статус',
      'Текущий срок (с учётом продлений)',
      'Просрочка, раб. дн.',
      'Уровень эскалации',
    ]);
    const first = (ws.getRow(4).values as unknown[]).slice(1);
    expect(first.slice(0, 2)).toEqual(['1.1', 'Описание целевого состояния (новая редакция)']);
    expect(first[2]).toEqual(new Date(`${d1}T00:00:00Z`));
    expect(first[3]).toBe('Министерство труда и социального развития Новосибирской области');
    expect(first[7]).toBe('Медицинское обслуживание');
    expect(first[8]).toBe('Назначено');
    expect((ws.getRow(5).values as unknown[])[8] ?? '').toBe('');
    const monitoring = (ws.getRow(6).values as unknown[]).slice(1);
    expect(monitoring[2]).toBe('ежеквартально'); // open-ended: no end date to write

    const before = await items();
    const job = await importFile(bytes);
    expect(job.status).toBe('done');
    expect(job.result).toMatchObject({ inserted: 0, updated: 0, unchanged: 5, lifecycle: [], missing: [] });
    expect(job.result!.ignoredColumns).toEqual([]);
    expect(await items()).toEqual(before);
  });

  it('exports the service register with the latest score', async () => {
    const svc = await tdb.db
      .insertInto('service')
      .values({
        code: 'S-001',
        title_ru: 'Выдача удостоверения многодетной семьи',
        agency_id: refs.agency('MTSR'),
        electronic: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tdb.db
      .insertInto('service_life_situation')
      .values({ service_id: svc.id, life_situation_id: refs.lifeSituation('FLS-LARGEFAM') })
      .execute();
    await tdb.db
      .insertInto('service_score')
      .values([
        { service_id: svc.id, period: '2025-Q1', avg_score: 3.9, votes: 120 },
        { service_id: svc.id, period: '2025-Q2', avg_score: 4.35, votes: 210 },
      ])
      .execute();
    const res = await wg.download('/exports/services.xlsx');
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('Код услуги');
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([
      'S-001',
      'Выдача удостоверения многодетной семьи',
      'Министерство труда и социального развития Новосибирской области',
      'региональная',
      'да',
      'нет',
      'нет',
      'Многодетная семья',
      undefined, // no curator: an empty cell
      '2025-Q2',
      4.35,
      210,
      'нет', // not low by the one rule (threshold 4.0, at least 1 vote)
    ]);
  });

  it('shows the progress bar while a job runs and polls with a plain htmx trigger', async () => {
    // A job nobody processes yet: the page must poll, the fragment must keep polling.
    const job = await tdb.db
      .insertInto('import_job')
      .values({
        kind: 'roadmap',
        roadmap_id: refs.roadmapId,
        filename: 'x.xlsx',
        size_bytes: 0,
        status: 'running',
        phase: 'starting',
        rows_total: 10,
        rows_done: 10,
        workflows_total: 10,
        workflows_done: 4,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const page = await wg.get(`/imports/${job.id}`);
    expect(page.text).toContain(`hx-get="/imports/${job.id}/progress"`);
    expect(page.text).toContain('hx-trigger="every 1s"');
    expect(page.text).toMatch(/<progress max="20" value="14"/);
    const fragment = await wg.get(`/imports/${job.id}/progress`, true);
    expect(fragment.status).toBe(200);
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).toContain('Поставлено на контроль: 4 из 10');
    // Not an htmx request: the whole page instead of a fragment.
    expect((await wg.get(`/imports/${job.id}/progress`)).status).toBe(303);
  });

  it('reads a merged heading row as the life situation of the rows below it, into a new roadmap', async () => {
    const file = await roadmapXlsxWithSection('2. Жизненная ситуация «Переезд в другой регион»', [
      ['2.1', 'Перевод услуг в электронный вид', ru(d2), 'MO', null, 'Акт', null],
    ]);
    const res = await upload(wg, file, 'новая.xlsx', 'new');
    expect(res.status).toBe(422); // a new roadmap needs a title
    expect(res.text).toContain('Укажите название новой дорожной карты');
    const fd = new FormData();
    fd.set('_csrf', wg.csrf ?? '');
    fd.set('roadmap', 'new');
    fd.set('newRoadmapTitle', 'План по переезду');
    fd.set('file', new Blob([new Uint8Array(file)]), 'новая.xlsx');
    const created = await wg.request('/imports', { method: 'POST', body: fd });
    expect(created.status).toBe(303);
    const job = await waitForJob(tdb.db, Number(/(\d+)$/.exec(created.headers.get('location')!)![1]));
    expect(job.status).toBe('done');
    const rm = await tdb.db
      .selectFrom('roadmap')
      .selectAll()
      .where('id', '=', job.result!.roadmapId)
      .executeTakeFirstOrThrow();
    expect(rm.title_ru).toBe('План по переезду');
    const item = await tdb.db
      .selectFrom('control_item')
      .selectAll()
      .where('roadmap_id', '=', rm.id)
      .executeTakeFirstOrThrow();
    expect([item.number, item.life_situation_id, item.agency_id]).toEqual([
      '2.1',
      refs.lifeSituation('FLS-RELOC'),
      refs.agency('MO'),
    ]);
    expect(job.result!.headerRow).toBe(1);
  });

  it('lets only the working group and admins import', async () => {
    const mz = new WebClient(web.url);
    await mz.login('mz', 'pw');
    expect((await mz.get('/imports')).status).toBe(403);
    const res = await upload(mz, await roadmapXlsx([['9', 'x', ru(d1), 'MZ', null, null, null]]));
    expect(res.status).toBe(403);
  });
});
