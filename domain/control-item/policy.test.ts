import { describe, expect, it } from 'vitest';
import { localTimeToInstant } from '../local-date.ts';
import {
  applyChase,
  coverDueChases,
  DEFAULT_CHASE_POLICY as P,
  planChase,
  skipRemindersCoveredByNotice,
} from './policy.ts';
import type { ItemState } from './types.ts';

const base: ItemState = {
  itemId: 1,
  kind: 'measure',
  status: 'in_progress',
  agencyId: 1,
  coAgencyIds: [],
  originalDue: '2025-06-30',
  currentDue: '2025-06-30',
  reviewRound: 0,
  escalationLevel: 0,
  overdueSince: null,
  pendingExtension: null,
  partsFrom: [],
  requireCoExecutorParts: false,
  recurrence: null,
  chasesDone: [],
  version: 0,
};
const at9 = (d: string) => localTimeToInstant(d, 9 * 60, P.utcOffsetMinutes);

/** Walks the plan from `from` as a workflow would, acting on every step until `until`. */
function walk(s0: ItemState, from: number, until: number) {
  let s = s0;
  let now = from;
  const steps: string[] = [];
  for (let i = 0; i < 100; i++) {
    const p = planChase(s, P, now);
    if (!p.next || p.next.at > until) break;
    now = Math.max(now, p.next.at);
    steps.push(`${p.next.key}@${p.next.date}`);
    s = applyChase(s, p.next, p.superseded);
  }
  return { steps, state: s };
}

describe('chase plan', () => {
  it('reminds 10/5/1/0 working days before (12 June holiday included), then climbs the ladder, then repeats', () => {
    const { steps, state } = walk(base, at9('2025-06-01'), at9('2025-07-31'));
    expect(steps).toEqual([
      'r10@2025-06-16', // 10 working days before Monday 30 June
      'r5@2025-06-23',
      'r1@2025-06-27',
      'r0@2025-06-30',
      'esc1@2025-07-01',
      'esc2@2025-07-02',
      'esc3@2025-07-04',
      'esc4@2025-07-08',
      'rep1@2025-07-15',
      'rep2@2025-07-22',
      'rep3@2025-07-29',
    ]);
    expect(state.escalationLevel).toBe(4);
    expect(state.overdueSince).toBe('2025-07-01');
    expect(state.chasesDone.filter((k) => k.startsWith('rep'))).toEqual(['rep3']); // state stays small
  });

  it('skips the 12–13 June holidays when counting back from a deadline right after them', () => {
    const p = planChase({ ...base, currentDue: '2025-06-20' }, P, at9('2025-06-01'));
    expect(p.next).toMatchObject({ key: 'r10', date: '2025-06-04' }); // 20 Jun − 10 wd = 4 Jun, not 6 Jun
  });

  it('pauses while a submission awaits review or an extension awaits a decision', () => {
    expect(planChase({ ...base, status: 'submitted' }, P, at9('2025-06-01')).next).toBeNull();
    const pending = { ...base, pendingExtension: { requestedDue: '2025-07-31', eventId: 'e' } };
    expect(planChase(pending, P, at9('2025-06-01')).next).toBeNull();
    expect(planChase({ ...base, status: 'done' }, P, at9('2025-06-01')).next).toBeNull();
  });

  it('sends only the latest of several missed reminders', () => {
    const p = planChase(base, P, at9('2025-06-25'));
    expect(p.next?.key).toBe('r5');
    expect(p.superseded).toEqual(['r10']);
  });

  it('drops reminders once overdue and skips ladder levels the item already reached', () => {
    const p = planChase({ ...base, escalationLevel: 2 }, P, at9('2025-07-03'));
    expect(p.superseded).toEqual(['r10', 'r5', 'r1', 'r0']);
    expect(p.next).toMatchObject({ key: 'esc3', date: '2025-07-04', type: 'escalation', level: 3 });
  });

  it('collapses repeat chasers missed during an outage into one', () => {
    const s = {
      ...base,
      escalationLevel: 4 as const,
      chasesDone: ['r10', 'r5', 'r1', 'r0', 'esc1', 'esc2', 'esc3', 'esc4'],
    };
    const p = planChase(s, P, at9('2025-08-20'));
    expect(p.next?.key).toBe('rep6');
    expect(p.next!.at).toBeLessThanOrEqual(at9('2025-08-20'));
  });

  it('after a return on 6 May 2027 with due 14 May, the reminders due by that day are covered by the notice', () => {
    // 14 May back: 13 (1), 12, 11 (3; 8–10 May are off), 7, 6 May (5), …, 28 Apr (10).
    // With the full reminder set (a policy without rework reminders, as older workflows carry)…
    const full = { ...P, reworkReminderWorkingDaysBefore: undefined };
    const returned = { ...base, status: 'returned' as const, currentDue: '2027-05-14', chasesDone: [] };
    expect(skipRemindersCoveredByNotice(returned, full, '2027-05-06').chasesDone).toEqual(['r10', 'r5']);
    // …and with the default, which reminds only the day before while an item is back for rework.
    const s = skipRemindersCoveredByNotice(returned, P, '2027-05-06');
    expect(s.chasesDone).toEqual([]); // r1 (13 May) is the only rework reminder and still ahead
    // At 15:00 that day the next step is r1 a week later, not an immediate "due in 5 working days".
    const p = planChase(s, P, localTimeToInstant('2027-05-06', 15 * 60, P.utcOffsetMinutes));
    expect(p.next).toMatchObject({ key: 'r1', date: '2027-05-13' });
    expect(p.superseded).toEqual([]);
    // Nothing to skip when the new deadline is far away; keys already done are not repeated.
    expect(skipRemindersCoveredByNotice({ ...returned, currentDue: '2027-06-30' }, P, '2027-05-06')).toEqual({
      ...returned,
      currentDue: '2027-06-30',
    });
    expect(skipRemindersCoveredByNotice(s, P, '2027-05-06')).toBe(s);
  });
});

