import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importIndicatorValues } from '../../../app/services/indicator-import.ts';
import { importScores, type ScoreImportResult } from '../../../app/services/score-import.ts';
import { insertAgency } from '../../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../support/pg.ts';
import {
  cp1251,
  csv,
  insertLifeSituation,
  insertService,
  utf8,
  xlsx,
} from '../../support/services-fixtures.ts';

const HEADER_RU = ['Код услуги', 'Период', 'Средняя оценка', 'Количество оценок'];

describe('score import', () => {
  let tdb: TestDatabase;
  let agencyA: Awaited<ReturnType<typeof insertAgency>>;
  let agencyB: Awaited<ReturnType<typeof insertAgency>>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    agencyA = await insertAgency(tdb.db, 'MTSR');
    agencyB = await insertAgency(tdb.db, 'MZ');
    for (const code of ['MTSR-001', 'MTSR-002', 'MTSR-003'])
      await insertService(tdb.db, { agencyId: agencyA.id, code });
    await insertService(tdb.db, { agencyId: agencyB.id, code: 'MZ-001' });
  });
  afterAll(() => tdb?.drop());

  const counts = async () => ({
    scores: (await tdb.db.selectFrom('service_score').select('id').execute()).length,
    imports: (await tdb.db.selectFrom('score_import').select('id').execute()).length,
  });
  const run = (bytes: Uint8Array, filename = 'scores.csv') =>
    importScores(tdb.db, { bytes, filename, userId: null });
  const errorsOf = (r: ScoreImportResult) => {
    if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r)}`);
    return r.errors.map((e) => ({
      row: e.row,
      column: e.column,
      key: e.key,
      ...(e.params ? { params: e.params } : {}),
    }));
  };

  beforeEach(async () => {
    await tdb.db.deleteFrom('service_score').execute();
    await tdb.db.deleteFrom('score_import').execute();
  });

  it('imports a UTF-8 CSV with BOM, ";" delimiter, Russian headers, decimal commas and Russian periods', async () => {
    const file = utf8(
      csv([
        [...HEADER_RU, 'Критерий: Вежливость'],
        ['MTSR-001', '3 кв. 2025', '3,75', '1 204', '4,1'],
        ['mtsr-002', '2025-Q3', '4.6', '88', ''],
        ['MTSR-003', 'III квартал 2025 г.', '', '0', ''],
      ]),
      true,
    );
    const r = await run(file);
    expect(r).toMatchObject({
      ok: true,
      format: 'csv',
      rows: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      periods: ['2025-Q3'],
    });
    const rows = await tdb.db
      .selectFrom('service_score as sc')
      .innerJoin('service as s', 's.id', 'sc.service_id')
      .select(['s.code', 'sc.period', 'sc.avg_score', 'sc.votes', 'sc.criteria'])
      .orderBy('s.code')
      .execute();
    expect(rows).toEqual([
      { code: 'MTSR-001', period: '2025-Q3', avg_score: 3.75, votes: 1204, criteria: { Вежливость: 4.1 } },
      { code: 'MTSR-002', period: '2025-Q3', avg_score: 4.6, votes: 88, criteria: null },
      { code: 'MTSR-003', period: '2025-Q3', avg_score: null, votes: 0, criteria: null },
    ]);

    // The same file again changes nothing; a corrected value updates one row. Idempotent per period.
    expect(await run(file)).toMatchObject({ ok: true, inserted: 0, updated: 0, unchanged: 3 });
    const corrected = utf8(
      csv([
        [...HEADER_RU, 'Критерий: Вежливость'],
        ['MTSR-001', '2025-Q3', '3,80', '1204', '4,1'],
        ['MTSR-002', '2025-Q3', '4,6', '88', ''],
      ]),
    );
    expect(await run(corrected)).toMatchObject({ ok: true, inserted: 0, updated: 1, unchanged: 1 });
    expect(await counts()).toEqual({ scores: 3, imports: 3 });
  });

  it('reads a Windows-1251 CSV with "," delimiter and English or Russian headers', async () => {
    const file = cp1251(
      csv(
        [
          ['Код услуги', 'Наименование услуги', 'Период', 'Средняя оценка', 'Количество оценок', 'Ведомство'],
          ['MTSR-001', '"Выплата пособия, ежемесячная"', '2025', '"4,2"', '10', 'MTSR'],
          ['MZ-001', 'Запись к врачу', '2025', '3.9', '20', 'mz'],
        ],
        ',',
      ),
    );
    expect(await run(file)).toMatchObject({ ok: true, rows: 2, inserted: 2, periods: ['2025'] });
    const en = utf8(
      csv(
        [
          ['code', 'period', 'average', 'votes'],
          ['MTSR-002', 'Q4 2025', '4.9', '3'],
        ],
        '\t',
      ),
    );
    expect(await run(en)).toMatchObject({ ok: true, rows: 1, periods: ['2025-Q4'] });
  });

  it('reports every broken row with its row number and column, and writes nothing', async () => {
    const file = utf8(
      csv([
        ['Код услуги', 'Период', 'Средняя оценка', 'Количество оценок', 'Ведомство'],
        ['MTSR-001', '2025-Q3', '4,1', '10', 'MTSR'], // row 2: fine
        ['MTSR-002', '2025-Q3', '6', '10', ''], // row 3: average out of range
        ['MTSR-003', '5 кв. 2025', 'abc', '-1', ''], // row 4: period, average and count wrong
        ['NOPE-404', '2025-Q3', '4', '5', ''], // row 5: unknown service
        ['MTSR-001', '3 кв. 2025', '4,0', '7', ''], // row 6: duplicate of row 2
        ['MZ-001', '2025-Q3', '4', '5', 'MTSR'], // row 7: service belongs to another agency
        ['MTSR-002', '2025-Q4', '4', '5', 'Минфин'], // row 8: unknown agency
        ['MTSR-003', '2025-Q4', '', '12', ''], // row 9: votes without an average
        ['MTSR-003', '2025', '4,5', '0', ''], // row 10: an average with no votes
        ['', '2025-Q4', '4', '1', ''], // row 11: no code
      ]),
    );
    const r = await run(file);
    expect(errorsOf(r)).toEqual([
      {
        row: 3,
        column: 'Средняя оценка',
        key: 'error.svc.import.range',
        params: { value: '6', min: 1, max: 5 },
      },
      { row: 4, column: 'Период', key: 'error.svc.import.period', params: { value: '5 кв. 2025' } },
      { row: 4, column: 'Средняя оценка', key: 'error.svc.import.number', params: { value: 'abc' } },
      {
        row: 4,
        column: 'Количество оценок',
        key: 'error.svc.import.range',
        params: { value: '-1', min: 0, max: 100_000_000 },
      },
      { row: 5, column: 'Код услуги', key: 'error.svc.import.unknownService', params: { code: 'NOPE-404' } },
      {
        row: 6,
        column: 'Код услуги',
        key: 'error.svc.import.duplicateRow',
        params: { code: 'MTSR-001', first: 2 },
      },
      {
        row: 7,
        column: 'Ведомство',
        key: 'error.svc.import.agencyMismatch',
        params: { code: 'MZ-001', agency: 'Мин. MZ' },
      },
      { row: 8, column: 'Ведомство', key: 'error.svc.import.unknownAgency', params: { agency: 'Минфин' } },
      { row: 9, column: 'Средняя оценка', key: 'error.svc.import.averageMissing' },
      { row: 10, column: 'Количество оценок', key: 'error.svc.import.countZero' },
      { row: 11, column: 'Код услуги', key: 'error.svc.import.required' },
    ]);
    expect(await counts()).toEqual({ scores: 0, imports: 0 });
  });

  it('refuses bad headers, undecodable text, legacy .xls and broken CSV quoting', async () => {
    const missing = await run(
      utf8(
        csv([
          ['Код услуги', 'Период', 'Средняя оценка'],
          ['MTSR-001', '2025', '4'],
        ]),
      ),
    );
    expect(errorsOf(missing)).toEqual([
      { row: 1, column: 'Количество оценок', key: 'error.svc.import.headerMissing' },
    ]);

    const unknown = await run(
      utf8(
        csv([
          [...HEADER_RU, 'Комментарий', 'Период'],
          ['MTSR-001', '2025', '4', '1', '', '2025'],
        ]),
      ),
    );
    expect(errorsOf(unknown)).toEqual([
      {
        row: 1,
        column: 'Комментарий',
        key: 'error.svc.import.headerUnknown',
        params: {
          expected: 'Код услуги, Период, Средняя оценка, Количество оценок, Ведомство, Наименование услуги',
        },
      },
      { row: 1, column: 'Период', key: 'error.svc.import.headerDuplicate' },
    ]);

    // UTF-16 without a BOM (NUL bytes) and binary garbage are neither UTF-8 nor Windows-1251.
    const utf16 = new Uint8Array(Buffer.from(csv([HEADER_RU, ['MTSR-001', '2025', '4', '1']]), 'utf16le'));
    expect(errorsOf(await run(utf16))).toEqual([
      { row: null, column: null, key: 'error.svc.import.encoding' },
    ]);
    const garbage = new Uint8Array([0x4b, 0x6f, 0x64, 0x3b, 0x01, 0x02, 0x98, 0x0a, 0x31]);
    expect(errorsOf(await run(garbage))).toEqual([
      { row: 1, column: null, key: 'error.svc.import.encoding' },
    ]);

    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(errorsOf(await run(xls, 'scores.xls'))).toEqual([
      { row: null, column: null, key: 'error.svc.import.xls' },
    ]);

    const quote = utf8(`${HEADER_RU.join(';')}\nMTSR-001;2025;4;1\nMTSR-002;"2025;4;1\n`);
    expect(errorsOf(await run(quote))).toEqual([
      { row: 3, column: null, key: 'error.svc.import.csvSyntax', params: { detail: 'CSV_QUOTE_NOT_CLOSED' } },
    ]);

    expect(errorsOf(await run(utf8(`${HEADER_RU.join(';')}\n`)))).toEqual([
      { row: 1, column: null, key: 'error.svc.import.noRows' },
    ]);
    expect(errorsOf(await run(new Uint8Array()))).toEqual([
      { row: null, column: null, key: 'error.svc.import.empty' },
    ]);
    expect(await counts()).toEqual({ scores: 0, imports: 0 });
  });

  it('imports XLSX; one bad row rejects the whole workbook with its sheet row and column', async () => {
    const bad = await xlsx([
      ['Код услуги', 'Период', 'Средняя оценка', 'Количество оценок'],
      ['MTSR-001', '2025-Q2', 4.25, 100],
      [null, null, null, null], // an empty row is skipped, numbering follows the sheet
      ['MTSR-002', '2 кв. 2025', 0.5, 40],
      ['MTSR-003', 2025, 4.8, 12.5],
    ]);
    expect(errorsOf(await run(bad, 'scores.xlsx'))).toEqual([
      {
        row: 4,
        column: 'Средняя оценка',
        key: 'error.svc.import.range',
        params: { value: '0.5', min: 1, max: 5 },
      },
      { row: 5, column: 'Количество оценок', key: 'error.svc.import.integer', params: { value: '12.5' } },
    ]);
    expect(await counts()).toEqual({ scores: 0, imports: 0 });

    const good = await xlsx([
      ['code', 'period', 'average', 'count'],
      ['MTSR-001', '2025-Q2', 4.25, 100],
      ['MTSR-002', 2025, 3.1, 40],
    ]);
    expect(await run(good, 'scores.xlsx')).toMatchObject({
      ok: true,
      format: 'xlsx',
      inserted: 2,
      periods: ['2025-Q2', '2025'],
    });
    // A renamed zip that is not a workbook.
    const broken = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]);
    expect(errorsOf(await run(broken, 'x.xlsx'))).toEqual([
      { row: null, column: null, key: 'error.svc.import.xlsxBroken' },
    ]);
  });
});

