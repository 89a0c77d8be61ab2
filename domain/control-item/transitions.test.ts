import { describe, expect, it } from 'vitest';
import { ShtabError } from '../errors.ts';
import type { Actor } from '../roles.ts';
import { DEFAULT_CHASE_POLICY as policy } from './policy.ts';
import { decide, type Command } from './transitions.ts';
import type { ItemState } from './types.ts';

const s0: ItemState = {
  itemId: 7,
  kind: 'measure',
  status: 'assigned',
  agencyId: 10,
  coAgencyIds: [20, 30],
  originalDue: '2025-06-30',
  currentDue: '2025-06-30',
  reviewRound: 0,
  escalationLevel: 0,
  overdueSince: null,
  pendingExtension: null,
  partsFrom: [],
  requireCoExecutorParts: false,
  recurrence: null,
  chasesDone: ['r10'],
  version: 3,
};
const ctx = { today: '2025-06-20', policy };
const exec: Actor = { userId: 1, role: 'agency_executor', agencyId: 10 };
const co: Actor = { userId: 2, role: 'agency_executor', agencyId: 20 };
const other: Actor = { userId: 3, role: 'agency_head', agencyId: 99 };
const wg: Actor = { userId: 4, role: 'working_group', agencyId: null };
const lead: Actor = { userId: 5, role: 'leadership', agencyId: null };
const submit = (
  actor: Actor,
  extra: Partial<Extract<Command, { type: 'submit' }>['args']> = {},
): Command => ({
  type: 'submit',
  args: { actor, eventId: 'e', text: 'Отчёт', links: [], attachmentIds: [], part: false, ...extra },
});

function rejects(s: ItemState, cmd: Command, code: string, key?: string, field?: string) {
  try {
    decide(s, cmd, ctx);
  } catch (e) {
    expect(e).toBeInstanceOf(ShtabError);
    const err = e as ShtabError;
    expect(err.code).toBe(code);
    if (key) expect(err.detail.key).toBe(key);
    if (field) expect(err.detail.field).toBe(field);
    return;
  }
  throw new Error('expected a rejection');
}

