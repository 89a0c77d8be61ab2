// Lockout after repeated failed sign-ins to one account: `maxFailures` in a row, each within `windowMinutes`
// of the one before, lock it for `lockMinutes` (an admin may unlock it sooner). A good sign-in clears the
// count. Attempts while locked are refused before the password is checked and do not count.

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
  /** Failures further apart than this start the count again. */
  windowMinutes: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMinutes: 15, windowMinutes: 15 };

export interface LockState {
  failedCount: number;
  lastFailedAt: Date | null;
  lockedUntil: Date | null;
}

export const lockedAt = (s: LockState | null | undefined, now: Date) =>
  s?.lockedUntil !== null && s?.lockedUntil !== undefined && s.lockedUntil > now;

/** The state after one more failure at `now`. */
export function afterFailure(s: LockState | null, now: Date, p: LockoutPolicy): LockState {
  const fresh =
    !s ||
    (s.lockedUntil !== null && s.lockedUntil <= now) ||
    !s.lastFailedAt ||
    now.getTime() - s.lastFailedAt.getTime() > p.windowMinutes * 60_000;
  const failedCount = (fresh ? 0 : s.failedCount) + 1;
  return {
    failedCount,
    lastFailedAt: now,
    lockedUntil: failedCount >= p.maxFailures ? new Date(now.getTime() + p.lockMinutes * 60_000) : null,
  };
}

/** Whole minutes until the lock ends (at least 1). */
export const minutesLeft = (until: Date, now: Date) =>
  Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
