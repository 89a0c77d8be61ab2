import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { DEFAULT_AUTH_SETTINGS, type AuthDeps } from '../../app/auth/index.ts';
import type { AppEnv } from '../env.ts';
import { createSession, SESSION_COOKIE, type NewSession } from './sessions.ts';

/** The account use cases' dependencies as this request's app has them (no single sign-on by default). */
export function authDeps(c: Context<AppEnv>): AuthDeps {
  const { db, log, auth } = c.var.deps;
  return { db, log, auth: auth ?? { oidc: null, ldap: null, settings: DEFAULT_AUTH_SETTINGS } };
}

/** Signs the browser in as this account: a new session (any earlier one of this browser dropped). */
export async function openSession(c: Context<AppEnv>, userId: number, o: Omit<NewSession, 'previousCookie'>) {
  const { db, config } = c.var.deps;
  const session = await createSession(db, userId, { ...o, previousCookie: getCookie(c, SESSION_COOKIE) });
  setCookie(c, SESSION_COOKIE, session.cookieValue, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.secureCookies,
    path: '/',
    maxAge: session.maxAgeSeconds,
  });
}