describe('item lifecycle rules', () => {
  it('runs assigned → in progress → submitted → returned (rework due, round 1) → submitted → done', () => {
    let d = decide(s0, { type: 'start', args: { actor: exec, eventId: 'a' } }, ctx);
    expect(d).toMatchObject({ type: 'started', next: { status: 'in_progress', version: 4 } });
    d = decide(d.next, submit(exec), ctx);
    expect(d.next.status).toBe('submitted');
    d = decide(
      d.next,
      { type: 'review', args: { actor: wg, eventId: 'c', outcome: 'return', reason: 'Нет приложений' } },
      ctx,
    );
    expect(d.type).toBe('returned');
    expect(d.next).toMatchObject({
      status: 'returned',
      reviewRound: 1,
      currentDue: '2025-06-30', // the control date does not move
      reworkDue: '2025-06-30', // the rework window (27 Jun) would end before the control date
      originalDue: '2025-06-30',
      chasesDone: ['r10'], // the control date's chases stay done
    });
    d = decide(d.next, submit(exec), ctx);
    d = decide(d.next, { type: 'review', args: { actor: wg, eventId: 'e', outcome: 'accept' } }, ctx);
    expect(d).toMatchObject({ type: 'accepted', next: { status: 'done', version: 8 } });
  });

  it('gives rework time up to the control date at least: the rework window or the control date, whichever is later', () => {
    const submitted = { ...s0, status: 'submitted' as const, currentDue: '2025-07-31' };
    const ret: Command = {
      type: 'review',
      args: { actor: wg, eventId: 'r', outcome: 'return', reason: 'Доработать' },
    };
    expect(decide(submitted, ret, ctx).next).toMatchObject({
      currentDue: '2025-07-31',
      reworkDue: '2025-07-31',
    });
    expect(decide({ ...submitted, currentDue: '2025-06-20' }, ret, ctx).next).toMatchObject({
      currentDue: '2025-06-20',
      reworkDue: '2025-06-27',
    });
    // As workflows decided before the control date was fixed (replay of their histories).
    const legacy = { ...ctx, legacyReturnMovesDue: true };
    expect(decide(submitted, ret, legacy).next.currentDue).toBe('2025-07-31');
    expect(decide(submitted, ret, { ...legacy, legacyReworkDue: true }).next.currentDue).toBe('2025-06-27');
    expect(decide({ ...submitted, currentDue: '2025-06-20' }, ret, legacy).next.currentDue).toBe(
      '2025-06-27',
    );
  });

  it('keeps an item returned after its control date overdue: control date, escalation and ladder stay', () => {
    const late: ItemState = {
      ...s0,
      status: 'submitted',
      currentDue: '2025-06-10',
      escalationLevel: 4,
      overdueSince: '2025-06-11',
      reviewRound: 1,
      reworkDue: '2025-06-16',
      chasesDone: ['r10', 'esc1', 'esc2', 'esc3', 'esc4', 'rep1', 'w0.1'],
    };
    const ret = (newDue?: string): Command => ({
      type: 'review',
      args: {
        actor: wg,
        eventId: 'r',
        outcome: 'return',
        reason: 'Нет приложений',
        ...(newDue ? { newDue } : {}),
      },
    });
    expect(decide(late, ret(), ctx)).toMatchObject({
      type: 'returned',
      next: {
        status: 'returned',
        currentDue: '2025-06-10',
        reworkDue: '2025-06-27', // 5 working days from 20 Jun
        escalationLevel: 4,
        overdueSince: '2025-06-11',
        reviewRound: 2,
        chasesDone: ['r10', 'esc1', 'esc2', 'esc3', 'esc4', 'rep1'],
      },
    });
    // A typed rework due date on a Sunday moves to the Friday; the control date stays.
    expect(decide(late, ret('2025-06-29'), ctx).next).toMatchObject({
      currentDue: '2025-06-10',
      reworkDue: '2025-06-27',
    });
    rejects(late, ret('2025-06-01'), 'validation', 'error.date.past', 'newDue');
    // Acceptance keeps the escalation reached on record; the old rule cleared it.
    const resubmitted = { ...late, status: 'submitted' as const };
    const accept: Command = { type: 'review', args: { actor: wg, eventId: 'a', outcome: 'accept' } };
    expect(decide(resubmitted, accept, ctx).next).toMatchObject({
      status: 'done',
      currentDue: '2025-06-10',
      escalationLevel: 4,
      reworkDue: null,
    });
    expect(decide(resubmitted, accept, { ...ctx, legacyReturnMovesDue: true }).next.escalationLevel).toBe(0);
  });

  it('rejects illegal transitions with a reason', () => {
    const done = { ...s0, status: 'done' as const };
    rejects(done, submit(exec), 'conflict', 'error.transition.notInStatus');
    rejects(
      { ...s0, status: 'submitted' },
      { type: 'review', args: { actor: exec, eventId: 'x', outcome: 'accept' } },
      'forbidden',
    );
    rejects(s0, submit(other), 'forbidden', 'error.forbidden.otherAgency');
    rejects(s0, submit(wg), 'forbidden', 'error.forbidden.agencyOnly');
    rejects(s0, submit(exec, { text: ' ' }), 'validation', 'error.submit.empty', 'text');
    rejects(
      s0,
      submit(exec, { links: [{ url: 'javascript:alert(1)' }] }),
      'validation',
      'error.submit.badLink',
      'links.0',
    );
    rejects(s0, { type: 'review', args: { actor: wg, eventId: 'x', outcome: 'accept' } }, 'conflict');
  });

  it('validates extension requests and re-plans on approval', () => {
    const req = (requestedDue: string, reason = 'Нужно согласование'): Command => ({
      type: 'requestExtension',
      args: { actor: exec, eventId: 'x1', requestedDue, reason },
    });
    rejects(s0, req('2025-06-01'), 'validation', 'error.date.past', 'requestedDue');
    rejects(s0, req('2025-06-25'), 'validation', 'error.extension.notLater', 'requestedDue');
    rejects(s0, req('31.07.2025'), 'validation', 'error.field.date', 'requestedDue');
    rejects(s0, req('2025-07-31', ''), 'validation', 'error.field.required', 'reason');
    const r = decide(s0, req('2025-08-02'), ctx); // Saturday → Friday 1 Aug
    expect(r.next.pendingExtension).toEqual({ requestedDue: '2025-08-01', eventId: 'x1' });
    rejects(r.next, req('2025-08-10'), 'conflict', 'error.extension.pending');
    rejects(
      r.next,
      { type: 'decideExtension', args: { actor: exec, eventId: 'y', approve: true } },
      'forbidden',
    );
    const a = decide(
      r.next,
      { type: 'decideExtension', args: { actor: wg, eventId: 'y', approve: true } },
      ctx,
    );
    expect(a).toMatchObject({
      type: 'extension_approved',
      next: { currentDue: '2025-08-01', originalDue: '2025-06-30', pendingExtension: null, chasesDone: [] },
    });
    const n = decide(
      r.next,
      { type: 'decideExtension', args: { actor: wg, eventId: 'y', approve: false } },
      ctx,
    );
    expect(n.next).toMatchObject({ currentDue: '2025-06-30', pendingExtension: null });
  });

  it('grants another date than asked when the working group types one', () => {
    const pending: ItemState = {
      ...s0,
      status: 'returned',
      reworkDue: '2025-06-27',
      pendingExtension: { requestedDue: '2025-08-29', eventId: 'x1' },
    };
    const grant = (grantedDue?: string): Command => ({
      type: 'decideExtension',
      args: { actor: wg, eventId: 'g', approve: true, ...(grantedDue !== undefined ? { grantedDue } : {}) },
    });
    expect(decide(pending, grant(), ctx).next).toMatchObject({ currentDue: '2025-08-29', reworkDue: null });
    expect(decide(pending, grant(''), ctx).next.currentDue).toBe('2025-08-29');
    // 20 July 2025 is a Sunday: the granted date moves to Friday 18 July.
    expect(decide(pending, grant('2025-07-20'), ctx)).toMatchObject({
      type: 'extension_approved',
      next: { currentDue: '2025-07-18', originalDue: '2025-06-30', pendingExtension: null, reworkDue: null },
    });
    rejects(pending, grant('2025-06-25'), 'validation', 'error.extension.grantedNotLater', 'grantedDue');
    rejects(pending, grant('2025-06-01'), 'validation', 'error.date.past', 'grantedDue');
    rejects(pending, grant('01.07.2025'), 'validation', 'error.field.date', 'grantedDue');
  });

  it('requires co-executor parts before the consolidated submission when configured', () => {
    const s = { ...s0, requireCoExecutorParts: true };
    rejects(s, submit(exec), 'conflict', 'error.submit.partsMissing');
    rejects(s, submit(exec, { part: true }), 'forbidden', 'error.forbidden.notCoExecutor');
    let d = decide(s, submit(co, { part: true }), ctx);
    expect(d).toMatchObject({ type: 'part_submitted', next: { partsFrom: [20], status: 'in_progress' } });
    rejects(d.next, submit(co, { part: true }), 'conflict', 'error.submit.partAlreadySubmitted');
    d = decide(d.next, submit({ ...co, agencyId: 30 }, { part: true }), ctx);
    expect(decide(d.next, submit(exec), ctx).next.status).toBe('submitted');
  });

  it('reassigns and cancels only from the project office (leadership may cancel its instructions)', () => {
    const ra: Command = {
      type: 'reassign',
      args: { actor: wg, eventId: 'r', agencyId: 20, reason: 'Передача полномочий' },
    };
    expect(decide(s0, ra, ctx).next).toMatchObject({ agencyId: 20, coAgencyIds: [30] });
    // A pending extension lapses with a new responsible agency, and stands when only co-executors change.
    const pending = { ...s0, pendingExtension: { requestedDue: '2025-07-31', eventId: 'x' } };
    expect(decide(pending, ra, ctx).next.pendingExtension).toBeNull();
    const coOnly: Command = { ...ra, args: { ...ra.args, agencyId: 10, coAgencyIds: [30] } } as Command;
    expect(decide(pending, coOnly, ctx).next).toMatchObject({
      agencyId: 10,
      coAgencyIds: [30],
      pendingExtension: pending.pendingExtension,
    });
    rejects(s0, { ...ra, args: { ...ra.args, actor: exec } } as Command, 'forbidden');
    const cancel = (actor: Actor): Command => ({
      type: 'cancel',
      args: { actor, eventId: 'c', reason: 'Утратило актуальность' },
    });
    rejects(s0, cancel(lead), 'forbidden');
    expect(decide({ ...s0, kind: 'instruction' }, cancel(lead), ctx).next.status).toBe('cancelled');
    rejects({ ...s0, status: 'cancelled' }, cancel(wg), 'conflict');
  });

  it('rolls a recurring item into its next period on acceptance', () => {
    const s: ItemState = {
      ...s0,
      status: 'submitted',
      recurrence: {
        every: 'quarterly',
        periodKey: '2025-Q1',
        periodEnd: '2025-03-31',
        until: '2025-12-31',
        dueWorkingDaysAfterPeriodEnd: 5,
      },
    };
    const d = decide(s, { type: 'review', args: { actor: wg, eventId: 'p', outcome: 'accept' } }, ctx);
    expect(d.type).toBe('period_closed');
    expect(d.next).toMatchObject({
      status: 'assigned',
      recurrence: { periodKey: '2025-Q2', periodEnd: '2025-06-30' },
      currentDue: '2025-07-07',
    });
    const last = { ...s, recurrence: { ...s.recurrence!, periodKey: '2025-Q4', periodEnd: '2025-12-31' } };
    expect(
      decide(last, { type: 'review', args: { actor: wg, eventId: 'p', outcome: 'accept' } }, ctx).type,
    ).toBe('accepted');
  });
});

