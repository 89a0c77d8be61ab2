import { describe, expect, it } from 'vitest';
import type { ItemStatus } from '../control-item/index.ts';
import { localTimeToInstant } from '../local-date.ts';
import { assembleDigest, digestSummary, type DigestInput, type DigestItemRow } from './digest.ts';
import { diffDigests } from './diff.ts';
import { planStatusRequests } from './requests.ts';

const OFF = 420;
const meeting = (d: string) => localTimeToInstant(d, 600, OFF);
let n = 0;
const item = (
  agency: number,
  status: ItemStatus,
  due: string,
  extra: Partial<DigestItemRow> = {},
): DigestItemRow => ({
  id: ++n,
  number: String(n),
  kind: 'measure',
  title_ru: `Мероприятие ${n}`,
  title_en: null,
  agency_id: agency,
  status,
  current_due: due,
  escalation_level: 0,
  done_on_time: false,
  ...extra,
});

function input(items: DigestItemRow[], over: Partial<DigestInput> = {}): DigestInput {
  return {
    checkInId: 2,
    roadmapId: 1,
    previousCheckInId: 1,
    meetingAt: meeting('2025-03-21'),
    generatedAt: meeting('2025-03-21'),
    since: meeting('2025-03-14'),
    late: false,
    utcOffsetMinutes: OFF,
    atRiskWorkingDays: 5,
    upcomingDays: 14,
    items,
    agencies: [
      { id: 10, code: 'A', short_ru: 'Мин. А', title_ru: 'Министерство А', title_en: 'Ministry A' },
      { id: 20, code: 'B', short_ru: null, title_ru: 'Министерство Б', title_en: 'Ministry B' },
      { id: 30, code: 'C', short_ru: 'Мин. В', title_ru: 'Министерство В', title_en: 'Ministry C' },
    ],
    events: [],
    instructions: [],
    notes: [],
    requests: [],
    lifeSituations: [],
    kpis: [],
    ...over,
  };
}

describe('digest assembly', () => {
  it('counts totals, the red list, upcoming deadlines and changes since the previous digest', () => {
    n = 0;
    const items = [
      item(10, 'in_progress', '2025-03-10', { escalation_level: 4 }), // 1: overdue long ago
      item(10, 'returned', '2025-03-17', { escalation_level: 1 }), // 2: overdue since this week
      item(20, 'submitted', '2025-03-12'), // 3: under review: not overdue
      item(20, 'assigned', '2025-03-26'), // 4: at risk (3 working days), upcoming
      item(20, 'done', '2025-03-20', { done_on_time: true }), // 5: closed this week
      item(30, 'cancelled', '2025-03-01'), // 6: not counted
      item(30, 'in_progress', '2025-05-30'), // 7: open, far
      item(30, 'in_progress', '2025-03-14'), // 8: due on the previous meeting day → newly overdue
    ];
    const d = assembleDigest(
      input(items, {
        events: [
          {
            item_id: 5,
            type: 'accepted',
            at: new Date(meeting('2025-03-19')),
            before_due: null,
            after_due: null,
            reason: null,
          },
          // Before the previous digest: not this week's news.
          {
            item_id: 5,
            type: 'returned',
            at: new Date(meeting('2025-03-13')),
            before_due: null,
            after_due: null,
            reason: 'old',
          },
          {
            item_id: 2,
            type: 'returned',
            at: new Date(meeting('2025-03-17')),
            before_due: '2025-03-11',
            after_due: '2025-03-17',
            reason: 'Нет приложений',
          },
          {
            item_id: 7,
            type: 'extension_approved',
            at: new Date(meeting('2025-03-18')),
            before_due: '2025-03-31',
            after_due: '2025-05-30',
            reason: null,
          },
        ],
        requests: [
          {
            agency_id: 10,
            item_ids: [1, 2],
            answered_at: null,
            answered_by: null,
            chased_at: new Date(meeting('2025-03-20')),
          },
          {
            agency_id: 30,
            item_ids: [7, 8],
            answered_at: new Date(meeting('2025-03-19')),
            answered_by: 'Иванов',
            chased_at: null,
          },
        ],
        notes: [
          {
            item_id: 8,
            number: '8',
            title_ru: 'М8',
            title_en: null,
            agency_id: 30,
            author: 'Иванов',
            body: 'Ждём заключение',
          },
          {
            item_id: 7,
            number: '7',
            title_ru: 'М7',
            title_en: null,
            agency_id: 30,
            author: 'Иванов',
            body: 'В графике',
          },
        ],
      }),
    );
    expect(d.today).toBe('2025-03-21');
    expect(d.totals).toEqual({ total: 7, done: 1, open: 6, overdue: 3, atRisk: 1, submitted: 1 });
    // Working days past the control date (domain/control-item/lateness.ts): 10 → 21 March is 9 working
    // days (11 calendar days), 14 → 21 March 5.
    expect(d.latenessUnit).toBe('working_days');
    expect(d.redList.map((r) => [r.id, r.escalationLevel, r.daysOverdue])).toEqual([
      [1, 4, 9],
      [2, 1, 4],
      [8, 0, 5],
    ]);
    expect(d.changes.newlyOverdue.map((r) => r.id)).toEqual([8, 2]);
    expect(d.changes.closed.map((r) => r.id)).toEqual([5]);
    expect(d.changes.rework).toMatchObject([{ id: 2, reason: 'Нет приложений' }]);
    expect(d.changes.extensions).toMatchObject([{ id: 7, previousDue: '2025-03-31', newDue: '2025-05-30' }]);
    expect(d.upcoming.map((r) => r.id)).toEqual([4]);
    // League: on track = open and not overdue, or done on time.
    expect(d.league.map((l) => [l.agencyId, l.rank, l.total, l.overdue, l.onTrackRate])).toEqual([
      [20, 1, 3, 0, 1],
      [30, 2, 2, 1, 0.5],
      [10, 3, 2, 2, 0],
    ]);
    expect(d.league.find((l) => l.agencyId === 30)).toMatchObject({ notesRequested: 2, notesGiven: 2 });
    expect(d.league.find((l) => l.agencyId === 10)).toMatchObject({ notesRequested: 2, notesGiven: 0 });
    expect(d.notes.map((x) => x.itemId)).toEqual([7, 8]);
    expect(d.agencies.map((a) => a.nameRu)).toEqual(['Мин. А', 'Министерство Б', 'Мин. В']);
    expect(digestSummary(d)).toMatchObject({ overdue: 3, closed: 1, newlyOverdue: 2, redList: 3, notes: 2 });
  });

  it("puts last week's instructions first, then older ones under special control, and keeps 4 KPI periods", () => {
    n = 0;
    const items = [
      item(10, 'in_progress', '2025-04-30', { kind: 'instruction' }),
      item(10, 'done', '2025-03-20', { kind: 'instruction', done_on_time: true }),
      item(20, 'assigned', '2025-03-19', { kind: 'instruction' }),
    ];
    const kpi = (period: string, actual: number) => ({
      indicator_id: 5,
      life_situation_id: 1,
      code: 'TERM_DAYS',
      title_ru: 'Срок',
      title_en: 'Term',
      unit: 'дн.',
      higher_is_better: false,
      period,
      plan: 10,
      actual,
    });
    const d = assembleDigest(
      input(items, {
        instructions: [
          { item_id: 3, check_in_id: 1, special_control: false },
          { item_id: 1, check_in_id: 0, special_control: true },
          { item_id: 2, check_in_id: 1, special_control: false },
        ],
        kpis: ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1'].map((p, i) => kpi(p, 20 - i)).reverse(),
      }),
    );
    expect(d.instructions.map((i) => [i.id, i.fromPrevious, i.overdue])).toEqual([
      [3, true, true],
      [2, true, false],
      [1, false, false],
    ]);
    expect(digestSummary(d)).toMatchObject({ instructionsAsked: 2, instructionsDone: 1 });
    expect(d.kpis[0]!.points.map((p) => p.period)).toEqual(['2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1']);
  });
});

