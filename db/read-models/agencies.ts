import {
  delayOf,
  emptyFigures,
  progressOf,
  ragOfFigures,
  type ProgressCounts,
} from '../../domain/group-figures.ts';
import type { RagResult } from '../../domain/rag.ts';
import { keptFigures, recomputeFigures, type ProgrammeFigures } from '../aggregates.ts';
import type { Db } from '../connect.ts';
import type { ReadContext } from './items.ts';
import { serviceSettings } from './services.ts';
import { classifyScore } from '../../domain/services/index.ts';

export { LATE_CHASE_TYPES } from '../../domain/group-figures.ts';

/**
 * Every agency's and life situation's figures: kept by the database for today (db/aggregates.ts), or —
 * when they are not (the first minutes of a day, before the keeper's rebuild) — recomputed from the items.
 */
export async function programmeFigures(db: Db, ctx: ReadContext): Promise<ProgrammeFigures> {
  return (await keptFigures(db, ctx)) ?? recomputeFigures(db, ctx);
}

export interface AgencyStats {
  id: number;
  code: string;
  title_ru: string;
  title_en: string;
  short_ru: string | null;
  short_en: string | null;
  /** Items the agency is responsible for, every kind, cancelled ones excluded. */
  counts: ProgressCounts;
  /**
   * Mean working days past the deadline over the agency's late items: done after the deadline
   * (accepted − deadline) and overdue now (today − deadline). null when nothing is late.
   */
  avgDelayWorkingDays: number | null;
  lateItems: number;
  /** Overdue notices, escalations and repeat chases on the agency's items. */
  chases: number;
  /** Returns for rework on the agency's items (audit events 'returned'). */
  reworkRounds: number;
  rag: RagResult;
}

/**
 * Every agency with its execution discipline figures (the league table), in name order. `figures`: the
 * programme's figures when the caller has them already.
 */
export async function agencyStats(
  db: Db,
  ctx: ReadContext,
  agencyId?: number,
  figures?: Promise<ProgrammeFigures>,
): Promise<AgencyStats[]> {
  let q = db
    .selectFrom('agency as a')
    .select(['a.id', 'a.code', 'a.title_ru', 'a.title_en', 'a.short_ru', 'a.short_en'])
    .orderBy('a.title_ru')
    .orderBy('a.id');
  if (agencyId) q = q.where('a.id', '=', agencyId);
  const [rows, f] = await Promise.all([q.execute(), figures ?? programmeFigures(db, ctx)]);
  return rows.map((r) => {
    const g = f.byAgency.get(r.id) ?? emptyFigures();
    const e = f.events.get(r.id);
    return {
      ...r,
      counts: progressOf(g),
      ...delayOf(g),
      chases: e?.chases ?? 0,
      reworkRounds: e?.rework ?? 0,
      rag: ragOfFigures(g, ctx.today),
    };
  });
}

export const LEAGUE_SORTS = [
  'rank',
  'name',
  'items',
  'onTime',
  'overdue',
  'delay',
  'chases',
  'rework',
] as const;
export type LeagueSort = (typeof LEAGUE_SORTS)[number];

type Key = (a: AgencyStats, locale: 'ru' | 'en') => number | string | null;
const KEYS: Record<Exclude<LeagueSort, 'rank'>, Key> = {
  // The name as the table shows it: the short name in the page's language.
  name: (a, locale) => (locale === 'en' ? (a.short_en ?? a.title_en) : (a.short_ru ?? a.title_ru)),
  items: (a) => a.counts.total,
  onTime: (a) => a.counts.onTimeRate,
  overdue: (a) => a.counts.overdue,
  delay: (a) => a.avgDelayWorkingDays,
  chases: (a) => a.chases,
  rework: (a) => a.reworkRounds,
};

/** Russian collation, built once (String.localeCompare with a locale builds a collator per call). */
const RU = new Intl.Collator('ru');

