import { sql, type Transaction } from 'kysely';
import type { CaseState } from '../domain/feedback/case-state.ts';
import type { Tallies, TallyDelta, TopicDelta } from '../domain/feedback/tallies.ts';
import type { Db } from './connect.ts';
import type { DB } from './schema/index.ts';

// How reviews, their tallies and curator cases are stored: the intake use case (app/feedback) and the demo
// seed write through these, so the two agree on every column.

/** A review ready to store: references resolved, topics matched. */
export interface ReviewRow {
  sourceId: string | null;
  serviceId: number;
  channel: string;
  municipalityId: number | null;
  office: string | null;
  receivedOn: string;
  rating: number;
  text: string | null;
  categories: string[];
  topicIds: readonly number[];
  contact: { name: string | null; email: string | null; phone: string | null } | null;
}

/**
 * Held (shared) by every intake from its reference check to its commit; a service's deletion takes it
 * exclusively before it looks for reviews (app/services deleteService). One lock instead of a row lock per
 * service of the batch (~600 per batch of 1,000: a quarter of an intake's time, docs/performance.md).
 */
export const REFERENCES_LOCK = 0x5f0_1e;

/**
 * The batch's services and municipalities stay as checked until commit: takes REFERENCES_LOCK shared and
 * tells whether they all still exist (one checked before the lock may have been deleted since).
 */
export async function holdReferences(
  trx: Transaction<DB>,
  serviceIds: number[],
  municipalityIds: number[],
): Promise<boolean> {
  await sql`select pg_advisory_xact_lock_shared(${REFERENCES_LOCK})`.execute(trx);
  const s = [...new Set(serviceIds)];
  const m = [...new Set(municipalityIds)];
  const found = await sql<{ s: number; m: number }>`select
    (select count(*) from service where id = any(${s}::int[]))::int as s,
    (select count(*) from agency where id = any(${m}::int[]) and kind = 'municipality')::int as m`.execute(
    trx,
  );
  return found.rows[0]?.s === s.length && found.rows[0]?.m === m.length;
}

/**
 * Inserts reviews column by column through unnest() (a few parameters however many rows). A sender's id
 * already on record is skipped (the unique index decides, also for a batch sent twice at the same moment:
 * the second waits for the first and skips what it stored). Returns how many were stored, the range of
 * their ids and, when asked, each stored review's id and source id in the order given. Contact details only
 * come with consent (checked before; the table checks again).
 */
export async function insertReviews(
  trx: Transaction<DB>,
  source: string,
  importId: number | null,
  rows: readonly ReviewRow[],
  o: { returning?: boolean; batchId?: number } = {},
): Promise<{
  inserted: number;
  ids: { id: number; sourceId: string | null }[];
  first: number | null;
  last: number | null;
}> {
  const ids: { id: number; sourceId: string | null }[] = [];
  let inserted = 0;
  let first: number | null = null;
  let last: number | null = null;
  const widen = (lo: number | null, hi: number | null) => {
    if (lo !== null && (first === null || lo < first)) first = lo;
    if (hi !== null && (last === null || hi > last)) last = hi;
  };
  for (let i = 0; i < rows.length; i += 5000) {
    const part = rows.slice(i, i + 5000);
    const insert = sql`
      insert into feedback (source, source_id, service_id, channel, municipality_id, office, received_on,
        rating, body, categories, topic_ids, contact_name, contact_email, contact_phone, consent_at, import_id,
        batch_id)
      select ${source}, u.source_id, u.service_id, u.channel, u.municipality_id, u.office, u.received_on,
        u.rating, u.body,
        case when u.categories is null then '{}'::text[]
          else array(select json_array_elements_text(u.categories::json)) end,
        u.topic_ids::int[], u.contact_name, u.contact_email, u.contact_phone,
        case when coalesce(u.contact_name, u.contact_email, u.contact_phone) is not null then now() end,
        ${importId}::int, ${o.batchId ?? null}::int
      from unnest(${part.map((x) => x.sourceId)}::text[], ${part.map((x) => x.serviceId)}::int[],
        ${part.map((x) => x.channel)}::text[], ${part.map((x) => x.municipalityId)}::int[],
        ${part.map((x) => x.office)}::text[], ${part.map((x) => x.receivedOn)}::date[],
        ${part.map((x) => x.rating)}::smallint[], ${part.map((x) => x.text)}::text[],
        ${part.map((x) => (x.categories.length ? JSON.stringify(x.categories) : null))}::text[],
        ${part.map((x) => `{${x.topicIds.join(',')}}`)}::text[],
        ${part.map((x) => x.contact?.name ?? null)}::text[],
        ${part.map((x) => x.contact?.email ?? null)}::text[],
        ${part.map((x) => x.contact?.phone ?? null)}::text[])
        with ordinality as u(source_id, service_id, channel, municipality_id, office, received_on, rating, body,
          categories, topic_ids, contact_name, contact_email, contact_phone, ord)
      order by u.ord
      on conflict (source, source_id) where source_id is not null do nothing
      returning id, source_id`;
    if (o.returning) {
      // Postgres returns the rows of INSERT … SELECT … ORDER BY … RETURNING in the order inserted.
      const res = await sql<{ id: number; source_id: string | null }>`${insert}`.execute(trx);
      for (const r of res.rows) {
        ids.push({ id: r.id, sourceId: r.source_id });
        widen(r.id, r.id);
      }
      inserted += res.rows.length;
    } else {
      // Only the range leaves the server: a fold finds the batch's reviews by it.
      const res = await sql<{ n: number; lo: number | null; hi: number | null }>`with ins as (${insert})
        select count(*)::int as n, min(id)::int as lo, max(id)::int as hi from ins`.execute(trx);
      widen(res.rows[0]?.lo ?? null, res.rows[0]?.hi ?? null);
      inserted += res.rows[0]?.n ?? 0;
    }
  }
  return { inserted, ids, first, last };
}

