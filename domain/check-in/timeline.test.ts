import { describe, expect, it } from 'vitest';
import { isWorkingDay } from '../calendar/index.ts';
import { instantToLocalDate, localTimeToInstant } from '../local-date.ts';
import { DEFAULT_CHECK_IN_POLICY, nextMeetingDate, planCheckIn, planSteps } from './timeline.ts';

const OFF = 7 * 60; // Novosibirsk
const P = { ...DEFAULT_CHECK_IN_POLICY, utcOffsetMinutes: OFF };
const at = (d: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return localTimeToInstant(d, h * 60 + m, OFF);
};
const FRIDAY_10 = { weekday: 5, minute: 600 };

describe('weekly check-in timeline', () => {
  it('opens the cycle of the next meeting strictly after the scheduled moment', () => {
    // The Schedule fires at the meeting slot: that run prepares the following week's meeting.
    expect(nextMeetingDate(at('2025-03-14', '10:00'), FRIDAY_10, OFF)).toBe('2025-03-21');
    // "Run now" on Monday prepares this Friday; on Friday before 10:00, today's meeting.
    expect(nextMeetingDate(at('2025-03-17', '15:30'), FRIDAY_10, OFF)).toBe('2025-03-21');
    expect(nextMeetingDate(at('2025-03-21', '09:59'), FRIDAY_10, OFF)).toBe('2025-03-21');
    expect(nextMeetingDate(at('2025-03-21', '10:01'), FRIDAY_10, OFF)).toBe('2025-03-28');
    // Late Thursday evening UTC is already Friday in Novosibirsk.
    expect(nextMeetingDate(Date.UTC(2025, 2, 20, 20, 0), FRIDAY_10, OFF)).toBe('2025-03-21');
  });

  it('asks two working days before at 10:00, chases on the eve, holds the digest at meeting time', () => {
    const t = planCheckIn('2025-03-21', 600, P);
    expect(t).toMatchObject({
      holiday: false,
      requestDate: '2025-03-19',
      chaseDate: '2025-03-20',
      meetingAt: at('2025-03-21', '10:00'),
      requestAt: at('2025-03-19', '10:00'),
      chaseAt: at('2025-03-20', '10:00'),
    });
  });

  it('counts working days across holidays: the Friday after 8–11 May 2025 asks on 7 May', () => {
    const t = planCheckIn('2025-05-14', 600, P); // Wednesday after the May holidays
    expect(t.requestDate).toBe('2025-05-12');
    expect(t.chaseDate).toBe('2025-05-13');
    const fri = planCheckIn('2025-05-16', 600, { ...P, requestWorkingDaysBefore: 5 });
    expect(fri.requestDate).toBe('2025-05-07');
  });

  it('marks a meeting on a holiday as skipped (2 and 9 May 2025 are Fridays off)', () => {
    for (const d of ['2025-05-02', '2025-05-09', '2026-11-04', '2025-06-13']) {
      expect(isWorkingDay(d)).toBe(false);
      expect(planCheckIn(d, 600, P).holiday, d).toBe(true);
    }
    expect(planCheckIn('2025-04-25', 600, P).holiday).toBe(false);
  });

  it('plans requests, chase and digest for a run opened a week ahead', () => {
    const t = planCheckIn('2025-03-21', 600, P);
    const plan = planSteps(t, at('2025-03-14', '10:00'), OFF);
    expect(plan.late).toBe(false);
    expect(plan.steps).toEqual([
      { key: 'requests', at: t.requestAt },
      { key: 'chase', at: t.chaseAt },
      { key: 'digest', at: t.meetingAt },
    ]);
  });

  it('sends late requests at once and drops the chase when nobody had a day to answer', () => {
    const t = planCheckIn('2025-03-21', 600, P);
    const tue = planSteps(t, at('2025-03-19', '16:00'), OFF); // requests late, still a day before the eve
    expect(tue.steps.map((s) => s.key)).toEqual(['requests', 'chase', 'digest']);
    expect(tue.steps[0]!.at).toBe(at('2025-03-19', '16:00'));
    const eve = planSteps(t, at('2025-03-20', '08:00'), OFF);
    expect(eve.steps.map((s) => s.key)).toEqual(['requests', 'digest']);
    expect(instantToLocalDate(eve.steps[0]!.at, OFF)).toBe('2025-03-20');
  });

  it('builds a late digest at once, asking nobody, when the run starts after the meeting (backfill)', () => {
    const t = planCheckIn('2025-03-21', 600, P);
    expect(planSteps(t, at('2025-03-21', '10:00'), OFF)).toEqual({
      late: true,
      steps: [{ key: 'digest', at: t.meetingAt }],
    });
  });

  it('never chases when requests go out on the eve itself (one working day ahead)', () => {
    const t = planCheckIn('2025-03-21', 600, { ...P, requestWorkingDaysBefore: 1 });
    expect(t.requestDate).toBe(t.chaseDate);
    expect(planSteps(t, at('2025-03-14', '10:00'), OFF).steps.map((s) => s.key)).toEqual([
      'requests',
      'digest',
    ]);
  });
});
