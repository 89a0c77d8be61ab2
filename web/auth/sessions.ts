import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { DATA_VERSION } from '../../db/read-cache.ts';
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

export interface LoadedSession {
  sessionId: string;
  csrf: string;
  user: SessionUser;
  /** The sliding expiry moved forward now: the caller renews the cookie too. */
  renewed: boolean;
}

/** One request's view of the database as it arrived: its session (if any) and the data version. */
export interface RequestState {
  session: LoadedSession | null;
  /** The read cache's data version (db/read-cache.ts) at a moment after the request arrived. */
  version: bigint;
}

interface SessionRow {
  version: string;
  sessionId: string | null;
  csrf_token: string;
  last_seen_at: Date;
  id: number;
  login: string;
  display_name: string;
  role: SessionUser['role'];
  agency_id: number | null;
  locale: SessionUser['locale'];
  disabled: boolean;
}

const MAX_BATCH = 64;

/**
 * Loads sessions together with the data version, batched: requests that arrive while a load is running
 * share the next one — one round trip for many page views under load (it was one per request, plus one
 * for the version). Each load starts after every request in it arrived, so a request still sees every
 * write committed before it, a sign-out or a disabled account at once included.
 */
export function createSessionLoader(db: Db) {
  let queue: { id: string; resolve: (s: RequestState) => void; reject: (e: unknown) => void }[] = [];
  let running = false;

  async function run(batch: typeof queue) {
    const ids = [...new Set(batch.map((b) => b.id))];
    const { rows } = await sql<SessionRow>`
      select dv.v as version, s.id as "sessionId", s.csrf_token, s.last_seen_at, u.id, u.login, u.display_name,
        u.role, u.agency_id, u.locale, u.disabled
      from (${DATA_VERSION}) dv
      left join (session s join app_user u on u.id = s.user_id)
        on s.id in (${sql.join(ids)}) and s.expires_at > now()`.execute(db);
    const version = BigInt(rows[0]!.version);
    const found = new Map(rows.filter((r) => r.sessionId !== null).map((r) => [r.sessionId!, r]));
    for (const b of batch) {
      const row = found.get(b.id);
      if (!row || row.disabled) {
        b.resolve({ session: null, version });
        continue;
      }
      // Sliding expiry, written at most once a minute per session.
      const renewed = Date.now() - row.last_seen_at.getTime() > 60_000;
      // The same session twice in one batch renews once.
      if (renewed) row.last_seen_at = new Date();
      const user: SessionUser = {
        id: row.id,
        login: row.login,
        displayName: row.display_name,
        role: row.role,
        agencyId: row.agency_id,
        locale: row.locale,
      };
      const session = { sessionId: b.id, csrf: row.csrf_token, user, renewed };
      if (!renewed) {
        b.resolve({ session, version });
        continue;
      }
      db.updateTable('session')
        .set({ last_seen_at: sql`now()`, expires_at: sql`now() + make_interval(hours => ${TTL_HOURS})` })
        .where('id', '=', b.id)
        .execute()
        .then(() => b.resolve({ session, version }), b.reject);
    }
  }

  function next() {
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(MAX_BATCH);
    run(batch)
      .catch((e: unknown) => batch.forEach((b) => b.reject(e)))
      .finally(() => {
        if (queue.length) next();
        else running = false;
      });
  }

  return {
    /** The session of this cookie value (null: none, expired or disabled) and the data version. */
    load(cookieValue: string): Promise<RequestState> {
      return new Promise((resolve, reject) => {
        queue.push({ id: idOf(cookieValue), resolve, reject });
        if (!running) {
          running = true;
          // Requests parsed in the same turn of the event loop join the first load too.
          queueMicrotask(next);
        }
      });
    },
  };
}

export type SessionLoader = ReturnType<typeof createSessionLoader>;

export async function destroySession(db: Db, cookieValue: string) {
  await db.deleteFrom('session').where('id', '=', idOf(cookieValue)).execute();
}

export async function purgeExpiredSessions(db: Db) {
  await db
    .deleteFrom('session')
    .where('expires_at', '<', sql<Date>`now()`)
    .execute();
}
