import { distance } from 'fastest-levenshtein';
import { normalizeText } from './text.ts';

export interface AgencyRef {
  id: number;
  code: string;
  title_ru: string;
  short_ru: string | null;
  title_en: string;
  /** Other names the admin entered for imports (ОМСУ, an old name…). */
  aliases?: string[];
  disabled?: boolean;
  /** Set when merged into another agency: its names lead to that one. */
  merged_into_id?: number | null;
}

export interface LifeSituationRef {
  id: number;
  code: string;
  title_ru: string;
  title_en: string;
}

export type MatchResult =
  | { ok: true; id: number }
  | { ok: false; reason: 'ambiguous'; candidates: string[] }
  | {
      ok: false;
      reason: 'unknown' | 'disabled';
      candidates: string[];
      /** The closest known names, best first (empty when nothing is close). */
      suggestions: string[];
    };

/** The shortest text a prefix match accepts ("Министерство труда" is enough, "Мин" is not). */
const MIN_PREFIX = 5;
/** How alike a name must be to be offered (1 = equal, on normalised text). */
const MIN_SIMILARITY = 0.7;
const MAX_SUGGESTIONS = 3;

/**
 * How alike the typed text is to a known name, 0…1, by edit distance: against the whole name, and against
 * its beginning of the same length (a typo in «Министерство юстици» still leads to «Министерство юстиции
 * Новосибирской области»; the shorter comparison counts a little less).
 */
export function similarity(typed: string, name: string): number {
  if (!typed || !name) return 0;
  const whole = 1 - distance(typed, name) / Math.max(typed.length, name.length);
  if (name.length <= typed.length) return whole;
  const head = name.slice(0, typed.length);
  const start = 1 - distance(typed, head) / typed.length - 0.05;
  return Math.max(whole, start);
}

/**
 * Finds a reference row by any of its names. Case, ё/е, quotes and spacing do not matter; a name of any
 * length matches exactly (МФЦ, ОМСУ). A unique title that starts with the text also matches (regional
 * roadmaps often drop "Новосибирской области"); several candidates are an error. A row `redirect` sends
 * elsewhere (a merged agency's names lead to its successor); rows `inactive` says are not matched but
 * named in the error. An unknown text gets the closest known names as suggestions.
 */
export function createMatcher<T extends { id: number }>(
  rows: T[],
  names: (r: T) => (string | null | undefined)[],
  label: (r: T) => string,
  opts: { redirect?: (r: T) => number | null; inactive?: (r: T) => boolean } = {},
) {
  const exact = new Map<string, Set<number>>();
  const titles: { key: string; id: number }[] = [];
  const inactiveNames = new Map<string, number>();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of rows) {
    const target = opts.redirect?.(r) ?? r.id;
    const inactive = target === r.id && (opts.inactive?.(r) ?? false);
    for (const n of names(r)) {
      if (!n) continue;
      const k = normalizeText(n);
      if (!k) continue;
      if (inactive) {
        inactiveNames.set(k, r.id);
        continue;
      }
      if (!exact.has(k)) exact.set(k, new Set());
      exact.get(k)!.add(target);
      titles.push({ key: k, id: target });
    }
  }
  const describe = (ids: Iterable<number>) => [...ids].map((id) => label(byId.get(id)!)).sort();
  const suggest = (k: string) => {
    const best = new Map<number, number>();
    for (const t of titles) {
      const s = similarity(k, t.key);
      if (s >= MIN_SIMILARITY && s > (best.get(t.id) ?? 0)) best.set(t.id, s);
    }
    return [...best]
      .sort((a, b) => b[1] - a[1] || label(byId.get(a[0])!).localeCompare(label(byId.get(b[0])!)))
      .slice(0, MAX_SUGGESTIONS)
      .map(([id]) => label(byId.get(id)!));
  };
  return (text: string): MatchResult => {
    const k = normalizeText(text);
    const hit = exact.get(k);
    if (hit?.size === 1) return { ok: true, id: [...hit][0]! };
    if (hit && hit.size > 1) return { ok: false, reason: 'ambiguous', candidates: describe(hit) };
    if (k.length >= MIN_PREFIX) {
      const ids = new Set(titles.filter((t) => t.key.startsWith(k + ' ')).map((t) => t.id));
      if (ids.size === 1) return { ok: true, id: [...ids][0]! };
      if (ids.size > 1) return { ok: false, reason: 'ambiguous', candidates: describe(ids) };
    }
    const off = inactiveNames.get(k);
    if (off !== undefined)
      return { ok: false, reason: 'disabled', candidates: [label(byId.get(off)!)], suggestions: [] };
    return { ok: false, reason: 'unknown', candidates: [], suggestions: k ? suggest(k) : [] };
  };
}

/** The agency a merged one leads to (following merges of merges), or null when it was not merged. */
export function mergedTarget(agencies: AgencyRef[]): (a: AgencyRef) => number | null {
  const byId = new Map(agencies.map((a) => [a.id, a]));
  return (a) => {
    let cur = a;
    for (let i = 0; i < 20 && cur.merged_into_id; i++) {
      const next = byId.get(cur.merged_into_id);
      if (!next) break;
      cur = next;
    }
    return cur.id === a.id ? null : cur.id;
  };
}

export const agencyNames = (a: AgencyRef) => [
  a.code,
  a.title_ru,
  a.short_ru,
  a.title_en,
  ...(a.aliases ?? []),
];

export const agencyMatcher = (agencies: AgencyRef[]) =>
  createMatcher(agencies, agencyNames, (a) => a.short_ru ?? a.title_ru, {
    redirect: mergedTarget(agencies),
    inactive: (a) => a.disabled === true,
  });

export const lifeSituationMatcher = (situations: LifeSituationRef[]) =>
  createMatcher(
    situations,
    (l) => [l.code, l.title_ru, l.title_en],
    (l) => l.title_ru,
  );

export interface DirectionRef {
  code: string;
  title_ru: string;
  title_en: string;
}

/** A direction (the social rating's or a regional sphere) by its code or either title; the code found. */
export function directionMatcher(
  directions: DirectionRef[],
): (text: string) => MatchResult & { code?: string } {
  const rows = directions.map((d, i) => ({ ...d, id: i + 1 }));
  const match = createMatcher(
    rows,
    (d) => [d.code, d.title_ru, d.title_en],
    (d) => d.title_ru,
  );
  return (text) => {
    const m = match(text);
    return m.ok ? { ...m, code: rows[m.id - 1]!.code } : m;
  };
}
