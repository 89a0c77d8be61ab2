import { monthsOfPeriod, type MonthKey } from './period.ts';

/** One month's tally of a service's reviews (the read model keeps these per service and municipality). */
export interface MonthTally {
  month: MonthKey;
  votes: number;
  ratingSum: number;
  /** Votes per rating, index 0 = one star. */
  byRating: [number, number, number, number, number];
  withText: number;
}

export interface PeriodScore {
  period: string;
  votes: number;
  /** Mean rating rounded to two decimals; null without votes. */
  avg: number | null;
  byRating: [number, number, number, number, number];
  withText: number;
}

export const emptyTally = (month: MonthKey): MonthTally => ({
  month,
  votes: 0,
  ratingSum: 0,
  byRating: [0, 0, 0, 0, 0],
  withText: 0,
});

/** Adds one review to a tally (intake computes the deltas it writes this way). */
export function addToTally(t: MonthTally, rating: number, hasText: boolean): MonthTally {
  const byRating = [...t.byRating] as MonthTally['byRating'];
  byRating[rating - 1]!++;
  return {
    month: t.month,
    votes: t.votes + 1,
    ratingSum: t.ratingSum + rating,
    byRating,
    withText: t.withText + (hasText ? 1 : 0),
  };
}

/**
 * The score of a period (a month or a quarter) from monthly tallies: every vote weighs the same, so a
 * quarter's average is its votes' mean, not the mean of three monthly means.
 */
export function periodScore(period: string, tallies: readonly MonthTally[]): PeriodScore {
  const months = new Set(monthsOfPeriod(period));
  const byRating: PeriodScore['byRating'] = [0, 0, 0, 0, 0];
  let votes = 0;
  let sum = 0;
  let withText = 0;
  for (const t of tallies) {
    if (!months.has(t.month)) continue;
    votes += t.votes;
    sum += t.ratingSum;
    withText += t.withText;
    for (let i = 0; i < 5; i++) byRating[i]! += t.byRating[i]!;
  }
  return { period, votes, avg: votes ? Math.round((sum / votes) * 100) / 100 : null, byRating, withText };
}
