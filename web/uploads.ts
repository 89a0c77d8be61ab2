import { validation } from '../domain/errors.ts';

/** Files one submission may carry. The per-file size limit is config.uploadMaxBytes. */
export const MAX_FILES = 5;

interface FileType {
  mime: string;
  /** Does the content look like this type? Checked on the bytes, never on what the browser claims. */
  looksRight(b: Uint8Array): boolean;
}

const startsWith = (b: Uint8Array, ...sig: number[]) => sig.every((x, i) => b[i] === x);
const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));
const PDF = ascii('%PDF-');
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const RTF = ascii('{\\rtf');

const isZip = (b: Uint8Array) => startsWith(b, ...ZIP);
/** OpenDocument: the first zip entry is an uncompressed "mimetype" file naming the type. */
const isOdf = (kind: string) => (b: Uint8Array) =>
  isZip(b) &&
  new TextDecoder('latin1').decode(b.subarray(30, 38)) === 'mimetype' &&
  new TextDecoder('latin1')
    .decode(b.subarray(38, 38 + 60))
    .startsWith(`application/vnd.oasis.opendocument.${kind}`);
/** Plain text: no NUL bytes at the start (binary files nearly always have some). */
const isText = (b: Uint8Array) => !b.subarray(0, 8192).includes(0);

const OOXML = 'application/vnd.openxmlformats-officedocument';
const TYPES: Record<string, FileType> = {
  pdf: { mime: 'application/pdf', looksRight: (b) => startsWith(b, ...PDF) },
  doc: { mime: 'application/msword', looksRight: (b) => startsWith(b, ...OLE2) },
  xls: { mime: 'application/vnd.ms-excel', looksRight: (b) => startsWith(b, ...OLE2) },
  ppt: { mime: 'application/vnd.ms-powerpoint', looksRight: (b) => startsWith(b, ...OLE2) },
  docx: { mime: `${OOXML}.wordprocessingml.document`, looksRight: isZip },
  xlsx: { mime: `${OOXML}.spreadsheetml.sheet`, looksRight: isZip },
  pptx: { mime: `${OOXML}.presentationml.presentation`, looksRight: isZip },
  odt: { mime: 'application/vnd.oasis.opendocument.text', looksRight: isOdf('text') },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', looksRight: isOdf('spreadsheet') },
  odp: { mime: 'application/vnd.oasis.opendocument.presentation', looksRight: isOdf('presentation') },
  rtf: { mime: 'application/rtf', looksRight: (b) => startsWith(b, ...RTF) },
  txt: { mime: 'text/plain; charset=utf-8', looksRight: isText },
  csv: { mime: 'text/csv; charset=utf-8', looksRight: isText },
  png: { mime: 'image/png', looksRight: (b) => startsWith(b, ...PNG) },
  jpg: { mime: 'image/jpeg', looksRight: (b) => startsWith(b, ...JPEG) },
  jpeg: { mime: 'image/jpeg', looksRight: (b) => startsWith(b, ...JPEG) },
  zip: { mime: 'application/zip', looksRight: (b) => isZip(b) || startsWith(b, ...EMPTY_ZIP) },
};

/** Extensions accepted, for the form's `accept` attribute and the hint next to it. */
export const ALLOWED_EXTENSIONS = Object.keys(TYPES);

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A file name fit to store and show: the last path segment (some browsers send a full path), without
 * control and bidi-override characters (a name must not pretend to be "txt.exe" reversed), at most 200
 * characters with the extension kept.
 */
export function safeFilename(raw: string): string {
  const base = (raw.split(/[\\/]/).pop() ?? '').normalize('NFC').replace(CONTROL, '').trim();
  const name = base.replace(/^\.+/, '') || 'file';
  if (name.length <= 200) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return name.slice(0, 200 - ext.length) + ext;
}

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

export interface CheckedFile {
  filename: string;
  mime: string;
  bytes: Uint8Array;
}

/**
 * The files of a form field, checked: count, size, extension on the allow-list and content that matches
 * it. Empty file inputs (a part with no name and no bytes) are skipped. Errors name the field `files`.
 */
export async function checkUploads(value: unknown, maxBytes: number): Promise<CheckedFile[]> {
  const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is File => v instanceof File && !(v.name === '' && v.size === 0),
  );
  if (list.length > MAX_FILES) {
    throw validation('files', 'error.upload.tooMany', `at most ${MAX_FILES} files`, { max: MAX_FILES });
  }
  const out: CheckedFile[] = [];
  for (const f of list) {
    const filename = safeFilename(f.name);
    if (f.size > maxBytes) {
      throw validation('files', 'error.upload.tooBig', `${filename} is larger than ${maxBytes} bytes`, {
        name: filename,
        mb: megabytes(maxBytes),
      });
    }
    if (f.size === 0)
      throw validation('files', 'error.upload.empty', `${filename} is empty`, { name: filename });
    const type = TYPES[extensionOf(filename)];
    if (!type) {
      throw validation('files', 'error.upload.type', `${filename}: type not allowed`, {
        name: filename,
        allowed: ALLOWED_EXTENSIONS.join(', '),
      });
    }
    const bytes = new Uint8Array(await f.arrayBuffer());
    if (!type.looksRight(bytes)) {
      throw validation('files', 'error.upload.content', `${filename}: content does not match its type`, {
        name: filename,
      });
    }
    out.push({ filename, mime: type.mime, bytes });
  }
  return out;
}

export const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** RFC 5987 / 6266: an ASCII fallback name plus the exact UTF-8 name, both safe in a header. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const exact = encodeURIComponent(filename).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

export interface ParsedLink {
  url: string;
  title?: string;
}

export const MAX_LINKS = 10;

/**
 * Links from a textarea, one per line: a URL, optionally followed by a title. Only http(s) URLs pass;
 * anything else (javascript:, data:, file:) is refused with the line number.
 */
export function parseLinks(raw: string): ParsedLink[] {
  const lines = raw
    .split(/\r?\n/)
    .map((l, i) => ({ line: i + 1, text: l.trim() }))
    .filter((l) => l.text !== '');
  if (lines.length > MAX_LINKS) {
    throw validation('links', 'error.links.tooMany', `at most ${MAX_LINKS} links`, { max: MAX_LINKS });
  }
  return lines.map(({ line, text }) => {
    const [first = '', ...rest] = text.split(/\s+/);
    let url: URL | null = null;
    try {
      url = new URL(first);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
      throw validation('links', 'error.links.bad', `line ${line}: not an http(s) link`, { line });
    }
    if (first.length > 2000) throw validation('links', 'error.links.bad', `line ${line}: too long`, { line });
    const title = rest.join(' ').slice(0, 300);
    return title ? { url: url.href, title } : { url: url.href };
  });
}

/** A stored link's href, or null when it is not http(s) (old data, hostile input): shown as text then. */
export function safeHref(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
