import { compareDates, type LocalDate } from '../local-date.ts';

/**
 * Score periods are quarters ("2025-Q3") or years ("2025"): the granularity of Gosuslugi rating exports.
 * Files write them many ways; parsePeriod() accepts the common Russian and English spellings.
 */
export type PeriodKey = string;

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };
const YEAR = '(20\\d{2})';
const Q = '([1-4]|iv|iii|ii|i)';
// «г.», «год», «года» after the year are decoration.
const YEAR_TAIL = '(?:\\s*(?:г\\.?|года?))?';

const PATTERNS: { re: RegExp; year: number; quarter?: number }[] = [
  { re: new RegExp(`^${YEAR}${YEAR_TAIL}$`), year: 1 },
  { re: new RegExp(`^${YEAR}\\s*[-/ ]?\\s*q\\s*${Q}$`), year: 1, quarter: 2 },
  { re: new RegExp(`^q\\s*${Q}\\s*[-/ ]?\\s*${YEAR}$`), year: 2, quarter: 1 },
  // 3 кв. 2025, III квартал 2025 года, 3-й кв 2025
  { re: new RegExp(`^${Q}(?:-?й)?\\s*(?:кв\\.?|квартал)\\s*${YEAR}${YEAR_TAIL}$`), year: 2, quarter: 1 },
  // 2025, 3 кв.
  {
    re: new RegExp(`^${YEAR}${YEAR_TAIL}\\s*[,/ ]\\s*${Q}(?:-?й)?\\s*(?:кв\\.?|квартал)$`),
    year: 1,
    quarter: 2,
  },
];

/** The canonical key of a period as people write it, or null when it is not one we understand. */
export function parsePeriod(raw: string): PeriodKey | null {
  const s = raw.trim().toLowerCase().replace(/\s+/g, ' ').replace(/ё/g, 'е');
  for (const p of PATTERNS) {
    const m = p.re.exec(s);
    if (!m) continue;
    const year = m[p.year]!;
    if (p.quarter === undefined) return year;
    const q = m[p.quarter]!;
    return `${year}-Q${ROMAN[q] ?? Number(q)}`;
  }
  return null;
}

export const isPeriodKey = (v: unknown): v is PeriodKey =>
  typeof v === 'string' && /^20\d{2}(-Q[1-4])?$/.test(v);

/** Last calendar day of the period. */
export function periodEnd(key: PeriodKey): LocalDate {
  const m = /^(\d{4})(?:-Q([1-4]))?$/.exec(key);
  if (!m) throw new RangeError(`not a score period: ${key}`);
  if (!m[2]) return `${m[1]}-12-31`;
  const month = Number(m[2]) * 3;
  const last = month === 3 || month === 12 ? 31 : 30;
  return `${m[1]}-${String(month).padStart(2, '0')}-${last}`;
}

/** Order by period end; a year sorts after its fourth quarter (same end, coarser last). */
export function comparePeriods(a: PeriodKey, b: PeriodKey): number {
  return compareDates(periodEnd(a), periodEnd(b)) || b.length - a.length;
}

export const isLaterPeriod = (a: PeriodKey, than: PeriodKey) =>
  compareDates(periodEnd(a), periodEnd(than)) > 0;

/** The period as shown to people: «3 кв. 2025» / "Q3 2025", «2025 г.» / "2025". */
export function formatPeriod(key: string, locale: 'ru' | 'en'): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return locale === 'ru' ? `${m[2]} кв. ${m[1]}` : `Q${m[2]} ${m[1]}`;
  if (/^\d{4}$/.test(key)) return locale === 'ru' ? `${key} г.` : key;
  return key;
}