describe('«вернуть на контроль» (reopen) and the control-date restore', () => {
  const done: ItemState = {
    ...s0,
    status: 'done',
    currentDue: '2025-06-10',
    escalationLevel: 3,
    reviewRound: 1,
    chasesDone: ['r10', 'esc1', 'esc2', 'esc3'],
  };
  const reopen = (actor: Actor, reason = 'Результат не подтверждён', reworkDue?: string): Command => ({
    type: 'reopen',
    args: { actor, eventId: 'o', reason, ...(reworkDue ? { reworkDue } : {}) },
  });

  it('sends an accepted item back to the executor with a rework due date; the control date stays', () => {
    expect(decide(done, reopen(wg), ctx)).toMatchObject({
      type: 'reopened',
      next: {
        status: 'returned',
        currentDue: '2025-06-10',
        reworkDue: '2025-06-27',
        escalationLevel: 3,
        reviewRound: 2,
        chasesDone: ['r10', 'esc1', 'esc2', 'esc3'],
      },
    });
    expect(decide(done, reopen(wg, 'Проверка', '2025-07-01'), ctx).next.reworkDue).toBe('2025-07-01');
  });

  it('is for the working group, on done items, with a reason; never for a service improvement stage', () => {
    rejects(done, reopen(exec), 'forbidden');
    rejects(done, reopen(lead), 'forbidden');
    rejects(done, reopen(wg, ' '), 'validation', 'error.field.required', 'reason');
    rejects({ ...s0, status: 'in_progress' }, reopen(wg), 'conflict', 'error.transition.notInStatus');
    rejects({ ...done, status: 'cancelled' }, reopen(wg), 'conflict');
    rejects(
      { ...done, kind: 'service_improvement' },
      reopen(wg),
      'conflict',
      'error.reopen.improvementStage',
    );
  });

  it('restores a control date an old return moved, only while the state still has the moved date', () => {
    const moved: ItemState = {
      ...s0,
      status: 'returned',
      currentDue: '2025-07-04',
      escalationLevel: 0,
      reviewRound: 1,
      chasesDone: ['r1'],
    };
    const restore = (movedDue: string): Command => ({
      type: 'restoreControlDate',
      args: {
        actor: { userId: 0, role: 'admin', agencyId: null },
        eventId: 'control-date-restored:7',
        movedDue,
        controlDate: '2025-06-10',
        reworkDue: '2025-07-04',
        escalationLevel: 4,
        overdueSince: '2025-06-11',
      },
    });
    expect(decide(moved, restore('2025-07-04'), ctx)).toMatchObject({
      type: 'control_date_restored',
      next: {
        currentDue: '2025-06-10',
        reworkDue: '2025-07-04',
        escalationLevel: 4,
        overdueSince: '2025-06-11',
        chasesDone: [],
      },
    });
    rejects(moved, restore('2025-06-30'), 'conflict', 'error.restore.stale');
    rejects({ ...moved, status: 'done' }, restore('2025-07-04'), 'conflict');
    rejects(
      moved,
      { ...restore('2025-07-04'), args: { ...restore('2025-07-04').args, actor: exec } } as Command,
      'forbidden',
    );
  });
});

