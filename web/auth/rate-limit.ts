/**
 * Failed-login limiter: per client address and per login, N failures in a window lock further attempts.
 * In memory: each web instance counts its own, which still caps a guesser at N × instances per window.
 */
export function createLoginLimiter(opts: { maxFailures?: number; windowMs?: number } = {}) {
  const max = opts.maxFailures ?? 5;
  const windowMs = opts.windowMs ?? 15 * 60_000;
  const failures = new Map<string, number[]>();

  const recent = (key: string, now: number) => (failures.get(key) ?? []).filter((t) => now - t < windowMs);

  return {
    /** Milliseconds until another attempt is allowed, or 0. */
    retryAfterMs(keys: string[], now = Date.now()): number {
      let wait = 0;
      for (const k of keys) {
        const list = recent(k, now);
        if (list.length >= max) wait = Math.max(wait, list[0]! + windowMs - now);
      }
      return wait;
    },
    fail(keys: string[], now = Date.now()) {
      for (const k of keys) failures.set(k, [...recent(k, now), now]);
      if (failures.size > 10_000) {
        for (const [k] of failures) if (recent(k, now).length === 0) failures.delete(k);
      }
    },
    succeed(keys: string[]) {
      for (const k of keys) failures.delete(k);
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
