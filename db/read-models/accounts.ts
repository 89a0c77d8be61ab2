import { sql } from 'kysely';
import type { Db } from '../connect.ts';

// What the admin's account pages and a person's own account page show: sign-in method, last sign-in,
// lock, open sessions, invitations, the account's audit trail; and the claims → role / agency rules with
// their history.

/** People with their agency and sign-in bookkeeping, and what both account pages show of them. */
const accounts = (db: Db) =>
  db
    .selectFrom('app_user as u')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .leftJoin('account_login as l', 'l.user_id', 'u.id')
    .select([
      'u.id',
      'u.login',
      'u.display_name',
      'u.role',
      'u.disabled',
      'u.auth_source',
      'a.code as agency_code',
      'a.short_ru as agency_short',
      'a.short_en as agency_short_en',
      'a.title_ru as agency_title',
      'a.title_en as agency_title_en',
      'l.last_sign_in_at',
      'l.last_sign_in_via',
      'l.locked_until',
      'l.failed_count',
    ]);

export async function accountList(db: Db) {
  return accounts(db)
    .select([
      'u.position',
      'u.position_en',
      sql<number>`(select count(*) from session s where s.user_id = u.id and s.expires_at > now())::int`.as(
        'sessions',
      ),
    ])
    .orderBy('u.disabled')
    .orderBy('u.login')
    .execute();
}

export type AccountListRow = Awaited<ReturnType<typeof accountList>>[number];

/** The types of audit events about an account (event.data->>'userId'). */
export const ACCOUNT_EVENT_TYPES = [
  'account.locked',
  'account.unlocked',
  'account.sessions.revoked',
  'account.session.ended',
  'account.invite.created',
  'account.invite.used',
  'account.password.changed',
  'account.provisioned',
  'account.linked',
  'account.role.synced',
  'account.signInMethod.changed',
] as const;

export async function accountDetail(db: Db, userId: number) {
  const account = await accounts(db)
    .select(['u.email', 'u.notify_mode', 'u.oidc_issuer', 'u.oidc_subject', 'l.last_failed_at'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!account) return null;
  const [sessions, invite, events] = await Promise.all([
    db
      .selectFrom('session')
      .select(['created_at', 'last_seen_at', 'via'])
      .where('user_id', '=', userId)
      .where('expires_at', '>', sql<Date>`now()`)
      .orderBy('last_seen_at', 'desc')
      .execute(),
    db
      .selectFrom('account_invite')
      .select(['created_at', 'expires_at'])
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .orderBy('created_at', 'desc')
      .executeTakeFirst(),
    db
      .selectFrom('event as e')
      .leftJoin('app_user as actor', 'actor.id', 'e.actor_user_id')
      .select(['e.id', 'e.type', 'e.at', 'e.before', 'e.after', 'actor.display_name as actor_name'])
      .where('e.control_item_id', 'is', null)
      .where('e.type', 'in', [...ACCOUNT_EVENT_TYPES])
      .where(sql<string>`e.data->>'userId'`, '=', String(userId))
      .orderBy('e.at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(20)
      .execute(),
  ]);
  return { account, sessions, invite: invite ?? null, events };
}

export type AccountDetail = NonNullable<Awaited<ReturnType<typeof accountDetail>>>;

/** The rules in order, each with its agency's name. */
export async function ssoRuleList(db: Db) {
  return db
    .selectFrom('sso_rule as r')
    .leftJoin('agency as a', 'a.id', 'r.agency_id')
    .select([
      'r.id',
      'r.source',
      'r.claim',
      'r.value',
      'r.role',
      'r.agency_id',
      'a.code as agency_code',
      'a.short_ru as agency_short',
      'a.short_en as agency_short_en',
      'a.title_ru as agency_title',
      'a.title_en as agency_title_en',
    ])
    .orderBy('r.position')
    .orderBy('r.id')
    .execute();
}

export interface AuditedRule {
  source: string;
  claim: string;
  value: string;
  role: string | null;
  agency: string | number | null;
}

/** Changes of the rules, newest first: who, when, the whole list before and after. */
export async function ssoRuleHistory(db: Db, limit = 20) {
  const rows = await db
    .selectFrom('event as e')
    .leftJoin('app_user as actor', 'actor.id', 'e.actor_user_id')
    .select([
      'e.id',
      'e.at',
      'e.before',
      'e.after',
      'actor.display_name as actor_name',
      'actor.login as actor_login',
    ])
    .where('e.type', '=', 'sso.rules.changed')
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    ...r,
    before: (r.before ?? []) as AuditedRule[],
    after: (r.after ?? []) as AuditedRule[],
  }));
}
