import type { Db } from '../../db/connect.ts';
import {
  CASE_ANSWER_DAYS_KEY,
  CASE_MAX_RATING_KEY,
  type FeedbackCasePolicy,
} from '../../domain/feedback/cases.ts';

/** The case rule as the working group set it (settings), over the deployment's policy. */
export async function effectiveCasePolicy(db: Db, base: FeedbackCasePolicy): Promise<FeedbackCasePolicy> {
  const rows = await db
    .selectFrom('setting')
    .select(['key', 'value'])
    .where('key', 'in', [CASE_MAX_RATING_KEY, CASE_ANSWER_DAYS_KEY])
    .execute();
  const num = (k: string, min: number, max: number) => {
    const v = rows.find((r) => r.key === k)?.value;
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : null;
  };
  return {
    ...base,
    maxRating: num(CASE_MAX_RATING_KEY, 0, 5) ?? base.maxRating,
    answerWorkingDays: num(CASE_ANSWER_DAYS_KEY, 1, 60) ?? base.answerWorkingDays,
  };
}
