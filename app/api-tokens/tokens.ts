import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { notFound, type FieldIssue } from '../../domain/errors.ts';
import { isAgencyRole, ROLES, type Actor, type Role } from '../../domain/roles.ts';

const PREFIX = 'sht_';

/** Only the hash is stored: 256 random bits need no slow hash, and a leaked table grants nothing. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export type TokenSubject = { userId: number } | { role: Role; agencyId: number | null };

/** Creates a token and returns its only plain copy (shown once). */
export async function createApiToken(db: Db, o: { name: string; subject: TokenSubject; createdBy: number }) {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('api_token')
    .values({
      name: o.name,
      token_hash: hashToken(token),
      token_prefix: token.slice(0, PREFIX.length + 6),
      user_id: 'userId' in o.subject ? o.subject.userId : null,
      role: 'role' in o.subject ? o.subject.role : null,
      agency_id: 'role' in o.subject && isAgencyRole(o.subject.role) ? o.subject.agencyId : null,
      created_by: o.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

export interface TokenIdentity {
  tokenId: number;
  name: string;
  actor: Actor;
  locale: 'ru' | 'en';
}

/**
 * Who a bearer token acts as, or null (unknown, revoked, or its user disabled). A user token acts as that
 * user with the user's current role and agency; a role token as "the system in that role" (no user id in
 * the audit trail, the token name in the log).
 */
export async function resolveToken(db: Db, token: string): Promise<TokenIdentity | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const row = await db
    .selectFrom('api_token as t')
    .leftJoin('app_user as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.name',
      't.user_id',
      't.role',
      't.agency_id',
      't.last_used_at',
      'u.role as user_role',
      'u.agency_id as user_agency_id',
      'u.disabled',
      'u.locale',
    ])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  let actor: Actor;
  if (row.user_id !== null) {
    if (row.disabled || !row.user_role) return null;
    actor = { userId: row.user_id, role: row.user_role, agencyId: row.user_agency_id };
  } else {
    actor = { userId: 0, role: row.role!, agencyId: row.agency_id };
  }
  // Written at most once a minute per token.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db
      .updateTable('api_token')
      .set({ last_used_at: sql`now()` })
      .where('id', '=', row.id)
      .execute();
  }
  return { tokenId: row.id, name: row.name, actor, locale: row.locale ?? 'en' };
}

/** Revokes a token (again: harmless); an unknown id is not found. */
export async function revokeApiToken(db: Db, id: number) {
  const r = await db
    .updateTable('api_token')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) > 0) return;
  const exists = await db.selectFrom('api_token').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) throw notFound('error.notFound', `token ${id} not found`);
}

/**
 * Who a new token acts as, from the admin's form: an active user, or a role (an agency role with an
 * existing agency). Problems by field, or the subject.
 */
export async function tokenSubject(
  db: Db,
  f: { kind: 'user' | 'role'; userId: number | null; role: string; agencyId: number | null },
): Promise<{ ok: true; subject: TokenSubject } | { ok: false; problems: FieldIssue[] }> {
  if (f.kind === 'user') {
    const u = f.userId
      ? await db
          .selectFrom('app_user')
          .select('id')
          .where('id', '=', f.userId)
          .where('disabled', '=', false)
          .executeTakeFirst()
      : undefined;
    return u
      ? { ok: true, subject: { userId: u.id } }
      : { ok: false, problems: [{ field: 'userId', key: 'error.field.required' }] };
  }
  if (!(ROLES as readonly string[]).includes(f.role))
    return { ok: false, problems: [{ field: 'role', key: 'error.field.required' }] };
  const role = f.role as Role;
  if (!isAgencyRole(role)) return { ok: true, subject: { role, agencyId: null } };
  const a = f.agencyId
    ? await db.selectFrom('agency').select('id').where('id', '=', f.agencyId).executeTakeFirst()
    : undefined;
  return a
    ? { ok: true, subject: { role, agencyId: a.id } }
    : { ok: false, problems: [{ field: 'agencyId', key: 'tokens.agencyRequired' }] };
}
