// Calendar dates as ISO strings ("2025-03-31"): deadlines are calendar days in the region, never instants,
// so they never shift with a server's time zone. Arithmetic goes through UTC to stay exact.

export type LocalDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = ISO.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

export function parseLocalDate(value: string): LocalDate {
  if (!isLocalDate(value)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(value)}`);
  return value;
}

/**
 * Days since 1970-01-01. Pure arithmetic (H. Hinnant's days_from_civil, years starting in March): the
 * dashboards call it for every item, and splitting strings into a Date cost more than the rest of the
 * RAG maths. Out-of-range days roll over as Date.UTC does (31 February → 3 March).
 */
export function toEpochDay(d: LocalDate): number {
  const m = +d.slice(5, 7);
  const day = +d.slice(8, 10);
  const y = +d.slice(0, 4) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

export function fromEpochDay(n: number): LocalDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(d: LocalDate, n: number): LocalDate {
  return fromEpochDay(toEpochDay(d) + n);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(d: LocalDate): number {
  const wd = new Date(toEpochDay(d) * DAY_MS).getUTCDay();
  return wd === 0 ? 7 : wd;
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The instant at which a local wall-clock time happens in a region with a fixed UTC offset.
 * Russian regions have not observed DST since 2014, so a fixed offset is exact and keeps workflows pure.
 */
export function localTimeToInstant(d: LocalDate, minutesOfDay: number, utcOffsetMinutes: number): number {
  return toEpochDay(d) * DAY_MS + (minutesOfDay - utcOffsetMinutes) * 60_000;
}

/** The local calendar date of an instant in a region with a fixed UTC offset. */
export function instantToLocalDate(ms: number, utcOffsetMinutes: number): LocalDate {
  return fromEpochDay(Math.floor((ms + utcOffsetMinutes * 60_000) / DAY_MS));
}

export function parseHhMm(value: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!m) throw new RangeError(`not a time of day (HH:MM): ${JSON.stringify(value)}`);
  return +m[1]! * 60 + +m[2]!;
}

/** Period end dates used by recurring items: last day of the month / quarter / year containing d. */
export function endOfMonth(d: LocalDate): LocalDate {
  const [y, m] = d.split('-').map(Number) as [number, number];
  return fromEpochDay(Math.round(Date.UTC(y, m, 1) / DAY_MS) - 1);
}

const EN_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** A calendar date as the region writes it: 31.03.2025 (ru) / 31 Mar 2025 (en). */
export function formatLocalDate(d: LocalDate | null | undefined, locale: 'ru' | 'en'): string {
  if (!d) return '—';
  // Tables print hundreds of dates: the Russian form is the ISO date's parts reversed, and the English
  // formatter is built once (toLocaleDateString builds one per call).
  if (locale === 'ru') return `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
  return EN_DATE.format(new Date(`${d.slice(0, 10)}T00:00:00Z`));
}
