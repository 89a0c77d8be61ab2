import { sql } from 'kysely';
import type { Db } from '../connect.ts';
import {
  monthsOfPeriod,
  periodScore,
  quarterOfMonth,
  recentPeriods,
  topTopics,
  type FeedbackPeriodKind,
  type MonthTally,
  type PeriodScore,
} from '../../domain/feedback/index.ts';
import type { CaseStatus } from '../../domain/feedback/types.ts';

type TallyRow = {
  month: string;
  votes: number;
  rating_sum: number;
  r1: number;
  r2: number;
  r3: number;
  r4: number;
  r5: number;
  with_text: number;
};
const toTally = (r: TallyRow): MonthTally => ({
  month: r.month,
  votes: r.votes,
  ratingSum: r.rating_sum,
  byRating: [r.r1, r.r2, r.r3, r.r4, r.r5],
  withText: r.with_text,
});

/** A service's scores from its reviews, per month or quarter, oldest first (periods with votes only). */
export async function feedbackScores(
  db: Db,
  serviceId: number,
  by: FeedbackPeriodKind,
): Promise<PeriodScore[]> {
  const rows = await db
    .selectFrom('feedback_month')
    .select([
      'month',
      sql<number>`sum(votes)::int`.as('votes'),
      sql<number>`sum(rating_sum)::int`.as('rating_sum'),
      sql<number>`sum(r1)::int`.as('r1'),
      sql<number>`sum(r2)::int`.as('r2'),
      sql<number>`sum(r3)::int`.as('r3'),
      sql<number>`sum(r4)::int`.as('r4'),
      sql<number>`sum(r5)::int`.as('r5'),
      sql<number>`sum(with_text)::int`.as('with_text'),
    ])
    .where('service_id', '=', serviceId)
    .groupBy('month')
    .orderBy('month')
    .execute();
  const tallies = rows.map(toTally);
  const periods = [...new Set(tallies.map((t) => (by === 'month' ? t.month : quarterOfMonth(t.month))))];
  return periods.map((p) => periodScore(p, tallies));
}

/** The latest reviews of a service (text first), with their case if any. */
export async function recentReviews(db: Db, serviceId: number, limit = 20) {
  return db
    .selectFrom('feedback as f')
    .leftJoin('agency as m', 'm.id', 'f.municipality_id')
    .leftJoin('feedback_case as c', 'c.feedback_id', 'f.id')
    .select([
      'f.id',
      'f.received_on',
      'f.channel',
      'f.rating',
      'f.body',
      'f.office',
      'm.short_ru as municipality',
      sql<string | null>`coalesce(m.short_en, m.title_en)`.as('municipality_en'),
      'c.id as case_id',
      'c.status as case_status',
    ])
    .where('f.service_id', '=', serviceId)
    .orderBy('f.received_on', 'desc')
    .orderBy('f.id', 'desc')
    .limit(limit)
    .execute();
}

export interface ProblemScope {
  serviceId?: number | undefined;
  lifeSituationId?: number | undefined;
  municipalityId?: number | undefined;
  agencyId?: number | undefined;
}

/**
 * What worries citizens: the most frequent topics of remarks in a period (a month or a quarter), within a
 * scope (a service, a life situation's services, a municipality, an agency's services), with their share of
 * the remarks with text and the change against the previous period.
 */
