import { isLaterPeriod, comparePeriods, type PeriodKey } from './period.ts';

/** Setting key and default of the low-score rule: a rated service whose average is below it is low-scoring. */
export const LOW_SCORE_THRESHOLD_KEY = 'services.lowScoreThreshold';
export const DEFAULT_LOW_SCORE_THRESHOLD = 4.0;
/** Setting key of the rule's minimum votes: fewer votes than this and a score says nothing (unrated). */
export const LOW_SCORE_MIN_VOTES_KEY = 'services.lowScoreMinVotes';
export const DEFAULT_LOW_SCORE_MIN_VOTES = 1;
/** Setting key of the KPI's base period ("period start"); unset → the earliest period with scores. */
export const KPI_BASE_PERIOD_KEY = 'services.kpiBasePeriod';

export type ScoreClass = 'low' | 'ok' | 'unrated';

/**
 * The one definition of "low-scoring" (issue 16): every page, the KPI and the exports classify a score with
 * this rule, read from the settings by `serviceSettings()` (db/read-models/services.ts); SQL filters use
 * `scoreClassSql()` there, which states the same rule.
 */
export interface LowScoreRule {
  /** A score below this average is low. */
  threshold: number;
  /** A score needs at least this many votes to count at all; fewer → unrated. */
  minVotes: number;
}

export const DEFAULT_LOW_SCORE_RULE: LowScoreRule = {
  threshold: DEFAULT_LOW_SCORE_THRESHOLD,
  minVotes: DEFAULT_LOW_SCORE_MIN_VOTES,
};

/** Unrated (no score, or fewer votes than the rule asks) is its own class: it is neither low nor fine. */
export function classifyScore(
  avg: number | null | undefined,
  votes: number | null | undefined,
  rule: LowScoreRule,
): ScoreClass {
  if (avg === null || avg === undefined || !votes || votes < Math.max(1, rule.minVotes)) return 'unrated';
  return avg < rule.threshold ? 'low' : 'ok';
}

/** A minimum-votes setting: a whole number 1–100000. */
export function parseMinVotes(raw: unknown): number | null {
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^\s*\d{1,6}\s*$/.test(raw)
        ? Number(raw)
        : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : null;
}

/** A threshold the setting may hold: between 1 and 5, two decimals at most. */
export function parseThreshold(raw: unknown): number | null {
  const n =
    typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim().replace(',', '.')) : NaN;
  if (!Number.isFinite(n) || n < 1 || n > 5) return null;
  return Math.round(n * 100) / 100;
}

export interface ScorePoint {
  period: PeriodKey;
  avg: number | null;
  votes: number;
}

export interface ScoreVerdict {
  /** The score that was judged: the latest rated period after `measureAfter`, if any. */
  period: PeriodKey | null;
  avg: number | null;
  improved: boolean;
}

/**
 * Has an improved service reached its target? Only scores of periods after `measureAfter` (the latest period
 * known when the implementation was accepted) count, and of those the latest rated one decides: an old
 * period imported late does not override a newer one.
 */
export function judgeScores(scores: ScorePoint[], measureAfter: PeriodKey, target: number): ScoreVerdict {
  const later = scores
    .filter((s) => s.avg !== null && s.votes > 0 && isLaterPeriod(s.period, measureAfter))
    .sort((a, b) => comparePeriods(a.period, b.period));
  const last = later.at(-1);
  if (!last) return { period: null, avg: null, improved: false };
  return { period: last.period, avg: last.avg, improved: (last.avg ?? 0) >= target };
}
