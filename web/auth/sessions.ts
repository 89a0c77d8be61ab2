import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { SessionUser } from '../env.ts';

export const SESSION_COOKIE = 'shtab_sid';
const TTL_HOURS = 12;
export const SESSION_MAX_AGE_SECONDS = TTL_HOURS * 3600;

const token = () => randomBytes(32).toString('base64url');
/** Only a hash of the cookie value is stored: a leaked table does not log anyone in. */
const idOf = (cookieValue: string) => createHash('sha256').update(cookieValue).digest('base64url');

export async function createSession(db: Db, userId: number, previousCookie?: string) {
  const cookieValue = token();
  const csrf = token();
  await db.transaction().execute(async (trx) => {
    // Rotation: a session id known before login (fixation) is dropped.
    if (previousCookie) await trx.deleteFrom('session').where('id', '=', idOf(previousCookie)).execute();
    await trx
      .insertInto('session')
      .values({
        id: idOf(cookieValue),
        user_id: userId,
        csrf_token: csrf,
        expires_at: sql<Date>`now() + make_interval(hours => ${TTL_HOURS})`,
      })
      .execute();
  });
  return { cookieValue, csrf, maxAgeSeconds: SESSION_MAX_AGE_SECONDS };
}

export async function loadSession(db: Db, cookieValue: string) {
  const row = await db
    .selectFrom('session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select([
      's.id as sessionId',
      's.csrf_token',
      's.last_seen_at',
      'u.id',
      'u.login',
      'u.display_name',
      'u.role',
      'u.agency_id',
      'u.locale',
      'u.disabled',
    ])
    .where('s.id', '=', idOf(cookieValue))
    .where('s.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row || row.disabled) return null;
  // Sliding expiry, written at most once a minute per session (the caller renews the cookie then too).
  const renewed = Date.now() - row.last_seen_at.getTime() > 60_000;
  if (renewed) {
    await db
      .updateTable('session')
      .set({ last_seen_at: sql`now()`, expires_at: sql`now() + make_interval(hours => ${TTL_HOURS})` })
      .where('id', '=', row.sessionId)
      .execute();
  }
  const user: SessionUser = {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    role: row.role,
    agencyId: row.agency_id,
    locale: row.locale,
  };
  return { sessionId: row.sessionId, csrf: row.csrf_token, user, renewed };
}

export async function destroySession(db: Db, cookieValue: string) {
  await db.deleteFrom('session').where('id', '=', idOf(cookieValue)).execute();
}

export async function purgeExpiredSessions(db: Db) {
  await db
    .deleteFrom('session')
    .where('expires_at', '<', sql<Date>`now()`)
    .execute();
}
