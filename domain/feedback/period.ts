import { isLocalDate, type LocalDate } from '../local-date.ts';

/**
 * Period keys of scores computed from reviews: months ("2025-07") and quarters ("2025-Q3"). Quarters use
 * the same key as imported averages (domain/services/period.ts), so the two sit side by side.
 */
export type MonthKey = string;
export type FeedbackPeriodKind = 'month' | 'quarter';

export const monthOf = (d: LocalDate): MonthKey => d.slice(0, 7);
export const isMonthKey = (v: unknown): v is MonthKey =>
  typeof v === 'string' && /^20\d{2}-(0[1-9]|1[0-2])$/.test(v);

export function quarterOfMonth(m: MonthKey): string {
  const month = Number(m.slice(5, 7));
  return `${m.slice(0, 4)}-Q${Math.ceil(month / 3)}`;
}

/** The months of a quarter key, or a month key itself. */
export function monthsOfPeriod(period: string): MonthKey[] {
  if (isMonthKey(period)) return [period];
  const q = /^(20\d{2})-Q([1-4])$/.exec(period);
  if (!q) throw new RangeError(`not a feedback period: ${period}`);
  const first = (Number(q[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${q[1]}-${String(first + i).padStart(2, '0')}`);
}

export const periodOfDate = (d: LocalDate, kind: FeedbackPeriodKind) =>
  kind === 'month' ? monthOf(d) : quarterOfMonth(monthOf(d));

/** The `n` periods of a kind that end with the one holding `today`, oldest first. */
export function recentPeriods(today: LocalDate, kind: FeedbackPeriodKind, n: number): string[] {
  if (!isLocalDate(today)) throw new RangeError(`not a date: ${today}`);
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7));
  const out: string[] = [];
  const step = kind === 'month' ? 1 : 3;
  if (kind === 'quarter') m = Math.ceil(m / 3) * 3 - 2;
  for (let i = 0; i < n; i++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.unshift(kind === 'month' ? key : quarterOfMonth(key));
    m -= step;
    if (m < 1) {
      m += 12;
      y--;
    }
  }
  return out;
}

export function formatFeedbackPeriod(key: string, locale: 'ru' | 'en'): string {
  if (isMonthKey(key)) {
    const d = new Date(Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, 1));
    return new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(d);
  }
  const q = /^(\d{4})-Q([1-4])$/.exec(key);
  if (q) return locale === 'ru' ? `${q[2]} кв. ${q[1]}` : `Q${q[2]} ${q[1]}`;
  return key;
}
