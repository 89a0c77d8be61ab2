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
    expect(parseDeadline('ежемесячно')).toEqual({ kind: 'recurring', every: 'monthly', until: null });
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

  it('reads the due day people write into a cadence', () => {
    expect(parseDeadline('Ежеквартально, до 10 числа месяца, следующего за отчётным')).toEqual({
      kind: 'recurring',
      every: 'quarterly',
      until: null,
      dueDay: 10,
      dueMonthOffset: 1,
    });
    expect(parseDeadline('ежемесячно до 25 числа')).toEqual({
      kind: 'recurring',
      every: 'monthly',
      until: null,
      dueDay: 25,
      dueMonthOffset: 0,
    });
    expect(parseDeadline('Ежемесячно, до 5-го числа')).toMatchObject({ dueDay: 5, dueMonthOffset: 0 });
    // No cadence word: a working day «of the month» is a monthly report.
    expect(parseDeadline('не позднее 5 рабочего дня месяца')).toEqual({
      kind: 'recurring',
      every: 'monthly',
      until: null,
      dueWorkingDays: 5,
    });
    expect(
      parseDeadline('ежеквартально, не позднее 15-го рабочего дня месяца, следующего за отчётным кварталом'),
    ).toMatchObject({ every: 'quarterly', dueWorkingDays: 15 });
    expect(parseDeadline('ежеквартально до 31.12.2027, до 10 числа месяца, следующего за отчётным')).toEqual({
      kind: 'recurring',
      every: 'quarterly',
      until: '2027-12-31',
      dueDay: 10,
      dueMonthOffset: 1,
    });
    expect(err('ежемесячно до 32 числа')).toBe('error.import.deadline.dayOfMonth');
    expect(err('ежемесячно до 0 числа')).toBe('error.import.deadline.dayOfMonth');
    expect(err('ежемесячно до 5 числа, не позднее 3 рабочего дня')).toBe('error.import.deadline.twoDueDays');
  });

  it('writes cadences back so that they read the same', () => {
    for (const [every, until, due] of [
      ['quarterly', null, { day: 10, monthOffset: 1 }],
      ['monthly', '2027-12-31', { day: 25, monthOffset: 0 }],
      ['monthly', null, { workingDays: 5 }],
      ['yearly', '2030-12-31', {}],
    ] as const) {
      const text = formatRecurrence(every, until, due);
      expect(parseDeadline(text), text).toEqual({
        kind: 'recurring',
        every,
        until,
        ...('day' in due ? { dueDay: due.day, dueMonthOffset: due.monthOffset } : {}),
        ...('workingDays' in due ? { dueWorkingDays: due.workingDays } : {}),
      });
    }
  });

  it('reads «постоянно» with the cadence the uploader chose, open-ended', () => {
    expect(parseDeadline('постоянно', { openEndedEvery: 'quarterly' })).toEqual({
      kind: 'recurring',
      every: 'quarterly',
      until: null,
      openEnded: true,
    });
    expect(parseDeadline('на постоянной основе', { openEndedEvery: null }).kind).toBe('error');
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
