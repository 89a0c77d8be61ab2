import { sql, type SqlBool } from 'kysely';
import type { Db } from '../connect.ts';
import {
  comparePeriods,
  DEFAULT_LOW_SCORE_MIN_VOTES,
  DEFAULT_LOW_SCORE_THRESHOLD,
  isPeriodKey,
  KPI_BASE_PERIOD_KEY,
  LOW_SCORE_MIN_VOTES_KEY,
  LOW_SCORE_THRESHOLD_KEY,
  OPEN_IMPROVEMENT_STATUSES,
  parseMinVotes,
  parseThreshold,
  type CheckStatus,
  type LowScoreRule,
} from '../../domain/services/index.ts';

export interface ServiceSettings {
  threshold: number;
  minVotes: number;
  /** The one low-score rule (domain/services/rules.ts classifyScore) every page, the KPI and exports use. */
  rule: LowScoreRule;
  /** KPI base period; null → the earliest score period. */
  basePeriod: string | null;
}

export async function serviceSettings(db: Db): Promise<ServiceSettings> {
  const rows = await db
    .selectFrom('setting')
    .select(['key', 'value'])
    .where('key', 'in', [LOW_SCORE_THRESHOLD_KEY, LOW_SCORE_MIN_VOTES_KEY, KPI_BASE_PERIOD_KEY])
    .execute();
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  const base = get(KPI_BASE_PERIOD_KEY);
  const threshold = parseThreshold(get(LOW_SCORE_THRESHOLD_KEY)) ?? DEFAULT_LOW_SCORE_THRESHOLD;
  const minVotes = parseMinVotes(get(LOW_SCORE_MIN_VOTES_KEY)) ?? DEFAULT_LOW_SCORE_MIN_VOTES;
  return { threshold, minVotes, rule: { threshold, minVotes }, basePeriod: isPeriodKey(base) ? base : null };
}

/** Score periods on record, oldest first. */
export async function scorePeriods(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('service_score').select('period').distinct().execute();
  return rows
    .map((r) => r.period)
    .filter(isPeriodKey)
    .sort(comparePeriods);
}

/**
 * classifyScore() in SQL, for filters and counts: 'low' / 'ok' / 'unrated' of the score row `alias` (a
 * missing row is unrated). domain/services/rules.ts is the definition; test/db/low-score-rule.test.ts keeps
 * the two in step.
 */
export const scoreClassSql = (rule: LowScoreRule, alias = 'sc') =>
  sql<'low' | 'ok' | 'unrated'>`case when ${sql.ref(`${alias}.avg_score`)} is null
    or coalesce(${sql.ref(`${alias}.votes`)}, 0) < ${Math.max(1, rule.minVotes)} then 'unrated'
    when ${sql.ref(`${alias}.avg_score`)} < ${rule.threshold} then 'low' else 'ok' end`;
const classSql = (rule: LowScoreRule) => scoreClassSql(rule);

export interface ServiceFilters {
  agencyId?: number | undefined;
  lifeSituationId?: number | undefined;
  scoreClass?: 'low' | 'unrated' | undefined;
  q?: string | undefined;
  limit?: number;
}

