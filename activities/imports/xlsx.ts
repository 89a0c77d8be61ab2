import ExcelJS from 'exceljs';
import {
  sniffSpreadsheet,
  type ImportIssue,
  type RawCell,
  type RawSheet,
} from '../../domain/imports/index.ts';

export type ReadResult = { ok: true; sheets: RawSheet[] } | { ok: false; issue: ImportIssue };

function plain(v: ExcelJS.CellValue): RawCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('error' in v) return { error: String(v.error) };
    if ('formula' in v || 'sharedFormula' in v) {
      const result = (v as { result?: unknown }).result;
      if (result === undefined || result === null) return null;
      if (typeof result === 'object' && result && 'error' in result) return { error: String(result.error) };
      return plain(result as ExcelJS.CellValue);
    }
    if ('text' in v) return typeof v.text === 'string' ? v.text : plain(v.text as ExcelJS.CellValue);
  }
  return String(v);
}

/**
 * Reads every worksheet of an .xlsx into plain rows. Merged areas keep their value in the top-left cell
 * only (a heading merged across the table reads as one cell, not as the same text in every column).
 * Anything that is not a readable workbook is one issue, never an exception.
 */
export async function readXlsx(bytes: Uint8Array): Promise<ReadResult> {
  const sniffed = sniffSpreadsheet(bytes);
  if (!sniffed.ok) return sniffed;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer,
    );
  } catch {
    return { ok: false, issue: { row: null, column: null, key: 'error.import.file.corrupt' } };
  }
  const sheets: RawSheet[] = [];
  wb.eachSheet((ws) => {
    const rows: RawSheet['rows'] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: RawCell[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        if (cell.isMerged && cell.master.address !== cell.address) return;
        cells[col - 1] = plain(cell.value);
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= null;
      rows.push({ row: rowNumber, cells });
    });
    sheets.push({ name: ws.name, rows });
  });
  if (sheets.length === 0)
    return { ok: false, issue: { row: null, column: null, key: 'error.import.noSheet' } };
  return { ok: true, sheets };
}