describe('chasing while back for rework (the control date stays)', () => {
  // Control date Monday 30 June 2025; the ladder: esc1 1 Jul, esc2 2 Jul, esc3 4 Jul, esc4 8 Jul, repeats
  // every 5 working days after (15, 22, 29 Jul…).
  const overdue: ItemState = {
    ...base,
    status: 'returned',
    currentDue: '2025-06-30',
    reworkDue: '2025-07-18',
    reviewRound: 1,
    escalationLevel: 2,
    overdueSince: '2025-07-01',
    chasesDone: ['r10', 'r5', 'r1', 'r0', 'esc1', 'esc2'],
  };

  it('runs the ladder on against the control date and reminds once before the rework due date', () => {
    const { steps, state } = walk(overdue, at9('2025-07-03'), at9('2025-07-31'));
    expect(steps).toEqual([
      'esc3@2025-07-04',
      'esc4@2025-07-08',
      'rep1@2025-07-15',
      'w1.1@2025-07-17', // the day before the rework due date (18 Jul)
      'rep2@2025-07-22',
      'rep3@2025-07-29',
    ]);
    expect(state).toMatchObject({ escalationLevel: 4, currentDue: '2025-06-30', overdueSince: '2025-07-01' });
    const reminder = planChase(
      { ...overdue, chasesDone: [...state.chasesDone.filter((k) => k !== 'w1.1')], escalationLevel: 4 },
      P,
      at9('2025-07-16'),
    );
    expect(reminder.next).toMatchObject({ key: 'w1.1', type: 'reminder', due: '2025-07-18', offset: 1 });
  });

  it('reminds before a rework due date ahead of the control date, and then chases the control date', () => {
    const early: ItemState = { ...base, status: 'returned', reworkDue: '2025-06-20', reviewRound: 1 };
    const { steps } = walk(early, at9('2025-06-10'), at9('2025-07-09'));
    expect(steps).toEqual([
      'w1.1@2025-06-19',
      // no countdown to the control date while in rework: the ladder starts the day after it
      'esc1@2025-07-01',
      'esc2@2025-07-02',
      'esc3@2025-07-04',
      'esc4@2025-07-08',
    ]);
  });

  it('drops the reminder once the rework due date has passed', () => {
    const p = planChase(
      { ...overdue, escalationLevel: 4, chasesDone: [...overdue.chasesDone, 'esc3', 'esc4'] },
      P,
      at9('2025-07-21'),
    );
    expect(p.superseded).toEqual(['w1.1']);
    expect(p.next?.type).toBe('repeat');
  });

  it('covers every step already due by a return or reopen notice, keeping the level they stand for', () => {
    // Returned on 10 July 15:00 after the ladder paused at esc2 while the report was under review.
    const now = localTimeToInstant('2025-07-10', 15 * 60, P.utcOffsetMinutes);
    const s = coverDueChases({ ...overdue, chasesDone: ['r10', 'r5', 'r1', 'r0', 'esc1', 'esc2'] }, P, now);
    expect(s.escalationLevel).toBe(4);
    expect(s.chasesDone).toEqual(['r10', 'r5', 'r1', 'r0', 'esc1', 'esc2', 'esc3', 'esc4']);
    // What comes next is the first repeat, on 15 July, not an immediate burst of escalations.
    expect(planChase(s, P, now).next).toMatchObject({ key: 'rep1', date: '2025-07-15' });
    // Before the control date nothing is due, and nothing changes.
    const ahead = { ...base, status: 'returned' as const, reworkDue: '2025-06-20', reviewRound: 1 };
    expect(coverDueChases(ahead, P, at9('2025-06-10'))).toBe(ahead);
  });
});

