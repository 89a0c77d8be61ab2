import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { DB } from '../../db/schema/index.ts';
import { compileTaxonomy, type CompiledTaxonomy } from '../../domain/feedback/taxonomy.ts';

let cached: { stamp: string; taxonomy: CompiledTaxonomy } | null = null;

/** What tells one set of active rules from another: a one-row query. */
export async function taxonomyStamp(db: Db | Transaction<DB>): Promise<string> {
  const stamp = await sql<{
    stamp: string;
  }>`select coalesce(max(updated_at)::text, '') || ':' || count(*) as stamp
    from feedback_topic where active`.execute(db);
  return stamp.rows[0]?.stamp ?? '';
}

/**
 * The active topics' rules, compiled once per edit: a one-row query tells whether anything changed since
 * the last compilation (intake asks on every batch).
 */
export async function loadTaxonomy(db: Db | Transaction<DB>): Promise<CompiledTaxonomy> {
  return (await loadStampedTaxonomy(db)).taxonomy;
}

/** The compiled rules with the stamp they were compiled at. */
export async function loadStampedTaxonomy(
  db: Db | Transaction<DB>,
): Promise<{ stamp: string; taxonomy: CompiledTaxonomy }> {
  const s = await taxonomyStamp(db);
  if (cached && cached.stamp === s) return cached;
  const topics = await db
    .selectFrom('feedback_topic')
    .select(['id', 'rules'])
    .where('active', '=', true)
    .execute();
  const taxonomy = compileTaxonomy(
    topics.flatMap((t) => t.rules.map((phrase) => ({ topicId: t.id, phrase }))),
  );
  cached = { stamp: s, taxonomy };
  return cached;
}
