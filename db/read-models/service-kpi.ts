import type { Db } from '../connect.ts';
import type { ReadContext } from './items.ts';

/** Below this average citizen score a service counts as low-scoring. */
const LOW_SCORE = 4.0;
/** The programme's goal: at least this share of the low-scoring services improved. */
const TARGET_SHARE = 0.2;
/** How many of the latest score periods the KPI looks at; the earliest of them is the start. */
const WINDOW = 4;

export interface ServiceKpi {
  /** Services scoring below 4.0 in the window's first period. */
  lowAtStart: number;
  /** Of those, how many score 4.0 or more in the latest period. */
  improved: number;
  /** Share of lowAtStart that should be improved. */
  target: number;
  /** The latest score period (what "improved" is measured in); null when no scores are loaded. */
  period: string | null;
  /** Per period of the window, oldest first: how many of the start's low scorers were ≥ 4.0 then. */
  trajectory: { period: string; improved: number; lowAtStart: number }[];
}

/**
 * KPI "low-scoring services improved: x of y (target 20%)" — first version. The service-quality feature
 * (issue 6) owns the definition and replaces this body; the signature stays.
 */
export async function serviceKpi(db: Db, _ctx: ReadContext): Promise<ServiceKpi> {
  const periods = (
    await db
      .selectFrom('service_score')
      .select('period')
      .distinct()
      .orderBy('period', 'desc')
      .limit(WINDOW)
      .execute()
  )
    .map((r) => r.period)
    .reverse();
  const start = periods[0];
  const latest = periods.at(-1);
  if (!start || !latest)
    return { lowAtStart: 0, improved: 0, target: TARGET_SHARE, period: null, trajectory: [] };

  const scores = await db
    .selectFrom('service_score')
    .select(['service_id', 'period', 'avg_score'])
    .where('period', 'in', periods)
    .where('avg_score', 'is not', null)
    .execute();
  const byPeriod = new Map<string, Map<number, number>>(periods.map((p) => [p, new Map()]));
  for (const s of scores) byPeriod.get(s.period)!.set(s.service_id, s.avg_score!);

  const low = [...byPeriod.get(start)!].filter(([, score]) => score < LOW_SCORE).map(([id]) => id);
  const improvedIn = (period: string) => {
    const m = byPeriod.get(period)!;
    return low.filter((id) => (m.get(id) ?? -1) >= LOW_SCORE).length;
  };
  return {
    lowAtStart: low.length,
    improved: improvedIn(latest),
    target: TARGET_SHARE,
    period: latest,
    trajectory: periods.map((period) => ({ period, improved: improvedIn(period), lowAtStart: low.length })),
  };
}
