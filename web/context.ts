import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { instantToLocalDate } from '../domain/local-date.ts';
import type { Actor } from '../domain/roles.ts';
import { ShtabError } from '../domain/errors.ts';
import type { ReadContext } from '../db/read-models/index.ts';
import type { DataVersion, Scope } from '../db/read-cache.ts';
import type { AppDeps, AppEnv, SessionUser } from './env.ts';

/** The region's calendar date now: what "overdue" and "today" mean on every page and API answer. */
export function readContextOf({ policy, config }: Pick<AppDeps, 'policy' | 'config'>): ReadContext {
  return { today: instantToLocalDate(Date.now(), policy.utcOffsetMinutes), timeZone: config.timeZone };
}
export const readContext = (c: Context<AppEnv>): ReadContext => readContextOf(c.get('deps'));

export function currentUser(c: Context<AppEnv>): SessionUser {
  const u = c.get('user');
  if (!u) throw new ShtabError('forbidden', 'sign in first', { key: 'error.forbidden' });
  return u;
}

export const actorOf = (u: SessionUser): Actor => ({ userId: u.id, role: u.role, agencyId: u.agencyId });

/** A positive integer path parameter, or 404. */
export function idParam(c: Context<AppEnv>, name = 'id'): number {
  const raw = c.req.param(name) ?? '';
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new ShtabError('not_found', `no such ${name}`, { key: 'error.notFound' });
  return n;
}

/** Localised title: the English one when shown in English and present. */
export const localized = (locale: string, ru: string, en: string | null | undefined) =>
  locale === 'en' && en ? en : ru;

/**
 * The client's address for rate limits and logs: the socket peer, or the first X-Forwarded-For hop when
 * the app runs behind a proxy it trusts (TRUST_PROXY=1). Trusting the header otherwise would let anyone
 * pick their own address.
 */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get('deps').config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * A heavy read through the process's read cache (db/read-cache.ts): reused until the data changes. The key
 * names the read and its arguments; today and the time zone are added, since "overdue" depends on them.
 */
export function cachedRead<T>(
  c: Context<AppEnv>,
  key: readonly (string | number)[],
  compute: (ctx: ReadContext) => Promise<T>,
  /** The kinds of data compute() reads, nested cached reads included (all of them unless named). */
  scopes?: readonly Scope[],
): Promise<T> {
  const ctx = readContext(c);
  // A GET writes nothing, so one counter read serves all its cached reads; a POST that renders after its
  // write reads the counter again.
  let at = c.req.method === 'GET' ? requestVersion.get(c) : undefined;
  if (!at) {
    const known = c.req.method === 'GET' ? c.get('dataVersion') : null;
    at = known !== null ? Promise.resolve(known) : c.get('readCache').version();
    requestVersion.set(c, at);
  }
  return c.get('readCache').get([...key, ctx.today, ctx.timeZone].join('|'), () => compute(ctx), at, scopes);
}

/** The data version as a GET request first read it. */
const requestVersion = new WeakMap<Context<AppEnv>, Promise<DataVersion>>();
