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
