import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { ChangeFeed } from '../../db/change-feed.ts';
import { DATA_VERSION, parseDataVersion, type DataVersion } from '../../db/read-cache.ts';
import type { SessionUser } from './session-user.ts';

export const SESSION_COOKIE = 'shtab_sid';
const TTL_HOURS = 12;
export const SESSION_MAX_AGE_SECONDS = TTL_HOURS * 3600;

const token = () => randomBytes(32).toString('base64url');
/** Only a hash of the cookie value is stored: a leaked table does not log anyone in. */
const idOf = (cookieValue: string) => createHash('sha256').update(cookieValue).digest('base64url');

export interface NewSession {
  /** The cookie value the browser had before signing in: its session (if any) is dropped. */
  previousCookie?: string | undefined;
  /** How the person signed in; directory and provider sessions are re-checked (sessionMiddleware). */
  via?: 'local' | 'oidc' | 'ldap';
  /** The provider's refresh token, sealed (app/auth/oidc.ts). */
  sealedRefreshToken?: string | null;
}

export async function createSession(db: Db, userId: number, o: NewSession = {}) {
  const { previousCookie } = o;
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
        via: o.via ?? 'local',
        idp_refresh_token: o.sealedRefreshToken ?? null,
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
  /** Opened through the directory or the provider: how, and when the account was last confirmed active. */
  directory: { via: 'oidc' | 'ldap'; checkedAt: number } | null;
  /** The user's notices counter (migration 0017): moves when one of their notices is added or read. */
  notices: bigint;
}

/** One request's view of the database as it arrived: its session (if any) and the data version. */
export interface RequestState {
  session: LoadedSession | null;
  /** The read cache's data version (db/read-cache.ts) at a moment after the request arrived. */
  version: DataVersion;
}

interface SessionRow {
  version: string;
  sessionId: string | null;
  csrf_token: string;
  last_seen_at: Date;
  via: 'local' | 'oidc' | 'ldap';
  checked_at: Date;
  id: number;
  login: string;
  display_name: string;
  role: SessionUser['role'];
  agency_id: number | null;
  locale: SessionUser['locale'];
  disabled: boolean;
  notices: string;
}

const MAX_BATCH = 64;
/** The sliding expiry is written at most this often per session. */
const RENEW_AFTER_MS = 60_000;
const MAX_REMEMBERED = 10_000;

/**
 * Loads sessions together with the data version, batched: requests that arrive while a load is running
 * share the next one — one round trip for many page views under load (it was one per request, plus one
 * for the version). Each load starts after every request in it arrived, so a request still sees every
 * write committed before it, a sign-out or a disabled account at once included.
 *
 * With a change feed (db/change-feed.ts) a load's result is also kept, tagged with the feed's epoch, and a
 * request of a session read in the current epoch is answered from memory: no round trip until Postgres
 * reports a change, this process writes, the session's expiry is due to slide, or the feed is lost. What
 * that gives up is a window of the notice's own delivery time (about a millisecond on one host) in which
 * another process's commit is not yet seen; this process's own writes are seen at once (docs/decisions.md
 * §29).
 */
export function createSessionLoader(db: Db, feed?: ChangeFeed, o: { recheckMs?: number } = {}) {
  const recheckMs = o.recheckMs ?? Infinity;
  let queue: { id: string; resolve: (s: RequestState) => void; reject: (e: unknown) => void }[] = [];
  let running = false;
  /** The data version read in `epoch`, and the sessions read in it (each tagged with its own epoch). */
  let known: { epoch: number; version: DataVersion } | null = null;
  const remembered = new Map<string, { session: LoadedSession; seenAt: number; epoch: number }>();

  const recheckDue = (s: LoadedSession) =>
    s.directory !== null && Date.now() - s.directory.checkedAt >= recheckMs;

  function fromMemory(id: string): RequestState | null {
    if (!feed?.live() || !known || known.epoch !== feed.epoch()) return null;
    const r = remembered.get(id);
    if (!r || r.epoch !== known.epoch || Date.now() - r.seenAt > RENEW_AFTER_MS) return null;
    // A directory session due for its re-check goes the whole way (sessionMiddleware asks the directory).
    if (recheckDue(r.session)) return null;
    return { session: r.session, version: known.version };
  }

  async function run(batch: typeof queue) {
    // The epoch before the query: if it still stands after, nothing the query may have missed has happened.
    const epoch = feed?.live() ? feed.epoch() : null;
    const ids = [...new Set(batch.map((b) => b.id))];
    const { rows } = await sql<SessionRow>`
      select dv.v as version, s.id as "sessionId", s.csrf_token, s.last_seen_at, s.via, s.checked_at, u.id,
        u.login, u.display_name,
        u.role, u.agency_id, u.locale, u.disabled, coalesce(nv.v, 0)::text as notices
      from (${DATA_VERSION}) dv
      left join (session s join app_user u on u.id = s.user_id left join notice_version nv on nv.user_id = u.id)
        on s.id in (${sql.join(ids)}) and s.expires_at > now()`.execute(db);
    const version = parseDataVersion(rows[0]!.version);
    const found = new Map(rows.filter((r) => r.sessionId !== null).map((r) => [r.sessionId!, r]));
    const keep = epoch !== null && feed!.live() && feed!.epoch() === epoch;
    if (keep) {
      known = { epoch, version };
      if (remembered.size > MAX_REMEMBERED) remembered.clear();
    }
    for (const b of batch) {
      const row = found.get(b.id);
      if (!row || row.disabled) {
        b.resolve({ session: null, version });
        continue;
      }
      // Sliding expiry, written at most once a minute per session.
      const renewed = Date.now() - row.last_seen_at.getTime() > RENEW_AFTER_MS;
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
      const session: LoadedSession = {
        sessionId: b.id,
        csrf: row.csrf_token,
        user,
        renewed,
        directory: row.via === 'local' ? null : { via: row.via, checkedAt: row.checked_at.getTime() },
        notices: BigInt(row.notices),
      };
      if (keep) {
        remembered.set(b.id, {
          session: { ...session, renewed: false },
          seenAt: renewed ? Date.now() : row.last_seen_at.getTime(),
          epoch: epoch!,
        });
      }
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
    /**
     * What load() would answer, if it can be answered from memory now (change feed live, nothing changed
     * since the session was read, no expiry to slide); otherwise null.
     */
    peek: (cookieValue: string): RequestState | null => fromMemory(idOf(cookieValue)),
    /** Whether this session must be confirmed with its directory before the request goes on. */
    recheckDue,
    /** The directory confirmed the session just now (what is remembered of it says so too). */
    confirmed(sessionId: string) {
      const r = remembered.get(sessionId);
      if (r?.session.directory)
        r.session = { ...r.session, directory: { ...r.session.directory, checkedAt: Date.now() } };
    },
    /** The session of this cookie value (null: none, expired or disabled) and the data version. */
    load(cookieValue: string): Promise<RequestState> {
      const id = idOf(cookieValue);
      const memory = fromMemory(id);
      if (memory) return Promise.resolve(memory);
      return new Promise((resolve, reject) => {
        queue.push({ id, resolve, reject });
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
