import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  accountByLogin,
  accountByOidcSubject,
  lockStateOf,
  recordAuditEvent,
  recordSignIn,
  saveLockState,
  ssoRules,
  type AccountRow,
} from '../../db/accounts.ts';
import type { Db } from '../../db/index.ts';
import type { AuthSource } from '../../db/schema/index.ts';
import {
  accountRole,
  afterFailure,
  lockedAt,
  minutesLeft,
  resolveMapping,
  type Claims,
  type LockoutPolicy,
} from '../../domain/accounts/index.ts';
import type { LdapDirectory } from './ldap.ts';
import type { OidcClient } from './oidc.ts';
import { hashPassword, verifyPassword } from './password.ts';

export interface AuthSettings {
  lockout: LockoutPolicy;
  /** Failed sign-ins from one address (any logins) in the lockout window before it must wait. */
  addressMaxFailures: number;
  /** A directory or provider session is confirmed again at its first request this long after the last. */
  recheckSeconds: number;
  /** How long an invitation link works. */
  inviteHours: number;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  lockout: { maxFailures: 5, lockMinutes: 15, windowMinutes: 15 },
  // A ministry's staff share one address behind its NAT: the address limit is looser than the account's.
  addressMaxFailures: 30,
  recheckSeconds: 60,
  inviteHours: 72,
};

/** Single sign-on as configured: either directory may be absent. */
export interface AuthRuntime {
  oidc: OidcClient | null;
  ldap: LdapDirectory | null;
  settings: AuthSettings;
}

export interface AuthDeps {
  db: Db;
  log: Logger;
  auth: AuthRuntime;
}

export type SignInRefusal =
  /** `known`: the login names an account (its failures are counted there); for the edge's limiter only. */
  | { ok: false; reason: 'invalid'; known: boolean }
  | { ok: false; reason: 'locked'; minutes: number }
  | { ok: false; reason: 'directoryUnavailable' }
  /** Signed in at the directory, but Shtab has no role for them (no rule matched a new account). */
  | { ok: false; reason: 'noRole' | 'noAgency' }
  /** The directory's login belongs to a Shtab account that signs in another way. */
  | { ok: false; reason: 'loginTaken' }
  | { ok: false; reason: 'disabled' };

export type SignInResult = { ok: true; userId: number; via: AuthSource } | SignInRefusal;

// Unknown logins are checked against this hash too, so the answer takes as long as for a real user and
// timing does not tell which logins exist.
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword('not-a-password'));

async function countFailure(deps: AuthDeps, user: AccountRow, ip: string) {
  const { db, log, auth } = deps;
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    const before = await lockStateOf(trx, user.id);
    const after = afterFailure(before, now, auth.settings.lockout);
    await saveLockState(trx, user.id, after);
    if (after.lockedUntil && !lockedAt(before, now)) {
      log.warn({ userId: user.id, ip }, 'account locked after repeated failed sign-ins');
      await recordAuditEvent(trx, {
        key: `account.locked:${randomUUID()}`,
        type: 'account.locked',
        actorUserId: null,
        after: { lockedUntil: after.lockedUntil.toISOString(), failures: after.failedCount },
        data: { userId: user.id, ip },
      });
    }
  });
}

/**
 * The sign-in form: a local account checks its argon2 hash; anyone else is asked of the LDAP directory
 * (when one is configured), and a directory account is matched or created as for the OpenID provider.
 * Per-account lockout is counted here; the per-address limit is the edge's (web/routes/auth.tsx).
 */
export async function signInWithPassword(
  deps: AuthDeps,
  o: { login: string; password: string; ip: string },
): Promise<SignInResult> {
  const { db, auth } = deps;
  const user = await accountByLogin(db, o.login);
  const lock = user ? await lockStateOf(db, user.id) : null;
  const now = new Date();
  if (user && lockedAt(lock, now))
    return { ok: false, reason: 'locked', minutes: minutesLeft(lock!.lockedUntil!, now) };

  // The directory is asked only for logins that are not a Shtab account of another kind.
  if (!auth.ldap || (user && user.auth_source !== 'ldap')) {
    const matches = await verifyPassword(
      (user?.auth_source === 'local' && user.password_hash) || (await dummy()),
      o.password,
    );
    // A disabled account is refused like a wrong password: no hint that the login exists.
    if (!user || user.disabled || user.auth_source !== 'local' || !matches || !user.password_hash) {
      if (user) await countFailure(deps, user, o.ip);
      return { ok: false, reason: 'invalid', known: user !== undefined };
    }
    await recordSignIn(db, user.id, 'local');
    return { ok: true, userId: user.id, via: 'local' };
  }

  const answer = await auth.ldap.authenticate(o.login, o.password);
  if (!answer.ok) {
    if (answer.reason === 'unreachable') {
      deps.log.warn({ err: answer.detail }, 'LDAP directory unreachable at sign-in');
      return { ok: false, reason: 'directoryUnavailable' };
    }
    if (user) await countFailure(deps, user, o.ip);
    return { ok: false, reason: 'invalid', known: user !== undefined };
  }
  const e = answer.entry;
  return directorySignIn(deps, {
    source: 'ldap',
    login: e.login,
    displayName: e.displayName,
    email: e.email,
    claims: e.claims,
  });
}

