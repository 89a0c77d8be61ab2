import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { renderInvite } from './invite-mail.ts';
import {
  accountById,
  clearLock,
  deleteSessionsOf,
  recordAuditEvent,
  recordSignIn,
} from '../../db/accounts.ts';
import type { AuthSource } from '../../db/schema/index.ts';
import { passwordProblem } from '../../domain/accounts/index.ts';
import { conflict, notFound } from '../../domain/errors.ts';
import type { Actor } from '../../domain/roles.ts';
import { hashPassword, verifyPassword } from './password.ts';
import type { AuthDeps } from './sign-in.ts';

// What a person and an admin do with accounts: change one's own password, unlock, end sessions, issue an
// invitation link, choose how an account signs in. Every change is audited (event rows without an item).

type Deps = Pick<AuthDeps, 'db' | 'log'> & { auth: Pick<AuthDeps['auth'], 'settings'> };

async function existing(deps: Deps, userId: number) {
  const u = await accountById(deps.db, userId);
  if (!u) throw notFound('error.account.notFound', `account ${userId} not found`);
  return u;
}

export type PasswordProblems = Partial<Record<'current' | 'password' | 'repeat', string>>;

function newPasswordProblems(password: string, repeat: string, login: string): PasswordProblems {
  const p: PasswordProblems = {};
  const problem = passwordProblem(password, { login });
  if (problem) p.password = problem;
  else if (password !== repeat) p.repeat = 'error.password.mismatch';
  return p;
}

/**
 * A local account's own new password. Every other session of the account ends (someone who knew the old
 * password is signed out); the one making the change stays.
 */
export async function changeOwnPassword(
  deps: Deps,
  o: { userId: number; keepSessionId: string | null; current: string; password: string; repeat: string },
): Promise<{ ok: true; endedSessions: number } | { ok: false; problems: PasswordProblems }> {
  const u = await existing(deps, o.userId);
  if (u.auth_source !== 'local' || !u.password_hash)
    throw conflict(
      'error.account.directoryPassword',
      'directory accounts change their password in the directory',
    );
  if (!(await verifyPassword(u.password_hash, o.current)))
    return { ok: false, problems: { current: 'error.password.current' } };
  const problems = newPasswordProblems(o.password, o.repeat, u.login);
  if (o.password === o.current && !problems.password) problems.password = 'error.password.same';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const hash = await hashPassword(o.password);
  const ended = await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ password_hash: hash }).where('id', '=', u.id).execute();
    const n = await deleteSessionsOf(trx, u.id, o.keepSessionId ?? undefined);
    await recordAuditEvent(trx, {
      key: `account.password:${randomUUID()}`,
      type: 'account.password.changed',
      actorUserId: u.id,
      data: { userId: u.id, endedSessions: n },
    });
    return n;
  });
  return { ok: true, endedSessions: ended };
}

export async function unlockAccount(deps: Deps, actor: Actor, userId: number) {
  await existing(deps, userId);
  await deps.db.transaction().execute(async (trx) => {
    await clearLock(trx, userId);
    await recordAuditEvent(trx, {
      key: `account.unlocked:${randomUUID()}`,
      type: 'account.unlocked',
      actorUserId: actor.userId || null,
      data: { userId },
    });
  });
}

/** Ends every session of the account: its next request (in any web process) is the sign-in page. */
export async function revokeSessions(deps: Deps, actor: Actor, userId: number): Promise<number> {
  await existing(deps, userId);
  return deps.db.transaction().execute(async (trx) => {
    const n = await deleteSessionsOf(trx, userId);
    await recordAuditEvent(trx, {
      key: `account.sessions:${randomUUID()}`,
      type: 'account.sessions.revoked',
      actorUserId: actor.userId || null,
      data: { userId, sessions: n },
    });
    return n;
  });
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');
export const INVITE_PATH = '/invite/';

/**
 * A one-time link to set the account's password, valid for `inviteHours`. Its only plain copy is returned
 * (the admin sees it once) and, when mail is on and the person has an email, put in the outbox. Issuing a
 * new link voids the earlier ones. Only local accounts: directory people use the directory's password.
 */
export async function createInvite(
  deps: Deps,
  o: { actor: Actor; actorName: string; userId: number; publicUrl: string; mailEnabled: boolean },
): Promise<{ url: string; expiresAt: Date; emailedTo: string | null }> {
  const u = await existing(deps, o.userId);
  if (u.auth_source !== 'local')
    throw conflict('error.account.inviteDirectory', 'directory accounts sign in with the directory password');
  if (u.disabled) throw conflict('error.account.disabled', 'the account is disabled');
  const token = randomBytes(32).toString('base64url');
  const url = `${o.publicUrl}${INVITE_PATH}${token}`;
  const hours = deps.auth.settings.inviteHours;
  const expiresAt = new Date(Date.now() + hours * 3_600_000);
  const emailTo = o.mailEnabled && u.email ? u.email : null;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account_invite')
      .set({ used_at: sql<Date>`now()` })
      .where('user_id', '=', u.id)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .insertInto('account_invite')
      .values({
        user_id: u.id,
        token_hash: tokenHash(token),
        created_by: o.actor.userId || null,
        expires_at: expiresAt,
      })
      .execute();
    const key = `account.invite:${randomUUID()}`;
    if (emailTo) {
      const locale = (
        await trx.selectFrom('app_user').select('locale').where('id', '=', u.id).executeTakeFirstOrThrow()
      ).locale;
      const m = renderInvite({ name: u.display_name, url, hours, by: o.actorName }, locale);
      // No recipient user: the link is not kept in the person's in-app inbox.
      await trx
        .insertInto('notification')
        .values({
          idempotency_key: key,
          recipient_user_id: null,
          recipient_email: emailTo,
          control_item_id: null,
          kind: 'account_invite',
          locale,
          subject: m.subject,
          body_text: m.text,
          body_html: m.html,
        })
        .execute();
    }
    await recordAuditEvent(trx, {
      key,
      type: 'account.invite.created',
      actorUserId: o.actor.userId || null,
      after: { expiresAt: expiresAt.toISOString(), emailed: emailTo !== null },
      data: { userId: u.id },
    });
  });
  return { url, expiresAt, emailedTo: emailTo };
}

