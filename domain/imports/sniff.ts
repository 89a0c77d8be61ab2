import type { ImportIssue } from './types.ts';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);

function isUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Mostly printable bytes, no NULs: a text file (CSV, TSV…) rather than a binary format. */
function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  if (n === 0) return false;
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const x = b[i]!;
    if (x === 0) return false;
    if (x === 9 || x === 10 || x === 13 || x >= 32) printable++;
  }
  return printable / n > 0.95;
}

/**
 * What kind of file arrived, from its first bytes: an .xlsx (a zip) passes; anything else is one clear
 * error: an encrypted workbook or an old .xls (both OLE containers), a text/CSV file (with the encoding we
 * guessed, so "saved as CSV in Windows-1251" is recognisable), an empty or unknown file.
 */
export function sniffSpreadsheet(bytes: Uint8Array): { ok: true } | { ok: false; issue: ImportIssue } {
  const fail = (key: string, params?: ImportIssue['params']) => ({
    ok: false as const,
    issue: { row: null, column: null, key, ...(params ? { params } : {}) },
  });
  if (bytes.length === 0) return fail('error.import.file.empty');
  if (startsWith(bytes, ZIP)) return { ok: true };
  if (startsWith(bytes, OLE)) return fail('error.import.file.ole');
  if (looksLikeText(bytes)) {
    const head = bytes.subarray(0, 3);
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    return fail('error.import.file.text', { encoding: bom || isUtf8(bytes) ? 'UTF-8' : 'Windows-1251' });
  }
  return fail('error.import.file.unknown');
}
