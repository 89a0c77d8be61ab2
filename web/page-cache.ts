import type { IncomingMessage } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { stillCurrent, type DataVersion } from '../db/read-cache.ts';
import { instantToLocalDate } from '../domain/local-date.ts';
import { LANG_COOKIE, localeOf, type SessionEnv } from './auth/middleware.ts';
import { SESSION_COOKIE, type SessionLoader } from './auth/sessions.ts';
import { FRESH_ID, joinBytesWithFreshIds, joinWithFreshIds } from './fresh-ids.ts';
import { FLASH_COOKIE } from './flash.ts';

// The pages everyone keeps open — dashboard, league table, agency and life-situation pages, roadmap list,
// inbox — answered from memory while the data has not changed. An entry is one whole response for one
// session (its header shows the user, the unread badge and the CSRF token), one URL, one language and one
// kind of htmx request, tagged with the data version it was rendered at (db/read-cache.ts; every table a
// page shows bumps its kind's counter) and the user's notices counter (the unread badge: migration 0017, so
// one person's new notice keeps everyone else's pages). The session and the version
// come from web/auth/sessions.ts: read for the request, or known current from Postgres change notices
// (db/change-feed.ts, docs/decisions.md §29), so a sign-out, a disabled account or any write takes effect
// at the next request once it is known. Entries keep a gzip copy: browsers always accept it, and the
// dashboard's 140 KB of table markup shrink tenfold.

/** Paths whose GET response depends only on the key below (the item page's per-response idempotency keys
 *  are filled in as it is sent: web/fresh-ids.ts). */
const CACHEABLE = /^\/(?:dashboard|agencies(?:\/\d+)?|life-situations(?:\/\d+)?|items(?:\/\d+)?|inbox)?$/;

interface Entry {
  version: DataVersion;
  /** The user's notices counter the page was rendered at (the badge, and the inbox's list). */
  notices: bigint;
  headers: [string, string][];
  /** The response headers of a hit without Set-Cookie, plain and gzipped (built once, sent as they are). */
  sendHeaders: { plain: Record<string, string>; gzip: Record<string, string> };
  body: Uint8Array;
  gzip: Uint8Array | null;
  /** A page with fresh ids: its text between them (sent uncompressed, ids filled in per response). */
  parts: string[] | null;
  /** The same parts encoded, for hits answered without Hono (cachedPageHits). */
  partBytes: Uint8Array[] | null;
  bytes: number;
}

/** What the page cache reads (set by sessionMiddleware) and sets. */
export type PageCacheEnv = {
  Variables: SessionEnv['Variables'] & {
    /** The page cache fills in fresh ids (web/fresh-ids.ts) as it sends; c.html leaves them. */
    freshIdsLater: boolean;
  };
};