export type InviteState =
  | { ok: true; inviteId: number; userId: number; login: string; displayName: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** What an invitation link is now (read only). */
export async function inviteState(deps: Pick<Deps, 'db'>, token: string): Promise<InviteState> {
  if (!/^[\w-]{20,100}$/.test(token)) return { ok: false, reason: 'unknown' };
  const r = await deps.db
    .selectFrom('account_invite as i')
    .innerJoin('app_user as u', 'u.id', 'i.user_id')
    .select([
      'i.id',
      'i.used_at',
      'i.expires_at',
      'u.id as user_id',
      'u.login',
      'u.display_name',
      'u.disabled',
      'u.auth_source',
    ])
    .where('i.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!r || r.disabled || r.auth_source !== 'local') return { ok: false, reason: 'unknown' };
  if (r.used_at) return { ok: false, reason: 'used' };
  if (r.expires_at <= new Date()) return { ok: false, reason: 'expired' };
  return { ok: true, inviteId: r.id, userId: r.user_id, login: r.login, displayName: r.display_name };
}

/**
 * Sets the password through an invitation link and uses the link up (in one transaction: a second use,
 * even a simultaneous one, finds it used). Clears a lock; the caller signs the person in.
 */
export async function redeemInvite(
  deps: Deps,
  o: { token: string; password: string; repeat: string },
): Promise<
  | { ok: true; userId: number }
  | { ok: false; problems: PasswordProblems }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' }
> {
  const state = await inviteState(deps, o.token);
  if (!state.ok) return state;
  const problems = newPasswordProblems(o.password, o.repeat, state.login);
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const hash = await hashPassword(o.password);
  return deps.db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('account_invite')
      .set({ used_at: sql<Date>`now()` })
      .where('id', '=', state.inviteId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return { ok: false, reason: 'used' } as const;
    await trx.updateTable('app_user').set({ password_hash: hash }).where('id', '=', state.userId).execute();
    // Whoever signed in with the old password (if any) is signed out.
    await deleteSessionsOf(trx, state.userId);
    await recordSignIn(trx, state.userId, 'invite');
    await recordAuditEvent(trx, {
      key: `account.invite.used:${randomUUID()}`,
      type: 'account.invite.used',
      actorUserId: state.userId,
      data: { userId: state.userId },
    });
    return { ok: true, userId: state.userId } as const;
  });
}

/**
 * How the account signs in. Moving to the directory or the provider drops the local password and open
 * invitations; moving to a local password drops the provider link (the admin then issues an invitation).
 * The account's sessions end either way.
 */
export async function setSignInMethod(deps: Deps, actor: Actor, userId: number, source: AuthSource) {
  const u = await existing(deps, userId);
  if (u.auth_source === source) return;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({
        auth_source: source,
        ...(source === 'local' ? {} : { password_hash: null }),
        ...(source === 'oidc' ? {} : { oidc_issuer: null, oidc_subject: null }),
      })
      .where('id', '=', userId)
      .execute();
    if (source !== 'local')
      await trx
        .updateTable('account_invite')
        .set({ used_at: sql<Date>`now()` })
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .execute();
    await deleteSessionsOf(trx, userId);
    await recordAuditEvent(trx, {
      key: `account.source:${randomUUID()}`,
      type: 'account.signInMethod.changed',
      actorUserId: actor.userId || null,
      before: { authSource: u.auth_source },
      after: { authSource: source },
      data: { userId },
    });
  });
}
