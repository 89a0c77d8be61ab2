import { describe, expect, it } from 'vitest';
import { afterFailure, lockedAt, minutesLeft, type LockState } from './lockout.ts';
import { passwordProblem } from './password-policy.ts';

const policy = { maxFailures: 3, lockMinutes: 15, windowMinutes: 10 };
const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 9, min));

describe('lockout', () => {
  it('locks after the last of maxFailures failures in a row, for lockMinutes', () => {
    let s: LockState | null = null;
    s = afterFailure(s, at(0), policy);
    s = afterFailure(s, at(1), policy);
    expect(lockedAt(s, at(1))).toBe(false);
    s = afterFailure(s, at(2), policy);
    expect(s).toEqual({ failedCount: 3, lastFailedAt: at(2), lockedUntil: at(17) });
    expect(lockedAt(s, at(16))).toBe(true);
    expect(minutesLeft(s.lockedUntil!, at(16))).toBe(1);
    expect(lockedAt(s, at(17))).toBe(false);
    // After the lock ends the count starts again.
    expect(afterFailure(s, at(18), policy).failedCount).toBe(1);
  });

  it('starts the count again when failures are further apart than the window', () => {
    const s = afterFailure(afterFailure(null, at(0), policy), at(1), policy);
    expect(afterFailure(s, at(12), policy)).toEqual({
      failedCount: 1,
      lastFailedAt: at(12),
      lockedUntil: null,
    });
  });
});

describe('password policy', () => {
  it('asks for length, not composition', () => {
    expect(passwordProblem('короткий', { login: 'ivanov' })).toBe('error.password.tooShort');
    expect(passwordProblem('длинная фраза из слов', { login: 'ivanov' })).toBeNull();
    expect(passwordProblem('aaaaaaaaaaaa', { login: 'ivanov' })).toBe('error.password.repetitive');
    expect(passwordProblem('my-Ivanov-2026!', { login: 'ivanov' })).toBe('error.password.containsLogin');
    expect(passwordProblem('x'.repeat(300), { login: 'ivanov' })).toBe('error.password.tooLong');
    expect(passwordProblem('tab\there-and-more', { login: 'ivanov' })).toBe('error.password.control');
  });
});