export interface DirectoryIdentity {
  source: 'oidc' | 'ldap';
  /** OpenID: the provider's issuer and subject (the account's lasting link). */
  issuer?: string;
  subject?: string;
  login: string;
  displayName: string;
  email: string | null;
  claims: Claims;
}

const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

/**
 * A person the directory or the provider vouched for, as a Shtab account. Matching, in this order:
 * OpenID — the account linked to (issuer, subject); else an unlinked account prepared for OpenID sign-in
 * whose login equals the username claim (it gets linked). LDAP — the directory account with the same login
 * (case aside). No match: a new account, if the rules give it a role. Emails are never used to match: a
 * person can often change their own at the provider. The rules' role and agency are applied at every
 * sign-in (the directory is the source of truth where a rule matches); changes are audited.
 */
export async function directorySignIn(deps: AuthDeps, id: DirectoryIdentity): Promise<SignInResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.db.transaction().execute(async (trx) => {
        let user: AccountRow | undefined;
        let link = false;
        if (id.source === 'oidc') {
          user = await accountByOidcSubject(trx, id.issuer!, id.subject!);
          if (!user) {
            const byLogin = await accountByLogin(trx, id.login);
            if (byLogin && (byLogin.auth_source !== 'oidc' || byLogin.oidc_subject !== null))
              return { ok: false, reason: 'loginTaken' } as const;
            user = byLogin;
            link = user !== undefined;
          }
        } else {
          user = await accountByLogin(trx, id.login);
          if (user && user.auth_source !== 'ldap') return { ok: false, reason: 'loginTaken' } as const;
        }
        if (user?.disabled) return { ok: false, reason: 'disabled' } as const;

        const rules = await ssoRules(trx);
        const mapped = resolveMapping(rules, id.source, id.claims);
        const outcome = accountRole(user ? { role: user.role, agencyId: user.agency_id } : null, mapped);
        if (!outcome.ok) return { ok: false, reason: outcome.reason } as const;
        const rulesUsed = { roleRule: mapped.roleRule, agencyRule: mapped.agencyRule };

        let userId: number;
        if (!user) {
          const row = await trx
            .insertInto('app_user')
            .values({
              login: id.login,
              display_name: id.displayName,
              email: id.email,
              password_hash: null,
              role: outcome.role,
              agency_id: outcome.agencyId,
              auth_source: id.source,
              oidc_issuer: id.source === 'oidc' ? id.issuer! : null,
              oidc_subject: id.source === 'oidc' ? id.subject! : null,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          userId = row.id;
          await recordAuditEvent(trx, {
            key: `account.provisioned:${randomUUID()}`,
            type: 'account.provisioned',
            actorUserId: null,
            after: { login: id.login, role: outcome.role, agencyId: outcome.agencyId, via: id.source },
            data: { userId, ...rulesUsed },
          });
        } else {
          userId = user.id;
          const before = { role: user.role, agencyId: user.agency_id };
          const after = { role: outcome.role, agencyId: outcome.agencyId };
          const changedRole = before.role !== after.role || before.agencyId !== after.agencyId;
          await trx
            .updateTable('app_user')
            .set({
              display_name: id.displayName,
              ...(id.email ? { email: id.email } : {}),
              role: outcome.role,
              agency_id: outcome.agencyId,
              ...(link ? { oidc_issuer: id.issuer!, oidc_subject: id.subject! } : {}),
            })
            .where('id', '=', userId)
            .execute();
          if (changedRole || link) {
            await recordAuditEvent(trx, {
              key: `account.directory:${randomUUID()}`,
              type: link ? 'account.linked' : 'account.role.synced',
              actorUserId: null,
              before,
              after,
              data: { userId, via: id.source, ...rulesUsed },
            });
          }
        }
        await recordSignIn(trx, userId, id.source);
        return { ok: true, userId, via: id.source } as const;
      });
    } catch (e) {
      // Two first sign-ins of one person at once: the second finds the account the first created.
      if (attempt === 0 && isUniqueViolation(e)) continue;
      throw e;
    }
  }
}
