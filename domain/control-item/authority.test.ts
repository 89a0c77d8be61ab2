import { describe, expect, it } from 'vitest';
import { ROLES, type Actor } from '../roles.ts';
import { authorizedActions } from './authority.ts';
import { availableActions } from './permissions.ts';
import { ITEM_STATUSES, type ItemState } from './types.ts';

const item = (over: Partial<ItemState> = {}): ItemState => ({
  itemId: 1,
  kind: 'measure',
  status: 'assigned',
  agencyId: 10,
  coAgencyIds: [20],
  originalDue: '2026-06-30',
  currentDue: '2026-06-30',
  reviewRound: 0,
  escalationLevel: 0,
  overdueSince: null,
  pendingExtension: null,
  partsFrom: [],
  requireCoExecutorParts: false,
  recurrence: null,
  chasesDone: [],
  version: 0,
  ...over,
});

describe('authorizedActions: who may act on an item at all', () => {
  it('contains what availableActions offers in every state', () => {
    for (const role of ROLES)
      for (const agencyId of [10, 20, 30, null])
        for (const status of ITEM_STATUSES) {
          const actor: Actor = { userId: 1, role, agencyId };
          const s = item({ status });
          const now = availableActions(s, actor);
          const ever = authorizedActions(s, actor);
          expect(now.filter((a) => !ever.includes(a))).toEqual([]);
        }
  });

  it('is empty for observers and for agencies not involved, whatever the status', () => {
    const observer: Actor = { userId: 1, role: 'observer', agencyId: null };
    const stranger: Actor = { userId: 2, role: 'agency_executor', agencyId: 30 };
    for (const status of ITEM_STATUSES) {
      expect(authorizedActions(item({ status }), observer)).toEqual([]);
      expect(authorizedActions(item({ status }), stranger)).toEqual([]);
    }
  });

  it('lets the responsible agency start, submit and ask for time even when the status does not allow it now', () => {
    const exec: Actor = { userId: 3, role: 'agency_executor', agencyId: 10 };
    const submitted = item({ status: 'submitted' });
    expect(availableActions(submitted, exec)).toEqual(['withdrawSubmission']);
    expect(availableActions(item({ status: 'assigned' }), exec)).not.toContain('withdrawSubmission');
    expect(authorizedActions(item({ status: 'assigned' }), exec).sort()).toEqual([
      'requestExtension',
      'start',
      'submit',
      'withdrawExtension',
      'withdrawSubmission',
    ]);
    const co: Actor = { userId: 4, role: 'agency_head', agencyId: 20 };
    expect(authorizedActions(submitted, co)).toEqual(['submitPart']);
  });

  it('lets leadership cancel instructions, review their own and decide extension requests', () => {
    const lead: Actor = { userId: 5, role: 'leadership', agencyId: null };
    expect(authorizedActions(item({ kind: 'instruction' }), lead).sort()).toEqual([
      'cancel',
      'decideExtension',
    ]);
    expect(authorizedActions(item({ kind: 'instruction', authorUserId: 5 }), lead).sort()).toEqual([
      'cancel',
      'decideExtension',
      'review',
    ]);
    // Another member's instruction is not theirs to review.
    expect(authorizedActions(item({ kind: 'instruction', authorUserId: 6 }), lead)).not.toContain('review');
    expect(authorizedActions(item({ kind: 'measure' }), lead)).toEqual(['decideExtension']);
  });

  it("lets the responsible agency's head sign reports off, nobody else", () => {
    const head: Actor = { userId: 6, role: 'agency_head', agencyId: 10 };
    const exec: Actor = { userId: 3, role: 'agency_executor', agencyId: 10 };
    const coHead: Actor = { userId: 7, role: 'agency_head', agencyId: 20 };
    const wg: Actor = { userId: 8, role: 'working_group', agencyId: null };
    expect(authorizedActions(item(), head)).toContain('signOff');
    for (const a of [exec, coHead, wg]) expect(authorizedActions(item(), a)).not.toContain('signOff');
    // While the head has the report, nobody of the agency reports again.
    const waiting = item({ status: 'in_progress', signoffPending: true });
    expect(availableActions(waiting, exec)).toEqual(['requestExtension']);
    expect(availableActions(waiting, head).sort()).toEqual(['requestExtension', 'signOff']);
  });
});