describe('indicator value import', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(() => tdb?.drop());

  it('upserts plan/actual by indicator and period, or reports unknown indicators with nothing written', async () => {
    const ls = await insertLifeSituation(tdb.db);
    const ind = await tdb.db
      .insertInto('indicator')
      .values({
        life_situation_id: ls.id,
        code: 'TERM_DAYS',
        title_ru: 'Срок',
        title_en: 'Term',
        unit: 'дн.',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const bad = utf8(
      csv([
        ['Код показателя', 'Период', 'План', 'Факт'],
        ['TERM_DAYS', '2025-Q1', '30', '35'],
        ['VISITS', '2025-Q1', '1', '2'],
      ]),
    );
    const r1 = await importIndicatorValues(tdb.db, { lifeSituationId: ls.id, bytes: bad, filename: 'i.csv' });
    expect(r1).toEqual({
      ok: false,
      errors: [
        {
          row: 3,
          column: 'Код показателя',
          key: 'error.svc.import.unknownIndicator',
          params: { code: 'VISITS' },
        },
      ],
    });
    expect(await tdb.db.selectFrom('indicator_value').selectAll().execute()).toEqual([]);

    const good = utf8(
      csv([
        ['indicator', 'period', 'plan', 'actual'],
        ['TERM_DAYS', '1 кв. 2025', '30', '35,5'],
      ]),
    );
    expect(
      await importIndicatorValues(tdb.db, { lifeSituationId: ls.id, bytes: good, filename: 'i.csv' }),
    ).toEqual({
      ok: true,
      format: 'csv',
      rows: 1,
      periods: ['2025-Q1'],
    });
    // A file with only the actual column leaves the plan alone.
    const actualOnly = utf8(
      csv([
        ['indicator', 'period', 'actual'],
        ['TERM_DAYS', '2025-Q1', '31'],
      ]),
    );
    await importIndicatorValues(tdb.db, { lifeSituationId: ls.id, bytes: actualOnly, filename: 'i.csv' });
    expect(await tdb.db.selectFrom('indicator_value').selectAll().execute()).toEqual([
      { indicator_id: ind.id, period: '2025-Q1', plan: 30, actual: 31 },
    ]);
  });
});