describe('changeDeadline (the working group amends the planned deadline)', () => {
  const change = (actor: Actor, due: string, reason = 'Новая редакция дорожной карты'): Command => ({
    type: 'changeDeadline',
    args: { actor, eventId: 'd', due, reason },
  });

  it('moves planned and current deadline to the preceding working day and re-plans chasing', () => {
    const s = { ...s0, currentDue: '2025-07-15', escalationLevel: 2 as const, overdueSince: '2025-07-01' };
    const d = decide(s, change(wg, '2025-09-28'), ctx); // Sunday
    expect(d.type).toBe('deadline_changed');
    expect(d.next).toMatchObject({
      originalDue: '2025-09-26',
      currentDue: '2025-09-26',
      escalationLevel: 0,
      overdueSince: null,
      chasesDone: [],
      status: 'assigned',
      version: s0.version + 1,
    });
  });

  it('is for the working group only, on open items, with a reason, a future date and no pending extension', () => {
    rejects(s0, change(exec, '2025-09-01'), 'forbidden');
    rejects({ ...s0, status: 'done' }, change(wg, '2025-09-01'), 'conflict');
    rejects(s0, change(wg, '2025-09-01', ' '), 'validation');
    rejects(s0, change(wg, '2025-06-01'), 'validation');
    rejects(s0, change(wg, '2025-06-30'), 'validation'); // unchanged
    rejects(
      { ...s0, pendingExtension: { requestedDue: '2025-08-01', eventId: 'e' } },
      change(wg, '2025-09-01'),
      'conflict',
    );
  });
});

