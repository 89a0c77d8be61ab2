import ExcelJS from 'exceljs';
import type { Db } from '../../db/index.ts';
import { isWorkingDay } from '../../domain/calendar/index.ts';
import { addDays, instantToLocalDate, type LocalDate } from '../../domain/local-date.ts';

export const OFFSET = 420; // Novosibirsk
export const todayLocal = () => instantToLocalDate(Date.now(), OFFSET);

/** dd.mm.yyyy, as people type deadlines into roadmaps. */
export const ru = (d: LocalDate) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

/** The first working / non-working day on or after a date. */
export function workingOnOrAfter(d: LocalDate): LocalDate {
  let x = d;
  while (!isWorkingDay(x)) x = addDays(x, 1);
  return x;
}
export function sundayOnOrAfter(d: LocalDate): LocalDate {
  let x = d;
  while (new Date(`${x}T00:00:00Z`).getUTCDay() !== 0) x = addDays(x, 1);
  return x;
}

export const HEADER = [
  '№\nп/п',
  'Наименование мероприятия',
  'Срок\nисполнения',
  'Ответственный исполнитель',
  'Соисполнители',
  'Результат / вид документа',
  'Жизненная ситуация',
];

export type Cell = string | number | Date | null;

/** A real .xlsx in the usual regional layout: title block, header row, column numbering, rows. */
export async function roadmapXlsx(
  rows: Cell[][],
  o: { header?: string[]; title?: string | null; numbering?: boolean } = {},
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Дорожная карта');
  if (o.title !== null) {
    ws.addRow([o.title ?? 'План мероприятий («дорожная карта») по внедрению стандарта клиентоцентричности']);
    ws.mergeCells(1, 1, 1, 7);
    ws.addRow([]);
  }
  const header = o.header ?? HEADER;
  ws.addRow(header);
  if (o.numbering !== false) ws.addRow(header.map((_, i) => i + 1));
  for (const r of rows) {
    const row = ws.addRow(r);
    r.forEach((v, i) => {
      if (v instanceof Date) row.getCell(i + 1).numFmt = 'dd.mm.yyyy';
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A heading row merged across the table, as regional roadmaps group measures by life situation. */
export async function roadmapXlsxWithSection(section: string, rows: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('ДК');
  ws.addRow(HEADER);
  ws.addRow([section]);
  ws.mergeCells(2, 1, 2, 7);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Agencies and life situations with the names the test files use. */
export async function seedImportReferences(db: Db) {
  const agencies = await db
    .insertInto('agency')
    .values([
      {
        code: 'MTSR',
        title_ru: 'Министерство труда и социального развития Новосибирской области',
        title_en: 'Ministry of Labour and Social Development',
        short_ru: 'Минтруд',
      },
      {
        code: 'MZ',
        title_ru: 'Министерство здравоохранения Новосибирской области',
        title_en: 'Ministry of Health',
        short_ru: 'Минздрав',
      },
      {
        code: 'MO',
        title_ru: 'Министерство образования Новосибирской области',
        title_en: 'Ministry of Education',
        short_ru: 'Минобр',
      },
      {
        code: 'MFC',
        title_ru:
          'ГАУ НСО «Многофункциональный центр организации предоставления государственных и муниципальных услуг Новосибирской области»',
        title_en: 'Regional MFC',
        short_ru: 'МФЦ',
      },
    ])
    .returning(['id', 'code'])
    .execute();
  const ls = await db
    .insertInto('life_situation')
    .values([
      { code: 'FLS-LARGEFAM', title_ru: 'Многодетная семья', title_en: 'Large family', level: 'federal' },
      {
        code: 'FLS-RELOC',
        title_ru: 'Переезд в другой регион',
        title_en: 'Moving to another region',
        level: 'federal',
      },
    ])
    .returning(['id', 'code'])
    .execute();
  const roadmap = await db
    .insertInto('roadmap')
    .values({
      code: 'NSO-CC',
      title_ru: 'Дорожная карта клиентоцентричности',
      title_en: 'Client-centricity roadmap',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = (code: string) => agencies.find((a) => a.code === code)!.id;
  const lsId = (code: string) => ls.find((l) => l.code === code)!.id;
  return { agency: id, lifeSituation: lsId, roadmapId: roadmap.id };
}

/** Waits until an import job has finished (done or failed) and returns its row. */
export async function waitForJob(db: Db, jobId: number, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await db
      .selectFrom('import_job')
      .selectAll()
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    if (job.status === 'done' || job.status === 'failed') return job;
    if (Date.now() > until) throw new Error(`import job ${jobId} still ${job.status}/${job.phase}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