function compare(a: number | string | null, b: number | string | null, dir: 1 | -1) {
  if (a === null && b === null) return 0;
  if (a === null) return 1; // no figure: always last
  if (b === null) return -1;
  if (typeof a === 'string' && typeof b === 'string') return dir * RU.compare(a, b);
  return dir * ((a as number) - (b as number));
}

/**
 * League order. 'rank' (the default) puts the most disciplined first: fewest overdue, then highest on-time
 * rate, then shortest average delay, then fewest chases; agencies without items go last.
 */
export function sortLeague(
  rows: readonly AgencyStats[],
  sort: LeagueSort,
  dir: 'asc' | 'desc',
  locale: 'ru' | 'en' = 'ru',
): AgencyStats[] {
  const d = dir === 'asc' ? 1 : -1;
  const byName = (a: AgencyStats, b: AgencyStats) => RU.compare(a.title_ru, b.title_ru) || a.id - b.id;
  if (sort === 'rank') {
    return [...rows].sort(
      (a, b) =>
        Number(a.counts.total === 0) - Number(b.counts.total === 0) ||
        d *
          (compare(a.counts.overdue, b.counts.overdue, 1) ||
            compare(a.counts.onTimeRate, b.counts.onTimeRate, -1) ||
            compare(a.avgDelayWorkingDays, b.avgDelayWorkingDays, 1) ||
            compare(a.chases, b.chases, 1)) ||
        byName(a, b),
    );
  }
  const key = KEYS[sort];
  return [...rows].sort((a, b) => compare(key(a, locale), key(b, locale), d) || byName(a, b));
}

export async function getAgency(db: Db, id: number) {
  return db.selectFrom('agency').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Services (of an agency or a life situation) with scores of the latest `periods` periods, lowest first. */
export async function servicesWithScores(
  db: Db,
  only: { agencyId?: number; lifeSituationId?: number },
  periods = 4,
) {
  const window = (
    await db
      .selectFrom('service_score')
      .select('period')
      .distinct()
      .orderBy('period', 'desc')
      .limit(periods)
      .execute()
  )
    .map((r) => r.period)
    .reverse();
  let q = db
    .selectFrom('service as s')
    .innerJoin('agency as a', 'a.id', 's.agency_id')
    .select([
      's.id',
      's.code',
      's.title_ru',
      's.title_en',
      's.agency_id',
      's.electronic',
      'a.short_ru as agency_short_ru',
      'a.short_en as agency_short_en',
      'a.code as agency_code',
      'a.title_en as agency_title_en',
    ]);
  if (only.agencyId) q = q.where('s.agency_id', '=', only.agencyId);
  if (only.lifeSituationId) {
    const ls = only.lifeSituationId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('service_life_situation as sl')
          .select('sl.service_id')
          .whereRef('sl.service_id', '=', 's.id')
          .where('sl.life_situation_id', '=', ls),
      ),
    );
  }
  const [services, { rule }] = await Promise.all([q.execute(), serviceSettings(db)]);
  const scores =
    services.length && window.length
      ? await db
          .selectFrom('service_score')
          .select(['service_id', 'period', 'avg_score', 'votes'])
          .where(
            'service_id',
            'in',
            services.map((s) => s.id),
          )
          .where('period', 'in', window)
          .execute()
      : [];
  const key = (id: number, p: string) => `${id}|${p}`;
  const byKey = new Map(scores.map((s) => [key(s.service_id, s.period), s]));
  const rows = services.map((s) => {
    const series = window.map((p) => {
      const score = byKey.get(key(s.id, p))?.avg_score ?? null;
      const votes = byKey.get(key(s.id, p))?.votes ?? 0;
      return { period: p, score, votes, cls: classifyScore(score, votes, rule) };
    });
    return { ...s, series, latest: series.at(-1)?.score ?? null };
  });
  // Lowest latest score first (they need attention), unrated last.
  rows.sort((a, b) => compare(a.latest, b.latest, 1) || RU.compare(a.title_ru, b.title_ru) || a.id - b.id);
  return { periods: window, rows };
}
