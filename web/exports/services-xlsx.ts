import type ExcelJS from 'exceljs';
import type { serviceRegisterRows } from '../../db/read-models/exports.ts';

type Row = Awaited<ReturnType<typeof serviceRegisterRows>>[number];

const COLUMNS: [string, number][] = [
  ['Код услуги', 14],
  ['Наименование услуги', 60],
  ['Ведомство', 40],
  ['Уровень', 12],
  ['Электронная форма', 12],
  ['Проактивная', 12],
  ['Социально значимая', 12],
  ['Жизненные ситуации', 40],
  ['Куратор', 28],
  ['Период оценки', 12],
  ['Средняя оценка', 10],
  ['Число оценок', 10],
  ['Низкая оценка', 12],
];

const yesNo = (b: boolean) => (b ? 'да' : 'нет');

/** The service register with each service's latest citizen score (Russian headers). */
export async function writeServiceRegister(wb: ExcelJS.stream.xlsx.WorkbookWriter, rows: Row[]) {
  const ws = wb.addWorksheet('Реестр услуг', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map(([, width], i) => ({ key: `c${i}`, width }));
  const header = ws.addRow(COLUMNS.map(([h]) => h));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  header.commit();
  for (const r of rows) {
    const row = ws.addRow([
      r.code,
      r.title_ru,
      r.agency_title_ru,
      r.level === 'federal' ? 'федеральная' : r.level === 'municipal' ? 'муниципальная' : 'региональная',
      yesNo(r.electronic),
      yesNo(r.proactive),
      yesNo(r.socially_significant),
      r.life_situations,
      r.curator_name ?? null,
      r.period ?? null,
      r.avg_score ?? null,
      r.votes ?? null,
      // The one low-score rule of the settings (threshold and minimum votes), as every page shows it.
      r.score_class === 'low' ? 'да' : r.score_class === 'ok' ? 'нет' : 'нет оценки',
    ]);
    row.alignment = { wrapText: true, vertical: 'top' };
    if (r.avg_score !== null) row.getCell(11).numFmt = '0.00';
    row.commit();
  }
  ws.commit();
}
