import type { Db } from '../connect.ts';

// The admin's page of integration tokens: the tokens, live ones first, and whom a new one may act as.

/** Every token with the login or agency it acts for; live ones first, newest first within each. */
export async function apiTokenList(db: Db) {
  return db
    .selectFrom('api_token as k')
    .leftJoin('app_user as u', 'u.id', 'k.user_id')
    .leftJoin('agency as a', 'a.id', 'k.agency_id')
    .select([
      'k.id',
      'k.name',
      'k.token_prefix',
      'k.role',
      'k.created_at',
      'k.last_used_at',
      'k.revoked_at',
      'u.login',
      'a.code as agency_code',
    ])
    .orderBy('k.revoked_at', (ob) => ob.asc().nullsFirst())
    .orderBy('k.created_at', 'desc')
    .execute();
}

/** The people a token may act as: every account not disabled, by login. */
export async function tokenUserChoices(db: Db) {
  return db
    .selectFrom('app_user')
    .select(['id', 'login', 'display_name', 'role'])
    .where('disabled', '=', false)
    .orderBy('login')
    .execute();
}
