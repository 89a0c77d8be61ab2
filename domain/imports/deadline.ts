import { isWorkingDay, precedingWorkingDay } from '../calendar/index.ts';
import type { Recurrence } from '../control-item/types.ts';
import { endOfMonth, isLocalDate, type LocalDate } from '../local-date.ts';
import { cellText } from './text.ts';
import type { DeadlineSpec, RawCell } from './types.ts';

export type DeadlineResult =
  DeadlineSpec | { kind: 'error'; key: string; params?: Record<string, string | number> };

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

const MONTH_STEMS: [RegExp, number][] = [
  [/^(январ[ьяе]|january|jan)$/, 1],
  [/^(феврал[ьяе]|february|feb)$/, 2],
  [/^(март[ае]?|march|mar)$/, 3],
  [/^(апрел[ьяе]|april|apr)$/, 4],
  [/^(ма[йяе]|may)$/, 5],
  [/^(июн[ьяе]|june|jun)$/, 6],
  [/^(июл[ьяе]|july|jul)$/, 7],
  [/^(август[ае]?|august|aug)$/, 8],
  [/^(сентябр[ьяе]|september|sep|sept)$/, 9],
  [/^(октябр[ьяе]|october|oct)$/, 10],
  [/^(ноябр[ьяе]|november|nov)$/, 11],
  [/^(декабр[ьяе]|december|dec)$/, 12],
];
const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

const RECURRING: [RegExp, Recurrence][] = [
  [/ежемесячн|каждый месяц|раз в месяц|monthly/, 'monthly'],
  [/ежеквартальн|каждый квартал|раз в квартал|quarterly/, 'quarterly'],
  [/ежегодн|каждый год|раз в год|annually|yearly/, 'yearly'],
];
const OPEN_ENDED =
  /постоянн|на постоянной основе|по мере необходимости|в течение (всего )?(года|периода)$|ongoing|continuous/;
/** «до 10 числа», «не позднее 10-го числа», «по 25 число». */
const DAY_OF_MONTH = /(?:до|не позднее|не позже|по)\s+(\d{1,2})(?:-?(?:го|е|ое))?\s+числ[аоу]/;
/** «не позднее 5 рабочего дня», «5-го рабочего дня», «в течение 5 рабочих дней». */
const WORKING_DAY = /(\d{1,2})(?:-?(?:го|й|ого|х))?\s+рабоч\S*\s+дн/;
/** «месяца, следующего за отчётным», «после окончания квартала», «месяца после отчётного периода». */
const NEXT_MONTH =
  /следующ\S*\s+за\s+отчетн|после\s+(окончания\s+)?(отчетн|квартал|месяц|период|год)|следующего\s+месяца/;

const pad = (n: number) => String(n).padStart(2, '0');

function monthOf(word: string): number | null {
  for (const [re, m] of MONTH_STEMS) if (re.test(word)) return m;
  return null;
}

function fullYear(y: string): number {
  const n = Number(y);
  return y.length === 2 ? 2000 + n : n;
}

type DateOrError = { date: LocalDate } | { error: string; params?: Record<string, string | number> };

function makeDate(y: number, m: number, d: number, written: string): DateOrError {
  if (y < MIN_YEAR || y > MAX_YEAR)
    return { error: 'error.import.deadline.year', params: { value: written } };
  const iso = `${y}-${pad(m)}-${pad(d)}`;
  if (!isLocalDate(iso)) return { error: 'error.import.deadline.invalidDate', params: { value: written } };
  return { date: iso };
}

const DMY = /(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?!\d)/g;
const ISO = /(\d{4})-(\d{2})-(\d{2})/;

