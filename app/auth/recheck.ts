import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAuditEvent } from '../../db/accounts.ts';
import type { AuthDeps } from './sign-in.ts';

export interface SessionCheck {
  /** The session's id as stored (the hash of the cookie value). */
  sessionId: string;
  userId: number;
  login: string;
  via: 'oidc' | 'ldap';
}

/**
 * Asks the directory or the provider whether the account of a session opened through it is still active.
 * Yes: the session is confirmed until the next interval (and the provider's rotated refresh token kept).
 * No — disabled, deleted, or the provider refuses the refresh: the session is deleted (its deletion is
 * announced to every web process, db/change-feed.ts) and audited. A directory that cannot be reached does
 * not end sessions: they are confirmed for one more interval and the outage is logged (availability over
 * an immediacy nobody can have while the directory is down).
 */
export async function confirmSession(deps: AuthDeps, s: SessionCheck): Promise<'active' | 'ended'> {
  const { db, log, auth } = deps;
  let active: boolean | 'unreachable';
  let sealed: string | null = null;
  if (s.via === 'ldap') {
    const r = auth.ldap ? await auth.ldap.recheck(s.login) : { active: false };
    active = r === 'unreachable' ? r : r.active;
  } else {
    const row = await db
      .selectFrom('session')
      .select('idp_refresh_token')
      .where('id', '=', s.sessionId)
      .executeTakeFirst();
    if (!row) return 'ended';
    const r = auth.oidc ? await auth.oidc.recheck(row.idp_refresh_token) : { active: false as const };
    if (r === 'unreachable') active = r;
    else {
      active = r.active;
      if (r.active) sealed = r.sealedRefreshToken;
    }
  }
  if (active === 'unreachable')
    log.warn({ via: s.via, userId: s.userId }, 'directory unreachable at a session re-check');
  if (active !== false) {
    await db
      .updateTable('session')
      .set({ checked_at: sql<Date>`now()`, ...(sealed ? { idp_refresh_token: sealed } : {}) })
      .where('id', '=', s.sessionId)
      .execute();
    return 'active';
  }
  await db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('session').where('id', '=', s.sessionId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return;
    log.info(
      { userId: s.userId, via: s.via },
      'session ended: the account is no longer active in the directory',
    );
    await recordAuditEvent(trx, {
      key: `account.session.ended:${randomUUID()}`,
      type: 'account.session.ended',
      actorUserId: null,
      data: { userId: s.userId, via: s.via, reason: 'directory' },
    });
  });
  return 'ended';
}
