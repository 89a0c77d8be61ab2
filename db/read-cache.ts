import { sql } from 'kysely';
import type { Db } from './connect.ts';

// Dashboards aggregate the whole programme (100k items at the scale) on every view, although the
// data changes a few times a minute at most. Each process keeps the last results of such reads, keyed by
// what they depend on besides the data (page, today, agency …) and tagged with the database's change
// counter (migration 0006: every write to a table pages show bumps `read_version` in the writing
// transaction). A read first asks for the counter — one tiny query — and reuses the result computed at
// that counter or later; any committed write makes every older result unusable. Several web processes
// therefore stay correct without talking to each other, and a user always sees their own change at once.

export interface ReadCache {
  /**
   * compute()'s result for this key, computed now or at the current data version or later. `at`: the
   * version read earlier in the same request (one counter query per page, however many reads it makes).
   */
  get<T>(key: string, compute: () => Promise<T>, at?: Promise<bigint>): Promise<T>;
  /** The data version now (the sum of the counter's stripes). */
  version(): Promise<bigint>;
}

/** The data version now, as one row `{ v: text }`: the sum of the counter's stripes. */
export const DATA_VERSION = sql`select coalesce(sum(v), 0)::text as v from read_version`;

interface Entry {
  version: bigint;
  value: Promise<unknown>;
}

export function createReadCache(db: Db, opts: { maxEntries?: number } = {}): ReadCache {
  const maxEntries = opts.maxEntries ?? 200;
  const entries = new Map<string, Entry>();

  const version = async () => {
    const r = await sql<{ v: string }>`${DATA_VERSION}`.execute(db);
    return BigInt(r.rows[0]!.v);
  };

  return {
    version,
    async get<T>(key: string, compute: () => Promise<T>, at?: Promise<bigint>): Promise<T> {
      const v = await (at ?? version());
      const hit = entries.get(key);
      if (hit && hit.version >= v) {
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
  version: async () => 0n,
};
