import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../local-date.ts';
import { countWorkingDays, workingDaysBetween } from './index.ts';

describe('working-day index', () => {
  it('agrees with the day-by-day count, across years and in both directions', () => {
    const date = fc.integer({ min: 0, max: 6 * 366 }).map((n) => addDays('2023-01-01', n));
    fc.assert(
      fc.property(date, date, (a, b) => {
        expect(countWorkingDays(a, b)).toBe(workingDaysBetween(a, b));
      }),
      { numRuns: 120 },
    );
  });

  it('knows the holidays: 4 Nov 2026 and the New Year break', () => {
    expect(countWorkingDays('2026-11-03', '2026-11-16')).toBe(8);
    expect(countWorkingDays('2025-12-30', '2026-01-12')).toBe(1); // 31 Dec 2025 and 1–11 Jan 2026 off
    expect(countWorkingDays('2026-11-16', '2026-11-16')).toBe(0);
    expect(countWorkingDays('2026-11-16', '2026-11-13')).toBe(-1);
  });
});
