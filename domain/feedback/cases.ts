import { addWorkingDays, precedingWorkingDay } from '../calendar/index.ts';
import type { LocalDate } from '../local-date.ts';

/**
 * Curator cases: a low rating that comes with a text opens a case for the service's curator, who answers
 * within a number of working days. The workflow (workflows/feedback-case.ts) takes its timing from this
 * policy object; the deadline is absolute (a calendar date), computed once when the case opens.
 */
export interface FeedbackCasePolicy {
  /** Ratings at or below this open a case when the review has a text. */
  maxRating: number;
  /** Working days the curator has to answer. */
  answerWorkingDays: number;
  /** Reminders this many working days before the deadline (0 = on the day). */
  remindWorkingDaysBefore: number[];
  /** After the deadline: escalate to the agency head at once, then to the working group this much later. */
  escalateToWorkingGroupAfterWorkingDays: number;
  /** Local time of day (minutes) reminders and escalations go out. */
  chaseMinuteOfDay: number;
  utcOffsetMinutes: number;
}

export const CASE_MAX_RATING_KEY = 'feedback.caseMaxRating';
export const CASE_ANSWER_DAYS_KEY = 'feedback.caseAnswerWorkingDays';

export const DEFAULT_CASE_POLICY: FeedbackCasePolicy = {
  maxRating: 2,
  answerWorkingDays: 5,
  remindWorkingDaysBefore: [1],
  escalateToWorkingGroupAfterWorkingDays: 3,
  chaseMinuteOfDay: 9 * 60,
  utcOffsetMinutes: 420,
};

/** A review older than this (a file of last year's reviews) is history, not a case to answer now. */
export const CASE_MAX_AGE_DAYS = 30;

/** Does this review open a case? Only a low rating with something to answer. */
export const opensCase = (rating: number, text: string | null | undefined, maxRating: number) =>
  rating <= maxRating && !!text && text.trim().length > 0;

/** The answer's deadline: N working days after the day the review arrived (never a day off). */
export const caseDeadline = (openedOn: LocalDate, p: Pick<FeedbackCasePolicy, 'answerWorkingDays'>) =>
  precedingWorkingDay(addWorkingDays(openedOn, p.answerWorkingDays));

/** 'opened' tells the curator a case is theirs (the workflow's first step); the rest follow casePlan. */
export type CaseChaseKind = 'opened' | 'reminder' | 'escalate_head' | 'escalate_wg';

/** The chases of a case in date order: reminders before the deadline, the two escalations after it. */
export function casePlan(
  due: LocalDate,
  p: FeedbackCasePolicy,
): { kind: CaseChaseKind; on: LocalDate; key: string }[] {
  const plan: { kind: CaseChaseKind; on: LocalDate; key: string }[] = [];
  for (const n of [...p.remindWorkingDaysBefore].sort((a, b) => b - a))
    plan.push({ kind: 'reminder', on: n === 0 ? due : addWorkingDays(due, -n), key: `r${n}` });
  plan.push({ kind: 'escalate_head', on: addWorkingDays(due, 1), key: 'esc-head' });
  plan.push({
    kind: 'escalate_wg',
    on: addWorkingDays(due, 1 + p.escalateToWorkingGroupAfterWorkingDays),
    key: 'esc-wg',
  });
  return plan;
}

export interface CaseAnswer {
  text: string;
  /** Was the problem the citizen reported fixed? null = not yet known. */
  fixed: boolean | null;
}

export const CASE_ANSWER_MAX = 4000;

/** The answer form: non-empty text within the limit and a choice for "fixed". Issues by field. */
export function checkCaseAnswer(raw: {
  text?: unknown;
  fixed?: unknown;
}):
  | { ok: true; value: CaseAnswer }
  | { ok: false; issues: { field: string; key: string; params?: Record<string, number> }[] } {
  const issues: { field: string; key: string; params?: Record<string, number> }[] = [];
  const text = typeof raw.text === 'string' ? raw.text.trim() : '';
  if (!text) issues.push({ field: 'text', key: 'error.feedback.answerText' });
  else if (text.length > CASE_ANSWER_MAX)
    issues.push({ field: 'text', key: 'error.feedback.tooLong', params: { max: CASE_ANSWER_MAX } });
  const f = raw.fixed;
  const fixed =
    f === 'yes' || f === true ? true : f === 'no' || f === false ? false : f === 'unknown' ? null : undefined;
  if (fixed === undefined) issues.push({ field: 'fixed', key: 'error.feedback.fixedChoice' });
  if (issues.length) return { ok: false, issues };
  return { ok: true, value: { text, fixed: fixed ?? null } };
}
