import type ExcelJS from 'exceljs';
import type { roadmapStatusRows } from '../../db/read-models/exports.ts';
import { formatRecurrence, HEADER_RU, ROADMAP_COLUMNS, STATUS_COLUMNS } from '../../domain/imports/index.ts';
import { formatLocalDate, type LocalDate } from '../../domain/local-date.ts';
import { translator } from '../i18n/index.ts';
import { excelDate } from './xlsx.ts';

type Row = Awaited<ReturnType<typeof roadmapStatusRows>>[number];

const WIDTHS: Record<string, number> = {
  number: 8,
  title: 60,
  deadline: 16,
  responsible: 36,
  coExecutors: 36,
  deliverable: 30,
  lifeSituation: 28,
  direction: 24,
  status: 16,
  currentDue: 16,
  daysOverdue: 10,
  escalation: 10,
};

/**
 * The roadmap in the layout the import reads (№, measure, deadline, responsible, co-executors,
 * deliverable, life situation, direction) plus status columns the import ignores: exporting and importing the file
 * again changes nothing. "Срок исполнения" is the planned deadline; extensions show in "Контрольный срок".
 * "Просрочка, раб. дн.": working days past the control date — until today while overdue, until acceptance
 * for an item accepted late — the same figure as every page (domain/control-item/lateness.ts).
 */
export async function writeRoadmapStatus(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  roadmap: { title_ru: string },
  rows: Row[],
  today: LocalDate,
) {
  const t = translator('ru');
  const keys = [...ROADMAP_COLUMNS, 'direction' as const, ...STATUS_COLUMNS];
  // The header is the third row (title, blank, header): frozen there, with Excel's filter buttons on it.
  const ws = wb.addWorksheet('Дорожная карта', { views: [{ state: 'frozen', ySplit: 3 }] });
  ws.autoFilter = `A3:${String.fromCharCode(64 + keys.length)}3`;
  ws.columns = keys.map((k) => ({ key: k, width: WIDTHS[k] ?? 14 }));
  ws.addRow([`${roadmap.title_ru} — состояние на ${formatLocalDate(today, 'ru')}`]).commit();
  ws.addRow([]).commit();
  const header = ws.addRow(keys.map((k) => HEADER_RU[k]));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  header.commit();
  for (const r of rows) {
    const row = ws.addRow([
      r.number,
      r.title_ru,
      r.recurrence
        ? formatRecurrence(r.recurrence, r.recurrence_until, {
            day: r.recurrence_due_day,
            monthOffset: r.recurrence_due_month_offset,
          })
        : excelDate(r.original_due),
      r.agency_title_ru,
      r.co_titles.join('; '),
      r.deliverable ?? '',
      r.ls_title_ru ?? '',
      r.direction_title_ru ?? '',
      r.overdue
        ? `${t(`status.${r.status}`)}, ${t('status.overdue').toLowerCase()}`
        : t(`status.${r.status}`),
      excelDate(r.current_due),
      r.late.workingDays,
      r.escalation_level,
    ]);
    row.alignment = { wrapText: true, vertical: 'top' };
    for (const col of [3, 10]) {
      const c = row.getCell(col);
      if (c.value instanceof Date) c.numFmt = 'dd.mm.yyyy';
    }
    row.commit();
  }
  ws.commit();
}
