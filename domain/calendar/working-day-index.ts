import { toEpochDay, type LocalDate } from '../local-date.ts';
import { isWorkingDay } from './rules.ts';

// workingDaysBetween() walks day by day: right for one deadline, too slow for a dashboard that measures
// thousands of items against today (≈1 ms per call over half a year). Here each calendar year is walked
// once per process into a cumulative table, and a count becomes a subtraction of two ordinals.

interface YearTable {
  /** Ordinal of the last day of the previous year. */
  base: number;
  /** cum[i] = working days from 1 January to day i of the year (0-based), inclusive. */
  cum: Int32Array;
}

const tables = new Map<number, YearTable>();
let anchor: number | null = null;

/** Forgets the walked years: the calendar changed (installed.ts). */
export function resetWorkingDayIndex() {
  tables.clear();
  anchor = null;
}

function walkYear(year: number): Int32Array {
  const start = Date.UTC(year, 0, 1) / 86_400_000;
  const days = Math.round((Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000);
  const cum = new Int32Array(days);
  let n = 0;
  for (let i = 0; i < days; i++) {
    if (isWorkingDay(new Date((start + i) * 86_400_000).toISOString().slice(0, 10))) n++;
    cum[i] = n;
  }
  return cum;
}

function table(year: number): YearTable {
  const hit = tables.get(year);
  if (hit) return hit;
  if (anchor === null) {
    // Ordinals are relative to the first year asked for; only their differences mean anything.
    anchor = year;
    const t = { base: 0, cum: walkYear(year) };
    tables.set(year, t);
    return t;
  }
  let t: YearTable;
  if (year > anchor) {
    const prev = table(year - 1);
    t = { base: prev.base + prev.cum[prev.cum.length - 1]!, cum: walkYear(year) };
  } else {
    const next = table(year + 1);
    const cum = walkYear(year);
    t = { base: next.base - cum[cum.length - 1]!, cum };
  }
  tables.set(year, t);
  return t;
}

function ordinalOfEpochDay(day: number): number {
  const year = new Date(day * 86_400_000).getUTCFullYear();
  const t = table(year);
  return t.base + t.cum[day - Math.round(Date.UTC(year, 0, 1) / 86_400_000)]!;
}

/** A number that grows by one on each working day: working days in (a, b] = ordinal(b) − ordinal(a). */
export function workingDayOrdinal(d: LocalDate): number {
  return ordinalOfEpochDay(toEpochDay(d));
}

/**
 * Same answer as workingDaysBetween(from, to), in constant time after the first call per year: working
 * days in (from, to] when to ≥ from; minus those in [to, from) otherwise (the day-by-day walk's rule).
 */
export function countWorkingDays(from: LocalDate, to: LocalDate): number {
  const a = toEpochDay(from);
  const b = toEpochDay(to);
  return b >= a
    ? ordinalOfEpochDay(b) - ordinalOfEpochDay(a)
    : ordinalOfEpochDay(b - 1) - ordinalOfEpochDay(a - 1);
}
