import { sql, type Transaction } from 'kysely';
import type { LockState, SsoRule } from '../domain/accounts/index.ts';
import type { Db } from './connect.ts';
import type { AuthSource, DB } from './schema/index.ts';

// Accounts as sign-in sees them, and the writes of app/auth. Sign-in bookkeeping (account_login) and
// invitations are outside the read version: no cached page shows them.

type Q = Db | Transaction<DB>;

export interface AccountRow {
  id: number;
  login: string;
  display_name: string;
  email: string | null;
  password_hash: string | null;
  role: DB['app_user']['role'];
  agency_id: number | null;
  disabled: boolean;
  auth_source: AuthSource;
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

const ACCOUNT_COLUMNS = [
  'id',
  'login',
  'display_name',
  'email',
  'password_hash',
  'role',
  'agency_id',
  'disabled',
  'auth_source',
  'oidc_issuer',
  'oidc_subject',
] as const;

/** The account with exactly this login, else the one whose login differs only in case. */
export async function accountByLogin(q: Q, login: string): Promise<AccountRow | undefined> {
  return q
    .selectFrom('app_user')
    .select(ACCOUNT_COLUMNS)
    .where(sql<boolean>`lower(login) = lower(${login})`)
    .orderBy(sql`login = ${login}`, 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export async function accountById(q: Q, id: number): Promise<AccountRow | undefined> {
  return q.selectFrom('app_user').select(ACCOUNT_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function accountByOidcSubject(q: Q, issuer: string, subject: string) {
  return q
    .selectFrom('app_user')
    .select(ACCOUNT_COLUMNS)
    .where('oidc_issuer', '=', issuer)
    .where('oidc_subject', '=', subject)
    .executeTakeFirst();
}

export async function lockStateOf(q: Q, userId: number): Promise<LockState | null> {
  const r = await q
    .selectFrom('account_login')
    .select(['failed_count', 'last_failed_at', 'locked_until'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r
    ? { failedCount: r.failed_count, lastFailedAt: r.last_failed_at, lockedUntil: r.locked_until }
    : null;
}

export async function saveLockState(q: Q, userId: number, s: LockState) {
  const values = { failed_count: s.failedCount, last_failed_at: s.lastFailedAt, locked_until: s.lockedUntil };
  await q
    .insertInto('account_login')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

/** A good sign-in: the failure count and any lock cleared, the moment and the way kept. */
export async function recordSignIn(q: Q, userId: number, via: AuthSource | 'invite') {
  const values = {
    failed_count: 0,
    locked_until: null,
    last_sign_in_at: sql<Date>`now()`,
    last_sign_in_via: via,
  };
  await q
    .insertInto('account_login')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

export async function clearLock(q: Q, userId: number) {
  await q
    .updateTable('account_login')
    .set({ failed_count: 0, locked_until: null })
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteSessionsOf(q: Q, userId: number, except?: string) {
  let d = q.deleteFrom('session').where('user_id', '=', userId);
  if (except) d = d.where('id', '<>', except);
  const r = await d.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The rules in the admin's order. */
export async function ssoRules(q: Q): Promise<SsoRule[]> {
  const rows = await q
    .selectFrom('sso_rule')
    .select(['id', 'source', 'claim', 'value', 'role', 'agency_id'])
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    claim: r.claim,
    value: r.value,
    role: r.role,
    agencyId: r.agency_id,
  }));
}

export { recordAuditEvent } from './events.ts';
