import { describe, expect, it } from 'vitest';
import { lateness } from './lateness.ts';

describe('lateness (one definition, working days)', () => {
  const today = '2026-12-04';
  it('counts working days from the control date to today for an overdue item', () => {
    // 1 June → 4 December 2026: 132 working days (186 calendar days, which some screens used to show).
    expect(lateness({ status: 'in_progress', currentDue: '2026-06-01' }, today)).toEqual({
      state: 'overdue',
      workingDays: 132,
    });
    expect(lateness({ status: 'returned', currentDue: '2026-12-03' }, today)).toEqual({
      state: 'overdue',
      workingDays: 1,
    });
    expect(lateness({ status: 'assigned', currentDue: today }, today)).toEqual({
      state: 'none',
      workingDays: 0,
    });
  });

  it('is not overdue while the report is under review, and late on record once accepted after the date', () => {
    expect(lateness({ status: 'submitted', currentDue: '2026-06-01' }, today).state).toBe('none');
    expect(lateness({ status: 'done', currentDue: '2026-06-30', accepted: '2026-07-03' }, today)).toEqual({
      state: 'late',
      workingDays: 3,
    });
    expect(lateness({ status: 'done', currentDue: '2026-06-30', accepted: '2026-06-30' }, today).state).toBe(
      'none',
    );
    expect(lateness({ status: 'cancelled', currentDue: '2026-06-01' }, today).state).toBe('none');
  });
});
