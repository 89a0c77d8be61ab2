import { comparePeriods, type PeriodKey } from './services/period.ts';
import { classifyScore, type LowScoreRule } from './services/rules.ts';

/**
 * The service-quality KPI of the programme: at least 20 % of the services that were low-scoring at the start
 * are improved.
 *
 * - Period start (base period): the KPI base period from the settings, else the earliest score period on
 *   record. `lowAtStart` = services low-scoring in that period by the one low-score rule (classifyScore)
 *   (unrated services are not low: they are counted separately).
 * - Improved: a service of that set whose serviceImprovement closed as improved, i.e. a score imported after
 *   its implementation was accepted, for a later period, reached the improvement's target.
 * - KPI = improved ÷ lowAtStart against `SERVICE_KPI_TARGET`.
 * - Trajectory: for every score period after the base, how many of the set were improved by then (by the
 *   period whose score closed the improvement).
 */
export const SERVICE_KPI_TARGET = 0.2;

export interface KpiScore {
  serviceId: number;
  period: PeriodKey;
  avg: number | null;
  votes: number;
}

export interface KpiImprovement {
  serviceId: number;
  status: string;
  /** The score period whose import closed the improvement as improved. */
  improvedPeriod: PeriodKey | null;
}

export interface ServiceKpi {
  period: PeriodKey | null;
  lowAtStart: number;
  improved: number;
  target: number;
  /** improved ÷ lowAtStart; null when nothing was low at the start. */
  ratio: number | null;
  met: boolean;
  /** Cumulative improved count for each score period after the base. */
  trajectory: { period: PeriodKey; improved: number; lowAtStart: number }[];
}

export function computeServiceKpi(input: {
  rule: LowScoreRule;
  /**
   * Which services count as low at the start (issue 16): by the citizens' score (default), by the
   * principles grade, or either.
   */
  basis?: 'score' | 'principles' | 'either';
  /** Services whose latest principles round by the base period's end was low-graded. */
  principlesLowAtStart?: readonly number[];
  /** Services low-graded at the start whose later round reached the threshold, by that round's period. */
  principlesImproved?: readonly { serviceId: number; period: PeriodKey }[];
  /** The configured base period; null → the earliest period among `scores`. */
  basePeriod: PeriodKey | null;
  /** Scores of the base period (others are ignored). */
  scores: KpiScore[];
  /** Every score period on record; default: the periods of `scores`. */
  periods?: PeriodKey[];
  improvements: KpiImprovement[];
  target?: number;
}): ServiceKpi {
  const target = input.target ?? SERVICE_KPI_TARGET;
  const periods = [...new Set(input.periods ?? input.scores.map((s) => s.period))].sort(comparePeriods);
  const base = input.basePeriod ?? periods[0] ?? null;
  if (!base)
    return { period: null, lowAtStart: 0, improved: 0, target, ratio: null, met: false, trajectory: [] };

  const basis = input.basis ?? 'score';
  const byScore = input.scores
    .filter((s) => s.period === base && classifyScore(s.avg, s.votes, input.rule) === 'low')
    .map((s) => s.serviceId);
  const byPrinciples = input.principlesLowAtStart ?? [];
  const low = new Set(
    basis === 'score' ? byScore : basis === 'principles' ? byPrinciples : [...byScore, ...byPrinciples],
  );
  const principlesLow = new Set(basis === 'score' ? [] : byPrinciples);
  // A service counts once, by the earliest period in which one of its improvements closed as improved.
  const improvedBy = new Map<number, PeriodKey>();
  for (const i of input.improvements) {
    if (i.status !== 'improved' || !i.improvedPeriod || !low.has(i.serviceId)) continue;
    const seen = improvedBy.get(i.serviceId);
    if (!seen || comparePeriods(i.improvedPeriod, seen) < 0) improvedBy.set(i.serviceId, i.improvedPeriod);
  }
  // A principles-low service also counts as improved when a later round reached the threshold.
  for (const i of input.principlesImproved ?? []) {
    if (!principlesLow.has(i.serviceId)) continue;
    const seen = improvedBy.get(i.serviceId);
    if (!seen || comparePeriods(i.period, seen) < 0) improvedBy.set(i.serviceId, i.period);
  }
  const lowAtStart = low.size;
  const improved = improvedBy.size;
  const trajectory = periods
    .filter((p) => comparePeriods(p, base) > 0)
    .map((period) => ({
      period,
      lowAtStart,
      improved: [...improvedBy.values()].filter((p) => comparePeriods(p, period) <= 0).length,
    }));
  const ratio = lowAtStart > 0 ? improved / lowAtStart : null;
  return {
    period: base,
    lowAtStart,
    improved,
    target,
    ratio,
    met: ratio !== null && ratio >= target,
    trajectory,
  };
}
