import { describe, expect, it } from 'vitest';
import { localTimeToInstant } from '../local-date.ts';
import {
  assignmentLateness,
  assignmentOutcome,
  chased,
  planAssignmentChase,
  type AssignmentChaseState,
  type AssignmentPolicy,
} from './assignment.ts';
import { checkInstruction } from './instruction.ts';
import { groupWeek, weekEnd } from './week.ts';

// October 2026: working weeks Monday to Friday, no holidays until 4 November.
const policy: AssignmentPolicy = {
  utcOffsetMinutes: 420,
  notifyAtMinute: 540,
  reminderWorkingDaysBefore: [1],
  repeatEveryWorkingDays: 3,
};
const local = (d: string, hh: number) => localTimeToInstant(d, hh * 60, 420);

describe('the internal deadline of an assignment', () => {
  it('reminds the day before, tells assignee and head the first working day after, then every 3 working days', () => {
    let s: AssignmentChaseState = { internalDue: '2026-10-09', chasesDone: [] };
    let p = planAssignmentChase(s, policy, local('2026-10-05', 10));
    expect(p.next).toMatchObject({ key: 'r1', date: '2026-10-08', type: 'reminder', daysLeft: 1 });
    s = chased(s, p.next!, p.superseded);
    p = planAssignmentChase(s, policy, local('2026-10-08', 10));
    // Friday's deadline: Monday is the first working day after it.
    expect(p.next).toMatchObject({ key: 'late', date: '2026-10-12', type: 'overdue' });
    s = chased(s, p.next!, p.superseded);
    p = planAssignmentChase(s, policy, local('2026-10-12', 10));
    expect(p.next).toMatchObject({ key: 'rep1', date: '2026-10-15', type: 'repeat' });
    // Missed repeats (a long outage) collapse into the latest one already due.
    p = planAssignmentChase(s, policy, local('2026-10-22', 10));
    expect(p.next).toMatchObject({ key: 'rep2', date: '2026-10-20' });
    s = chased(s, p.next!, p.superseded);
    expect(planAssignmentChase(s, policy, local('2026-10-22', 10)).next).toMatchObject({
      key: 'rep3',
      date: '2026-10-23',
    });
    expect(s.chasesDone).toEqual(['r1', 'late', 'rep2']);
  });

  it('skips reminders that are moot when the assignment is made after its deadline', () => {
    const p = planAssignmentChase(
      { internalDue: '2026-10-09', chasesDone: [] },
      policy,
      local('2026-10-13', 12),
    );
    expect(p.next).toMatchObject({ key: 'late', date: '2026-10-12' });
    expect(p.superseded).toEqual(['r1']);
  });

  it('ends when the agency reported (to the working group or to the head), the item closed or moved', () => {
    const a = { agencyId: 10 };
    expect(assignmentOutcome({ status: 'in_progress', agencyId: 10 }, a)).toBeNull();
    expect(assignmentOutcome({ status: 'returned', agencyId: 10 }, a)).toBeNull();
    expect(assignmentOutcome({ status: 'in_progress', agencyId: 10, signoffPending: true }, a)).toBe(
      'reported',
    );
    expect(assignmentOutcome({ status: 'submitted', agencyId: 10 }, a)).toBe('reported');
    expect(assignmentOutcome({ status: 'done', agencyId: 10 }, a)).toBe('reported');
    expect(assignmentOutcome({ status: 'cancelled', agencyId: 10 }, a)).toBe('closed');
    expect(assignmentOutcome({ status: 'in_progress', agencyId: 11 }, a)).toBe('closed');
  });

  it('is late by the one lateness function, in working days; closed ones are not', () => {
    expect(
      assignmentLateness({ status: 'open', internalDue: '2026-10-09', closedOn: null }, '2026-10-14'),
    ).toEqual({
      state: 'overdue',
      workingDays: 3,
    });
    expect(
      assignmentLateness(
        { status: 'reported', internalDue: '2026-10-09', closedOn: '2026-10-12' },
        '2026-10-20',
      ),
    ).toEqual({ state: 'late', workingDays: 1 });
    expect(
      assignmentLateness(
        { status: 'reported', internalDue: '2026-10-09', closedOn: '2026-10-08' },
        '2026-10-20',
      ),
    ).toEqual({ state: 'none', workingDays: 0 });
    expect(
      assignmentLateness(
        { status: 'superseded', internalDue: '2026-10-01', closedOn: '2026-10-12' },
        '2026-10-20',
      ).state,
    ).toBe('none');
  });
});

describe("an executor's week", () => {
  it('ends on Sunday; at the weekend it is the week to come', () => {
    expect(weekEnd('2026-10-07')).toBe('2026-10-11');
    expect(weekEnd('2026-10-11')).toBe('2026-10-18');
    expect(weekEnd('2026-10-10')).toBe('2026-10-18');
  });

  it('groups items as overdue, this week, later and waiting for someone else', () => {
    const today = '2026-10-07';
    const items = [
      { id: 'late', status: 'in_progress' as const, currentDue: '2026-10-05' },
      { id: 'friday', status: 'assigned' as const, currentDue: '2026-10-09' },
      { id: 'later', status: 'in_progress' as const, currentDue: '2026-10-20' },
      { id: 'review', status: 'submitted' as const, currentDue: '2026-10-02' },
      { id: 'head', status: 'in_progress' as const, currentDue: '2026-10-05', signoffPending: true },
      { id: 'ask', status: 'in_progress' as const, currentDue: '2026-10-05', extensionPending: true },
      // The head's internal deadline passed, the control date is weeks away.
      { id: 'internal', status: 'in_progress' as const, currentDue: '2026-10-30', internalDue: '2026-10-06' },
      // Back for rework until Friday: the rework due date counts, not the control date.
      { id: 'rework', status: 'returned' as const, currentDue: '2026-10-30', reworkDue: '2026-10-09' },
    ];
    const g = groupWeek(items, today);
    expect(Object.fromEntries(Object.entries(g).map(([k, v]) => [k, v.map((i) => i.id)]))).toEqual({
      overdue: ['late', 'internal'],
      thisWeek: ['friday', 'rework'],
      later: ['later'],
      waiting: ['review', 'head', 'ask'],
    });
  });
});

describe('an instruction given outside the minutes', () => {
  const today = '2026-10-07';
  const base = {
    text: 'Представить план',
    agencyId: 3,
    coAgencyIds: [],
    due: '2026-10-30',
    specialControl: false,
  };

  it('needs a text, a responsible agency and a deadline after today', () => {
    const empty = checkInstruction(
      { text: '', agencyId: null, coAgencyIds: [], due: null, specialControl: false },
      { today },
    );
    expect(empty.problems.map((p) => `${p.field} ${p.key}`).sort()).toEqual([
      'agency error.checkIn.agencyRequired',
      'due error.field.date',
      'text error.field.required',
    ]);
    expect(checkInstruction({ ...base, due: today }, { today }).problems).toEqual([
      { field: 'due', key: 'error.instruction.dueAfterToday', params: { date: today } },
    ]);
    expect(checkInstruction({ ...base, coAgencyIds: [3] }, { today }).problems[0]?.field).toBe('coAgencies');
  });

  it('moves a deadline on a day off to the preceding working day', () => {
    const r = checkInstruction({ ...base, due: '2026-11-04', coAgencyIds: [5, 5] }, { today });
    expect(r.problems).toEqual([]);
    expect(r.value).toMatchObject({ due: '2026-11-03', coAgencyIds: [5], agencyId: 3 });
  });
});
