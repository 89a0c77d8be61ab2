import { describe, expect, it } from 'vitest';
import { DEFAULT_CHASE_POLICY as policy, type ItemState } from '../control-item/index.ts';
import { planRoadmapImport, type ExistingItem } from './roadmap-plan.ts';
import type { RoadmapRow } from './roadmap-sheet.ts';

const wg = { userId: 4, role: 'working_group' as const, agencyId: null };
const ctx = {
  today: '2025-06-02',
  policy,
  actor: wg,
  columnOf: { deadline: 'C', responsible: 'D', coExecutors: 'E' },
};

const state = (id: number, extra: Partial<ItemState> = {}): ItemState => ({
  itemId: id,
  kind: 'measure',
  status: 'in_progress',
  agencyId: 1,
  coAgencyIds: [2],
  originalDue: '2025-09-30',
  currentDue: '2025-09-30',
  reviewRound: 0,
  escalationLevel: 0,
  overdueSince: null,
  pendingExtension: null,
  partsFrom: [],
  requireCoExecutorParts: false,
  recurrence: null,
  chasesDone: [],
  version: 1,
  ...extra,
});
const existing = (
  id: number,
  number: string,
  extra: Partial<ItemState> = {},
  more: Partial<ExistingItem> = {},
): ExistingItem => ({
  id,
  number,
  title: `Мероприятие ${number}`,
  deliverable: 'Протокол',
  lifeSituationId: 7,
  direction: null,
  recurrence: null,
  state: state(id, extra),
  ...more,
});
const row = (n: number, number: string, extra: Partial<RoadmapRow> = {}): RoadmapRow => ({
  row: n,
  number,
  title: `Мероприятие ${number}`,
  deadline: { kind: 'date', due: '2025-09-30' },
  deadlineText: '30.09.2025',
  agencyId: 1,
  coAgencyIds: [2],
  deliverable: 'Протокол',
  lifeSituationId: 7,
  direction: undefined,
  ...extra,
});

describe('re-import plan', () => {
  it('inserts new numbers, updates reference fields in place, reports missing ones and leaves equal rows alone', () => {
    const p = planRoadmapImport(
      [
        row(2, '1'),
        row(3, '2', { title: 'Новое название', deliverable: null }),
        row(4, '9', { deadline: { kind: 'date', due: '2025-05-30' } }),
      ],
      [existing(10, '1'), existing(11, '2'), existing(12, '3')],
      ctx,
    );
    expect(p.issues).toEqual([]);
    expect(p.inserts.map((r) => r.number)).toEqual(['9']);
    expect(p.pastDeadlines).toEqual([{ number: '9', row: 4, due: '2025-05-30' }]);
    expect(p.updates).toEqual([
      {
        itemId: 11,
        row: 3,
        before: { title: 'Мероприятие 2', deliverable: 'Протокол', lifeSituationId: 7, direction: null },
        after: { title: 'Новое название', deliverable: null, lifeSituationId: 7, direction: null },
      },
    ]);
    expect(p.unchanged).toBe(1);
    expect(p.lifecycle).toEqual([]);
    expect(p.missing).toEqual([{ itemId: 12, number: '3', title: 'Мероприятие 3' }]);
  });

  it('turns a new deadline or agency of an open item into workflow Updates, skips closed items', () => {
    const p = planRoadmapImport(
      [
        row(2, '1', { deadline: { kind: 'date', due: '2025-10-31' } }),
        row(3, '2', { agencyId: 3, coAgencyIds: [2, 3] }),
        row(4, '3', { agencyId: 3 }),
        row(5, '4', { coAgencyIds: undefined, deliverable: undefined, lifeSituationId: undefined }),
      ],
      [existing(10, '1'), existing(11, '2'), existing(12, '3', { status: 'done' }), existing(13, '4')],
      ctx,
    );
    expect(p.issues).toEqual([]);
    expect(p.lifecycle).toEqual([
      { itemId: 10, number: '1', row: 2, changeDeadline: { due: '2025-10-31' } },
      { itemId: 11, number: '2', row: 3, reassign: { agencyId: 3, coAgencyIds: [2] } },
    ]);
    expect(p.closedSkipped).toEqual([{ itemId: 12, number: '3', row: 4 }]);
    // Columns absent from the file change nothing.
    expect(p.unchanged).toBe(1);
  });

  it('compares the file with the planned deadline, so an approved extension survives a re-import', () => {
    const p = planRoadmapImport([row(2, '1')], [existing(10, '1', { currentDue: '2025-10-31' })], ctx);
    expect(p.lifecycle).toEqual([]);
    expect(p.unchanged).toBe(1);
  });

  it('fails on changes the workflow would refuse: a past deadline, a pending extension, a new cadence', () => {
    const p = planRoadmapImport(
      [
        row(2, '1', { deadline: { kind: 'date', due: '2025-05-30' } }),
        row(3, '2', { deadline: { kind: 'date', due: '2025-10-31' } }),
        row(4, '3', { deadline: { kind: 'recurring', every: 'quarterly', until: '2025-12-31' } }),
      ],
      [
        existing(10, '1'),
        existing(11, '2', { pendingExtension: { requestedDue: '2025-11-28', eventId: 'e' } }),
        existing(12, '3'),
      ],
      ctx,
    );
    expect(p.issues.map((i) => [i.row, i.column, i.key])).toEqual([
      [2, 'C', 'error.date.past'],
      [3, 'C', 'error.changeDeadline.extensionPending'],
      [4, 'C', 'error.import.recurrenceChange'],
    ]);
    expect(p.lifecycle).toEqual([]);
  });

  it('checks the Updates as the importing actor: an agency user could not reassign', () => {
    const p = planRoadmapImport([row(2, '1', { agencyId: 3 })], [existing(10, '1')], {
      ...ctx,
      actor: { userId: 9, role: 'agency_head', agencyId: 1 },
    });
    expect(p.issues.map((i) => [i.row, i.column, i.key])).toEqual([
      [2, 'D', 'error.forbidden.projectOfficeOnly'],
    ]);
  });
});
