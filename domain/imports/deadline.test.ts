import { describe, expect, it } from 'vitest';
import { formatRecurrence, parseDeadline } from './deadline.ts';

const due = (v: Parameters<typeof parseDeadline>[0]) => {
  const r = parseDeadline(v);
  if (r.kind !== 'date') throw new Error(`${String(v)}: ${JSON.stringify(r)}`);
  return r.due;
};
const err = (v: Parameters<typeof parseDeadline>[0]) => {
  const r = parseDeadline(v);
  return r.kind === 'error' ? r.key : `not an error: ${JSON.stringify(r)}`;
};

describe('roadmap deadlines', () => {
  it('reads the usual date forms', () => {
    expect(due('30.06.2025')).toBe('2025-06-30');
    expect(due('30.06.25')).toBe('2025-06-30');
    expect(due('1.7.2025')).toBe('2025-07-01');
    expect(due('до 30.06.2025')).toBe('2025-06-30');
    expect(due('не позднее 30.06.2025 г.')).toBe('2025-06-30');
    expect(due('30.06.2025г')).toBe('2025-06-30');
    expect(due('30/06/2025')).toBe('2025-06-30');
    expect(due('2025-06-30')).toBe('2025-06-30');
    expect(due('30 июня 2025 года')).toBe('2025-06-30');
    expect(due(' 30\u00a0июня   2025 г. ')).toBe('2025-06-30');
    expect(due('30 June 2025')).toBe('2025-06-30');
  });

  it('reads Excel date cells and date serials', () => {
    expect(due(new Date(Date.UTC(2025, 5, 30)))).toBe('2025-06-30');
    expect(due(45838)).toBe('2025-06-30');
  });

  it('turns quarters, half-years, months and years into their last day', () => {
    expect(due('IV квартал 2025')).toBe('2025-12-30'); // 31 Dec 2025 is a day off
    expect(due('4 квартал 2025 г.')).toBe('2025-12-30');
    expect(due('II кв. 2025')).toBe('2025-06-30');
    expect(due('до конца III квартала 2025 года')).toBe('2025-09-30');
    expect(due('Q1 2026')).toBe('2026-03-31');
    expect(due('I полугодие 2025')).toBe('2025-06-30');
    expect(due('ноябрь 2025')).toBe('2025-11-28'); // 30 Nov 2025 is a Sunday
    expect(due('в ноябре 2025 г.')).toBe('2025-11-28');
    expect(due('до конца декабря 2026')).toBe('2026-12-30');
    expect(due('2026 год')).toBe('2026-12-30');
    expect(due('в течение 2026 года')).toBe('2026-12-30');
  });

  it('moves a weekend or holiday deadline to the preceding working day and says so', () => {
    expect(parseDeadline('31.03.2024')).toEqual({ kind: 'date', due: '2024-03-29', written: '2024-03-31' });
    expect(parseDeadline('12.06.2025')).toEqual({ kind: 'date', due: '2025-06-11', written: '2025-06-12' });
    expect(parseDeadline('30.09.2025')).toEqual({ kind: 'date', due: '2025-09-30' });
    expect(due('31 декабря 2024')).toBe('2024-12-28'); // 28 Dec 2024 was a working Saturday
  });

  it('reads reporting cadences, with an optional end date', () => {
    expect(parseDeadline('ежеквартально')).toEqual({ kind: 'recurring', every: 'quarterly', until: null });
    expect(parseDeadline('Ежемесячно, до 5 числа')).toEqual({
      kind: 'recurring',
      every: 'monthly',
      until: null,
    });
    expect(parseDeadline('ежегодно')).toEqual({ kind: 'recurring', every: 'yearly', until: null });
    expect(parseDeadline('ежеквартально до 31.12.2026')).toEqual({
      kind: 'recurring',
      every: 'quarterly',
      until: '2026-12-31',
    });
    expect(parseDeadline('постоянно (ежеквартально)')).toMatchObject({
      kind: 'recurring',
      every: 'quarterly',
    });
    const text = formatRecurrence('quarterly', '2026-12-31');
    expect(parseDeadline(text)).toEqual({ kind: 'recurring', every: 'quarterly', until: '2026-12-31' });
  });

  it('refuses what it cannot turn into one deadline, with a specific reason', () => {
    expect(err('')).toBe('error.import.required');
    expect(err(null)).toBe('error.import.required');
    expect(err('постоянно')).toBe('error.import.deadline.openEnded');
    expect(err('в течение года')).toBe('error.import.deadline.openEnded');
    expect(err('31.02.2025')).toBe('error.import.deadline.invalidDate');
    expect(err('31.13.2025')).toBe('error.import.deadline.invalidDate');
    expect(err('31.03.1925')).toBe('error.import.deadline.year');
    expect(err('30.06.2025, 31.12.2025')).toBe('error.import.deadline.several');
    expect(err('до декабря 2025')).toBe('error.import.deadline.ambiguousMonth');
    expect(err('до 2026 года')).toBe('error.import.deadline.ambiguousYear');
    expect(err('как можно скорее')).toBe('error.import.deadline.unreadable');
    expect(err(12)).toBe('error.import.deadline.unreadable');
    expect(err(true)).toBe('error.import.deadline.unreadable');
  });
});
