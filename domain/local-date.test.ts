import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLocalDate, fromEpochDay, toEpochDay } from './local-date.ts';

describe('local dates', () => {
  it('counts epoch days as Date.UTC does, both ways', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('2024-02-29')).toBe(19_782);
    expect(toEpochDay('2025-02-31')).toBe(toEpochDay('2025-03-03'));
    fc.assert(
      fc.property(fc.integer({ min: -150_000, max: 150_000 }), (n) => {
        const d = fromEpochDay(n);
        expect(toEpochDay(d)).toBe(n);
        const [y, m, day] = d.split('-').map(Number) as [number, number, number];
        expect(toEpochDay(d)).toBe(Math.round(Date.UTC(y, m - 1, day) / 86_400_000));
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes dates the Russian and the English way', () => {
    expect(formatLocalDate('2025-03-07', 'ru')).toBe('07.03.2025');
    expect(formatLocalDate('2025-03-07', 'en')).toBe('7 Mar 2025');
    expect(formatLocalDate(null, 'ru')).toBe('—');
    const d = fc.integer({ min: 0, max: 40_000 }).map(fromEpochDay);
    fc.assert(
      fc.property(d, (x) => {
        const date = new Date(`${x}T00:00:00Z`);
        expect(formatLocalDate(x, 'ru')).toBe(date.toLocaleDateString('ru-RU', { timeZone: 'UTC' }));
      }),
      { numRuns: 300 },
    );
  });
});