/** The registry with each service's score in `period` (usually the latest) and its open improvement. */
export async function listServices(
  db: Db,
  period: string | null,
  rule: LowScoreRule,
  f: ServiceFilters = {},
) {
  let q = db
    .selectFrom('service as s')
    .innerJoin('agency as a', 'a.id', 's.agency_id')
    .leftJoin('app_user as cu', 'cu.id', 's.curator_user_id')
    .leftJoin('service_score as sc', (j) =>
      j.onRef('sc.service_id', '=', 's.id').on('sc.period', '=', period ?? ''),
    )
    .leftJoin('service_improvement as si', (j) =>
      j.onRef('si.service_id', '=', 's.id').on('si.status', 'in', [...OPEN_IMPROVEMENT_STATUSES]),
    )
    .select([
      's.id',
      's.code',
      's.title_ru',
      's.title_en',
      's.electronic',
      's.proactive',
      's.agency_id',
      'a.code as agency_code',
      'a.short_ru as agency_short_ru',
      'a.title_en as agency_title_en',
      'cu.display_name as curator_name',
      'cu.position as curator_position',
      'sc.avg_score',
      'sc.votes',
      'si.id as improvement_id',
      'si.status as improvement_status',
      classSql(rule).as('score_class'),
    ]);
  if (f.agencyId) q = q.where('s.agency_id', '=', f.agencyId);
  if (f.lifeSituationId) {
    const ls = f.lifeSituationId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('service_life_situation as sls')
          .select('sls.service_id')
          .whereRef('sls.service_id', '=', 's.id')
          .where('sls.life_situation_id', '=', ls),
      ),
    );
  }
  if (f.scoreClass) q = q.where(sql<SqlBool>`${classSql(rule)} = ${f.scoreClass}`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('s.title_ru', 'ilike', like), eb('s.title_en', 'ilike', like), eb('s.code', 'ilike', like)]),
    );
  }
  return q
    .orderBy('s.code')
    .limit(f.limit ?? 500)
    .execute();
}

