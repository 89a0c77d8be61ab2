import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type LocalDate } from './local-date.ts';
import {
  burnUpDays,
  mondayOf,
  niceTicks,
  weeklyBurnUp,
  weeklyBurnUpFromDays,
  type BurnUpItem,
  type BurnUpWeek,
} from './burn-up.ts';

/** The definition, week by week over every item (quadratic): what the linear version must equal. */
function naiveBurnUp(items: readonly BurnUpItem[], today: LocalDate): BurnUpWeek[] {
  if (items.length === 0) return [];
  let first = items[0]!.created;
  let last = today;
  for (const i of items) {
    if (i.created < first) first = i.created;
    if (i.plannedDue > last) last = i.plannedDue;
    if (i.done && !i.cancelled && i.done > last) last = i.done;
  }
  const weeks: BurnUpWeek[] = [];
  for (let start = mondayOf(first); start <= last; start = addDays(start, 7)) {
    const end = addDays(start, 6);
    const doneBy = end < today ? end : today;
    const inScope = items.filter((i) => i.created <= end && (i.cancelled === null || i.cancelled > end));
    weeks.push({
      weekStart: start,
      weekEnd: end,
      scope: inScope.length,
      planned: inScope.filter((i) => i.plannedDue <= end).length,
      // Done by the end of the week (today for the current one), and existing by then.
      done:
        start > today
          ? null
          : inScope.filter((i) => i.done !== null && i.done <= doneBy && i.created <= doneBy).length,
    });
  }
  return weeks;
}

const it_ = (
  created: string,
  plannedDue: string,
  done: string | null = null,
  cancelled: string | null = null,
) => ({ created, plannedDue, done, cancelled }) satisfies BurnUpItem;

describe('burn-up series', () => {
  it('finds the Monday of a week', () => {
    expect(mondayOf('2026-11-16')).toBe('2026-11-16'); // Monday
    expect(mondayOf('2026-11-22')).toBe('2026-11-16'); // Sunday
    expect(mondayOf('2026-11-18')).toBe('2026-11-16');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28'); // across a year end
  });

  it('counts scope, plan and done per week, stops done at today, runs to the last deadline', () => {
    const today = '2026-11-18'; // Wednesday of the third week
    const items = [
      it_('2026-11-02', '2026-11-06', '2026-11-05'), // done in week 1, on plan
      it_('2026-11-02', '2026-11-13', '2026-11-17'), // planned week 2, done week 3 (Tuesday, before today)
      it_('2026-11-04', '2026-11-20', '2026-11-19'), // "done" after today: not counted yet
      it_('2026-11-10', '2026-12-04'), // added in week 2, due week 5
      it_('2026-11-02', '2026-11-27', null, '2026-11-11'), // cancelled in week 2: leaves the scope
    ];
    const weeks = weeklyBurnUp(items, today);
    expect(weeks.map((w) => w.weekStart)).toEqual([
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
    ]);
    expect(weeks.map((w) => w.weekEnd)).toEqual([
      '2026-11-08',
      '2026-11-15',
      '2026-11-22',
      '2026-11-29',
      '2026-12-06',
    ]);
    expect(weeks.map((w) => w.scope)).toEqual([4, 4, 4, 4, 4]);
    expect(weeks.map((w) => w.planned)).toEqual([1, 2, 3, 3, 4]);
    expect(weeks.map((w) => w.done)).toEqual([1, 1, 2, null, null]);
  });

  it('keeps a cancelled item in the scope of the weeks before its cancellation', () => {
    const weeks = weeklyBurnUp(
      [it_('2026-11-02', '2026-11-20'), it_('2026-11-02', '2026-11-20', null, '2026-11-12')],
      '2026-11-30',
    );
    expect(weeks.map((w) => w.scope)).toEqual([2, 1, 1, 1, 1]);
  });

  it('extends to today when every deadline has passed, and is empty without items', () => {
    const weeks = weeklyBurnUp([it_('2026-11-02', '2026-11-04', '2026-11-04')], '2026-11-25');
    expect(weeks.at(-1)).toEqual({
      weekStart: '2026-11-23',
      weekEnd: '2026-11-29',
      scope: 1,
      planned: 1,
      done: 1,
    });
    expect(weeklyBurnUp([], '2026-11-25')).toEqual([]);
  });

  it('equals the week-by-week definition for any items', () => {
    const day = fc.integer({ min: 0, max: 200 }).map((n) => addDays('2026-01-01', n));
    // Open, done or cancelled (never both: an item's status is one of them).
    const item = fc
      .record({
        created: day,
        plannedDue: day,
        closed: fc.option(fc.tuple(day, fc.boolean()), { nil: null }),
      })
      .map(({ created, plannedDue, closed }) => ({
        created,
        plannedDue,
        done: closed && closed[1] ? closed[0] : null,
        cancelled: closed && !closed[1] ? closed[0] : null,
      }));
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), day, (items, today) => {
        expect(weeklyBurnUp(items, today)).toEqual(naiveBurnUp(items, today));
      }),
      { numRuns: 300 },
    );
  });

  it('counts an item done from the later of its creation and its acceptance', () => {
    // Accepted before it was put on control (an imported, finished measure): done from its creation week.
    const weeks = weeklyBurnUp([it_('2026-11-10', '2026-11-04', '2026-11-03')], '2026-11-20');
    expect(weeks.map((w) => w.done)).toEqual([1, 1]);
    // Created after today (clock skew, synthetic data): not done yet this week.
    expect(weeklyBurnUp([it_('2026-11-21', '2026-11-04', '2026-11-03')], '2026-11-20')[0]!.done).toBe(0);
  });

  it('builds the same series from days as from items, in any order and split any way', () => {
    const day = fc.integer({ min: 0, max: 120 }).map((n) => addDays('2026-01-01', n));
    const item = fc.record({
      created: day,
      plannedDue: day,
      done: fc.option(day, { nil: null }),
      cancelled: fc.constant(null),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 20 }), day, (items, today) => {
        const days = items.flatMap(burnUpDays).reverse();
        expect(weeklyBurnUpFromDays(days, today)).toEqual(weeklyBurnUp(items, today));
      }),
      { numRuns: 100 },
    );
  });

  it('makes round integer axis ticks', () => {
    expect(niceTicks(60)).toEqual([0, 20, 40, 60]);
    expect(niceTicks(61)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
