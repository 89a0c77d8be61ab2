import { sql, type Kysely } from 'kysely';

// Issue 15 (single sign-on, accounts): people signing in through an OpenID provider or an LDAP directory,
// the claims → role / agency rules the admin edits, lockout bookkeeping, invitation links.
//
// New tables are left out of the read version (test/db/read-cache.test.ts lists why): no cached page
// shows them, and sign-in bookkeeping written on every attempt must not drop every cached page.
const ROLES = `('admin','working_group','leadership','agency_head','agency_executor','observer')`;
const UP = [
  // Directory and provider accounts have no local password.
  `alter table app_user alter column password_hash drop not null`,
  `alter table app_user add column auth_source text not null default 'local'
    check (auth_source in ('local','oidc','ldap'))`,
  // The provider's issuer and subject: the account's link, set at its first OpenID sign-in.
  `alter table app_user add column oidc_issuer text`,
  `alter table app_user add column oidc_subject text`,
  `alter table app_user add check ((oidc_issuer is null) = (oidc_subject is null))`,
  `create unique index app_user_oidc on app_user(oidc_issuer, oidc_subject) where oidc_subject is not null`,
  `create index app_user_login_lower on app_user(lower(login))`,

  // How a session was opened, and when its directory account was last confirmed active.
  `alter table session add column via text not null default 'local' check (via in ('local','oidc','ldap'))`,
  `alter table session add column checked_at timestamptz not null default now()`,
  // The provider's refresh token (encrypted by the web process): the re-check asks the provider with it.
  `alter table session add column idp_refresh_token text`,

  `create table account_login (
    user_id int primary key references app_user(id) on delete cascade,
    failed_count int not null default 0 check (failed_count >= 0),
    last_failed_at timestamptz,
    locked_until timestamptz,
    last_sign_in_at timestamptz,
    last_sign_in_via text check (last_sign_in_via in ('local','oidc','ldap','invite'))
  )`,
  `create table account_invite (
    id serial primary key,
    user_id int not null references app_user(id) on delete cascade,
    token_hash text not null unique,
    created_by int references app_user(id),
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz
  )`,
  `create index account_invite_user on account_invite(user_id)`,
  `create table sso_rule (
    id serial primary key,
    position int not null,
    source text not null check (source in ('any','oidc','ldap')),
    claim text not null check (length(claim) between 1 and 200),
    value text not null check (length(value) between 1 and 500),
    role text check (role in ${ROLES}),
    agency_id int references agency(id),
    check (role is not null or agency_id is not null)
  )`,
  `create index sso_rule_order on sso_rule(position, id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'drop table if exists sso_rule',
    'drop table if exists account_invite',
    'drop table if exists account_login',
    'alter table session drop column if exists idp_refresh_token',
    'alter table session drop column if exists checked_at',
    'alter table session drop column if exists via',
    'drop index if exists app_user_login_lower',
    'drop index if exists app_user_oidc',
    'alter table app_user drop column if exists oidc_subject',
    'alter table app_user drop column if exists oidc_issuer',
    'alter table app_user drop column if exists auth_source',
    // Accounts without a password get one nobody knows (argon2 never verifies against it).
    `update app_user set password_hash = '!' where password_hash is null`,
    'alter table app_user alter column password_hash set not null',
  ])
    await sql.raw(s).execute(db);
}
