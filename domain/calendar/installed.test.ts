import { afterEach, describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  asWorkingCalendar,
  BUILT_IN_CALENDAR,
  calendarFrom,
  calendarYearProblems,
  countWorkingDays,
  fixedHolidays,
  installCalendar,
  isProvisionalYear,
  isWorkingDay,
  normalizeCalendarYear,
  parseDateList,
  yearSource,
} from './index.ts';

// 2028 has no built-in table: the rule-based fallback (fixed holidays, no January transfers) applies
// until the admin enters the decree.
const DECREE_2028 = {
  daysOff: [
    ...fixedHolidays(2028).filter((d) => !['2028-01-01', '2028-01-02', '2028-01-08'].includes(d)),
    '2028-01-10', // a transfer from a January weekend
    '2028-05-08',
  ],
  workingWeekends: ['2028-11-11'],
};

describe('entered calendar years', () => {
  afterEach(() => installCalendar(BUILT_IN_CALENDAR));

  it('replace the fallback of a year without a table, and the index follows', () => {
    expect(yearSource(2028)).toBe('fallback');
    expect(isProvisionalYear(2028)).toBe(true);
    expect(isWorkingDay('2028-01-10')).toBe(true);
    const before = countWorkingDays('2028-01-01', '2028-01-31');
    installCalendar({ version: 3, years: { '2028': DECREE_2028 } });
    expect(yearSource(2028)).toBe('entered');
    expect(isProvisionalYear(2028)).toBe(false);
    expect(isWorkingDay('2028-01-10')).toBe(false);
    expect(isWorkingDay('2028-11-11')).toBe(true); // a working Saturday
    expect(countWorkingDays('2028-01-01', '2028-01-31')).toBe(before - 1);
    expect(addWorkingDays('2028-01-07', 1)).toBe('2028-01-11');
    installCalendar(BUILT_IN_CALENDAR);
    expect(isWorkingDay('2028-01-10')).toBe(true);
    expect(countWorkingDays('2028-01-01', '2028-01-31')).toBe(before);
  });

  it('replace a built-in year too (the signed decree over the draft)', () => {
    expect(yearSource(2027)).toBe('draft');
    expect(isWorkingDay('2027-11-05')).toBe(false);
    installCalendar({
      version: 1,
      years: {
        '2027': { daysOff: fixedHolidays(2027).filter((d) => d !== '2027-11-05'), workingWeekends: [] },
      },
    });
    expect(yearSource(2027)).toBe('entered');
    expect(isWorkingDay('2027-11-05')).toBe(true);
  });

  it('keep only this year and later for a workflow, and check what comes from outside', () => {
    const c = { version: 2, years: { '2024': DECREE_2028, '2027': { daysOff: [], workingWeekends: [] } } };
    expect(Object.keys(calendarFrom(c, 2027).years)).toEqual(['2027']);
    expect(asWorkingCalendar({ version: 1, years: { '2028': DECREE_2028 } })).not.toBeNull();
    expect(asWorkingCalendar({ version: -1, years: {} })).toBeNull();
    expect(
      asWorkingCalendar({ version: 1, years: { '2028': { daysOff: ['2029-01-01'], workingWeekends: [] } } }),
    ).toBeNull();
    expect(asWorkingCalendar(null)).toBeNull();
  });
});

describe('a year as the admin enters it', () => {
  it('reads dates in either notation and names what it cannot read', () => {
    expect(parseDateList('2028-01-03, 04.01.2028; 05.01\n 6.1  x 31.02', 2028)).toEqual({
      dates: ['2028-01-03', '2028-01-04', '2028-01-05', '2028-01-06'],
      bad: ['x', '31.02'],
    });
  });

  it('accepts the decree and refuses what cannot be', () => {
    const ok = { year: 2028, source: 'Постановление № 1', ...DECREE_2028 };
    expect(calendarYearProblems(ok)).toEqual([]);
    expect(calendarYearProblems({ ...ok, source: ' ' })).toEqual([
      { field: 'source', key: 'error.field.required' },
    ]);
    expect(calendarYearProblems({ ...ok, daysOff: [...ok.daysOff, '2029-01-09'] })[0]).toMatchObject({
      field: 'daysOff',
      key: 'error.calendar.otherYear',
    });
    expect(calendarYearProblems({ ...ok, daysOff: ok.daysOff.filter((d) => d !== '2028-03-08') })[0]).toEqual(
      {
        field: 'daysOff',
        key: 'error.calendar.holidayMissing',
        params: { value: '2028-03-08' },
      },
    );
    expect(calendarYearProblems({ ...ok, workingWeekends: ['2028-11-10'] })[0]).toMatchObject({
      key: 'error.calendar.notWeekend',
    });
    expect(calendarYearProblems({ ...ok, year: 1999 })[0]).toMatchObject({ field: 'year' });
    expect(normalizeCalendarYear({ ...ok, daysOff: [...ok.daysOff, '2028-01-01'] }).daysOff).not.toContain(
      '2028-01-01',
    );
  });
});