/** Text of a deadline cell, simplified: lower case, ё → е, single spaces, no "г."/"года" suffix. */
function simplify(s: string): string {
  return s
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[«»"]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/(\d)\s*(г\.?|года?|гг\.?)(?=$|[\s,.;)])/g, '$1')
    .replace(/[\s.,;]+$/, '')
    .trim();
}

/** An absolute deadline written in words or digits; null when the text is none of the known forms. */
function parseDateText(t: string): DateOrError | null {
  // Leading words that do not change the date: "до", "не позднее", "в срок до", "срок –".
  let s = t.replace(/^(срок\s*[-:–]?\s*)?(в срок )?(не позднее|не позже|до|по|by|until)\s+/, '');
  if (/^до /.test(t) && /^([a-zа-я]+) (\d{4})$/.test(s) && monthOf(s.split(' ')[0]!)) {
    // "до декабря 2025" reads as "before December": ask for an exact date instead of guessing.
    return { error: 'error.import.deadline.ambiguousMonth', params: { value: t } };
  }
  if (/^до (\d{4})( год)?$/.test(t))
    return { error: 'error.import.deadline.ambiguousYear', params: { value: t } };
  s = s.replace(/^(до конца|конца|конец|в течение|в|during|end of|by the end of)\s+/, '');

  const iso = ISO.exec(s);
  if (iso && s === iso[0]) return makeDate(+iso[1]!, +iso[2]!, +iso[3]!, t);
  const dmy = [...s.matchAll(DMY)];
  if (dmy.length > 1) return { error: 'error.import.deadline.several', params: { value: t } };
  if (dmy.length === 1) {
    const m = dmy[0]!;
    if (s.replace(m[0], '').trim() !== '') return null;
    return makeDate(fullYear(m[3]!), +m[2]!, +m[1]!, t);
  }
  // "31 марта 2025"
  let m = /^(\d{1,2}) ([a-zа-я]+) (\d{4})$/.exec(s);
  if (m && monthOf(m[2]!)) return makeDate(+m[3]!, monthOf(m[2]!)!, +m[1]!, t);
  // "IV квартал 2025", "4 кв 2025", "4-й квартал 2025", "Q4 2025"
  m = /^(i{1,3}|iv|[1-4])(?:-?й)? (?:квартал[ае]?|кв\.?) (\d{4})$/.exec(s) ?? /^q([1-4]) (\d{4})$/.exec(s);
  if (m) {
    const q = ROMAN[m[1]!] ?? Number(m[1]);
    const y = +m[2]!;
    const start = makeDate(y, q * 3, 1, t);
    return 'date' in start ? { date: endOfMonth(start.date) } : start;
  }
  // "I полугодие 2025"
  m = /^(i{1,2}|[12])(?:-?е)? (?:полугоди[ея]|пол\.?) (\d{4})$/.exec(s) ?? /^h([12]) (\d{4})$/.exec(s);
  if (m) {
    const h = ROMAN[m[1]!] ?? Number(m[1]);
    return makeDate(+m[2]!, h === 1 ? 6 : 12, h === 1 ? 30 : 31, t);
  }
  // "декабрь 2025", "в декабре 2025"
  m = /^([a-zа-я]+) (\d{4})$/.exec(s);
  if (m && monthOf(m[1]!)) {
    const start = makeDate(+m[2]!, monthOf(m[1]!)!, 1, t);
    return 'date' in start ? { date: endOfMonth(start.date) } : start;
  }
  // "2025", "2025 год", "в течение 2025 года"
  m = /^(\d{4})(?: год[ау]?)?$/.exec(s);
  if (m) return makeDate(+m[1]!, 12, 31, t);
  return null;
}

/** Excel stores dates as days since 1899-12-30; a number cell in the plausible range is one. */
function fromExcelSerial(n: number): LocalDate | null {
  if (!Number.isFinite(n) || n < 36_526 || n > 73_415) return null; // 2000-01-01 … 2100-12-31
  return new Date(Math.round((Math.floor(n) - 25_569) * 86_400_000)).toISOString().slice(0, 10);
}

function dated(date: LocalDate): DeadlineSpec {
  if (isWorkingDay(date)) return { kind: 'date', due: date };
  return { kind: 'date', due: precedingWorkingDay(date), written: date };
}

/**
 * A roadmap deadline cell: a date (Excel date cell, 31.03.2024, 31.03.24, «до 31.03.2024», «31 марта
 * 2024 г.», «IV квартал 2025», «I полугодие 2025», «декабрь 2025», «2025 год»), or a reporting cadence
 * («ежеквартально», «ежемесячно», «ежегодно», optionally «… до 31.12.2026», and a due day as people write
 * it: «до 10 числа месяца, следующего за отчётным», «не позднее 5 рабочего дня месяца», «до 25 числа»).
 * Dates on a weekend or holiday move to the preceding working day. Open-ended terms («постоянно») become a
 * cadence with no end when the uploader chose one (`openEndedEvery`), else are refused: nothing to control.
 */
export function parseDeadline(
  cell: RawCell,
  opts: { openEndedEvery?: Recurrence | null } = {},
): DeadlineResult {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime()))
      return { kind: 'error', key: 'error.import.deadline.unreadable', params: { value: '' } };
    const y = cell.getUTCFullYear();
    const d = makeDate(y, cell.getUTCMonth() + 1, cell.getUTCDate(), cellText(cell));
    return 'date' in d
      ? dated(d.date)
      : { kind: 'error', key: d.error, ...(d.params ? { params: d.params } : {}) };
  }
  if (typeof cell === 'number') {
    const d = fromExcelSerial(cell);
    return d
      ? dated(d)
      : { kind: 'error', key: 'error.import.deadline.unreadable', params: { value: String(cell) } };
  }
  const raw = cellText(cell);
  if (!raw) return { kind: 'error', key: 'error.import.required' };
  const t = simplify(raw);

  const cadence = readCadence(t, raw);
  if (cadence) return cadence;
  if (OPEN_ENDED.test(t) && opts.openEndedEvery) {
    return { kind: 'recurring', every: opts.openEndedEvery, until: null, openEnded: true };
  }
  if (OPEN_ENDED.test(t))
    return { kind: 'error', key: 'error.import.deadline.openEnded', params: { value: raw } };

  const r = parseDateText(t);
  if (!r) return { kind: 'error', key: 'error.import.deadline.unreadable', params: { value: raw } };
  if ('error' in r) return { kind: 'error', key: r.error, params: r.params ?? { value: raw } };
  return dated(r.date);
}