describe('withdrawing before a decision', () => {
  const withdraw = (actor: Actor, type: 'withdrawSubmission' | 'withdrawExtension', reason?: string) =>
    ({ type, args: { actor, eventId: 'w', ...(reason !== undefined ? { reason } : {}) } }) as Command;

  it('takes a report back to in progress, or back to rework after a return (its rework due date stands)', () => {
    const sent = { ...s0, status: 'submitted' as const };
    expect(decide(sent, withdraw(exec, 'withdrawSubmission'), ctx)).toMatchObject({
      type: 'submission_withdrawn',
      next: { status: 'in_progress', version: sent.version + 1 },
    });
    const resent = { ...sent, reviewRound: 1, reworkDue: '2025-07-10' };
    expect(decide(resent, withdraw(exec, 'withdrawSubmission', 'забыли приложение'), ctx).next).toMatchObject(
      {
        status: 'returned',
        reworkDue: '2025-07-10',
        reviewRound: 1,
      },
    );
  });

  it('is the responsible agency’s, and only while the report is unreviewed', () => {
    const sent = { ...s0, status: 'submitted' as const };
    rejects(sent, withdraw(wg, 'withdrawSubmission'), 'forbidden');
    rejects(sent, withdraw(co, 'withdrawSubmission'), 'forbidden');
    rejects({ ...s0, status: 'in_progress' }, withdraw(exec, 'withdrawSubmission'), 'conflict');
    rejects(sent, withdraw(exec, 'withdrawSubmission', 'я'.repeat(2001)), 'validation');
  });

  it('drops a pending extension request and nothing else', () => {
    const pending = { ...s0, pendingExtension: { requestedDue: '2025-08-01', eventId: 'p' } };
    const d = decide(pending, withdraw(exec, 'withdrawExtension'), ctx);
    expect(d.type).toBe('extension_withdrawn');
    expect(d.next).toEqual({ ...pending, pendingExtension: null, version: pending.version + 1 });
    rejects(s0, withdraw(exec, 'withdrawExtension'), 'conflict');
    rejects(pending, withdraw(wg, 'withdrawExtension'), 'forbidden');
  });
});