export interface PageCache {
  /**
   * The page kept under `key` at `version` and `notices` or later; `countMiss: false` when another lookup
   * follows.
   */
  lookup(key: string, version: DataVersion, notices: bigint, countMiss?: boolean): Entry | undefined;
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
    lookup(key, version, notices, countMiss = true) {
      const e = entries.get(key);
      // Every kind of data: each cached page shows items and names agencies, and most show more.
      if (!e || e.notices < notices || !stillCurrent(e.version, version)) {
        if (countMiss) misses++;
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

type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * The request's headers as Node parsed them (lower-case names). Reading them through the WHATWG Request
 * would make @hono/node-server build a Headers object for every request, a tenth of a cached hit's time.
 */
function requestHeaders(c: Context<PageCacheEnv>): RequestHeaders {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming ? incoming.headers : Object.fromEntries(c.req.raw.headers);
}

/** One cookie's value from a Cookie header (ours are base64url or a language code: nothing to decode). */
function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** What an entry is kept under: the session, language, day, kind of htmx request and URL. */
function pageKey(
  c: Context<PageCacheEnv>,
  h: RequestHeaders,
  sessionId: string,
  locale: string,
  today: string,
) {
  const url = c.req.url;
  const hx = Object.keys(h)
    .filter((k) => k.startsWith('hx-'))
    .sort()
    .map((k) => `${k}=${String(h[k])}`)
    .join('&');
  return [sessionId, locale, today, hx, url.slice(url.indexOf('/', 8))].join('\n');
}

/**
 * The first thing a request meets: a kept page whose session and data version are known current without
 * asking the database (web/auth/sessions.ts `peek`, with a change feed) is sent before any other
 * middleware runs. Anything else goes on to the full chain, where pageCacheMiddleware looks again. A
 * directory session due for its re-check is never "known current" (`peek` says no), so it always reaches
 * sessionMiddleware, which asks the directory first (docs/decisions.md §34).
 */
export function cachedPageHits(o: {
  cache: PageCache;
  loader: SessionLoader;
  utcOffsetMinutes: number;
}): MiddlewareHandler<PageCacheEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET' || !CACHEABLE.test(c.req.path)) return next();
    const h = requestHeaders(c);
    // A page carrying the last action's message (web/flash.ts) is shown once, never kept.
    if (cookieValue(h.cookie, FLASH_COOKIE)) return next();
    const cookie = cookieValue(h.cookie, SESSION_COOKIE);
    const state = cookie ? o.loader.peek(cookie) : null;
    if (!state?.session) return next();
    const locale = localeOf(cookieValue(h.cookie, LANG_COOKIE), state.session.user);
    const today = instantToLocalDate(Date.now(), o.utcOffsetMinutes);
    const hit = o.cache.lookup(
      pageKey(c, h, state.session.sessionId, locale, today),
      state.version,
      state.session.notices,
      false,
    );
    if (!hit) return next();
    const accept = h['accept-encoding'];
    if (hit.gzip && acceptsGzip(typeof accept === 'string' ? accept : undefined))
      return new Response(hit.gzip as Uint8Array<ArrayBuffer>, { headers: hit.sendHeaders.gzip });
    const body = hit.partBytes ? joinBytesWithFreshIds(hit.partBytes) : hit.body;
    return new Response(body as Uint8Array<ArrayBuffer>, { headers: hit.sendHeaders.plain });
  };
}

/** Serves the cacheable pages from `cache`, and fills it with what the handlers render. */
export function pageCacheMiddleware({
  cache,
  utcOffsetMinutes,
}: {
  cache: PageCache;
  /** The region's offset: an entry is kept for one region day ("overdue" changes at midnight). */
  utcOffsetMinutes: number;
}): MiddlewareHandler<PageCacheEnv> {
  return async (c, next) => {
    const version = c.get('dataVersion');
    const notices = c.get('noticeVersion');
    const sessionId = c.get('sessionId');
    if (
      c.req.method !== 'GET' ||
      !sessionId ||
      version === null ||
      notices === null ||
      !CACHEABLE.test(c.req.path)
    )
      return next();
    const h = requestHeaders(c);
    if (cookieValue(h.cookie, FLASH_COOKIE)) return next();
    const today = instantToLocalDate(Date.now(), utcOffsetMinutes);
    const key = pageKey(c, h, sessionId, c.get('locale'), today);
    const gzip = acceptsGzip(c.req.header('accept-encoding'));
    const hit = cache.lookup(key, version, notices);
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
    const headers = [...res.headers].filter(([k]) => k !== 'set-cookie' && k !== 'content-length');
    const plain = { ...Object.fromEntries(headers), vary: 'Accept-Encoding' };
    const entry: Entry = {
      version,
      notices,
      headers,
      sendHeaders: { plain, gzip: { ...plain, 'content-encoding': 'gzip' } },
      body,
      gzip: zipped,
      parts,
      partBytes: parts && parts.map((p) => Buffer.from(p)),
      bytes: body.byteLength * (parts ? 2 : 1) + (zipped?.byteLength ?? 0) + key.length,
    };
    if (keep) cache.store(key, entry);
    c.res = undefined;
    c.res = send(c, entry, gzip, res.status);
  };
}

function send(c: Context<PageCacheEnv>, e: Entry, gzip: boolean, status = 200) {
  const headers: Record<string, string> = Object.fromEntries(e.headers);
  headers.vary = 'Accept-Encoding';
  if (e.parts) return c.body(joinWithFreshIds(e.parts), status as 200, headers);
  if (gzip && e.gzip) headers['content-encoding'] = 'gzip';
  return c.body((gzip && e.gzip ? e.gzip : e.body) as Uint8Array<ArrayBuffer>, status as 200, headers);
}
