import { describe, expect, it } from 'vitest';
import { restoreControlDate, type AuditEvent } from './control-date-history.ts';

const v = (currentDue: string, escalationLevel = 0, extra: Record<string, unknown> = {}) => ({
  status: 'in_progress',
  currentDue,
  escalationLevel,
  ...extra,
});
const ev = (type: string, before: object, after: object): AuditEvent => ({ type, before, after });

describe('the control date read back from the audit trail (migration 0009)', () => {
  // Item 4.1 of the issue: due 30 June 2026, on the red list (level 4), submitted, returned on
  // 4 December; the old rule moved the deadline to 11 December and reset the escalation.
  const history = [
    ev('started', v('2026-06-30'), v('2026-06-30')),
    ev('chase.overdue', v('2026-06-30'), v('2026-06-30', 1)),
    ev('chase.escalation', v('2026-06-30', 1), v('2026-06-30', 2)),
    ev('chase.escalation', v('2026-06-30', 3), v('2026-06-30', 4)),
    ev('submitted', v('2026-06-30', 4), v('2026-06-30', 4)),
    ev('returned', v('2026-06-30', 4), v('2026-12-11', 0)),
  ];

  it('restores the control date, keeps the moved date as the rework due date and the level reached', () => {
    const r = restoreControlDate(
      history,
      { status: 'returned', currentDue: '2026-12-11', escalationLevel: 0, overdueSince: null },
      '2026-12-05',
    );
    expect(r).toEqual({
      moved: true,
      movedDue: '2026-12-11',
      controlDate: '2026-06-30',
      reworkDue: '2026-12-11',
      escalationLevel: 4,
      overdueSince: '2026-07-01',
      periods: [],
    });
  });

  it('restores an accepted item too (it counts late), without a rework due date', () => {
    const accepted = [
      ...history,
      ev('submitted', v('2026-12-11'), v('2026-12-11')),
      ev('accepted', v('2026-12-11'), v('2026-12-11')),
    ];
    expect(
      restoreControlDate(
        accepted,
        { status: 'done', currentDue: '2026-12-11', escalationLevel: 0 },
        '2026-12-20',
      ),
    ).toMatchObject({ moved: true, controlDate: '2026-06-30', reworkDue: null, escalationLevel: 4 });
    // Only an accepted period was moved: its due date is put right, the current period is left alone.
    const q = (due: string, key: string) => v(due, 0, { periodKey: key });
    expect(
      restoreControlDate(
        [
          ev('returned', q('2026-10-07', '2026-Q3'), q('2026-10-14', '2026-Q3')),
          ev('period_closed', q('2026-10-14', '2026-Q3'), q('2027-01-15', '2026-Q4')),
        ],
        { status: 'in_progress', currentDue: '2027-01-15', escalationLevel: 0 },
        '2026-12-01',
      ),
    ).toMatchObject({ moved: false, periods: [{ periodKey: '2026-Q3', due: '2026-10-07' }] });
  });

  it('leaves alone what an extension or the working group set, and items no return moved', () => {
    const extended = [...history, ev('extension_approved', v('2026-12-11'), v('2027-02-26'))];
    expect(
      restoreControlDate(
        extended,
        { status: 'returned', currentDue: '2027-02-26', escalationLevel: 0 },
        '2026-12-20',
      ),
    ).toBeNull();
    // A return that kept the date (the rework window ended before it) moved nothing.
    const kept = [
      ev('submitted', v('2026-06-30'), v('2026-06-30')),
      ev('returned', v('2026-06-30'), v('2026-06-30')),
    ];
    expect(
      restoreControlDate(
        kept,
        { status: 'returned', currentDue: '2026-06-30', escalationLevel: 0 },
        '2026-06-01',
      ),
    ).toBeNull();
    // Seeded history carries no before/after views: nothing to read.
    expect(
      restoreControlDate(
        [{ type: 'returned', before: null, after: null }],
        { status: 'returned', currentDue: '2026-06-30', escalationLevel: 0 },
        '2026-06-01',
      ),
    ).toBeNull();
  });

  it('gives each period of a recurring item accepted against a moved date its true due date', () => {
    const q = (due: string, key: string, level = 0) => v(due, level, { periodKey: key });
    const events = [
      ev('returned', q('2027-04-07', '2027-Q1', 2), q('2027-04-21', '2027-Q1')),
      ev('period_closed', q('2027-04-21', '2027-Q1'), q('2027-07-07', '2027-Q2')),
      ev('returned', q('2027-07-07', '2027-Q2'), q('2027-07-20', '2027-Q2')),
    ];
    expect(
      restoreControlDate(
        events,
        { status: 'returned', currentDue: '2027-07-20', escalationLevel: 0 },
        '2027-07-12',
      ),
    ).toEqual({
      moved: true,
      movedDue: '2027-07-20',
      controlDate: '2027-07-07',
      reworkDue: '2027-07-20',
      escalationLevel: 0,
      overdueSince: '2027-07-08',
      periods: [{ periodKey: '2027-Q1', due: '2027-04-07' }],
    });
  });
});