describe('availableActions mirrors decide()', () => {
  it('offers exactly the actions decide() accepts for each role and status', async () => {
    const { availableActions } = await import('./permissions.ts');
    const actors = [
      exec,
      { userId: 6, role: 'agency_head' as const, agencyId: 10 },
      co,
      { ...co, agencyId: 30 },
      other,
      wg,
      lead,
      { ...lead, userId: 55 },
      { userId: 9, role: 'observer' as const, agencyId: null },
    ];
    const statuses = ['assigned', 'in_progress', 'submitted', 'returned', 'done', 'cancelled'] as const;
    const sample: Record<string, (a: Actor) => Command> = {
      start: (actor) => ({ type: 'start', args: { actor, eventId: 'x' } }),
      submit: (actor) => submit(actor),
      submitPart: (actor) => submit(actor, { part: true }),
      review: (actor) => ({ type: 'review', args: { actor, eventId: 'x', outcome: 'accept' } }),
      requestExtension: (actor) => ({
        type: 'requestExtension',
        args: { actor, eventId: 'x', requestedDue: '2025-09-01', reason: 'r' },
      }),
      decideExtension: (actor) => ({
        type: 'decideExtension',
        args: { actor, eventId: 'x', approve: false },
      }),
      reassign: (actor) => ({ type: 'reassign', args: { actor, eventId: 'x', agencyId: 55, reason: 'r' } }),
      cancel: (actor) => ({ type: 'cancel', args: { actor, eventId: 'x', reason: 'r' } }),
      changeDeadline: (actor) => ({
        type: 'changeDeadline',
        args: { actor, eventId: 'x', due: '2025-08-29', reason: 'r' },
      }),
      reopen: (actor) => ({ type: 'reopen', args: { actor, eventId: 'x', reason: 'r' } }),
      signOff: (actor) => ({ type: 'signOff', args: { actor, eventId: 'x', outcome: 'approve' } }),
      withdrawSubmission: (actor) => ({ type: 'withdrawSubmission', args: { actor, eventId: 'x' } }),
      withdrawExtension: (actor) => ({ type: 'withdrawExtension', args: { actor, eventId: 'x' } }),
    };
    for (const kind of ['measure', 'instruction', 'service_improvement'] as const) {
      for (const status of statuses) {
        for (const pending of [null, { requestedDue: '2025-08-01', eventId: 'p' }]) {
          for (const [requireCoExecutorParts, signoffPending] of [
            [false, false],
            [true, false],
            [false, true],
          ]) {
            // Instructions have an author (lead, userId 5); the other member may not review them.
            const author = kind === 'instruction' ? { authorUserId: lead.userId } : {};
            const s = {
              ...s0,
              ...author,
              kind,
              status,
              pendingExtension: pending,
              requireCoExecutorParts: requireCoExecutorParts!,
              signoffPending: signoffPending!,
            };
            for (const actor of actors) {
              const offered = new Set(availableActions(s, actor));
              for (const [action, make] of Object.entries(sample)) {
                let ok = true;
                try {
                  decide(s, make(actor), ctx);
                } catch {
                  ok = false;
                }
                expect(
                  offered.has(action as never),
                  `${kind}/${status}/${pending ? 'pending' : '-'}/${requireCoExecutorParts}/${signoffPending}/${actor.role}:${actor.agencyId}:${actor.userId} ${action}`,
                ).toBe(ok);
              }
            }
          }
        }
      }
    }
  });
});

