import { describe, expect, it } from 'vitest';
import { computeServiceKpi, SERVICE_KPI_TARGET, type KpiScore } from './kpi.ts';

const s = (serviceId: number, period: string, avg: number | null, votes = 100): KpiScore => ({
  serviceId,
  period,
  avg,
  votes,
});

// Ten services in 2025-Q1: five low (< 4.0), one exactly 4.0 (not low), one unrated, three fine.
const FIXTURE: KpiScore[] = [
  s(1, '2025-Q1', 3.1),
  s(2, '2025-Q1', 3.99),
  s(3, '2025-Q1', 2.5),
  s(4, '2025-Q1', 3.8),
  s(5, '2025-Q1', 3.0),
  s(6, '2025-Q1', 4.0),
  s(7, '2025-Q1', null, 0),
  s(8, '2025-Q1', 4.7),
  s(9, '2025-Q1', 4.9),
  s(10, '2025-Q1', 5),
  // later periods: service 11 appears only later and is low there — not part of the base set
  s(1, '2025-Q2', 4.2),
  s(11, '2025-Q2', 2.0),
  s(2, '2025-Q3', 4.1),
  s(3, '2025-Q3', 3.0),
];

describe('computeServiceKpi', () => {
  it('counts low-scoring services at the base period and those improved since, with a trajectory', () => {
    const kpi = computeServiceKpi({
      rule: { threshold: 4.0, minVotes: 1 },
      basePeriod: null,
      scores: FIXTURE,
      improvements: [
        { serviceId: 1, status: 'improved', improvedPeriod: '2025-Q2' },
        { serviceId: 2, status: 'improved', improvedPeriod: '2025-Q3' },
        { serviceId: 3, status: 'awaiting_score', improvedPeriod: null },
        // improved, but was not low at the start: not in the numerator
        { serviceId: 11, status: 'improved', improvedPeriod: '2025-Q3' },
        { serviceId: 4, status: 'cancelled', improvedPeriod: null },
      ],
    });
    expect(kpi).toEqual({
      period: '2025-Q1',
      lowAtStart: 5,
      improved: 2,
      target: SERVICE_KPI_TARGET,
      ratio: 0.4,
      met: true,
      trajectory: [
        { period: '2025-Q2', improved: 1, lowAtStart: 5 },
        { period: '2025-Q3', improved: 2, lowAtStart: 5 },
      ],
    });
  });

  it('uses the configured base period and the threshold setting', () => {
    const kpi = computeServiceKpi({
      rule: { threshold: 3.5, minVotes: 1 },
      basePeriod: '2025-Q2',
      scores: FIXTURE,
      improvements: [{ serviceId: 11, status: 'improved', improvedPeriod: '2025-Q3' }],
    });
    expect(kpi.period).toBe('2025-Q2');
    expect(kpi.lowAtStart).toBe(1);
    expect(kpi.improved).toBe(1);
    expect(kpi.ratio).toBe(1);
    expect(kpi.trajectory).toEqual([{ period: '2025-Q3', improved: 1, lowAtStart: 1 }]);
  });

  it('is below target until a fifth of the low-scoring services are improved', () => {
    const scores = Array.from({ length: 10 }, (_, i) => s(i + 1, '2025', 3));
    const base = {
      rule: { threshold: 4, minVotes: 1 },
      basePeriod: null,
      scores: [...scores, s(1, '2026-Q1', 4.5)],
    };
    const one = computeServiceKpi({
      ...base,
      improvements: [{ serviceId: 1, status: 'improved', improvedPeriod: '2026-Q1' }],
    });
    expect(one).toMatchObject({ lowAtStart: 10, improved: 1, ratio: 0.1, met: false });
    const two = computeServiceKpi({
      ...base,
      improvements: [
        { serviceId: 1, status: 'improved', improvedPeriod: '2026-Q1' },
        // a second improvement closing for the same service does not count twice
        { serviceId: 1, status: 'improved', improvedPeriod: '2026-Q1' },
        { serviceId: 2, status: 'improved', improvedPeriod: '2026-Q1' },
      ],
    });
    expect(two).toMatchObject({ improved: 2, ratio: 0.2, met: true });
  });

  it('has no period and no ratio without scores', () => {
    expect(
      computeServiceKpi({
        rule: { threshold: 4, minVotes: 1 },
        basePeriod: null,
        scores: [],
        improvements: [],
      }),
    ).toEqual({
      period: null,
      lowAtStart: 0,
      improved: 0,
      target: 0.2,
      ratio: null,
      met: false,
      trajectory: [],
    });
  });
});

describe('KPI basis (issue 16): citizens score, principles grade, or either', () => {
  const scores = [
    { serviceId: 1, period: '2025-Q1', avg: 3.1, votes: 50 },
    { serviceId: 2, period: '2025-Q1', avg: 4.6, votes: 50 },
  ];
  const base = {
    rule: { threshold: 4, minVotes: 1 },
    basePeriod: '2025-Q1',
    scores,
    periods: ['2025-Q1', '2025-Q2'],
    improvements: [{ serviceId: 1, status: 'improved', improvedPeriod: '2025-Q2' }],
    principlesLowAtStart: [2, 3],
    principlesImproved: [{ serviceId: 3, period: '2025-Q2' }],
  };
  it('counts the low set and the improved ones by the chosen basis', () => {
    expect(computeServiceKpi({ ...base, basis: 'score' })).toMatchObject({ lowAtStart: 1, improved: 1 });
    expect(computeServiceKpi({ ...base, basis: 'principles' })).toMatchObject({ lowAtStart: 2, improved: 1 });
    expect(computeServiceKpi({ ...base, basis: 'either' })).toMatchObject({ lowAtStart: 3, improved: 2 });
  });
});
