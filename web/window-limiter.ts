/**
 * A sliding-window counter per key (client address, service): at most `max` hits per window. In memory:
 * each web process counts its own, which still caps a sender at max × processes per window. Keys are
 * forgotten when their window passes, and the map is swept when it grows large (a flood of addresses).
 */
export function createWindowLimiter(o: { max: number; windowMs: number; maxKeys?: number }) {
  const hits = new Map<string, number[]>();
  const maxKeys = o.maxKeys ?? 50_000;
  const recent = (k: string, now: number) => (hits.get(k) ?? []).filter((t) => now - t < o.windowMs);
  return {
    /** Milliseconds until `key` may hit again; 0 = allowed now (the hit is counted). */
    hit(key: string, now = Date.now()): number {
      const list = recent(key, now);
      if (list.length >= o.max) {
        hits.set(key, list);
        return list[0]! + o.windowMs - now;
      }
      list.push(now);
      hits.set(key, list);
      if (hits.size > maxKeys) for (const [k] of hits) if (recent(k, now).length === 0) hits.delete(k);
      return 0;
    },
    /** Whether `key` would be refused now (nothing counted). */
    blocked(key: string, now = Date.now()): number {
      const list = recent(key, now);
      return list.length >= o.max ? list[0]! + o.windowMs - now : 0;
    },
  };
}
export type WindowLimiter = ReturnType<typeof createWindowLimiter>;
