import { sql, type Kysely } from 'kysely';

// Whole pages are cached per session and data version (web/page-cache.ts), and every page shows the
// unread badge: a new, read or deleted notification must move the version too.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create constraint trigger notification_read_version after insert or update or delete on notification
    deferrable initially deferred for each row execute function bump_read_version()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists notification_read_version on notification`.execute(db);
}