/** The advisory lock that lets one fold (or one re-matching batch) at a time move the tallies. */
export const FOLD_LOCK = 0x5f0_1d;

/**
 * Adds the reviews of committed, not yet folded intakes (`feedback_batch.folded_at is null`) to the four
 * tally tables set-wise — one upsert per tally row however many batches — and marks the batches folded, in
 * one transaction. One fold at a time (FOLD_LOCK, also held by a re-matching batch): with `wait: false` a
 * fold that finds another running returns null at once (the other one, or the next, takes these batches).
 * Returns how many batches and reviews were folded. A batch folds whole or not at all, so a fold repeated or
 * interrupted counts nothing twice.
 */
export async function foldTallies(
  db: Db,
  o: { wait?: boolean; maxBatches?: number } = {},
): Promise<{ batches: number; reviews: number } | null> {
  return db.transaction().execute(async (trx) => {
    if (o.wait === false) {
      const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${FOLD_LOCK}) as ok`.execute(
        trx,
      );
      if (!got.rows[0]?.ok) return null;
    } else await sql`select pg_advisory_xact_lock(${FOLD_LOCK})`.execute(trx);
    const pending = await trx
      .selectFrom('feedback_batch')
      .select(['id', 'first_id', 'last_id'])
      .where('folded_at', 'is', null)
      .orderBy('id')
      .limit(o.maxBatches ?? 1000)
      .execute();
    if (pending.length === 0) return { batches: 0, reviews: 0 };
    const ids = pending.map((b) => b.id);
    const ranged = pending.filter((b) => b.first_id !== null && b.last_id !== null);
    let reviews = 0;
    if (ranged.length) {
      const lo = Math.min(...ranged.map((b) => b.first_id!));
      const hi = Math.max(...ranged.map((b) => b.last_id!));
      const tally = (table: string, key: string, expr: string) => {
        const tb = sql.table(table);
        return sql`insert into ${tb} (${sql.ref(key)}, month, votes, rating_sum, r1, r2, r3, r4, r5, with_text)
          select ${sql.raw(expr)}, to_char(month, 'YYYY-MM'), count(*)::int, sum(rating)::int,
            (count(*) filter (where rating = 1))::int, (count(*) filter (where rating = 2))::int,
            (count(*) filter (where rating = 3))::int, (count(*) filter (where rating = 4))::int,
            (count(*) filter (where rating = 5))::int, (count(*) filter (where has_text))::int
          from r group by ${sql.raw(expr)}, month order by 1, 2
          on conflict (${sql.ref(key)}, month) do update set
            votes = ${tb}.votes + excluded.votes, rating_sum = ${tb}.rating_sum + excluded.rating_sum,
            r1 = ${tb}.r1 + excluded.r1, r2 = ${tb}.r2 + excluded.r2, r3 = ${tb}.r3 + excluded.r3,
            r4 = ${tb}.r4 + excluded.r4, r5 = ${tb}.r5 + excluded.r5,
            with_text = ${tb}.with_text + excluded.with_text`;
      };
      // Topics deleted since the review was matched are left out (their tally rows went with them).
      const topics = (table: string, key: string, expr: string) => {
        const tb = sql.table(table);
        return sql`insert into ${tb} (${sql.ref(key)}, month, topic_id, n)
          select ${sql.raw(expr)}, to_char(r.month, 'YYYY-MM'), t.id, count(*)::int
          from r cross join unnest(r.topic_ids) as u(topic_id) join feedback_topic t on t.id = u.topic_id
          where r.topic_ids <> '{}'
          group by ${sql.raw(expr)}, r.month, t.id order by 1, 2, 3
          on conflict (${sql.ref(key)}, month, topic_id) do update set n = ${tb}.n + excluded.n`;
      };
      const res = await sql<{ n: number }>`with r as materialized (
          select service_id, coalesce(municipality_id, 0) as municipality_id,
            received_on - extract(day from received_on)::int + 1 as month, rating, body is not null as has_text,
            topic_ids
          from feedback where id between ${lo} and ${hi} and batch_id = any(${ids}::int[])),
        s as (${tally('feedback_month', 'service_id', 'service_id')}),
        a as (${tally('feedback_area_month', 'municipality_id', 'municipality_id')}),
        ts as (${topics('feedback_topic_month', 'service_id', 'r.service_id')}),
        ta as (${topics('feedback_area_topic_month', 'municipality_id', 'r.municipality_id')})
        select count(*)::int as n from r`.execute(trx);
      reviews = res.rows[0]?.n ?? 0;
    }
    // Also what moves the read cache's version: the pages now show these reviews in their scores.
    await trx
      .updateTable('feedback_batch')
      .set({ folded_at: sql`now()` })
      .where('id', 'in', ids)
      .execute();
    return { batches: pending.length, reviews };
  });
}

/** Intakes committed but not yet in the tallies: how many, and since when (the lag the pages show). */
export async function pendingFold(db: Db): Promise<{ batches: number; oldest: Date | null }> {
  const r = await sql<{ batches: number; oldest: Date | null }>`select count(*)::int as batches,
    min(at) as oldest from feedback_batch where folded_at is null`.execute(db);
  return r.rows[0] ?? { batches: 0, oldest: null };
}

/** Adds to one topic tally table (n may be negative: a re-match takes topics away). */
const upsertTopics = (table: string, key: string, tt: TopicDelta[]) => {
  const tb = sql.table(table);
  return sql`insert into ${tb} (${sql.ref(key)}, month, topic_id, n)
    select * from unnest(${tt.map((d) => d.key)}::int[], ${tt.map((d) => d.month)}::text[],
      ${tt.map((d) => d.topicId)}::int[], ${tt.map((d) => d.n)}::int[])
    on conflict (${sql.ref(key)}, month, topic_id) do update set n = ${tb}.n + excluded.n`;
};

/**
 * Adds reviews to the four tally tables in one statement: the demo seed's history (intakes are folded by
 * foldTallies instead).
 */
export async function addTallies(trx: Transaction<DB>, t: Tallies) {
  const upsertTally = (table: string, key: string, ts: TallyDelta[]) => {
    const tb = sql.table(table);
    return sql`insert into ${tb} (${sql.ref(key)}, month, votes, rating_sum, r1, r2, r3, r4, r5, with_text)
      select * from unnest(${ts.map((d) => d.key)}::int[], ${ts.map((d) => d.month)}::text[],
        ${ts.map((d) => d.votes)}::int[], ${ts.map((d) => d.ratingSum)}::int[],
        ${ts.map((d) => d.byRating[0])}::int[], ${ts.map((d) => d.byRating[1])}::int[],
        ${ts.map((d) => d.byRating[2])}::int[], ${ts.map((d) => d.byRating[3])}::int[],
        ${ts.map((d) => d.byRating[4])}::int[], ${ts.map((d) => d.withText)}::int[])
      on conflict (${sql.ref(key)}, month) do update set
        votes = ${tb}.votes + excluded.votes, rating_sum = ${tb}.rating_sum + excluded.rating_sum,
        r1 = ${tb}.r1 + excluded.r1, r2 = ${tb}.r2 + excluded.r2, r3 = ${tb}.r3 + excluded.r3,
        r4 = ${tb}.r4 + excluded.r4, r5 = ${tb}.r5 + excluded.r5,
        with_text = ${tb}.with_text + excluded.with_text`;
  };
  if (t.byService.length === 0) return;
  await sql`with s as (${upsertTally('feedback_month', 'service_id', t.byService)}),
    a as (${upsertTally('feedback_area_month', 'municipality_id', t.byMunicipality)})
    ${t.topicsByService.length ? sql`, ts as (${upsertTopics('feedback_topic_month', 'service_id', t.topicsByService)})` : sql``}
    ${t.topicsByMunicipality.length ? sql`, ta as (${upsertTopics('feedback_area_topic_month', 'municipality_id', t.topicsByMunicipality)})` : sql``}
    select 1`.execute(trx);
}

/** The active topics' rules, for the taxonomy matcher. */
export async function topicRules(db: Db | Transaction<DB>) {
  const topics = await db
    .selectFrom('feedback_topic')
    .select(['id', 'rules'])
    .where('active', '=', true)
    .execute();
  return topics.flatMap((t) => t.rules.map((phrase) => ({ topicId: t.id, phrase })));
}

const caseEventKey = (caseId: number, what: string) => `feedback-case-${caseId}:${what}`;

/** The feedbackCase workflow's state from the row and the chases on record (a re-created one repeats none). */
export async function caseStateById(db: Db | Transaction<DB>, caseId: number): Promise<CaseState> {
  const row = await db
    .selectFrom('feedback_case')
    .selectAll()
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  const done = await db
    .selectFrom('event')
    .select('event_key')
    .where('event_key', 'like', `${caseEventKey(caseId, 'chase')}:%`)
    .execute();
  return {
    caseId: row.id,
    status: row.status,
    due: row.due,
    curatorUserId: row.curator_user_id,
    agencyId: row.agency_id,
    escalationLevel: row.escalation_level,
    done: done.map((d) => d.event_key.split(':').at(-1)!).sort(),
    fixed: row.fixed,
  };
}
export { caseEventKey };

/** A mystery-shopping plan's checks (domain/feedback planChecks), as ordinary service checks. */
export async function insertPlannedChecks(
  db: Db | Transaction<DB>,
  quarter: string,
  plan: readonly { serviceId: number; scheduledOn: string; checkerId: number }[],
  createdBy: number | null,
) {
  if (plan.length === 0) return;
  await db
    .insertInto('service_check')
    .values(
      plan.map((p) => ({
        service_id: p.serviceId,
        kind: 'mystery_shopping' as const,
        scheduled_on: p.scheduledOn,
        inspector_user_id: p.checkerId,
        plan_quarter: quarter,
        created_by: createdBy,
      })),
    )
    .execute();
}

/**
 * Moves the topic tallies by a re-match's changes (domain/feedback topicTallyChanges) in one statement, in
 * the intake's key order, and drops the rows the changes brought to zero (a topic no review names now).
 */
export async function moveTopicTallies(
  trx: Transaction<DB>,
  t: Pick<Tallies, 'topicsByService' | 'topicsByMunicipality'>,
) {
  // Either list may be empty alone: a topic moving between two municipalities' reviews of one service and
  // month leaves the service's count as it was.
  if (t.topicsByService.length === 0 && t.topicsByMunicipality.length === 0) return;
  await sql`with ts as (${upsertTopics('feedback_topic_month', 'service_id', t.topicsByService)}),
    ta as (${upsertTopics('feedback_area_topic_month', 'municipality_id', t.topicsByMunicipality)})
    select 1`.execute(trx);
  const zero = (table: string, key: string, tt: TopicDelta[]) =>
    sql`delete from ${sql.table(table)} x using unnest(${tt.map((d) => d.key)}::int[],
      ${tt.map((d) => d.month)}::text[], ${tt.map((d) => d.topicId)}::int[]) as u(k, month, topic_id)
      where x.${sql.ref(key)} = u.k and x.month = u.month and x.topic_id = u.topic_id and x.n <= 0`.execute(
      trx,
    );
  await zero('feedback_topic_month', 'service_id', t.topicsByService);
  await zero('feedback_area_topic_month', 'municipality_id', t.topicsByMunicipality);
}

/** Stores re-matched topics of reviews (ids and their new topic lists, in one statement). */
export async function setReviewTopics(
  trx: Transaction<DB>,
  rows: { id: number; topicIds: readonly number[] }[],
) {
  if (rows.length === 0) return;
  await sql`update feedback f set topic_ids = u.topic_ids::int[]
    from unnest(${rows.map((r) => r.id)}::int[], ${rows.map((r) => `{${r.topicIds.join(',')}}`)}::text[])
      as u(id, topic_ids)
    where f.id = u.id`.execute(trx);
}
