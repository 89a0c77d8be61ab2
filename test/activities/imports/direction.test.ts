import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../domain/control-item/index.ts';
import { addDays } from '../../../domain/local-date.ts';
import { hashPassword } from '../../../web/index.ts';
import { insertUser } from '../../support/fixtures.ts';
import {
  HEADER,
  OFFSET,
  roadmapXlsx,
  ru,
  seedImportReferences,
  todayLocal,
  waitForJob,
  workingOnOrAfter,
} from '../../support/import-fixtures.ts';
import { tableDigests } from '../../support/fuzz-fixtures.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { WebClient } from '../../support/web.ts';

// The roadmap import's optional «Направление» column (issue 16 item 6): a direction by code or by its
// Russian or English title; an unknown one is a row error and nothing is stored; a file without the column
// leaves the directions as they are. Web upload → roadmapImport workflow → activities → Postgres.
describe('roadmap import: the direction column', () => {
  let stack: TestStack;
  let refs: Awaited<ReturnType<typeof seedImportReferences>>;
  let wg: WebClient;
  const d1 = workingOnOrAfter(addDays(todayLocal(), 40));
  const WITH_DIRECTION = [...HEADER, 'Направление'];

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

  async function importFile(file: Buffer) {
    const fd = new FormData();
    fd.set('_csrf', wg.csrf ?? '');
    fd.set('roadmap', String(refs.roadmapId));
    fd.set('file', new Blob([new Uint8Array(file)]), 'roadmap.xlsx');
    const res = await wg.request('/imports', { method: 'POST', body: fd });
    expect(res.status).toBe(303);
    const jobId = Number(/\/imports\/(\d+)/.exec(res.headers.get('location') ?? '')?.[1]);
    return waitForJob(stack.tdb.db, jobId);
  }
  const directions = async () =>
    Object.fromEntries(
      (
        await stack.tdb.db
          .selectFrom('control_item')
          .select(['number', 'direction'])
          .where('roadmap_id', '=', refs.roadmapId)
          .execute()
      ).map((r) => [r.number, r.direction]),
    );

  it('reads a direction by code, Russian title or English title; an empty cell is none', async () => {
    const file = await roadmapXlsx(
      [
        ['1', 'Запись в первый класс онлайн', ru(d1), 'Минобр', null, 'Регламент', null, 'EDU'],
        [
          '2',
          'Запись к врачу без очереди',
          ru(d1),
          'Минздрав',
          null,
          'Приказ',
          null,
          'медицинское обслуживание',
        ],
        ['3', 'Единое окно соцвыплат', ru(d1), 'Минтруд', null, 'Регламент', null, 'Social protection'],
        ['4', 'Окна МФЦ по записи', ru(d1), 'МФЦ', null, 'Приказ', null, null],
      ],
      { header: WITH_DIRECTION },
    );
    const job = await importFile(file);
    expect(job.errors).toBeNull();
    expect(job.status).toBe('done');
    expect(await directions()).toEqual({ '1': 'EDU', '2': 'MED', '3': 'SOCPROT', '4': null });
  });

  it('an unknown direction is an error of its row and cell, and nothing of the file is stored', async () => {
    const before = await tableDigests(stack.tdb.db, ['control_item', 'event', 'roadmap']);
    const file = await roadmapXlsx(
      [
        ['1', 'Запись в первый класс онлайн', ru(d1), 'Минобр', null, 'Регламент', null, 'Госуслуги'],
        ['5', 'Новое мероприятие', ru(d1), 'Минтруд', null, 'Приказ', null, 'Космос'],
      ],
      { header: WITH_DIRECTION },
    );
    const job = await importFile(file);
    expect(job.status).toBe('failed');
    // Title block (1–2), header (3), numbering (4): the second data row is row 6, the column H.
    expect((job.errors ?? []).map((e) => [e.row, e.column, e.header, e.key, e.params])).toEqual([
      [6, 'H', 'Направление', 'error.import.direction.unknown', { value: 'Космос' }],
    ]);
    expect(await tableDigests(stack.tdb.db, ['control_item', 'event', 'roadmap'])).toEqual(before);
    const page = await wg.get(`/imports/${job.id}`);
    expect(page.text).toContain('Направление не найдено: «Космос»');
  });

  it('a file without the column keeps the directions; one with it changes them in place', async () => {
    const rows = [
      ['1', 'Запись в первый класс онлайн', ru(d1), 'Минобр', null, 'Регламент', null],
      ['2', 'Запись к врачу без очереди', ru(d1), 'Минздрав', null, 'Приказ', null],
      ['3', 'Единое окно соцвыплат', ru(d1), 'Минтруд', null, 'Регламент', null],
      ['4', 'Окна МФЦ по записи', ru(d1), 'МФЦ', null, 'Приказ', null],
    ];
    const without = await importFile(await roadmapXlsx(rows));
    expect(without.status).toBe('done');
    expect(await directions()).toEqual({ '1': 'EDU', '2': 'MED', '3': 'SOCPROT', '4': null });

    const changed = await importFile(
      await roadmapXlsx(
        rows.map((r, i) => [...r, ['EDU', 'MED', '', 'GOVSERV'][i]!]),
        { header: WITH_DIRECTION },
      ),
    );
    expect(changed.status).toBe('done');
    expect(changed.result).toMatchObject({ inserted: 0, updated: 2 });
    expect(await directions()).toEqual({ '1': 'EDU', '2': 'MED', '3': null, '4': 'GOVSERV' });
  });
});