describe('recurring reports', () => {
  const quarterly: ItemState = {
    ...base,
    status: 'assigned',
    currentDue: '2025-07-07',
    recurrence: {
      every: 'quarterly',
      periodKey: '2025-Q2',
      periodEnd: '2025-06-30',
      until: null,
      dueWorkingDaysAfterPeriodEnd: 5,
    },
  };

  it('reminds once, 5 working days before the due date; the ladder only once the period is overdue', () => {
    const { steps } = walk(quarterly, at9('2025-06-01'), at9('2025-07-10'));
    // Due Monday 7 July (5 working days after 30 June): one reminder on 30 June, then the ladder.
    expect(steps).toEqual(['r5@2025-06-30', 'esc1@2025-07-08', 'esc2@2025-07-09']);
    // A policy from before the field existed keeps the full countdown.
    const old = { ...P, recurringReminderWorkingDaysBefore: undefined };
    expect(planChase(quarterly, old, at9('2025-06-01')).next?.key).toBe('r10');
  });
});

describe('an item that arrives already late (collapseDueLadder)', () => {
  // Imported on 20 August 2025 with a control date of 30 June: every ladder step and two repeats are due.
  const now = at9('2025-08-20') + 60_000;

  it('acts once: the highest level due, the lower levels and the repeats due superseded', () => {
    const p = planChase(base, P, now, { collapseDueLadder: true });
    expect(p.next).toMatchObject({ key: 'esc4', type: 'escalation', level: 4, date: '2025-07-08' });
    expect(p.superseded).toEqual(['r10', 'r5', 'r1', 'r0', 'esc1', 'esc2', 'esc3', 'rep6']);
    const after = applyChase(base, p.next!, p.superseded);
    expect(after.escalationLevel).toBe(4);
    expect(after.overdueSince).toBe('2025-07-01'); // the first overdue day, not the collapsed step's
    // Nothing else is due now: the next repeat is in the future.
    const next = planChase(after, P, now, { collapseDueLadder: true }).next!;
    expect(next.key).toBe('rep7');
    expect(next.at).toBeGreaterThan(now);
  });

  it('without the option every step still comes, one after another (running workflows before the patch)', () => {
    const keys: string[] = [];
    let s = base;
    for (let i = 0; i < 10; i++) {
      const p = planChase(s, P, now);
      if (!p.next || p.next.at > now) break;
      keys.push(p.next.key);
      s = applyChase(s, p.next, p.superseded);
    }
    expect(keys).toEqual(['esc1', 'esc2', 'esc3', 'esc4', 'rep6']);
  });

  it('leaves a single due step alone, and climbs on from a level already reached', () => {
    const onTime = at9('2025-07-01') + 60_000;
    expect(planChase(base, P, onTime, { collapseDueLadder: true })).toMatchObject({
      next: { key: 'esc1' },
    });
    const atTwo = {
      ...base,
      escalationLevel: 2 as const,
      chasesDone: ['r10', 'r5', 'r1', 'r0', 'esc1', 'esc2'],
    };
    const p = planChase(atTwo, P, now, { collapseDueLadder: true });
    expect(p.next?.key).toBe('esc4');
    expect(p.superseded).toEqual(['esc3', 'rep6']);
  });
});
