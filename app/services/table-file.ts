import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { fileKind, type FileKind } from '../../domain/imports/index.ts';
import { parse } from 'csv-parse/sync';

/**
 * Reads an uploaded CSV or XLSX into rows of strings with their row numbers as the user sees them (the
 * spreadsheet row, the CSV line). Decoding problems become one ImportIssue, never a half-read table.
 */

export interface ImportIssue {
  /** 1-based row of the file (the header is row 1 in most files); null for whole-file problems. */
  row: number | null;
  /** The column as headed in the file (or the expected name when the column is missing). */
  column: string | null;
  /** i18n key of the message. */
  key: string;
  params?: Record<string, string | number>;
}

export interface TableRow {
  row: number;
  cells: string[];
}

export interface Table {
  format: 'csv' | 'xlsx';
  /** Header cells and their row number. */
  header: string[];
  headerRow: number;
  rows: TableRow[];
  encoding?: 'utf-8' | 'windows-1251' | 'utf-16le';
  delimiter?: string;
}

export class TableFileError extends Error {
  constructor(readonly issue: ImportIssue) {
    super(issue.key);
    this.name = 'TableFileError';
  }
}

export const MAX_ROWS = 50_000;
const fail = (key: string, params?: ImportIssue['params'], row: number | null = null): never => {
  throw new TableFileError({ row, column: null, key, ...(params ? { params } : {}) });
};

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);

/** Files people upload by mistake, named as what they are so the message can say what to do. */
const NOT_A_TABLE: Partial<Record<FileKind, string>> = {
  ole: 'error.svc.import.xls',
  pdf: 'error.svc.import.pdf',
  html: 'error.svc.import.html',
  xml: 'error.svc.import.xml',
  image: 'error.svc.import.image',
};
function sniffBinary(b: Uint8Array) {
  const key = NOT_A_TABLE[fileKind(b)];
  if (key) fail(key);
}

/**
 * UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1251 — the two encodings Russian
 * Excel writes CSV in. Text that decodes to control characters is neither: it is refused, not guessed.
 */
export function decodeText(b: Uint8Array): { text: string; encoding: NonNullable<Table['encoding']> } {
  if (startsWith(b, [0xef, 0xbb, 0xbf])) return { text: strict(b.subarray(3), 'utf-8'), encoding: 'utf-8' };
  if (startsWith(b, [0xff, 0xfe]))
    return { text: iconv.decode(Buffer.from(b.subarray(2)), 'utf-16le'), encoding: 'utf-16le' };
  if (startsWith(b, [0xfe, 0xff])) fail('error.svc.import.encoding');
  if (b.includes(0)) fail('error.svc.import.encoding');
  let text: string;
  let encoding: NonNullable<Table['encoding']>;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b);
    encoding = 'utf-8';
  } catch {
    text = iconv.decode(Buffer.from(b), 'windows-1251');
    encoding = 'windows-1251';
  }
  // C0 controls other than tab/CR/LF, DEL, C1 controls and the one byte cp1251 leaves undefined (0x98 → U+FFFD
  // or U+0098): a binary file or some other encoding.
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/.exec(text);
  if (bad) {
    const line = text.slice(0, bad.index).split('\n').length;
    fail('error.svc.import.encoding', undefined, line);
  }
  return { text, encoding };
}

function strict(b: Uint8Array, enc: 'utf-8'): string {
  try {
    return new TextDecoder(enc, { fatal: true }).decode(b);
  } catch {
    return fail('error.svc.import.encoding');
  }
}

/** The delimiter of the header line: the most frequent of ; , tab outside quotes (ties go to ';'). */
export function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const counts = new Map<string, number>([
    [';', 0],
    [',', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ';';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

function readCsv(b: Uint8Array, maxRows: number): Table {
  const { text, encoding } = decodeText(b);
  const delimiter = detectDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: false,
      bom: true,
    }) as unknown as typeof records;
  } catch (e) {
    const err = e as { code?: string; lines?: number };
    return fail('error.svc.import.csvSyntax', { detail: err.code ?? 'CSV' }, err.lines ?? null);
  }
  const rows: TableRow[] = [];
  let prevEnd = 0;
  for (const r of records) {
    // A record starts on the line after the previous one ended (quoted fields may span lines).
    rows.push({ row: prevEnd + 1, cells: r.record.map((c) => c.trim()) });
    prevEnd = r.info.lines;
  }
  return toTable('csv', rows, { encoding, delimiter }, maxRows);
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('richText' in v)
    return v.richText
      .map((t) => t.text)
      .join('')
      .trim();
  if ('error' in v) return `#${String(v.error).replace(/^#/, '')}`;
  if ('formula' in v || 'sharedFormula' in v)
    return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in v) return String((v as { text: unknown }).text).trim();
  return '';
}

async function readXlsx(b: Uint8Array, maxRows: number): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(b) as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    return fail('error.svc.import.xlsxBroken');
  }
  const sheet = wb.worksheets.find((w) => w.state !== 'hidden' && w.actualRowCount > 0);
  if (!sheet) return fail('error.svc.import.empty');
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: string[] = [];
    for (let i = 1; i <= row.cellCount; i++) cells.push(cellText(row.getCell(i).value));
    rows.push({ row: n, cells });
  });
  return toTable('xlsx', rows, {}, maxRows);
}

function toTable(format: Table['format'], all: TableRow[], extra: Partial<Table>, maxRows: number): Table {
  const nonEmpty = all.filter((r) => r.cells.some((c) => c !== ''));
  const [head, ...rows] = nonEmpty;
  if (!head) return fail('error.svc.import.empty');
  if (rows.length === 0) fail('error.svc.import.noRows', undefined, head.row);
  if (rows.length > maxRows) fail('error.svc.import.tooManyRows', { max: maxRows });
  // Trailing empty header cells are the spreadsheet's formatting, not columns.
  const header = [...head.cells];
  while (header.length && header.at(-1) === '') header.pop();
  return { format, header, headerRow: head.row, rows, ...extra };
}

/** XLSX by content (a zip) or name; everything else is read as CSV text. */
export async function readTable(
  bytes: Uint8Array,
  filename: string,
  opts: { maxRows?: number } = {},
): Promise<Table> {
  const maxRows = opts.maxRows ?? MAX_ROWS;
  if (bytes.length === 0) fail('error.svc.import.empty');
  sniffBinary(bytes);
  const zip = startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]);
  if (zip || /\.xlsx$/i.test(filename)) return readXlsx(bytes, maxRows);
  return readCsv(bytes, maxRows);
}
