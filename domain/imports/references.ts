import { normalizeText } from './text.ts';

export interface AgencyRef {
  id: number;
  code: string;
  title_ru: string;
  short_ru: string | null;
  title_en: string;
}

export interface LifeSituationRef {
  id: number;
  code: string;
  title_ru: string;
  title_en: string;
}

export type MatchResult =
  { ok: true; id: number } | { ok: false; reason: 'unknown' | 'ambiguous'; candidates: string[] };

/** The shortest text a prefix match accepts ("Министерство труда" is enough, "Мин" is not). */
const MIN_PREFIX = 5;

/**
 * Finds a reference row by any of its names: the code, the full or short Russian title, the English
 * title. Case, ё/е, quotes and spacing do not matter. A unique title that starts with the text also
 * matches (regional roadmaps often drop "Новосибирской области"); several candidates are an error.
 */
export function createMatcher<T extends { id: number }>(
  rows: T[],
  names: (r: T) => (string | null)[],
  label: (r: T) => string,
) {
  const exact = new Map<string, Set<number>>();
  const titles: { key: string; id: number }[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of rows) {
    for (const n of names(r)) {
      if (!n) continue;
      const k = normalizeText(n);
      if (!k) continue;
      if (!exact.has(k)) exact.set(k, new Set());
      exact.get(k)!.add(r.id);
      titles.push({ key: k, id: r.id });
    }
  }
  const describe = (ids: Iterable<number>) => [...ids].map((id) => label(byId.get(id)!)).sort();
  return (text: string): MatchResult => {
    const k = normalizeText(text);
    const hit = exact.get(k);
    if (hit?.size === 1) return { ok: true, id: [...hit][0]! };
    if (hit && hit.size > 1) return { ok: false, reason: 'ambiguous', candidates: describe(hit) };
    if (k.length >= MIN_PREFIX) {
      const ids = new Set(titles.filter((t) => t.key.startsWith(k + ' ') || t.key === k).map((t) => t.id));
      if (ids.size === 1) return { ok: true, id: [...ids][0]! };
      if (ids.size > 1) return { ok: false, reason: 'ambiguous', candidates: describe(ids) };
    }
    return { ok: false, reason: 'unknown', candidates: [] };
  };
}

export const agencyMatcher = (agencies: AgencyRef[]) =>
  createMatcher(
    agencies,
    (a) => [a.code, a.title_ru, a.short_ru, a.title_en],
    (a) => a.short_ru ?? a.title_ru,
  );

export const lifeSituationMatcher = (situations: LifeSituationRef[]) =>
  createMatcher(
    situations,
    (l) => [l.code, l.title_ru, l.title_en],
    (l) => l.title_ru,
  );
