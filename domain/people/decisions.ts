import { countWorkingDays } from '../calendar/index.ts';
import type { LocalDate } from '../local-date.ts';

// What waits for the leadership's decision: extension requests that move a control date far (the working
// group's threshold), items at the top of the escalation ladder, reports on their own instructions.

export const EXTENSION_THRESHOLD_KEY = 'leadership.extensionThresholdWorkingDays';
/** About a month and a half of working days: longer postponements are the leadership's to grant. */
export const DEFAULT_EXTENSION_THRESHOLD = 30;
export const EXTENSION_THRESHOLD_RANGE = { min: 1, max: 250 } as const;

/** A stored or typed threshold, or null when it is not a whole number of working days in range. */
export function parseExtensionThreshold(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,3}\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= EXTENSION_THRESHOLD_RANGE.min && n <= EXTENSION_THRESHOLD_RANGE.max
    ? n
    : null;
}

/** Working days an extension request would move the control date by. */
export const extensionShift = (x: { previous_due: LocalDate; requested_due: LocalDate }) =>
  countWorkingDays(x.previous_due, x.requested_due);

/** Whether an extension request is the leadership's to decide: far enough, or on their own instruction. */
export function forLeadership(
  x: { previous_due: LocalDate; requested_due: LocalDate; author_user_id: number | null },
  o: { threshold: number; userId: number },
): boolean {
  return extensionShift(x) >= o.threshold || (x.author_user_id !== null && x.author_user_id === o.userId);
}
