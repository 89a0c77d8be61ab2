import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  isWorkingDay,
  nextWorkingDay,
  precedingWorkingDay,
  workingDaysBetween,
} from './index.ts';

describe('Russian working-day calendar', () => {
  it('knows the 2025 decree: transfers to 2 and 8 May, 13 June, 3 November, 31 December', () => {
    for (const d of ['2025-01-08', '2025-05-02', '2025-05-08', '2025-06-13', '2025-11-03', '2025-12-31']) {
      expect(isWorkingDay(d), d).toBe(false);
    }
    expect(isWorkingDay('2025-11-01')).toBe(true); // working Saturday
    expect(isWorkingDay('2025-02-24')).toBe(true); // 23 Feb (Sun) went to 8 May, not to Monday
    expect(isWorkingDay('2025-01-09')).toBe(true);
  });

  it('knows 2024 working Saturdays and the 2026 holidays', () => {
    expect(['2024-04-27', '2024-11-02', '2024-12-28'].map(isWorkingDay)).toEqual([true, true, true]);
    expect(['2024-04-29', '2024-04-30', '2024-12-30'].map(isWorkingDay)).toEqual([false, false, false]);
    expect(['2026-01-09', '2026-02-23', '2026-03-09', '2026-05-11', '2026-11-04'].map(isWorkingDay)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isWorkingDay('2026-01-12')).toBe(true);
  });

  it('moves a deadline on a non-working day to the preceding working day', () => {
    expect(precedingWorkingDay('2025-05-11')).toBe('2025-05-07'); // 8–11 May off
    expect(precedingWorkingDay('2026-01-05')).toBe('2025-12-30'); // 31 Dec 2025 … 11 Jan 2026 off
    expect(precedingWorkingDay('2025-11-01')).toBe('2025-11-01'); // working Saturday stays
    expect(nextWorkingDay('2026-01-01')).toBe('2026-01-12');
  });

  it('counts working days across holidays in both directions', () => {
    expect(addWorkingDays('2025-12-30', 1)).toBe('2026-01-12');
    expect(addWorkingDays('2026-01-12', -1)).toBe('2025-12-30');
    expect(addWorkingDays('2025-04-30', 5)).toBe('2025-05-13'); // 5, 6, 7, 12, 13 May
    expect(workingDaysBetween('2025-04-30', '2025-05-13')).toBe(5);
    expect(workingDaysBetween('2025-05-13', '2025-04-30')).toBe(-5);
    expect(addWorkingDays('2025-11-29', 1)).toBe('2025-12-01'); // from a Saturday
  });

  it('falls back to art. 112 rules outside the tabled years', () => {
    expect(isWorkingDay('2031-06-12')).toBe(false); // Thursday holiday
    expect(isWorkingDay('2028-05-01')).toBe(false); // Monday holiday
    expect(isWorkingDay('2032-06-14')).toBe(false); // 12 June 2032 is Saturday → Monday off
    expect(isWorkingDay('2032-06-15')).toBe(true);
  });
});
