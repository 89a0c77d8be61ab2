import { addDays, isLocalDate, type LocalDate } from '../local-date.ts';

/**
 * Client-centricity principles checked per service (issue 16): each check round grades every active
 * principle 1–5; the round's total is their mean. A service is low-graded when its latest round's total is
 * below the threshold (a setting).
 */
export const PRINCIPLES_LOW_KEY = 'principles.lowThreshold';
export const DEFAULT_PRINCIPLES_LOW = 3.5;

/** Which services the ≥ 20 % KPI counts as low at the start (setting services.kpiBasis). */
export const KPI_BASES = ['score', 'principles', 'either'] as const;
export type KpiBasis = (typeof KPI_BASES)[number];
export const KPI_BASIS_KEY = 'services.kpiBasis';

export const roundTotal = (grades: readonly number[]): number =>
  Math.round((grades.reduce((s, g) => s + g, 0) / grades.length) * 100) / 100;

export const isLowGraded = (total: number | null | undefined, threshold: number) =>
  total !== null && total !== undefined && total < threshold;

export interface RoundForm {
  heldOn: LocalDate;
  grades: { principleId: number; grade: number }[];
  note: string | null;
}

/** A check round's form: a date not in the future, a grade 1–5 for every principle, an optional note. */
export function checkRoundForm(
  values: Record<string, unknown>,
  principleIds: readonly number[],
  today: LocalDate,
):
  | { ok: true; value: RoundForm }
  | { ok: false; issues: { field: string; key: string; params?: Record<string, string | number> }[] } {
  const issues: { field: string; key: string; params?: Record<string, string | number> }[] = [];
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string).trim() : '');
  const heldOn = str('heldOn');
  if (!isLocalDate(heldOn)) issues.push({ field: 'heldOn', key: 'error.feedback.date' });
  else if (heldOn > addDays(today, 0))
    issues.push({
      field: 'heldOn',
      key: 'error.feedback.dateRange',
      params: { from: '2015-01-01', to: today },
    });
  const grades: RoundForm['grades'] = [];
  for (const id of principleIds) {
    const raw = str(`grade.${id}`);
    const g = /^[1-5]$/.test(raw) ? Number(raw) : NaN;
    if (Number.isNaN(g)) issues.push({ field: `grade.${id}`, key: 'error.feedback.grade' });
    else grades.push({ principleId: id, grade: g });
  }
  const note = str('note');
  if (note.length > 2000)
    issues.push({ field: 'note', key: 'error.feedback.tooLong', params: { max: 2000 } });
  if (issues.length || principleIds.length === 0) return { ok: false, issues };
  return { ok: true, value: { heldOn, grades, note: note || null } };
}
