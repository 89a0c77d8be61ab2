import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './env.ts';
import { readContext } from './context.ts';
import { FRESH_ID, joinWithFreshIds } from './fresh-ids.ts';

// The pages everyone keeps open — dashboard, league table, agency and life-situation pages, roadmap list,
// inbox — answered from memory while the data has not changed. An entry is one whole response for one
// session (its header shows the user, the unread badge and the CSRF token), one URL, one language and one
// kind of htmx request, tagged with the data version it was rendered at (db/read-cache.ts; every table a
// page shows bumps that version, notifications included since migration 0007). The session and the version
// are still read for every request (web/auth/sessions.ts), so a sign-out, a disabled account or any write
// takes effect at the next request. Entries keep a gzip copy: browsers always accept it, and the
// dashboard's 140 KB of table markup shrink tenfold.

/** Paths whose GET response depends only on the key below (the item page's per-response idempotency keys
 *  are filled in as it is sent: web/fresh-ids.ts). */
const CACHEABLE = /^\/(?:agencies(?:\/\d+)?|life-situations(?:\/\d+)?|items(?:\/\d+)?|inbox)?$/;

interface Entry {
  version: bigint;
  headers: [string, string][];
  body: Uint8Array;
  gzip: Uint8Array | null;
  /** A page with fresh ids: its text between them (sent uncompressed, ids filled in per response). */
  parts: string[] | null;
  bytes: number;
}

export interface PageCache {
  lookup(key: string, version: bigint): Entry | undefined;
  store(key: string, entry: Entry): void;
  stats(): { hits: number; misses: number; entries: number; bytes: number };
}

export function createPageCache(opts: { maxBytes?: number } = {}): PageCache {
  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  const drop = (key: string) => {
    const e = entries.get(key);
    if (e) bytes -= e.bytes;
    entries.delete(key);
  };
  return {
    lookup(key, version) {
      const e = entries.get(key);
      if (!e || e.version < version) {
        misses++;
        return undefined;
      }
      hits++;
      // Most recently used last: eviction drops the oldest.
      entries.delete(key);
      entries.set(key, e);
      return e;
    },
    store(key, entry) {
      if (entry.bytes > maxBytes / 4) return;
      drop(key);
      entries.set(key, entry);
      bytes += entry.bytes;
      for (const k of entries.keys()) {
        if (bytes <= maxBytes) break;
        drop(k);
      }
    },
    stats: () => ({ hits, misses, entries: entries.size, bytes }),
  };
}

/** Whether an Accept-Encoding header takes gzip (by name or `*`, with a non-zero q). */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    if (name !== 'gzip' && name !== 'x-gzip' && name !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

/** Serves the cacheable pages from `cache`, and fills it with what the handlers render. */
export const pageCacheMiddleware = (cache: PageCache) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const version = c.get('dataVersion');
    if (c.req.method !== 'GET' || !c.get('sessionId') || version === null || !CACHEABLE.test(c.req.path))
      return next();
    const url = c.req.url;
    const hx = Object.entries(c.req.header())
      .filter(([k]) => k.startsWith('hx-'))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const key = [
      c.get('sessionId'),
      c.get('locale'),
      readContext(c).today,
      hx,
      url.slice(url.indexOf('/', 8)),
    ].join('\n');
    const gzip = acceptsGzip(c.req.header('accept-encoding'));
    const hit = cache.lookup(key, version);
    if (hit) return send(c, hit, gzip);

    c.set('freshIdsLater', true);
    await next();
    const res = c.res;
    if (!res.headers.get('content-type')?.startsWith('text/html')) return;
    const text = await res.text();
    const parts = text.includes(FRESH_ID) ? text.split(FRESH_ID) : null;
    const body = new TextEncoder().encode(text);
    const keep = res.status === 200;
    // Only a kept page is compressed; small ones gain little (gzip's header alone is 18 bytes).
    const zipped = keep && !parts && body.byteLength >= 1024 ? gzipSync(body, { level: 6 }) : null;
    const entry: Entry = {
      version,
      headers: [...res.headers].filter(([k]) => k !== 'set-cookie' && k !== 'content-length'),
      body,
      gzip: zipped,
      parts,
      bytes: body.byteLength + (zipped?.byteLength ?? 0) + key.length,
    };
    if (keep) cache.store(key, entry);
    c.res = undefined;
    c.res = send(c, entry, gzip, res.status);
  });

function send(c: Context<AppEnv>, e: Entry, gzip: boolean, status = 200) {
  const headers: Record<string, string> = Object.fromEntries(e.headers);
  headers.vary = 'Accept-Encoding';
  if (e.parts) return c.body(joinWithFreshIds(e.parts), status as 200, headers);
  if (gzip && e.gzip) headers['content-encoding'] = 'gzip';
  return c.body((gzip && e.gzip ? e.gzip : e.body) as Uint8Array<ArrayBuffer>, status as 200, headers);
}
