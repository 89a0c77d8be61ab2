/**
 * The rating by direction and by municipality (issue 16), shown with its formula on the page:
 *
 *   rating = (0.5 × S + 0.3 × P + 0.2 × M) / (weights of the parts that exist)
 *
 * - S, citizens: the votes-weighted mean score from reviews in the period, as 0–100: (avg − 1) ÷ 4 × 100;
 * - P, principles: the mean total of the latest principles checks of its services, as 0–100 the same way;
 * - M, measures: the share of its open controlled items that are not overdue, as 0–100.
 *
 * A part without data (no votes, no checks, no measures) is left out and the weights of the others are
 * scaled up, so a municipality (no principles checks) is rated on citizens and measures alone.
 */
export const RATING_WEIGHTS = { citizens: 0.5, principles: 0.3, measures: 0.2 } as const;

export interface RatingParts {
  votes: number;
  ratingSum: number;
  /** Latest principles totals (1–5) of its services. */
  principleTotals: readonly number[];
  openItems: number;
  overdueItems: number;
}

export interface Rating {
  citizens: number | null;
  principles: number | null;
  measures: number | null;
  total: number | null;
}

const toScale = (avg: number) => Math.round(((avg - 1) / 4) * 1000) / 10;

export function rate(p: RatingParts): Rating {
  const citizens = p.votes > 0 ? toScale(p.ratingSum / p.votes) : null;
  const principles = p.principleTotals.length
    ? toScale(p.principleTotals.reduce((a, b) => a + b, 0) / p.principleTotals.length)
    : null;
  const measures = p.openItems > 0 ? Math.round((1 - p.overdueItems / p.openItems) * 1000) / 10 : null;
  const parts: [number | null, number][] = [
    [citizens, RATING_WEIGHTS.citizens],
    [principles, RATING_WEIGHTS.principles],
    [measures, RATING_WEIGHTS.measures],
  ];
  const present = parts.filter((x): x is [number, number] => x[0] !== null);
  const weight = present.reduce((s, [, w]) => s + w, 0);
  const total = weight ? Math.round((present.reduce((s, [v, w]) => s + v * w, 0) / weight) * 10) / 10 : null;
  return { citizens, principles, measures, total };
}

/**
 * The 2030 targets (Smolensk's, typical of the programme): 99 % of mass socially significant services
 * available online, at least 100 services delivered proactively or on request — computed from the register.
 */
export const TARGETS_2030 = { shareOnline: 0.99, proactive: 100 } as const;

export function targets2030(
  services: readonly { socially_significant: boolean; electronic: boolean; proactive: boolean }[],
) {
  const mass = services.filter((s) => s.socially_significant);
  const online = mass.filter((s) => s.electronic).length;
  return {
    massServices: mass.length,
    online,
    shareOnline: mass.length ? online / mass.length : null,
    proactive: services.filter((s) => s.proactive).length,
    targets: TARGETS_2030,
  };
}
