import { sql } from 'kysely';
import type { Db } from './connect.ts';

// Dashboards aggregate the whole programme (100k items at the scale) on every view, although the
// data changes a few times a minute at most. Each process keeps the last results of such reads, keyed by
// what they depend on besides the data (page, today, agency …) and tagged with the database's change
// counters (migrations 0006 and 0017: every write to a table pages show bumps its kind's counter in the
// writing transaction). A read first asks for the counters — one tiny query — and reuses a result computed
// at those counters or later for the kinds of data it reads; a committed write of another kind leaves it
// alone. Several web processes therefore stay correct without talking to each other, and a user always
// sees their own change at once.

/** The kinds of data with a counter of their own (db/migrations/0017-scoped-versions.ts). */
export const SCOPES = ['items', 'services', 'feedback', 'reference'] as const;
export type Scope = (typeof SCOPES)[number];

/** The counters at one moment, one per kind of data. */
export type DataVersion = Readonly<Record<Scope, bigint>>;

export interface ReadCache {
  /**
   * compute()'s result for this key, computed now or at the current counters of `scopes` or later.
   * `at`: the version read earlier in the same request (one counter query per page, however many reads it
   * makes). `scopes`: the kinds of data compute() reads — all of them unless named.
   */
  get<T>(
    key: string,
    compute: () => Promise<T>,
    at?: Promise<DataVersion>,
    scopes?: readonly Scope[],
  ): Promise<T>;
  /** The counters now. */
  version(): Promise<DataVersion>;
}

/**
 * The counters now, as one row `{ v: text }` ("items=12,services=3,…"): a single value, so it joins into
 * other one-row queries (the session loader's).
 */
export const DATA_VERSION = sql`select coalesce(string_agg(scope || '=' || s, ',' order by scope), '') as v
  from (select scope, sum(v) as s from read_version group by scope) x`;

export const ZERO_VERSION: DataVersion = Object.freeze(
  Object.fromEntries(SCOPES.map((s) => [s, 0n])) as Record<Scope, bigint>,
);

/** DATA_VERSION's text as counters (a kind the database does not list yet counts as 0). */
export function parseDataVersion(text: string): DataVersion {
  const v: Record<Scope, bigint> = { ...ZERO_VERSION };
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const s = part.slice(0, eq) as Scope;
    if (s in v) v[s] = BigInt(part.slice(eq + 1));
  }
  return v;
}

/** Whether what was read at `kept` is still current at `now` for the kinds of data in `scopes`. */
export function stillCurrent(kept: DataVersion, now: DataVersion, scopes: readonly Scope[] = SCOPES) {
  for (const s of scopes) if (kept[s] < now[s]) return false;
  return true;
}

interface Entry {
  version: DataVersion;
  value: Promise<unknown>;
}

export function createReadCache(db: Db, opts: { maxEntries?: number } = {}): ReadCache {
  const maxEntries = opts.maxEntries ?? 200;
  const entries = new Map<string, Entry>();

  const version = async () => {
    const r = await sql<{ v: string }>`${DATA_VERSION}`.execute(db);
    return parseDataVersion(r.rows[0]!.v);
  };

  return {
    version,
    async get<T>(
      key: string,
      compute: () => Promise<T>,
      at?: Promise<DataVersion>,
      scopes: readonly Scope[] = SCOPES,
    ): Promise<T> {
      const v = await (at ?? version());
      const hit = entries.get(key);
      if (hit && stillCurrent(hit.version, v, scopes)) {
        // Most recently used last, so eviction drops the oldest.
        entries.delete(key);
        entries.set(key, hit);
        return hit.value as Promise<T>;
      }
      // Concurrent requests at the same version share one computation (single flight).
      const entry: Entry = { version: v, value: compute() };
      entries.set(key, entry);
      entry.value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return entry.value as Promise<T>;
    },
  };
}

/** A cache that never keeps anything (benchmark baseline, or READ_CACHE=0). */
export const noReadCache: ReadCache = {
  get: (_key, compute) => compute(),
  version: async () => ZERO_VERSION,
};