export async function topProblems(
  db: Db,
  scope: ProblemScope,
  period: string,
  previous: string | null,
  limit = 5,
) {
  const months = monthsOfPeriod(period);
  const all = [...months, ...(previous ? monthsOfPeriod(previous) : [])];
  // A municipality, or the whole region: the per-municipality tallies (their sum is the region). A service,
  // a life situation's or an agency's services: the per-service tallies.
  const byArea = !scope.serviceId && !scope.lifeSituationId && !scope.agencyId;
  const [tally, topicTally] = byArea
    ? [sql.table('feedback_area_month'), sql.table('feedback_area_topic_month')]
    : [sql.table('feedback_month'), sql.table('feedback_topic_month')];
  const parts = [sql`x.month in (${sql.join(all)})`];
  if (byArea && scope.municipalityId) parts.push(sql`x.municipality_id = ${scope.municipalityId}`);
  if (scope.serviceId) parts.push(sql`x.service_id = ${scope.serviceId}`);
  if (scope.lifeSituationId)
    parts.push(sql`x.service_id in (select service_id from service_life_situation
      where life_situation_id = ${scope.lifeSituationId})`);
  if (scope.agencyId)
    parts.push(sql`x.service_id in (select id from service where agency_id = ${scope.agencyId})`);
  const where = sql.join(parts, sql` and `);
  const [topicRows, remarkRows, topics] = await Promise.all([
    sql<{ topic_id: number; current: boolean; n: number }>`
      select x.topic_id, x.month in (${sql.join(months)}) as current, sum(x.n)::int as n
      from ${topicTally} x where ${where} group by 1, 2`.execute(db),
    sql<{ current: boolean; remarks: number; votes: number }>`
      select x.month in (${sql.join(months)}) as current, sum(x.with_text)::int as remarks, sum(x.votes)::int as votes
      from ${tally} x where ${where} group by 1`.execute(db),
    db.selectFrom('feedback_topic').select(['id', 'code', 'title_ru', 'title_en']).execute(),
  ]);
  const remarks = {
    current: remarkRows.rows.find((r) => r.current)?.remarks ?? 0,
    previous: remarkRows.rows.find((r) => !r.current)?.remarks ?? 0,
  };
  const votes = remarkRows.rows.find((r) => r.current)?.votes ?? 0;
  const top = topTopics(
    topicRows.rows.filter((r) => r.current).map((r) => ({ topicId: r.topic_id, count: r.n })),
    topicRows.rows.filter((r) => !r.current).map((r) => ({ topicId: r.topic_id, count: r.n })),
    previous ? remarks : { current: remarks.current, previous: 0 },
    limit,
  );
  const byId = new Map(topics.map((t) => [t.id, t]));
  return {
    period,
    previous,
    votes,
    remarks: remarks.current,
    topics: top.map((t) => ({ ...t, topic: byId.get(t.topicId)! })).filter((t) => t.topic),
  };
}

/** Services whose remarks name a topic most in the period (for "top problems per service"). */
export async function servicesByTopic(db: Db, topicId: number, period: string, limit = 10) {
  const months = monthsOfPeriod(period);
  return db
    .selectFrom('feedback_topic_month as tm')
    .innerJoin('service as s', 's.id', 'tm.service_id')
    .select(['s.id', 's.code', 's.title_ru', 's.title_en', sql<number>`sum(tm.n)::int`.as('n')])
    .where('tm.topic_id', '=', topicId)
    .where('tm.month', 'in', months)
    .groupBy(['s.id', 's.code', 's.title_ru', 's.title_en'])
    .orderBy('n', 'desc')
    .orderBy('s.code')
    .limit(limit)
    .execute();
}

export interface CaseFilter {
  status?: CaseStatus | 'overdue' | undefined;
  curatorUserId?: number | undefined;
  agencyId?: number | undefined;
  today: string;
  limit?: number;
}

export async function listCases(db: Db, f: CaseFilter) {
  let q = db
    .selectFrom('feedback_case as c')
    .innerJoin('feedback as fb', 'fb.id', 'c.feedback_id')
    .innerJoin('service as s', 's.id', 'c.service_id')
    .leftJoin('app_user as u', 'u.id', 'c.curator_user_id')
    .select([
      'c.id',
      'c.status',
      'c.opened_on',
      'c.due',
      'c.escalation_level',
      'c.fixed',
      'fb.rating',
      'fb.body',
      's.id as service_id',
      's.code as service_code',
      's.title_ru as service_title_ru',
      's.title_en as service_title_en',
      'u.display_name as curator_name',
    ]);
  if (f.status === 'overdue') q = q.where('c.status', '=', 'open').where('c.due', '<', f.today);
  else if (f.status) q = q.where('c.status', '=', f.status);
  if (f.curatorUserId) q = q.where('c.curator_user_id', '=', f.curatorUserId);
  if (f.agencyId) q = q.where('c.agency_id', '=', f.agencyId);
  return q
    .orderBy(sql`case c.status when 'open' then 0 when 'answered' then 1 else 2 end`)
    .orderBy('c.due')
    .orderBy('c.id')
    .limit(f.limit ?? 200)
    .execute();
}

export async function caseCounts(
  db: Db,
  today: string,
  scope: { curatorUserId?: number; agencyId?: number } = {},
) {
  let q = db
    .selectFrom('feedback_case')
    .select([
      sql<number>`count(*) filter (where status = 'open')::int`.as('open'),
      sql<number>`count(*) filter (where status = 'open' and due < ${today})::int`.as('overdue'),
      sql<number>`count(*) filter (where status = 'answered')::int`.as('answered'),
      sql<number>`count(*) filter (where status = 'closed')::int`.as('closed'),
      sql<number>`count(*) filter (where fixed)::int`.as('fixed'),
    ]);
  if (scope.curatorUserId) q = q.where('curator_user_id', '=', scope.curatorUserId);
  if (scope.agencyId) q = q.where('agency_id', '=', scope.agencyId);
  return q.executeTakeFirstOrThrow();
}

