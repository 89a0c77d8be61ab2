import { mapHeader, rowObject, type ColumnSpec, type HeaderMap } from '../services/columns.ts';
import { readTable, TableFileError, type ImportIssue, type TableRow } from '../services/table-file.ts';

// The contract of every reference file (onboarding, curators, calendar), the same as the score and roadmap
// imports': the file is read and every row checked before anything is written; any problem → every
// problem with its row and column, and nothing stored; otherwise one transaction.

export type { ImportIssue };
export type FileOutcome<T> = ({ ok: true } & T) | { ok: false; errors: ImportIssue[] };

export interface ReadRows<K extends string> {
  map: HeaderMap<K>;
  rows: { row: number; cells: Record<K, string> }[];
  /** The file's header text of a column (for issues). */
  column: (k: K) => string;
}

/** Reads the file and maps its header; whole-file and header problems come back as issues. */
export async function readRows<K extends string>(
  file: { bytes: Uint8Array; filename: string },
  specs: ColumnSpec<K>[],
): Promise<FileOutcome<ReadRows<K>>> {
  let table;
  try {
    table = await readTable(file.bytes, file.filename);
  } catch (e) {
    if (e instanceof TableFileError) return { ok: false, errors: [e.issue] };
    throw e;
  }
  const { map, issues } = mapHeader(table, specs);
  if (issues.length) return { ok: false, errors: issues };
  const column = (k: K) => {
    const i = map.index[k];
    return i === undefined ? specs.find((s) => s.key === k)!.aliases[0]! : (map.header[i] ?? k);
  };
  const rows = table.rows.map((r: TableRow) => {
    const o = rowObject(map, r) as Record<string, unknown>;
    const cells = Object.fromEntries(specs.map((s) => [s.key, String(o[s.key] ?? '').trim()])) as Record<
      K,
      string
    >;
    return { row: r.row, cells };
  });
  return { ok: true, map, rows, column };
}

/** Issues in reading order: by row, then by the column's place in the file. */
export const sortIssues = (header: string[], issues: ImportIssue[]) =>
  issues.sort(
    (a, b) => (a.row ?? 0) - (b.row ?? 0) || header.indexOf(a.column ?? '') - header.indexOf(b.column ?? ''),
  );

/** The first row each key appeared on, and an issue for every later one. */
export function duplicates<T>(
  rows: { row: number; item: T }[],
  keyOf: (t: T) => string,
  issue: (row: number, first: number, t: T) => ImportIssue,
): ImportIssue[] {
  const first = new Map<string, number>();
  const out: ImportIssue[] = [];
  for (const r of rows) {
    const k = keyOf(r.item);
    const f = first.get(k);
    if (f === undefined) first.set(k, r.row);
    else out.push(issue(r.row, f, r.item));
  }
  return out;
}
