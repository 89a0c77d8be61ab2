import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addWorkingDays } from './calendar/index.ts';
import { ITEM_STATUSES, type ItemStatus } from './control-item/index.ts';
import { addDays } from './local-date.ts';
import { isOverdue, overdueWorkingDays, RAG_THRESHOLDS, ragOf, type RagItem } from './rag.ts';

// Monday 16 Nov 2026; 4 Nov (Wed) is a holiday, so working-day and calendar counts differ around it.
const today = '2026-11-16';
const wdBefore = (n: number) => addWorkingDays(today, -n);
const wdAfter = (n: number) => addWorkingDays(today, n);
const item = (status: ItemStatus, currentDue: string): RagItem => ({ status, currentDue });
const done = (n: number) => Array.from({ length: n }, () => item('done', wdBefore(20)));

describe('RAG rules', () => {
  it('counts overdue in working days by the production calendar', () => {
    // 3 Nov (Tue) → 16 Nov (Mon): 4 Nov is a holiday, so 8 working days, 13 calendar days.
    expect(overdueWorkingDays(item('in_progress', '2026-11-03'), today)).toBe(8);
    expect(overdueWorkingDays(item('in_progress', '2026-11-13'), today)).toBe(1);
    expect(overdueWorkingDays(item('in_progress', today), today)).toBe(0);
    // Waiting on the project office is not overdue; nor is anything closed.
    for (const s of ['submitted', 'done', 'cancelled'] as const) {
      expect(isOverdue(item(s, '2026-11-03'), today), s).toBe(false);
      expect(overdueWorkingDays(item(s, '2026-11-03'), today)).toBe(0);
    }
  });

  it('is none for an empty group or one with only cancelled items', () => {
    expect(ragOf([], today).rag).toBe('none');
    expect(ragOf([item('cancelled', wdBefore(30))], today)).toMatchObject({ rag: 'none', scope: 0 });
  });

  it('is green when nothing is overdue and nothing due soon waits on the executor', () => {
    const r = ragOf([...done(3), item('in_progress', wdAfter(11)), item('submitted', wdAfter(2))], today);
    expect(r).toEqual({
      rag: 'green',
      scope: 5,
      overdue: 0,
      maxOverdueWorkingDays: 0,
      dueSoonNotSubmitted: 0,
    });
  });

  it('is amber when an item due within 10 working days is not submitted yet (today and day 10 included)', () => {
    for (const due of [today, wdAfter(1), wdAfter(10)]) {
      for (const s of ['assigned', 'in_progress', 'returned'] as const) {
        const r = ragOf([...done(3), item(s, due)], today);
        expect(r.rag, `${s} ${due}`).toBe('amber');
        expect(r.dueSoonNotSubmitted).toBe(1);
      }
    }
    expect(ragOf([...done(3), item('in_progress', wdAfter(11))], today).rag).toBe('green');
  });

  it('is amber with one overdue item below both red thresholds', () => {
    // 1 of 4 = 25 % < one third; 5 working days < 6.
    const r = ragOf([...done(3), item('in_progress', wdBefore(5))], today);
    expect(r).toEqual({
      rag: 'amber',
      scope: 4,
      overdue: 1,
      maxOverdueWorkingDays: 5,
      dueSoonNotSubmitted: 0,
    });
  });

  it('is red when an item reaches 6 working days overdue (the leadership escalation level)', () => {
    const r = ragOf([...done(10), item('returned', wdBefore(6))], today);
    expect(r).toMatchObject({ rag: 'red', overdue: 1, maxOverdueWorkingDays: 6 });
  });

  it('is red when at least a third of the items are overdue, however recently', () => {
    const two = [item('assigned', wdBefore(1)), item('in_progress', wdBefore(2))];
    expect(ragOf([...done(4), ...two], today).rag).toBe('red'); // 2 of 6 = 33.3 %
    expect(ragOf([...done(5), ...two], today).rag).toBe('amber'); // 2 of 7 = 28.6 %
    // Cancelled items leave the scope (and so raise the share).
    expect(ragOf([...done(4), ...two, item('cancelled', wdBefore(1))], today).rag).toBe('red');
  });

  it('takes its thresholds as data', () => {
    const items = [...done(10), item('in_progress', wdBefore(3))];
    expect(ragOf(items, today).rag).toBe('amber');
    expect(ragOf(items, today, { ...RAG_THRESHOLDS, redOverdueWorkingDays: 3 }).rag).toBe('red');
  });

  it('never calls a group better when an item becomes overdue (property)', () => {
    const rank = { red: 0, amber: 1, green: 2, none: 3 } as const;
    const arbItem = fc.record({
      status: fc.constantFrom(...ITEM_STATUSES),
      offset: fc.integer({ min: -60, max: 60 }),
    });
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 12 }), fc.integer({ min: 1, max: 30 }), (raw, lateBy) => {
        const items = raw.map((r) => item(r.status, addDays(today, r.offset)));
        const before = ragOf(items, today);
        const after = ragOf([...items, item('in_progress', wdBefore(lateBy))], today);
        expect(rank[after.rag]).toBeLessThanOrEqual(Math.min(rank[before.rag], rank.amber));
        expect(after.overdue).toBe(before.overdue + 1);
      }),
    );
  });
});