export async function getCase(db: Db, id: number) {
  return db
    .selectFrom('feedback_case as c')
    .innerJoin('feedback as fb', 'fb.id', 'c.feedback_id')
    .innerJoin('service as s', 's.id', 'c.service_id')
    .innerJoin('agency as a', 'a.id', 'c.agency_id')
    .leftJoin('agency as m', 'm.id', 'fb.municipality_id')
    .leftJoin('app_user as u', 'u.id', 'c.curator_user_id')
    .leftJoin('app_user as au', 'au.id', 'c.answered_by')
    .selectAll('c')
    .select([
      'fb.rating',
      'fb.body',
      'fb.channel',
      'fb.office',
      'fb.received_on',
      'fb.topic_ids',
      sql<boolean>`fb.contact_email is not null and fb.consent_at is not null`.as('citizen_can_get_answer'),
      's.code as service_code',
      's.title_ru as service_title_ru',
      's.title_en as service_title_en',
      'a.short_ru as agency_short_ru',
      'a.title_ru as agency_title_ru',
      'a.short_en as agency_short_en',
      'a.title_en as agency_title_en',
      'm.short_ru as municipality',
      sql<string | null>`coalesce(m.short_en, m.title_en)`.as('municipality_en'),
      'u.display_name as curator_name',
      'au.display_name as answered_by_name',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function recentFeedbackImports(db: Db, limit = 20) {
  return db
    .selectFrom('feedback_import as i')
    .leftJoin('app_user as u', 'u.id', 'i.imported_by')
    .selectAll('i')
    .select('u.display_name as imported_by_name')
    .orderBy('i.id', 'desc')
    .limit(limit)
    .execute();
}

/** The latest taxonomy version's re-matching of the reviews on record (app/feedback/rematch.ts). */
export async function rematchProgress(db: Db) {
  return db
    .selectFrom('feedback_rematch as r')
    .leftJoin('app_user as u', 'u.id', 'r.requested_by')
    .selectAll('r')
    .select('u.display_name as requested_by_name')
    .orderBy('r.version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function feedbackTopics(db: Db) {
  return db.selectFrom('feedback_topic').selectAll().orderBy('sort').orderBy('id').execute();
}

export async function feedbackTopicTitle(db: Db, id: number) {
  return db
    .selectFrom('feedback_topic')
    .select(['id', 'title_ru', 'title_en'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function municipalities(db: Db) {
  return db
    .selectFrom('agency')
    .select(['id', 'code', 'title_ru', 'title_en', 'short_ru'])
    .where('kind', '=', 'municipality')
    .orderBy('title_ru')
    .execute();
}

/** The leadership's panel: the current quarter's top problems across the programme, against the last. */
export async function citizensWorries(db: Db, today: string) {
  const [previous, current] = recentPeriods(today, 'quarter', 2) as [string, string];
  return topProblems(db, {}, current, previous, 5);
}

/** The weekly digest's section: the leadership panel's topics and the curator cases' state, as data. */
export async function digestCitizens(db: Db, today: string) {
  const [worries, cases] = await Promise.all([citizensWorries(db, today), caseCounts(db, today)]);
  return {
    period: worries.period,
    votes: worries.votes,
    remarks: worries.remarks,
    topics: worries.topics.map((t) => ({
      code: t.topic.code,
      titleRu: t.topic.title_ru,
      titleEn: t.topic.title_en,
      count: t.count,
      share: t.share,
      trend: t.trend,
    })),
    cases: {
      open: cases.open,
      overdue: cases.overdue,
      answered: cases.answered + cases.closed,
      fixed: cases.fixed,
    },
  };
}

/** A quarter's mystery-shopping plan: every planned check with its service, checker and state. */
export async function mysteryPlan(db: Db, quarter: string) {
  return db
    .selectFrom('service_check as c')
    .innerJoin('service as s', 's.id', 'c.service_id')
    .leftJoin('app_user as u', 'u.id', 'c.inspector_user_id')
    .select([
      'c.id',
      'c.scheduled_on',
      'c.status',
      'c.remediation_item_id',
      's.id as service_id',
      's.code',
      's.title_ru',
      's.title_en',
      'u.display_name as checker',
    ])
    .where('c.plan_quarter', '=', quarter)
    .orderBy('c.scheduled_on')
    .orderBy('c.id')
    .execute();
}