export async function getService(db: Db, id: number) {
  return db
    .selectFrom('service as s')
    .innerJoin('agency as a', 'a.id', 's.agency_id')
    .leftJoin('app_user as cu', 'cu.id', 's.curator_user_id')
    .leftJoin('agency as ca', 'ca.id', 'cu.agency_id')
    .selectAll('s')
    .select([
      'a.code as agency_code',
      'a.title_ru as agency_title_ru',
      'a.title_en as agency_title_en',
      'a.short_ru as agency_short_ru',
      'cu.display_name as curator_name',
      'cu.position as curator_position',
      'cu.email as curator_email',
      'ca.short_ru as curator_agency',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

export async function serviceLifeSituations(db: Db, serviceId: number) {
  return db
    .selectFrom('service_life_situation as sls')
    .innerJoin('life_situation as ls', 'ls.id', 'sls.life_situation_id')
    .select(['ls.id', 'ls.code', 'ls.title_ru', 'ls.title_en'])
    .where('sls.service_id', '=', serviceId)
    .orderBy('ls.sort')
    .execute();
}

export async function scoreHistory(db: Db, serviceId: number) {
  const rows = await db
    .selectFrom('service_score')
    .select(['period', 'avg_score', 'votes', 'criteria', 'imported_at'])
    .where('service_id', '=', serviceId)
    .execute();
  return rows.sort((a, b) => comparePeriods(b.period, a.period));
}

export async function serviceImprovements(db: Db, serviceId: number) {
  return db
    .selectFrom('service_improvement as si')
    .leftJoin('control_item as p', 'p.id', 'si.plan_item_id')
    .leftJoin('control_item as m', 'm.id', 'si.implementation_item_id')
    .selectAll('si')
    .select([
      'p.status as plan_status',
      'p.current_due as plan_current_due',
      'm.status as implementation_status',
      'm.current_due as implementation_current_due',
    ])
    .where('si.service_id', '=', serviceId)
    .orderBy('si.id', 'desc')
    .execute();
}

/** Low-scoring and unrated services of a period; each with its open improvement if any. */
export async function lowScoring(db: Db, period: string, rule: LowScoreRule) {
  const rows = await db
    .selectFrom('service as s')
    .innerJoin('agency as a', 'a.id', 's.agency_id')
    .leftJoin('app_user as cu', 'cu.id', 's.curator_user_id')
    .leftJoin('service_score as sc', (j) =>
      j.onRef('sc.service_id', '=', 's.id').on('sc.period', '=', period),
    )
    .leftJoin('service_improvement as si', (j) =>
      j.onRef('si.service_id', '=', 's.id').on('si.status', 'in', [...OPEN_IMPROVEMENT_STATUSES]),
    )
    .select([
      's.id',
      's.code',
      's.title_ru',
      's.title_en',
      'a.short_ru as agency_short_ru',
      'a.code as agency_code',
      'a.title_en as agency_title_en',
      'cu.display_name as curator_name',
      'sc.avg_score',
      'sc.votes',
      'si.id as improvement_id',
      'si.status as improvement_status',
      classSql(rule).as('score_class'),
    ])
    .where(sql<SqlBool>`${classSql(rule)} in ('low', 'unrated')`)
    .orderBy(sql`sc.avg_score asc nulls last`)
    .orderBy('s.code')
    .execute();
  return {
    low: rows.filter((r) => r.score_class === 'low'),
    unrated: rows.filter((r) => r.score_class === 'unrated'),
  };
}

/** Improvements still open, with their latest judged score — the "not improved yet" report. */
export async function openImprovements(db: Db) {
  return db
    .selectFrom('service_improvement as si')
    .innerJoin('service as s', 's.id', 'si.service_id')
    .innerJoin('agency as a', 'a.id', 's.agency_id')
    .select([
      'si.id',
      'si.service_id',
      'si.status',
      'si.period_selected',
      'si.baseline_avg',
      'si.target_avg',
      'si.last_score_period',
      'si.last_score_avg',
      'si.plan_item_id',
      'si.implementation_item_id',
      's.code',
      's.title_ru',
      's.title_en',
      'a.short_ru as agency_short_ru',
      'a.code as agency_code',
    ])
    .where('si.status', 'in', [...OPEN_IMPROVEMENT_STATUSES])
    .orderBy('si.id')
    .execute();
}

export async function listChecks(db: Db, f: { serviceId?: number; status?: CheckStatus } = {}) {
  let q = db
    .selectFrom('service_check as c')
    .innerJoin('service as s', 's.id', 'c.service_id')
    .leftJoin('app_user as u', 'u.id', 'c.inspector_user_id')
    .selectAll('c')
    .select(['s.code as service_code', 's.title_ru as service_title_ru', 's.title_en as service_title_en'])
    .select('u.display_name as inspector_name');
  if (f.serviceId) q = q.where('c.service_id', '=', f.serviceId);
  if (f.status) q = q.where('c.status', '=', f.status);
  return q.orderBy('c.scheduled_on', 'desc').orderBy('c.id', 'desc').limit(500).execute();
}

export async function getCheck(db: Db, id: number) {
  return db
    .selectFrom('service_check as c')
    .innerJoin('service as s', 's.id', 'c.service_id')
    .leftJoin('app_user as u', 'u.id', 'c.inspector_user_id')
    .leftJoin('control_item as r', 'r.id', 'c.remediation_item_id')
    .selectAll('c')
    .select([
      's.code as service_code',
      's.title_ru as service_title_ru',
      's.title_en as service_title_en',
      's.agency_id',
      'u.display_name as inspector_name',
      'r.status as remediation_status',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function recentScoreImports(db: Db, limit = 20) {
  return db
    .selectFrom('score_import as i')
    .leftJoin('app_user as u', 'u.id', 'i.imported_by')
    .selectAll('i')
    .select('u.display_name as imported_by_name')
    .orderBy('i.id', 'desc')
    .limit(limit)
    .execute();
}

/** Indicators of a life situation with their values, periods oldest first. */
export async function indicatorTable(db: Db, lifeSituationId: number) {
  const [indicators, values] = await Promise.all([
    db
      .selectFrom('indicator')
      .selectAll()
      .where('life_situation_id', '=', lifeSituationId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('indicator_value as v')
      .innerJoin('indicator as i', 'i.id', 'v.indicator_id')
      .select(['v.indicator_id', 'v.period', 'v.plan', 'v.actual'])
      .where('i.life_situation_id', '=', lifeSituationId)
      .execute(),
  ]);
  const periods = [...new Set(values.map((v) => v.period))].filter(isPeriodKey).sort(comparePeriods);
  return { indicators, values, periods };
}
