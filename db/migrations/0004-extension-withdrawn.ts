import { sql, type Kysely } from 'kysely';

// An extension request that nobody decided but the item moved on from (reassigned to another agency,
// accepted, cancelled, its period closed) is 'withdrawn', so it no longer shows as awaiting a decision.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table extension_request drop constraint extension_request_status_check`.execute(db);
  await sql`alter table extension_request add constraint extension_request_status_check
    check (status in ('pending','approved','rejected','withdrawn'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update extension_request set status = 'rejected' where status = 'withdrawn'`.execute(db);
  await sql`alter table extension_request drop constraint extension_request_status_check`.execute(db);
  await sql`alter table extension_request add constraint extension_request_status_check
    check (status in ('pending','approved','rejected'))`.execute(db);
}
