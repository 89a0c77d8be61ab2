import { sql, type Kysely } from 'kysely';
import { BUMP_READ_VERSION_BODY } from './0006-read-performance.ts';

// Web processes keep the data version and the sessions they have read in memory and drop them when told
// that something changed (db/change-feed.ts): every transaction that bumps the data version also sends a
// notice, and so does signing out (a deleted session). Notices go out when the transaction commits, and
// several in one transaction arrive as one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create or replace function bump_read_version() returns trigger language plpgsql as $$
  begin
    if current_setting('shtab.read_version_bumped', true) is distinct from 'y' then
      perform set_config('shtab.read_version_bumped', 'y', true);
      update read_version set v = v + 1 where stripe = mod(txid_current(), 16)::int;
      perform pg_notify('shtab_change', '');
    end if;
    return null;
  end $$`.execute(db);
  await sql`create function notify_change() returns trigger language plpgsql as $$
  begin
    perform pg_notify('shtab_change', '');
    return null;
  end $$`.execute(db);
  await sql`create trigger session_change_notice after delete on session
    for each statement execute function notify_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists session_change_notice on session`.execute(db);
  await sql`drop function if exists notify_change()`.execute(db);
  await sql
    .raw(
      `create or replace function bump_read_version() returns trigger language plpgsql as ${BUMP_READ_VERSION_BODY}`,
    )
    .execute(db);
}
