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
 * The batch's services and municipalities, locked against deletion until commit (FOR KEY SHARE, in id
 * order): the reviews carry no foreign keys (migration 0012 says why).
 */
export async function lockReferences(trx: Transaction<DB>, serviceIds: number[], municipalityIds: number[]) {
  const s = [...new Set(serviceIds)].sort((a, b) => a - b);
  if (s.length)
    await sql`select id from service where id = any(${s}::int[]) order by id for key share`.execute(trx);
  const m = [...new Set(municipalityIds)].sort((a, b) => a - b);
  if (m.length)
    await sql`select id from agency where id = any(${m}::int[]) order by id for key share`.execute(trx);
}

/** The sender's ids already on record (one index lookup per 10,000). */
export async function existingSourceIds(
  trx: Transaction<DB>,
  source: string,
  ids: string[],
): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const found = await sql<{ source_id: string }>`select source_id from feedback
      where source = ${source} and source_id = any(${ids.slice(i, i + 10_000)}::text[])`.execute(trx);
    for (const f of found.rows) seen.add(f.source_id);
  }
  return seen;
}

/**
 * Inserts reviews column by column through unnest() (a few parameters however many rows) and returns their
 * ids in the order given. Contact details only come with consent (checked before; the table checks again).
 */
export async function insertReviews(
  trx: Transaction<DB>,
  source: string,
  importId: number | null,
  rows: readonly ReviewRow[],
  o: { returning?: boolean } = {},
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 5000) {
    const part = rows.slice(i, i + 5000);
    const res = await sql<{ id: number }>`
      insert into feedback (source, source_id, service_id, channel, municipality_id, office, received_on,
        rating, body, categories, topic_ids, contact_name, contact_email, contact_phone, consent_at, import_id)
      select ${source}, u.source_id, u.service_id, u.channel, u.municipality_id, u.office, u.received_on,
        u.rating, u.body,
        case when u.categories is null then '{}'::text[]
          else array(select json_array_elements_text(u.categories::json)) end,
        u.topic_ids::int[], u.contact_name, u.contact_email, u.contact_phone,
        case when coalesce(u.contact_name, u.contact_email, u.contact_phone) is not null then now() end,
        ${importId}::int
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
      ${o.returning ? sql`returning id` : sql``}`.execute(trx);
    // Postgres returns the rows of INSERT … SELECT … ORDER BY … RETURNING in the order inserted.
    if (o.returning) ids.push(...res.rows.map((r) => r.id));
  }
  return ids;
}

/** Adds to one topic tally table (n may be negative: a re-match takes topics away). */
const upsertTopics = (table: string, key: string, tt: TopicDelta[]) => {
  const tb = sql.table(table);
  return sql`insert into ${tb} (${sql.ref(key)}, month, topic_id, n)
    select * from unnest(${tt.map((d) => d.key)}::int[], ${tt.map((d) => d.month)}::text[],
      ${tt.map((d) => d.topicId)}::int[], ${tt.map((d) => d.n)}::int[])
    on conflict (${sql.ref(key)}, month, topic_id) do update set n = ${tb}.n + excluded.n`;
};

/** Adds new reviews to the four tally tables in one statement. */
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
