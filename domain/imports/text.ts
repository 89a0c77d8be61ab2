import type { RawCell } from './types.ts';

/**
 * Text for comparisons: lower case, ё → е, typographic quotes and dashes dropped or unified, any run of
 * whitespace (line breaks, non-breaking spaces) as one space, no trailing dot.
 */
export function normalizeText(s: string): string {
  return s
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[«»"“”„'‘’`]/g, '')
    .replace(/[‐-―−]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.,;:]+$/, '')
    .trim();
}

/** The cell as text (numbers in plain notation, dates as dd.mm.yyyy), or '' when empty. */
export function cellText(c: RawCell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'string') return c.replace(/\u00a0/g, ' ').trim();
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : String(+c.toPrecision(12));
  if (typeof c === 'boolean') return c ? 'TRUE' : 'FALSE';
  if (c instanceof Date) {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${p(c.getUTCDate())}.${p(c.getUTCMonth() + 1)}.${c.getUTCFullYear()}`;
  }
  return c.error.startsWith('#') ? c.error : `#${c.error}`;
}

export const isEmptyCell = (c: RawCell | undefined) => c === null || c === undefined || cellText(c) === '';

/** "A", "B", … "Z", "AA" for a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Splits a list written in one cell: ';', line breaks, and (as a last resort) ','. */
export function splitList(text: string): string[] {
  return text
    .split(/[;\n\r]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
