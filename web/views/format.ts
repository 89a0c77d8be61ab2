import type { Locale, Translate } from '../i18n/index.ts';

// Numbers as the reader's language writes them (3,5 in Russian, 3.5 in English).

const tag = (locale: Locale) => (locale === 'ru' ? 'ru-RU' : 'en-GB');

// Building an Intl formatter costs tens of microseconds — more than a whole table row — so each kind is
// made once per locale and reused (a 200-row league table formats 600 numbers).
const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: Locale, kind: string, options: Intl.NumberFormatOptions) {
  const key = `${locale}|${kind}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(tag(locale), options)));
  return f;
}

export function formatNumber(n: number | null | undefined, locale: Locale, maxFractionDigits = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return numberFormat(locale, `n${maxFractionDigits}`, { maximumFractionDigits: maxFractionDigits }).format(
    n,
  );
}

export function formatScore(n: number | null | undefined, locale: Locale): string {
  if (n === null || n === undefined) return '—';
  return numberFormat(locale, 'score', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

/** 0.834 → "83 %" (ru) / "83%" (en); null → "—". */
export function formatPercent(x: number | null | undefined, locale: Locale): string {
  if (x === null || x === undefined) return '—';
  return numberFormat(locale, 'percent', { style: 'percent', maximumFractionDigits: 0 }).format(x);
}

const ROMAN = ['I', 'II', 'III', 'IV'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Score and indicator periods: "2025-Q3" → "III кв. 2025" / "Q3 2025"; "2025-03" → "03.2025" / "Mar 2025". */
export function formatPeriod(p: string, locale: Locale): string {
  let m = /^(\d{4})-Q([1-4])$/.exec(p);
  if (m) return locale === 'ru' ? `${ROMAN[+m[2]! - 1]} кв. ${m[1]}` : `Q${m[2]} ${m[1]}`;
  m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m && +m[2]! >= 1 && +m[2]! <= 12)
    return locale === 'ru' ? `${m[2]}.${m[1]}` : `${MONTHS_EN[+m[2]! - 1]} ${m[1]}`;
  return p;
}

const MONTHS_RU_SHORT = ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];

/** Axis label for a month: "мар 2026" / "Mar 2026". */
export function formatMonth(d: string, locale: Locale): string {
  const month = +d.slice(5, 7) - 1;
  return `${(locale === 'ru' ? MONTHS_RU_SHORT : MONTHS_EN)[month]} ${d.slice(0, 4)}`;
}

/** Units as stored by the reference data (Russian), shown in the reader's language. */
export const unitLabel = (unit: string, t: Translate) => {
  const key = { 'дн.': 'ls.unit.days', 'ед.': 'ls.unit.pcs', балл: 'ls.unit.points', '%': 'ls.unit.percent' }[
    unit
  ];
  return key ? t(key) : unit;
};
