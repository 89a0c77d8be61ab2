import { randomUUID } from 'node:crypto';

/**
 * Stands in a rendered page for a value that must be new in every response — the idempotency key of an
 * item form — so that the page itself can be cached (web/page-cache.ts) and the key filled in as it is
 * sent. A NUL never comes from data (Postgres text cannot hold it, forms refuse it), so the marker cannot
 * be forged by content.
 */
export const FRESH_ID = '\u0000fresh-id\u0000';

/** Each marker replaced by its own new UUID. */
export const fillFreshIds = (html: string): string =>
  html.includes(FRESH_ID) ? joinWithFreshIds(html.split(FRESH_ID)) : html;

/** The text between markers (html.split(FRESH_ID)) joined with new UUIDs. */
export function joinWithFreshIds(parts: readonly string[]): string {
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i++) out += randomUUID() + parts[i];
  return out;
}

const UUID_BYTES = 36;

/** The same as joinWithFreshIds for text already encoded (UTF-8): one buffer, no string to encode per response. */
export function joinBytesWithFreshIds(parts: readonly Uint8Array[]): Buffer {
  let size = (parts.length - 1) * UUID_BYTES;
  for (const p of parts) size += p.byteLength;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) at += out.write(randomUUID(), at, 'latin1');
    out.set(parts[i]!, at);
    at += parts[i]!.byteLength;
  }
  return out;
}
