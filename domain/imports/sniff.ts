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

/** What a file is, from its first bytes (never from its name or the browser's claim). */
export type FileKind = 'empty' | 'zip' | 'ole' | 'pdf' | 'html' | 'xml' | 'image' | 'text' | 'unknown';

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const IMAGES = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
];

/** The start of a text file as lower-case text, BOM and leading blanks dropped. */
function textHead(b: Uint8Array): string {
  const start = startsWith(b, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  return new TextDecoder('latin1')
    .decode(b.subarray(start, start + 1024))
    .trimStart()
    .toLowerCase();
}

/**
 * The kind of a file: an xlsx/docx (a zip), an old Office file or encrypted workbook (OLE), a PDF, a web
 * page (HTML, also a page saved with an .xlsx name — a common "export" of web systems), XML (e.g. Excel's
 * "XML Spreadsheet 2003"), an image, other text (CSV, TSV…), or unknown.
 */
export function fileKind(b: Uint8Array): FileKind {
  if (b.length === 0) return 'empty';
  if (startsWith(b, ZIP)) return 'zip';
  if (startsWith(b, OLE)) return 'ole';
  if (startsWith(b, PDF)) return 'pdf';
  if (IMAGES.some((sig) => startsWith(b, sig))) return 'image';
  if (looksLikeText(b)) {
    const head = textHead(b);
    if (/^(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<meta[\s>]|<table[\s>])/.test(head)) return 'html';
    if (head.startsWith('<?xml')) return /<(!doctype )?html[\s>]/.test(head) ? 'html' : 'xml';
    return 'text';
  }
  return 'unknown';
}

const NOT_A_WORKBOOK: Record<Exclude<FileKind, 'zip' | 'text'>, string> = {
  empty: 'error.import.file.empty',
  ole: 'error.import.file.ole',
  pdf: 'error.import.file.pdf',
  html: 'error.import.file.html',
  xml: 'error.import.file.xml',
  image: 'error.import.file.image',
  unknown: 'error.import.file.unknown',
};

/**
 * What kind of file arrived, from its first bytes: an .xlsx (a zip) passes; anything else is one clear
 * error naming what it is: an encrypted workbook or an old .xls (both OLE containers), a PDF document, a
 * web page, an XML file, an image, a text/CSV file (with the encoding we guessed, so "saved as CSV in
 * Windows-1251" is recognisable), an empty or unknown file.
 */
export function sniffSpreadsheet(bytes: Uint8Array): { ok: true } | { ok: false; issue: ImportIssue } {
  const fail = (key: string, params?: ImportIssue['params']) => ({
    ok: false as const,
    issue: { row: null, column: null, key, ...(params ? { params } : {}) },
  });
  const kind = fileKind(bytes);
  switch (kind) {
    case 'zip':
      return { ok: true };
    case 'text': {
      const bom = startsWith(bytes, [0xef, 0xbb, 0xbf]);
      return fail('error.import.file.text', { encoding: bom || isUtf8(bytes) ? 'UTF-8' : 'Windows-1251' });
    }
    default:
      return fail(NOT_A_WORKBOOK[kind]);
  }
}
