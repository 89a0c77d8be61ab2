import { sql, type Kysely } from 'kysely';

// Issue 16, intake throughput (docs/decisions.md §46): an intake writes only its reviews and its
// `feedback_batch` row; the monthly tallies the pages read are brought up to date set-wise by a fold
// (db/feedback-store.ts foldTallies) a moment later, one upsert per tally row for many batches instead of
// one per batch. A review knows its batch; a batch knows the range of its reviews' ids (for a primary-key
// range scan: concurrent batches' ids interleave, so the batch id filters within the range) and whether it
// is folded yet.
const UP = [
  `alter table feedback add column batch_id int`,
  `alter table feedback_batch add column first_id int, add column last_id int,
    add column folded_at timestamptz`,
  // Every batch before this migration is in the tallies already (the intake added it in its transaction).
  `update feedback_batch set folded_at = at`,
  `create index feedback_batch_unfolded on feedback_batch(id) where folded_at is null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists feedback_batch_unfolded`.execute(db);
  await sql`alter table feedback_batch drop column if exists first_id, drop column if exists last_id,
    drop column if exists folded_at`.execute(db);
  await sql`alter table feedback drop column if exists batch_id`.execute(db);
}
