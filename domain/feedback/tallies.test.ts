import { describe, expect, it } from 'vitest';
import { tallyReviews, topicTallyChanges, type TallyInput } from './tallies.ts';

const review = (o: Partial<TallyInput> & { topicIds: number[] }): TallyInput => ({
  serviceId: 1,
  municipalityId: null,
  receivedOn: '2026-02-03',
  rating: 1,
  hasText: true,
  ...o,
});

/** Tallies as one map "key|month|topic" → n, zero entries dropped. */
function asMap(lists: { key: number; month: string; topicId: number; n: number }[]) {
  const m = new Map<string, number>();
  for (const d of lists) {
    const k = `${d.key}|${d.month}|${d.topicId}`;
    m.set(k, (m.get(k) ?? 0) + d.n);
  }
  return new Map([...m].filter(([, n]) => n !== 0));
}

describe('topicTallyChanges', () => {
  it('moves tallies of the old topics to those of the new ones', () => {
    const before = [
      review({ topicIds: [1, 2] }),
      review({ topicIds: [2], municipalityId: 7, receivedOn: '2026-03-01' }),
      review({ topicIds: [], serviceId: 2 }),
    ];
    const after = [
      review({ topicIds: [2, 3] }),
      review({ topicIds: [], municipalityId: 7, receivedOn: '2026-03-01' }),
      review({ topicIds: [1], serviceId: 2 }),
    ];
    const d = topicTallyChanges(
      before.map((b, i) => ({ ...b, before: b.topicIds, after: after[i]!.topicIds })),
    );
    const old = tallyReviews(before);
    const fresh = tallyReviews(after);
    // The old tallies plus the changes are the tallies computed from scratch with the new topics.
    expect(asMap([...old.topicsByService, ...d.topicsByService])).toEqual(asMap(fresh.topicsByService));
    expect(asMap([...old.topicsByMunicipality, ...d.topicsByMunicipality])).toEqual(
      asMap(fresh.topicsByMunicipality),
    );
    expect(d.topicsByService.every((x) => x.n !== 0)).toBe(true);
  });

  it('moves a topic between municipalities without touching the service', () => {
    const d = topicTallyChanges([
      { ...review({ topicIds: [], municipalityId: 1 }), before: [4], after: [] },
      { ...review({ topicIds: [], municipalityId: 2 }), before: [], after: [4] },
    ]);
    expect(d.topicsByService).toEqual([]);
    expect(d.topicsByMunicipality.map((x) => [x.key, x.n])).toEqual([
      [1, -1],
      [2, 1],
    ]);
  });

  it('is empty when nothing changes, and lists keys in order', () => {
    expect(topicTallyChanges([{ ...review({ topicIds: [] }), before: [3, 1], after: [1, 3] }])).toEqual({
      topicsByService: [],
      topicsByMunicipality: [],
    });
    const d = topicTallyChanges([
      { ...review({ topicIds: [], serviceId: 9 }), before: [], after: [4] },
      { ...review({ topicIds: [], serviceId: 2 }), before: [], after: [5] },
    ]);
    expect(d.topicsByService.map((x) => x.key)).toEqual([2, 9]);
  });
});