describe('digest diff', () => {
  it('reports new and resolved red-list items, escalations, count changes and league moves', () => {
    n = 0;
    const a = item(10, 'in_progress', '2025-03-10', { escalation_level: 2 });
    const b = item(20, 'in_progress', '2025-03-12', { escalation_level: 1 });
    const c = item(20, 'in_progress', '2025-03-18');
    const prev = assembleDigest(
      input([a, b, { ...c }], {
        checkInId: 1,
        previousCheckInId: null,
        meetingAt: meeting('2025-03-14'),
        generatedAt: meeting('2025-03-14'),
        since: meeting('2025-03-07'),
      }),
    );
    const cur = assembleDigest(
      input([{ ...a, escalation_level: 4 }, { ...b, status: 'done', done_on_time: false }, c], {
        events: [
          {
            item_id: b.id,
            type: 'accepted',
            at: new Date(meeting('2025-03-18')),
            before_due: null,
            after_due: null,
            reason: null,
          },
        ],
      }),
    );
    const diff = diffDigests(prev, cur);
    expect(diff.newOverdue.map((i) => i.id)).toEqual([c.id]);
    expect(diff.leftRedList.map((i) => i.id)).toEqual([b.id]);
    expect(diff.escalated).toEqual([{ item: expect.objectContaining({ id: a.id }), from: 2, to: 4 }]);
    expect(diff.closed.map((i) => i.id)).toEqual([b.id]);
    expect(diff.counts.find((x) => x.key === 'overdue')).toEqual({
      key: 'overdue',
      before: 2,
      after: 2,
      delta: 0,
    });
    expect(diff.counts.find((x) => x.key === 'done')).toEqual({ key: 'done', before: 0, after: 1, delta: 1 });
    // A (one overdue item) now ties B (nothing on track) on rate and overdue count, and wins on code.
    expect(diff.leagueMoves).toEqual([
      { agencyId: 10, from: 2, to: 1 },
      { agencyId: 20, from: 1, to: 2 },
    ]);
    // A digest that does not follow directly does not claim the later one's changes.
    expect(diffDigests({ ...prev, checkInId: 99 }, cur).closed).toEqual([]);
  });
});

describe('status requests', () => {
  it('asks each responsible agency about items waiting on it, overdue first', () => {
    const plan = planStatusRequests(
      [
        { id: 1, agency_id: 2, status: 'in_progress', current_due: '2025-06-01' },
        { id: 2, agency_id: 2, status: 'returned', current_due: '2025-03-10' },
        { id: 3, agency_id: 2, status: 'assigned', current_due: '2025-03-20' },
        { id: 4, agency_id: 1, status: 'submitted', current_due: '2025-03-10' },
        { id: 5, agency_id: 1, status: 'done', current_due: '2025-03-10' },
        { id: 6, agency_id: 3, status: 'in_progress', current_due: '2025-03-24' },
      ],
      '2025-03-19',
      2,
    );
    expect(plan).toEqual([
      {
        agencyId: 2,
        items: [
          { id: 2, reason: 'overdue', due: '2025-03-10' },
          { id: 3, reason: 'atRisk', due: '2025-03-20' },
          { id: 1, reason: 'open', due: '2025-06-01' },
        ],
      },
      { agencyId: 3, items: [{ id: 6, reason: 'open', due: '2025-03-24' }] },
    ]);
  });
});
