import type { Db } from '../connect.ts';
import { computeServiceKpi } from '../../domain/kpi.ts';
import { principleSettings, principlesKpiInput } from './principles.ts';
import { scorePeriods, serviceSettings } from './services.ts';
import type { ReadContext } from './items.ts';

/**
 * The service-quality KPI for the dashboard: improved ÷ low-scoring at period start, target 20 %.
 * Definition (domain/kpi.ts): period start = the KPI base period setting, else the earliest score period on
 * record; low-scoring = by the one low-score rule (threshold and minimum votes, settings); improved = a
 * service of that set whose serviceImprovement closed as improved (a score imported after its implementation
 * was accepted, for a later period, at or above the improvement's target). The trajectory gives the
 * cumulative improved count for each later score period.
 */
export async function serviceKpi(
  db: Db,
  ctx: ReadContext,
): Promise<{
  lowAtStart: number;
  improved: number;
  target: number;
  period: string | null;
  trajectory: { period: string; improved: number; lowAtStart: number }[];
}> {
  void ctx; // the KPI depends on imported periods, not on today's date
  const [settings, periods] = await Promise.all([serviceSettings(db), scorePeriods(db)]);
  const base = settings.basePeriod ?? periods[0] ?? null;
  if (!base) return { lowAtStart: 0, improved: 0, target: 0.2, period: null, trajectory: [] };
  const ps = await principleSettings(db);
  const [scores, improvements, byPrinciples] = await Promise.all([
    db
      .selectFrom('service_score')
      .select(['service_id', 'period', 'avg_score', 'votes'])
      .where('period', '=', base)
      .execute(),
    db
      .selectFrom('service_improvement')
      .select(['service_id', 'status', 'improved_period'])
      .where('status', '=', 'improved')
      .execute(),
    ps.basis === 'score' ? null : principlesKpiInput(db, base, ps.lowThreshold),
  ]);
  const kpi = computeServiceKpi({
    rule: settings.rule,
    basis: ps.basis,
    ...(byPrinciples ?? {}),
    basePeriod: base,
    periods,
    scores: scores.map((s) => ({
      serviceId: s.service_id,
      period: s.period,
      avg: s.avg_score,
      votes: s.votes,
    })),
    improvements: improvements.map((i) => ({
      serviceId: i.service_id,
      status: i.status,
      improvedPeriod: i.improved_period,
    })),
  });
  return {
    lowAtStart: kpi.lowAtStart,
    improved: kpi.improved,
    target: kpi.target,
    period: kpi.period,
    trajectory: kpi.trajectory,
  };
}
