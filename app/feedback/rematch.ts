import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { FOLD_LOCK, moveTopicTallies, setReviewTopics } from '../../db/feedback-store.ts';
import type { DB } from '../../db/schema/index.ts';
import { topicTallyChanges, type TopicChange } from '../../domain/feedback/tallies.ts';
import { WORRY_MAX_RATING, worryTopics } from '../../domain/feedback/taxonomy.ts';
import {
  FEEDBACK_REMATCH_WORKFLOW,
  feedbackRematchWorkflowId,
  rematchRequestedSignal,
  type FeedbackRematchInput,
} from '../../workflows/feedback-rematch-definitions.ts';
import type { TemporalHandle } from '../temporal.ts';
import { loadTaxonomy } from './taxonomy.ts';

// Re-matching after an edit of the taxonomy (issue 16 item 4). Every save of a topic's rules (or of its
// switch) writes a new taxonomy version in the same transaction (`feedback_rematch`), then signals-with-start
// the region's one `feedbackRematch` workflow with it. The workflow walks the reviews by id range; each
// batch is one transaction that matches the range's reviews with the rules in force — the intake's own
// `worryTopics`, so there is one matcher — stores the topics that changed and moves the topic tallies by
// the difference. A batch repeated finds nothing to change, so retries and restarts are harmless, and
// additions commute with the intake's, which keeps adding new reviews meanwhile.

/** Writes the next taxonomy version (in the transaction that changes the rules); returns it. */
export async function newTaxonomyVersion(trx: Transaction<DB>, userId: number | null): Promise<number> {
  // Serialises concurrent edits: each gets its own version, in commit order.
  await sql`lock table feedback_rematch in share row exclusive mode`.execute(trx);
  const last = await trx
    .selectFrom('feedback_rematch')
    .select(sql<number>`coalesce(max(version), 0)::int`.as('v'))
    .executeTakeFirstOrThrow();
  const version = last.v + 1;
  await trx.insertInto('feedback_rematch').values({ version, requested_by: userId }).execute();
  return version;
}

/** Starts the re-matching with `version`, or tells the running one of it (it restarts from the first review). */
export async function startRematch(t: TemporalHandle, version: number) {
  const input: FeedbackRematchInput = { version };
  await t.client.workflow.signalWithStart(FEEDBACK_REMATCH_WORKFLOW, {
    taskQueue: t.taskQueue,
    workflowId: feedbackRematchWorkflowId(t.workflowIdPrefix),
    args: [input],
    signal: rematchRequestedSignal,
    signalArgs: [version],
  });
}

/**
 * The latest version's run, when it has not finished (an edit saved while Temporal was unreachable, a
 * workflow lost with its server): the worker's start-up reconciliation. Signalling a running one with the
 * version it has is a no-op.
 */
export async function ensureRematch(deps: { db: Db; temporal: TemporalHandle }): Promise<number | null> {
  const last = await deps.db
    .selectFrom('feedback_rematch')
    .select(['version', 'finished_at'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last || last.finished_at) return null;
  await startRematch(deps.temporal, last.version);
  return last.version;
}

/**
 * One batch: the reviews with ids in (afterId, afterId + size] that have or may get topics (a remark on a
 * rating up to WORRY_MAX_RATING, or topics given before), locked, matched again with the rules in force;
 * the changed ones stored and the topic tallies moved by the difference; the version's progress written —
 * all in one transaction. Versions before this one are marked superseded when it starts.
 */
export async function rematchBatch(
  db: Db,
  o: { version: number; afterId: number; size: number },
): Promise<{ lastId: number; done: boolean; changed: number }> {
  const taxonomy = await loadTaxonomy(db);
  const hi = o.afterId + o.size;
  return db.transaction().execute(async (trx) => {
    // No fold while this batch runs: a review's batch is folded or not for the whole transaction, so its
    // tallies move by the difference exactly when they counted it (§46).
    await sql`select pg_advisory_xact_lock(${FOLD_LOCK})`.execute(trx);
    const reviews = await trx
      .selectFrom('feedback as f')
      .leftJoin('feedback_batch as b', 'b.id', 'f.batch_id')
      .select([
        'f.id',
        'f.service_id',
        'f.municipality_id',
        'f.received_on',
        'f.rating',
        'f.body',
        'f.topic_ids',
        sql<boolean>`f.batch_id is null or b.folded_at is not null`.as('folded'),
      ])
      .where('f.id', '>', o.afterId)
      .where('f.id', '<=', hi)
      .where((eb) =>
        eb.or([
          eb.and([eb('f.rating', '<=', WORRY_MAX_RATING), eb('f.body', 'is not', null)]),
          eb('f.topic_ids', '!=', sql<number[]>`'{}'::int[]`),
        ]),
      )
      .orderBy('f.id')
      .forUpdate('f')
      .execute();
    const changes: (TopicChange & { id: number; folded: boolean })[] = [];
    for (const r of reviews) {
      const after = worryTopics(r.rating, r.body, taxonomy);
      const before = [...r.topic_ids].sort((a, b) => a - b);
      if (after.length === before.length && after.every((t, i) => t === before[i])) continue;
      changes.push({
        id: r.id,
        serviceId: r.service_id,
        municipalityId: r.municipality_id,
        receivedOn: r.received_on,
        before: r.topic_ids,
        after,
        folded: r.folded,
      });
    }
    await setReviewTopics(
      trx,
      changes.map((c) => ({ id: c.id, topicIds: c.after })),
    );
    // A review not folded yet is counted by its fold with the topics stored here.
    await moveTopicTallies(trx, topicTallyChanges(changes.filter((c) => c.folded)));
    const max = await trx
      .selectFrom('feedback')
      .select(sql<number>`coalesce(max(id), 0)::int`.as('id'))
      .executeTakeFirstOrThrow();
    const done = hi >= max.id;
    await trx
      .updateTable('feedback_rematch')
      .set({ superseded: true })
      .where('version', '<', o.version)
      .where('finished_at', 'is', null)
      .where('superseded', '=', false)
      .execute();
    // Progress counts a range once, however often it is done (a retried batch adds nothing).
    await sql`update feedback_rematch set started_at = coalesce(started_at, now()),
        scanned = scanned + case when last_id < ${hi} then ${reviews.length}::int else 0 end,
        changed = changed + case when last_id < ${hi} then ${changes.length}::int else 0 end,
        last_id = greatest(last_id, ${hi}::int), max_id = ${max.id}::int,
        finished_at = case when ${done}::boolean then coalesce(finished_at, now()) end
      where version = ${o.version}`.execute(trx);
    return { lastId: hi, done, changed: changes.length };
  });
}
