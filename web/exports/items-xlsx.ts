import type ExcelJS from 'exceljs';
import type { itemExportRows } from '../../db/read-models/index.ts';
import { localized } from '../context.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { itemAgency } from '../views/item-columns.tsx';
import { excelDate } from './xlsx.ts';

type Row = Awaited<ReturnType<typeof itemExportRows>>[number];

/**
 * A filtered list of items as the page shows it (every page of it), in the page's language: the header
 * on the first row, frozen, with Excel's filter buttons on it, so the sheet opens ready to sort and filter.
 */
export async function writeItemList(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  rows: Row[],
  o: { t: Translate; locale: Locale; agencyNames: Map<number, string>; directionNames: Map<string, string> },
) {
  const { t, locale } = o;
  const columns: { header: string; width: number; value: (r: Row) => unknown; date?: boolean }[] = [
    { header: t('item.number'), width: 8, value: (r) => r.number ?? `#${r.id}` },
    { header: t('item.title'), width: 60, value: (r) => localized(locale, r.title_ru, r.title_en) },
    { header: t('roadmap.kind'), width: 14, value: (r) => t(`kind.${r.kind}`) },
    { header: t('item.roadmap'), width: 12, value: (r) => r.roadmap_code ?? '' },
    { header: t('item.agency'), width: 24, value: (r) => itemAgency(locale, r) },
    {
      header: t('item.coAgencies'),
      width: 30,
      value: (r) => r.co_agency_ids.map((id) => o.agencyNames.get(id) ?? `#${id}`).join('; '),
    },
    {
      header: t('item.lifeSituation'),
      width: 28,
      value: (r) => (r.ls_title_ru ? localized(locale, r.ls_title_ru, r.ls_title_en) : ''),
    },
    {
      header: t('item.direction'),
      width: 24,
      value: (r) => (r.direction ? (o.directionNames.get(r.direction) ?? r.direction) : ''),
    },
    { header: t('item.originalDue'), width: 14, value: (r) => excelDate(r.original_due), date: true },
    { header: t('item.currentDue'), width: 14, value: (r) => excelDate(r.current_due), date: true },
    {
      header: t('item.status'),
      width: 18,
      value: (r) =>
        r.overdue ? `${t(`status.${r.status}`)}, ${t('status.overdue')}` : t(`status.${r.status}`),
    },
    { header: t('export.lateness'), width: 12, value: (r) => r.late.workingDays },
    { header: t('item.escalation'), width: 10, value: (r) => r.escalation_level },
  ];
  const last = String.fromCharCode(64 + columns.length);
  const ws = wb.addWorksheet(t('items.title').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.autoFilter = `A1:${last}1`;
  ws.columns = columns.map((c, i) => ({ key: String(i), width: c.width }));
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  header.commit();
  const dateFormat = locale === 'ru' ? 'dd.mm.yyyy' : 'dd mmm yyyy';
  for (const r of rows) {
    const row = ws.addRow(columns.map((c) => c.value(r)));
    row.alignment = { wrapText: true, vertical: 'top' };
    columns.forEach((c, i) => {
      if (c.date) row.getCell(i + 1).numFmt = dateFormat;
    });
    row.commit();
  }
  ws.commit();
}
