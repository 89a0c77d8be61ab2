import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ShtabError } from '../../domain/errors.ts';
import type { DataVersion } from '../../db/read-cache.ts';
import type { Role } from '../../domain/roles.ts';
import { isLocale, translator, type Locale, type Translate } from '../i18n/index.ts';
import type { SessionUser } from './session-user.ts';
import {
  SESSION_COOKIE,
  SESSION_MAX_AGE_SECONDS,
  type LoadedSession,
  type SessionLoader,
} from './sessions.ts';

// Each middleware here is a factory that takes what it needs (as hono/src/middleware/csrf does) and names
// the request variables it sets or reads in its own Env type. The app's AppEnv (web/env.ts) is built from
// these types, so nothing here imports it: no circle between the app's wiring and its middleware.

export const LANG_COOKIE = 'shtab_lang';
export const PRE_CSRF_COOKIE = 'shtab_pre';

/** What sessionMiddleware sets for every later handler. */
export interface SessionVariables {
  user: SessionUser | null;
  sessionId: string | null;
  csrfToken: string | null;
  /** The data version read with the session as the request arrived (null: no session cookie). */
  dataVersion: DataVersion | null;
  /** The signed-in user's notices counter read with it (null: nobody signed in). */
  noticeVersion: bigint | null;
  locale: Locale;
  t: Translate;
}
export type SessionEnv = { Variables: SessionVariables };

export const isHtmx = (c: Context) => c.req.header('HX-Request') === 'true';

/** The page language: the switch's cookie (its value), else the user's own, else Russian. */
export function localeOf(langCookie: string | undefined, user: SessionUser | null): Locale {
  return isLocale(langCookie) ? langCookie : (user?.locale ?? 'ru');
}

export interface SessionOptions {
  loader: SessionLoader;
  /** Cookies only over https (the public URL is https). */
  secureCookies: boolean;
  /**
   * Confirms a directory or provider session whose re-check is due (app/auth/recheck.ts). The request
   * waits for the answer; an ended session gets the sign-in page, whatever it asked for.
   */
  recheck?: (session: LoadedSession) => Promise<'active' | 'ended'>;
}

/** Where a request whose session the directory has just ended is sent. */
export const ENDED_LOGIN_PATH = '/login?ended=directory';

/** Session user (if any), their CSRF token and the page language. */
export function sessionMiddleware({
  loader,
  secureCookies,
  recheck,
}: SessionOptions): MiddlewareHandler<SessionEnv> {
  // Several requests of one session arriving while its check runs share that check.
  const checking = new Map<string, Promise<'active' | 'ended'>>();
  const confirm = (session: LoadedSession) => {
    let p = checking.get(session.sessionId);
    if (!p) {
      p = recheck!(session).finally(() => checking.delete(session.sessionId));
      checking.set(session.sessionId, p);
    }
    return p;
  };
  return async (c, next) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    const state = cookie ? await loader.load(cookie) : null;
    const session = state?.session ?? null;
    if (session && recheck && loader.recheckDue(session)) {
      if ((await confirm(session)) === 'ended') {
        deleteCookie(c, SESSION_COOKIE, {
          path: '/',
          httpOnly: true,
          sameSite: 'Lax',
          secure: secureCookies,
        });
        const url = new URL(c.req.url);
        const to = `${ENDED_LOGIN_PATH}&next=${encodeURIComponent(url.pathname + url.search)}`;
        if (isHtmx(c)) {
          c.header('HX-Location', to);
          return c.body(null, 401);
        }
        return c.redirect(to, 303);
      }
      loader.confirmed(session.sessionId);
    }
    c.set('dataVersion', state?.version ?? null);
    c.set('noticeVersion', session?.notices ?? null);
    if (session?.renewed && cookie) {
      // The database expiry slid forward; so must the browser's, or an active user is signed out anyway.
      setCookie(c, SESSION_COOKIE, cookie, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: secureCookies,
        path: '/',
        maxAge: SESSION_MAX_AGE_SECONDS,
      });
    }
    c.set('user', session?.user ?? null);
    c.set('sessionId', session?.sessionId ?? null);
    let csrf = session?.csrf ?? null;
    if (!session) {
      // Anonymous forms (login) use a double-submit token kept in its own cookie.
      csrf = getCookie(c, PRE_CSRF_COOKIE) ?? null;
      if (!csrf) {
        csrf = randomBytes(24).toString('base64url');
        setCookie(c, PRE_CSRF_COOKIE, csrf, {
          httpOnly: true,
          sameSite: 'Lax',
          secure: secureCookies,
          path: '/',
        });
      }
    }
    c.set('csrfToken', csrf);
    const locale = localeOf(getCookie(c, LANG_COOKIE), session?.user ?? null);
    c.set('locale', locale);
    c.set('t', translator(locale));
    await next();
  };
}

const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export interface CsrfOptions {
  /** The public URL: its origin is accepted besides the request's own. */
  publicUrl: string;
}

/**
 * CSRF for every state-changing request: the Origin (or Sec-Fetch-Site) must be ours, and the request
 * must carry the session's token — in the X-CSRF-Token header (htmx) or a `_csrf` form field.
 */
export function csrfMiddleware({ publicUrl }: CsrfOptions): MiddlewareHandler<SessionEnv> {
  const publicOrigin = new URL(publicUrl).origin;
  return async (c, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return next();
    const origin = c.req.header('origin');
    const own = [new URL(c.req.url).origin, publicOrigin];
    const site = c.req.header('sec-fetch-site');
    const originOk = origin ? own.includes(origin) : site === undefined || site === 'same-origin';
    let token = c.req.header('x-csrf-token');
    if (!token) {
      const type = c.req.header('content-type') ?? '';
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        const body = await c.req.parseBody();
        token = typeof body._csrf === 'string' ? body._csrf : undefined;
      }
    }
    const expected = c.get('csrfToken');
    if (!originOk || !token || !expected || !sameToken(token, expected)) {
      throw new ShtabError('forbidden', 'CSRF check failed', { key: 'error.csrf' });
    }
    await next();
  };
}

/** Signed-in users only: pages redirect to the login form, htmx requests get 401 + HX-Location. */
export function requireUser(): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    if (c.get('user')) return next();
    const url = new URL(c.req.url);
    const to = `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
    if (isHtmx(c)) {
      c.header('HX-Location', to);
      return c.body(null, 401);
    }
    return c.redirect(to, 303);
  };
}

/** Only these roles (403 for any other, and for nobody signed in). */
export function requireRole(...roles: Role[]): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    const u = c.get('user');
    if (!u) throw new ShtabError('forbidden', 'sign in first', { key: 'error.forbidden' });
    if (!roles.includes(u.role))
      throw new ShtabError('forbidden', `role ${u.role} may not do this`, { key: 'error.forbidden' });
    await next();
  };
}