describe("the head's sign-off (a roadmap's rule) and an instruction's author", () => {
  const head: Actor = { userId: 6, role: 'agency_head', agencyId: 10 };
  const working = { ...s0, status: 'in_progress' as const };

  it("sends an executor's report to the head, who signs it off (→ the working group) or returns it", () => {
    const asked = decide(working, submit(exec, { viaSignoff: true }), ctx);
    expect(asked).toMatchObject({
      type: 'signoff_requested',
      next: { status: 'in_progress', signoffPending: true },
    });
    // Nobody of the agency reports again meanwhile; the review is not the working group's yet.
    rejects(asked.next, submit(exec, { viaSignoff: true }), 'conflict', 'error.signoff.pending');
    rejects(asked.next, { type: 'review', args: { actor: wg, eventId: 'r', outcome: 'accept' } }, 'conflict');
    const returned = decide(
      asked.next,
      { type: 'signOff', args: { actor: head, eventId: 's', outcome: 'return', reason: 'Нет приложения' } },
      ctx,
    );
    expect(returned).toMatchObject({
      type: 'signoff_returned',
      next: { status: 'in_progress', signoffPending: false },
    });
    expect(returned.next.reviewRound).toBe(0); // an internal return, not the working group's round
    const again = decide(returned.next, submit(exec, { viaSignoff: true }), ctx);
    const signed = decide(
      again.next,
      { type: 'signOff', args: { actor: head, eventId: 't', outcome: 'approve' } },
      ctx,
    );
    expect(signed).toMatchObject({
      type: 'signed_off',
      next: { status: 'submitted', signoffPending: false },
    });
  });

  it("lets the head report without a sign-off, and only the responsible agency's head sign", () => {
    expect(decide(working, submit(head, { viaSignoff: true }), ctx).type).toBe('submitted');
    const asked = decide(working, submit(exec, { viaSignoff: true }), ctx).next;
    const sign = (actor: Actor) => ({
      type: 'signOff' as const,
      args: { actor, eventId: 's', outcome: 'approve' as const },
    });
    rejects(asked, sign(exec), 'forbidden', 'error.forbidden.headOnly');
    rejects(asked, sign(other), 'forbidden', 'error.forbidden.otherAgency');
    rejects(asked, sign(wg), 'forbidden', 'error.forbidden.headOnly');
    rejects(working, sign(head), 'conflict', 'error.signoff.none');
    rejects(
      asked,
      { type: 'signOff', args: { actor: head, eventId: 's', outcome: 'return' } },
      'validation',
      'error.field.required',
      'reason',
    );
  });

  it('drops a pending sign-off when the item goes to another agency or is cancelled', () => {
    const asked = decide(working, submit(exec, { viaSignoff: true }), ctx).next;
    const moved = decide(
      asked,
      { type: 'reassign', args: { actor: wg, eventId: 'm', agencyId: 55, reason: 'r' } },
      ctx,
    );
    expect(moved.next.signoffPending).toBe(false);
    const cancelled = decide(asked, { type: 'cancel', args: { actor: wg, eventId: 'c', reason: 'r' } }, ctx);
    expect(cancelled.next.signoffPending).toBe(false);
    // A state without the field (a workflow started before) keeps it absent.
    expect(
      'signoffPending' in
        decide(working, { type: 'cancel', args: { actor: wg, eventId: 'c', reason: 'r' } }, ctx).next,
    ).toBe(false);
  });

  it("lets an instruction's author accept or return its report; other members and measures stay the working group's", () => {
    const instr = {
      ...s0,
      kind: 'instruction' as const,
      status: 'submitted' as const,
      authorUserId: lead.userId,
    };
    const accept = (actor: Actor) => ({
      type: 'review' as const,
      args: { actor, eventId: 'a', outcome: 'accept' as const },
    });
    expect(decide(instr, accept(lead), ctx).type).toBe('accepted');
    rejects(instr, accept({ ...lead, userId: 55 }), 'forbidden', 'error.forbidden.reviewers');
    rejects({ ...instr, kind: 'measure' }, accept(lead), 'forbidden', 'error.forbidden.reviewers');
    rejects({ ...instr, authorUserId: null }, accept(lead), 'forbidden', 'error.forbidden.reviewers');
    expect(decide(instr, accept(wg), ctx).type).toBe('accepted');
  });
});
