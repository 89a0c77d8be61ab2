import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { compileTaxonomy, type CompiledTaxonomy } from '../../domain/feedback/taxonomy.ts';

let cached: { stamp: string; taxonomy: CompiledTaxonomy } | null = null;

/**
 * The active topics' rules, compiled once per edit: a one-row query tells whether anything changed since
 * the last compilation (intake asks on every batch).
 */
export async function loadTaxonomy(db: Db): Promise<CompiledTaxonomy> {
  const stamp = await sql<{
    stamp: string;
  }>`select coalesce(max(updated_at)::text, '') || ':' || count(*) as stamp
    from feedback_topic where active`.execute(db);
  const s = stamp.rows[0]?.stamp ?? '';
  if (cached && cached.stamp === s) return cached.taxonomy;
  const topics = await db
    .selectFrom('feedback_topic')
    .select(['id', 'rules'])
    .where('active', '=', true)
    .execute();
  const taxonomy = compileTaxonomy(
    topics.flatMap((t) => t.rules.map((phrase) => ({ topicId: t.id, phrase }))),
  );
  cached = { stamp: s, taxonomy };
  return taxonomy;
}
