import type { Generated } from 'kysely';
import type { Role } from '../../domain/roles.ts';
import type { ClaimSource } from '../../domain/accounts/index.ts';
import type { CreatedAt, Timestamp } from './core.ts';

export type AuthSource = 'local' | 'oidc' | 'ldap';

/** Sign-in bookkeeping per account: failures in a row, the lock they set, the last good sign-in. */
export interface AccountLoginTable {
  user_id: number;
  failed_count: Generated<number>;
  last_failed_at: Timestamp | null;
  locked_until: Timestamp | null;
  last_sign_in_at: Timestamp | null;
  last_sign_in_via: AuthSource | 'invite' | null;
}

/** An invitation link set by an admin: only the hash of its token is kept; it works once. */
export interface AccountInviteTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_by: number | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** One claims → role / agency rule; the admin orders them, the first match of each kind wins. */
export interface SsoRuleTable {
  id: Generated<number>;
  position: number;
  source: ClaimSource;
  claim: string;
  value: string;
  role: Role | null;
  agency_id: number | null;
}

/** Tables of migration 0011-accounts-sso (app_user and session gain columns in core.ts). */
export interface AccountTables {
  account_login: AccountLoginTable;
  account_invite: AccountInviteTable;
  sso_rule: SsoRuleTable;
}