/**
 * A cadence: the word («ежеквартально»), an optional end date, and the due day if the text names one.
 * Without a cadence word, a due day counted in a month («не позднее 5 рабочего дня месяца») is monthly.
 * Readings (docs/decisions.md §33):
 * - «до N числа» is the N-th of the month the period ends in; «… месяца, следующего за отчётным» (or
 *   «после окончания квартала») the N-th of the month after it;
 * - «не позднее N рабочего дня (месяца)» counts N working days from the end of the period — the N-th
 *   working day of the next month: a report on a month cannot be due before the month is over.
 */
function readCadence(t: string, raw: string): DeadlineResult | null {
  const word = RECURRING.find(([re]) => re.test(t));
  const day = DAY_OF_MONTH.exec(t);
  const wd = WORKING_DAY.exec(t);
  let every: Recurrence | null = word?.[1] ?? null;
  if (!every && (day || wd) && /месяц/.test(t)) every = 'monthly';
  if (!every) return null;
  const dates = [...t.matchAll(DMY)];
  if (dates.length > 1)
    return { kind: 'error', key: 'error.import.deadline.several', params: { value: raw } };
  let until: LocalDate | null = null;
  if (dates.length === 1) {
    const m = dates[0]!;
    const u = makeDate(fullYear(m[3]!), +m[2]!, +m[1]!, raw);
    if (!('date' in u)) return { kind: 'error', key: u.error, params: { value: raw } };
    until = u.date;
  }
  const spec: DeadlineSpec = { kind: 'recurring', every, until };
  if (day && wd) return { kind: 'error', key: 'error.import.deadline.twoDueDays', params: { value: raw } };
  if (day) {
    const n = Number(day[1]);
    if (n < 1 || n > 31)
      return { kind: 'error', key: 'error.import.deadline.dayOfMonth', params: { value: raw } };
    return { ...spec, dueDay: n, dueMonthOffset: NEXT_MONTH.test(t) ? 1 : 0 };
  }
  if (wd) {
    const n = Number(wd[1]);
    if (n < 1 || n > 23)
      return { kind: 'error', key: 'error.import.deadline.workingDay', params: { value: raw } };
    return { ...spec, dueWorkingDays: n };
  }
  return spec;
}

/** How an export writes a deadline so that importing the file again reads the same thing. */
export function formatRecurrence(
  every: Recurrence,
  until: LocalDate | null,
  due: { day?: number | null; monthOffset?: number | null; workingDays?: number | null } = {},
): string {
  const word = every === 'monthly' ? 'ежемесячно' : every === 'quarterly' ? 'ежеквартально' : 'ежегодно';
  const end = until ? ` до ${until.slice(8, 10)}.${until.slice(5, 7)}.${until.slice(0, 4)}` : '';
  const when = due.day
    ? `, до ${due.day} числа${due.monthOffset ? ' месяца, следующего за отчётным' : ''}`
    : due.workingDays
      ? `, не позднее ${due.workingDays} рабочего дня месяца, следующего за отчётным`
      : '';
  return `${word}${end}${when}`;
}
