import type { z } from 'zod';
import type { ImportIssue, Table, TableRow } from './table-file.ts';

/** A column an import understands, with the header spellings accepted for it (Russian and English). */
export interface ColumnSpec<K extends string> {
  key: K;
  aliases: string[];
  required: boolean;
}

export const normalizeHeader = (h: string) =>
  h
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[_*]+/g, ' ')
    .replace(/[:.\s]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Extra columns named «Критерий: …» / "criterion: …" carry optional criteria scores. */
const CRITERION = /^(?:критерий|criterion|criteria)\s*[:.-]?\s*(.+)$/i;

export interface HeaderMap<K extends string> {
  /** Column index of each known key present in the file. */
  index: Partial<Record<K, number>>;
  criteria: { name: string; index: number }[];
  /** The header text as written in the file, by column index. */
  header: string[];
}

/** Maps the file's header to known columns; every unknown, duplicate or missing column is an issue. */
export function mapHeader<K extends string>(
  table: Table,
  specs: ColumnSpec<K>[],
  opts: { criteria?: boolean } = {},
): { map: HeaderMap<K>; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const index: Partial<Record<K, number>> = {};
  const criteria: { name: string; index: number }[] = [];
  const row = table.headerRow;
  table.header.forEach((raw, i) => {
    const h = normalizeHeader(raw);
    if (h === '') {
      issues.push({ row, column: columnLetter(i), key: 'error.svc.import.headerEmpty' });
      return;
    }
    const spec = specs.find((s) => s.aliases.some((a) => normalizeHeader(a) === h));
    if (spec) {
      if (index[spec.key] !== undefined)
        issues.push({ row, column: raw, key: 'error.svc.import.headerDuplicate' });
      else index[spec.key] = i;
      return;
    }
    const c = opts.criteria ? CRITERION.exec(raw.trim()) : null;
    if (c) {
      const name = c[1]!.trim();
      if (criteria.some((x) => x.name.toLowerCase() === name.toLowerCase()))
        issues.push({ row, column: raw, key: 'error.svc.import.headerDuplicate' });
      else criteria.push({ name, index: i });
      return;
    }
    issues.push({
      row,
      column: raw,
      key: 'error.svc.import.headerUnknown',
      params: { expected: specs.map((s) => s.aliases[0]).join(', ') },
    });
  });
  for (const s of specs) {
    if (s.required && index[s.key] === undefined)
      issues.push({ row, column: s.aliases[0]!, key: 'error.svc.import.headerMissing' });
  }
  return { map: { index, criteria, header: table.header }, issues };
}

export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** The row's cells as an object by key (criteria under `criteria`), for the zod schema to validate. */
export function rowObject<K extends string>(map: HeaderMap<K>, r: TableRow) {
  const o: Record<string, unknown> = {};
  for (const [k, i] of Object.entries(map.index) as [K, number][]) o[k] = r.cells[i] ?? '';
  if (map.criteria.length) {
    o.criteria = Object.fromEntries(map.criteria.map((c) => [c.name, r.cells[c.index] ?? '']));
  }
  return o;
}

/** Zod issues of one row → import issues naming the file's column. */
export function rowIssues<K extends string>(map: HeaderMap<K>, row: number, err: z.ZodError): ImportIssue[] {
  return err.issues.map((iss) => {
    const [k, sub] = iss.path as [string, string | undefined];
    let column: string | null = null;
    if (k === 'criteria' && sub !== undefined) {
      const c = map.criteria.find((x) => x.name === sub);
      column = c ? (map.header[c.index] ?? sub) : sub;
    } else if (k !== undefined) {
      const i = map.index[k as K];
      column = i === undefined ? k : (map.header[i] ?? k);
    }
    const params = (iss as { params?: Record<string, string | number> }).params;
    return { row, column, key: iss.message, ...(params ? { params } : {}) };
  });
}

/** "4,25" / "4.25" / " 1 234 " → number; blank → null; anything else → NaN. */
export function parseDecimal(raw: string): number | null {
  const s = raw.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (s === '') return null;
  return /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : NaN;
}

type Ctx = z.RefinementCtx;
const issue = (ctx: Ctx, message: string, params?: Record<string, string | number>) =>
  ctx.addIssue({ code: 'custom', message, ...(params ? { params } : {}) });

/** A decimal within [min, max] rounded to `decimals`; blank → null (the caller decides if blank is fine). */
export const decimalCell =
  (min: number, max: number, decimals = 2) =>
  (v: string, ctx: Ctx): number | null => {
    const n = parseDecimal(v);
    if (n === null) return null;
    if (Number.isNaN(n)) {
      issue(ctx, 'error.svc.import.number', { value: v.slice(0, 40) });
      return null;
    }
    if (n < min || n > max) {
      issue(ctx, 'error.svc.import.range', { value: v.slice(0, 40), min, max });
      return null;
    }
    const f = 10 ** decimals;
    return Math.round(n * f) / f;
  };

/** A whole number within [min, max]; blank is an error. */
export const intCell =
  (min: number, max: number) =>
  (v: string, ctx: Ctx): number => {
    const n = parseDecimal(v);
    if (n === null) {
      issue(ctx, 'error.svc.import.required');
      return 0;
    }
    if (Number.isNaN(n) || !Number.isInteger(n)) {
      issue(ctx, 'error.svc.import.integer', { value: v.slice(0, 40) });
      return 0;
    }
    if (n < min || n > max) {
      issue(ctx, 'error.svc.import.range', { value: v.slice(0, 40), min, max });
      return 0;
    }
    return n;
  };
