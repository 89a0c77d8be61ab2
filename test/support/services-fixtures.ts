import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Db } from '../../db/index.ts';

let seq = 0;
const uniq = () => `${process.pid}-${++seq}`;

export async function insertService(
  db: Db,
  v: { agencyId: number; code?: string; title?: string; curatorUserId?: number | null; titleEn?: string },
) {
  return db
    .insertInto('service')
    .values({
      code: v.code ?? `SVC-${uniq()}`,
      title_ru: v.title ?? `Услуга ${uniq()}`,
      title_en: v.titleEn ?? null,
      agency_id: v.agencyId,
      curator_user_id: v.curatorUserId ?? null,
      channels: ['epgu', 'mfc'],
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertScore(
  db: Db,
  serviceId: number,
  period: string,
  avg: number | null,
  votes = 100,
) {
  await db
    .insertInto('service_score')
    .values({ service_id: serviceId, period, avg_score: avg, votes: avg === null ? 0 : votes })
    .execute();
}

export async function insertLifeSituation(db: Db, code = `LS-${uniq()}`) {
  return db
    .insertInto('life_situation')
    .values({ code, title_ru: `Ситуация ${code}`, title_en: `Situation ${code}`, level: 'regional' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** CSV text from rows, joined by the delimiter (cells are written as given: quote them yourself). */
export const csv = (rows: string[][], delimiter = ';', eol = '\r\n') =>
  rows.map((r) => r.join(delimiter)).join(eol) + eol;

export const utf8 = (s: string, bom = false) =>
  new Uint8Array(
    Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(s, 'utf8')]),
  );
export const cp1251 = (s: string) => new Uint8Array(iconv.encode(s, 'windows-1251'));

/** An XLSX workbook with one sheet holding the rows (numbers stay numbers). */
export async function xlsx(rows: (string | number | null)[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Оценки');
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
