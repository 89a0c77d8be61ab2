import { describe, expect, it } from 'vitest';
import { comparePeriods, formatPeriod, isLaterPeriod, parsePeriod, periodEnd } from './period.ts';
import { classifyScore, judgeScores, parseThreshold } from './rules.ts';

describe('parsePeriod', () => {
  it.each([
    ['2025-Q3', '2025-Q3'],
    ['2025-q3', '2025-Q3'],
    ['2025 Q3', '2025-Q3'],
    ['Q3 2025', '2025-Q3'],
    ['Q3-2025', '2025-Q3'],
    ['3 кв. 2025', '2025-Q3'],
    ['3 кв 2025', '2025-Q3'],
    ['3 квартал 2025', '2025-Q3'],
    ['3-й квартал 2025 года', '2025-Q3'],
    ['III кв. 2025 г.', '2025-Q3'],
    ['IV квартал 2024', '2024-Q4'],
    ['2025, 1 кв.', '2025-Q1'],
    ['2025', '2025'],
    ['2025 г.', '2025'],
    ['2025 год', '2025'],
    ['  2025-Q1 ', '2025-Q1'],
  ])('%s → %s', (raw, key) => {
    expect(parsePeriod(raw)).toBe(key);
  });

  it.each(['', '2025-Q5', '5 кв. 2025', '2025-07', 'июль 2025', '25', '1999', 'Q3', 'кв. 2025'])(
    'rejects %j',
    (raw) => {
      expect(parsePeriod(raw)).toBeNull();
    },
  );

  it('orders periods by their end, and formats them', () => {
    expect(periodEnd('2025-Q2')).toBe('2025-06-30');
    expect(periodEnd('2025-Q1')).toBe('2025-03-31');
    expect(periodEnd('2025')).toBe('2025-12-31');
    expect(['2026-Q1', '2025', '2025-Q4', '2025-Q1'].sort(comparePeriods)).toEqual([
      '2025-Q1',
      '2025-Q4',
      '2025',
      '2026-Q1',
    ]);
    expect(isLaterPeriod('2025-Q4', '2025-Q3')).toBe(true);
    expect(isLaterPeriod('2025', '2025-Q4')).toBe(false);
    expect(formatPeriod('2025-Q3', 'ru')).toBe('3 кв. 2025');
    expect(formatPeriod('2025-Q3', 'en')).toBe('Q3 2025');
  });
});

describe('score rules', () => {
  it('classifies low, ok and unrated', () => {
    const R = { threshold: 4, minVotes: 1 };
    expect(classifyScore(3.99, 10, R)).toBe('low');
    // Too few votes to say anything: unrated, whatever the average.
    expect(classifyScore(2, 9, { threshold: 4, minVotes: 10 })).toBe('unrated');
    expect(classifyScore(2, 10, { threshold: 4, minVotes: 10 })).toBe('low');
    expect(classifyScore(4, 10, R)).toBe('ok');
    expect(classifyScore(null, 0, R)).toBe('unrated');
    expect(classifyScore(4.5, 0, R)).toBe('unrated');
    expect(classifyScore(undefined, undefined, R)).toBe('unrated');
  });

  it('parses a threshold', () => {
    expect(parseThreshold('4,25')).toBe(4.25);
    expect(parseThreshold(4)).toBe(4);
    expect(parseThreshold('0.5')).toBeNull();
    expect(parseThreshold('abc')).toBeNull();
  });

  it('judges only later periods, by the latest rated one', () => {
    const scores = [
      { period: '2025-Q3', avg: 4.8, votes: 10 }, // the baseline period itself never counts
      { period: '2025-Q4', avg: 3.5, votes: 10 },
    ];
    expect(judgeScores(scores, '2025-Q3', 4)).toEqual({ period: '2025-Q4', avg: 3.5, improved: false });
    expect(judgeScores([...scores, { period: '2026-Q1', avg: 4.1, votes: 5 }], '2025-Q3', 4)).toEqual({
      period: '2026-Q1',
      avg: 4.1,
      improved: true,
    });
    expect(judgeScores([...scores, { period: '2026-Q1', avg: null, votes: 0 }], '2025-Q3', 4)).toEqual({
      period: '2025-Q4',
      avg: 3.5,
      improved: false,
    });
    expect(judgeScores(scores, '2025-Q4', 4)).toEqual({ period: null, avg: null, improved: false });
  });
});
