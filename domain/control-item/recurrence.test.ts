import { describe, expect, it } from 'vitest';
import { dueOnDayOfMonth, firstPeriod, nextPeriod, periodDue } from './recurrence.ts';

describe('due dates of recurring reports', () => {
  it('«ежеквартально, до 10 числа месяца, следующего за отчётным»: the 10th of the month after the quarter', () => {
    // 10 April 2027 is a Saturday → Friday 9 April; 10 July a Saturday → 9 July; 10 October a Sunday → 8 Oct.
    expect(dueOnDayOfMonth('2027-03-31', 10, 1)).toBe('2027-04-09');
    expect(dueOnDayOfMonth('2027-06-30', 10, 1)).toBe('2027-07-09');
    expect(dueOnDayOfMonth('2027-09-30', 10, 1)).toBe('2027-10-08');
    // 10 January 2027 falls in the New Year holidays; January has no working day before it (the
    // preceding one, 30 December, is before the quarter has ended): the first working day after them.
    expect(dueOnDayOfMonth('2026-12-31', 10, 1)).toBe('2027-01-11');
    // The same for a day in the reporting month itself: «ежемесячно до 5 числа» in January 2027.
    expect(dueOnDayOfMonth('2027-01-31', 5, 0)).toBe('2027-01-11');
  });

  it('«ежемесячно до 25 числа»: the 25th of the reporting month; a 31st in a short month is its last day', () => {
    expect(dueOnDayOfMonth('2027-01-31', 25, 0)).toBe('2027-01-25');
    expect(dueOnDayOfMonth('2027-04-30', 25, 0)).toBe('2027-04-23'); // Sunday 25 April → Friday 23
    expect(dueOnDayOfMonth('2027-01-31', 31, 1)).toBe('2027-02-26'); // 28 February 2027 is a Sunday
  });

  it('walks periods of an open-ended cadence past any horizon, and stops at `until` when there is one', () => {
    let p = firstPeriod('2026-12-05', 'quarterly', null, {
      workingDaysAfterPeriodEnd: 5,
      dayOfMonth: 10,
      monthsAfterPeriodEnd: 1,
    });
    expect(p).toMatchObject({
      periodKey: '2026-Q4',
      until: null,
      dueDayOfMonth: 10,
      dueMonthsAfterPeriodEnd: 1,
    });
    expect(periodDue(p)).toBe('2027-01-11');
    const keys: string[] = [];
    for (let i = 0; i < 12; i++) {
      p = nextPeriod(p)!;
      keys.push(`${p.periodKey}:${periodDue(p)}`);
    }
    expect(keys.slice(0, 3)).toEqual(['2027-Q1:2027-04-09', '2027-Q2:2027-07-09', '2027-Q3:2027-10-08']);
    expect(keys.at(-1)).toMatch(/^2029-Q4:2030-01-/);
    const bounded = firstPeriod('2026-12-05', 'quarterly', '2027-06-30', 5);
    expect(nextPeriod(nextPeriod(bounded)!)?.periodKey).toBe('2027-Q2');
    expect(nextPeriod(nextPeriod(nextPeriod(bounded)!)!)).toBeNull();
  });

  it('starts with the next period when this one’s report was already due («до 25 числа» on the 27th)', () => {
    const rule = { workingDaysAfterPeriodEnd: 3, dayOfMonth: 25, monthsAfterPeriodEnd: 0 };
    expect(firstPeriod('2027-01-27', 'monthly', null, rule).periodKey).toBe('2027-02');
    expect(firstPeriod('2027-01-20', 'monthly', null, rule).periodKey).toBe('2027-01');
    // The working-day rule is always after the period: the period containing the start date.
    expect(periodDue(firstPeriod('2027-01-27', 'monthly', null, 5))).toBe('2027-02-05');
  });
});
