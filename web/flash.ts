import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { isHtmx, type SessionEnv } from './auth/middleware.ts';
import { hasKey } from './i18n/index.ts';

// "After every action a message at the top of the page, with the focus on it" (GOV.UK's notification
// banner). A handler says what happened with `flash(c, key, params)` and then answers as it always did:
// - a plain post redirects (PRG): `seeOther` keeps the message in a short-lived cookie, and the page the
//   browser lands on shows it once (the layout renders it, focused, at the top) and clears the cookie;
// - an htmx post answers with its fragment: this middleware adds the message out of band into #flash, and
//   htmx focuses it (autofocus) — the action forms scroll the window to the top as they swap;
// - a post that renders a whole page shows it in the layout directly.
// Pages with a message are never served from or stored in the page cache (web/page-cache.ts).

export const FLASH_COOKIE = 'shtab_flash';

export interface Flash {
  /** A message key of the flash.* family. */
  key: string;
  params?: Record<string, string | number>;
}

export interface FlashVariables {
  flash: Flash | null;
}
export type FlashEnv = { Variables: SessionEnv['Variables'] & FlashVariables };

/** What happened, in the page's language on the next thing the user sees. */
export function flash(
  c: { set(key: 'flash', value: Flash | null): void },
  key: string,
  params?: Flash['params'],
) {
  c.set('flash', params ? { key, params } : { key });
}

const encode = (f: Flash) => Buffer.from(JSON.stringify(f)).toString('base64url');

/** A cookie's flash, if it names a known message with plain parameters (anything else is dropped). */
export function decodeFlash(raw: string | undefined): Flash | null {
  if (!raw || raw.length > 2000) return null;
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null) return null;
    const { key, params } = v as { key?: unknown; params?: unknown };
    if (typeof key !== 'string' || !/^flash\.[\w.]+$/.test(key) || !hasKey(key)) return null;
    if (params === undefined) return { key };
    if (typeof params !== 'object' || params === null) return null;
    const out: Record<string, string | number> = {};
    for (const [k, x] of Object.entries(params).slice(0, 8)) {
      if (typeof x === 'number' && Number.isFinite(x)) out[k] = x;
      else if (typeof x === 'string') out[k] = x.slice(0, 300);
    }
    return { key, params: out };
  } catch {
    return null;
  }
}

/**
 * Reads a message left by the previous response (a redirect) and clears it once a page showed it; adds
 * the message of an htmx action to its fragment. `render` draws the #flash region (web/views/flash.tsx).
 */
export function flashMiddleware(o: {
  secureCookies: boolean;
  render: (c: Context<FlashEnv>, oob: boolean) => string;
}): MiddlewareHandler<FlashEnv> {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'Lax' as const, secure: o.secureCookies };
  return async (c, next) => {
    const carried = c.req.method === 'GET' ? decodeFlash(getCookie(c, FLASH_COOKIE)) : null;
    c.set('flash', carried);
    await next();
    const res = c.res;
    const html = res.headers.get('content-type')?.startsWith('text/html');
    if (carried && html && res.status < 300) deleteCookie(c, FLASH_COOKIE, cookieOptions);
    else if (!carried && c.req.method === 'GET' && getCookie(c, FLASH_COOKIE))
      deleteCookie(c, FLASH_COOKIE, cookieOptions);
    const now = c.get('flash');
    if (!now) return;
    if (res.status >= 300 && res.status < 400) {
      setCookie(c, FLASH_COOKIE, encode(now), { ...cookieOptions, maxAge: 120 });
      return;
    }
    // An htmx action's fragment: the message goes out of band to the top of the page.
    if (isHtmx(c) && html && res.status < 300 && c.req.method !== 'GET') {
      const body = await res.text();
      const headers = new Headers(res.headers);
      headers.delete('content-length');
      c.res = undefined;
      c.res = new Response(body + o.render(c, true), { status: res.status, headers });
    }
  };
}
