/** Deterministic PRNG (mulberry32): the same demo every time for the same start date. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    /** Picks a key by weight. */
    weighted: <K extends string>(w: Record<K, number>): K => {
      const total = Object.values<number>(w).reduce((s, x) => s + x, 0);
      let r = next() * total;
      for (const [k, x] of Object.entries<number>(w)) {
        r -= x;
        if (r <= 0) return k as K;
      }
      return Object.keys(w)[0] as K;
    },
  };
}
export type Random = ReturnType<typeof createRandom>;
