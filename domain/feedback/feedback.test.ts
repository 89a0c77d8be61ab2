import { describe, expect, it } from 'vitest';
import {
  addToTally,
  casePlan,
  caseDeadline,
  checkCaseAnswer,
  compileTaxonomy,
  DEFAULT_CASE_POLICY,
  emptyTally,
  matchTopics,
  monthsOfPeriod,
  opensCase,
  parseFeedback,
  parseFeedbackDate,
  periodScore,
  recentPeriods,
  topTopics,
} from './index.ts';

const TODAY = '2026-03-10';
const good = {
  sourceId: 'pos-1',
  serviceCode: 'MTSR-001',
  channel: 'МФЦ',
  date: '05.03.2026',
  rating: '1',
  text: '  Очень долго ждал в очереди  ',
};

describe('feedback intake', () => {
  it('accepts a review and normalises it', () => {
    const r = parseFeedback(good, TODAY);
    expect(r).toEqual({
      ok: true,
      value: {
        sourceId: 'pos-1',
        service: { code: 'MTSR-001' },
        channel: 'mfc',
        municipality: null,
        office: null,
        receivedOn: '2026-03-05',
        rating: 1,
        text: 'Очень долго ждал в очереди',
        categories: [],
        contact: null,
      },
    });
  });

  it('reports every problem by field, fixes none', () => {
    const r = parseFeedback(
      { channel: 'fax', date: '2026-13-01', rating: 6, text: 'a\u0000b', categories: 'x'.repeat(101) },
      TODAY,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => `${i.field}:${i.key}`).sort()).toEqual([
      'categories.0:error.feedback.tooLong',
      'channel:error.feedback.channel',
      'date:error.feedback.date',
      'rating:error.feedback.rating',
      'service:error.feedback.required',
      'text:error.feedback.controlChars',
    ]);
  });

  it('refuses dates from the future and the distant past, and bidi overrides', () => {
    const f = (x: object) => parseFeedback({ ...good, ...x }, TODAY);
    expect(f({ date: '2026-03-12' }).ok).toBe(false);
    expect(f({ date: '2026-03-11' }).ok).toBe(true); // a day of slack for the sender's zone
    expect(f({ date: '2014-12-31' }).ok).toBe(false);
    expect(f({ text: 'abc\u202Edef' }).ok).toBe(false);
    expect(f({ rating: 2.5 }).ok).toBe(false);
    expect(f({ text: 'x'.repeat(2001) }).ok).toBe(false);
    expect(f({ text: 'x'.repeat(2000) }).ok).toBe(true);
  });

  it('keeps contact details only with explicit consent', () => {
    const contact = { name: 'Иван', email: 'Ivan@Example.ru' };
    const without = parseFeedback({ ...good, contact }, TODAY);
    expect(without.ok || without.issues.map((i) => i.field)).toEqual(['consent']);
    const withConsent = parseFeedback({ ...good, contact, consent: 'on' }, TODAY);
    expect(withConsent.ok && withConsent.value.contact).toEqual({
      name: 'Иван',
      email: 'ivan@example.ru',
      phone: null,
    });
    const badEmail = parseFeedback({ ...good, contact: { email: 'a@b' }, consent: true }, TODAY);
    expect(badEmail.ok || badEmail.issues.map((i) => i.field)).toEqual(['contact.email']);
    const nameOnly = parseFeedback({ ...good, contact: { name: 'Иван' }, consent: true }, TODAY);
    expect(nameOnly.ok || nameOnly.issues.map((i) => i.key)).toEqual(['error.feedback.contactHow']);
  });

  it('reads the dates people write', () => {
    expect(parseFeedbackDate('2025-07-31T10:00:00+07:00')).toBe('2025-07-31');
    expect(parseFeedbackDate('1.7.25')).toBe('2025-07-01');
    expect(parseFeedbackDate('31.02.2025')).toBeNull();
    expect(parseFeedbackDate('вчера')).toBeNull();
  });
});

describe('period scores from reviews', () => {
  it('weighs every vote the same across the months of a quarter', () => {
    let jan = emptyTally('2026-01');
    for (const r of [5, 5, 5, 5]) jan = addToTally(jan, r, false);
    let feb = emptyTally('2026-02');
    feb = addToTally(feb, 1, true);
    const q = periodScore('2026-Q1', [jan, feb, emptyTally('2026-04')]);
    expect(q).toEqual({ period: '2026-Q1', votes: 5, avg: 4.2, byRating: [1, 0, 0, 0, 4], withText: 1 });
    expect(periodScore('2026-02', [jan, feb]).avg).toBe(1);
    expect(periodScore('2026-03', [jan, feb])).toMatchObject({ votes: 0, avg: null });
  });

  it('names months and quarters', () => {
    expect(monthsOfPeriod('2025-Q4')).toEqual(['2025-10', '2025-11', '2025-12']);
    expect(recentPeriods('2026-02-15', 'month', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(recentPeriods('2026-02-15', 'quarter', 3)).toEqual(['2025-Q3', '2025-Q4', '2026-Q1']);
  });
});

describe('taxonomy matching with Russian stems', () => {
  const tax = compileTaxonomy([
    { topicId: 1, phrase: 'очередь' },
    { topicId: 2, phrase: 'лишние документы' },
    { topicId: 3, phrase: 'не дозвониться' },
    { topicId: 4, phrase: 'грубость' },
    { topicId: 4, phrase: 'нагрубили' },
  ]);

  it('matches word forms and phrases in order', () => {
    expect(matchTopics('Два часа в очередях, потом потребовали лишних документов', tax)).toEqual([1, 2]);
    expect(matchTopics('Никак не дозвонишься… не дозвониться до МФЦ', tax)).toEqual([3]);
    expect(matchTopics('Документы лишние не нужны', tax)).toEqual([]); // words out of order
    expect(matchTopics('Сотрудница нагрубила', tax)).toEqual([4]);
    expect(matchTopics('Всё отлично, спасибо', tax)).toEqual([]);
    expect(matchTopics(null, tax)).toEqual([]);
  });

  it('ranks topics with their share and trend', () => {
    expect(
      topTopics(
        [
          { topicId: 1, count: 30 },
          { topicId: 2, count: 10 },
        ],
        [{ topicId: 1, count: 10 }],
        { current: 100, previous: 100 },
      ),
    ).toEqual([
      { topicId: 1, count: 30, share: 0.3, trend: 0.19999999999999998 },
      { topicId: 2, count: 10, share: 0.1, trend: 0.1 },
    ]);
  });
});

describe('curator cases', () => {
  it('opens a case for a low rating with a text only', () => {
    expect(opensCase(1, 'Хамство', 2)).toBe(true);
    expect(opensCase(2, '   ', 2)).toBe(false);
    expect(opensCase(3, 'Долго', 2)).toBe(false);
  });

  it('plans the deadline on working days and the chases around it', () => {
    // Friday 6 March 2026: 5 working days later, with Monday 9 March a holiday (8 March on Sunday).
    expect(caseDeadline('2026-03-06', DEFAULT_CASE_POLICY)).toBe('2026-03-16');
    expect(casePlan('2026-03-16', DEFAULT_CASE_POLICY)).toEqual([
      { kind: 'reminder', on: '2026-03-13', key: 'r1' },
      { kind: 'escalate_head', on: '2026-03-17', key: 'esc-head' },
      { kind: 'escalate_wg', on: '2026-03-20', key: 'esc-wg' },
    ]);
  });

  it('checks the answer form', () => {
    expect(checkCaseAnswer({ text: ' Исправили ', fixed: 'yes' })).toEqual({
      ok: true,
      value: { text: 'Исправили', fixed: true },
    });
    const bad = checkCaseAnswer({ text: '', fixed: 'maybe' });
    expect(bad.ok || bad.issues.map((i) => i.field)).toEqual(['text', 'fixed']);
  });
});

describe('rating by direction and municipality', () => {
  it('weighs citizens, principles and measures, and leaves out what has no data', async () => {
    const { rate, targets2030 } = await import('./rating.ts');
    expect(
      rate({ votes: 10, ratingSum: 40, principleTotals: [3, 5], openItems: 10, overdueItems: 2 }),
    ).toEqual({
      citizens: 75,
      principles: 75,
      measures: 80,
      total: 76,
    });
    // A municipality: no principles checks; the other weights scale up (0.5 and 0.2 of 0.7).
    expect(rate({ votes: 4, ratingSum: 8, principleTotals: [], openItems: 5, overdueItems: 0 })).toEqual({
      citizens: 25,
      principles: null,
      measures: 100,
      total: 46.4,
    });
    expect(
      rate({ votes: 0, ratingSum: 0, principleTotals: [], openItems: 0, overdueItems: 0 }).total,
    ).toBeNull();
    expect(
      targets2030([
        { socially_significant: true, electronic: true, proactive: true },
        { socially_significant: true, electronic: false, proactive: false },
        { socially_significant: false, electronic: true, proactive: true },
      ]),
    ).toMatchObject({ massServices: 2, online: 1, shareOnline: 0.5, proactive: 2 });
  });
});

describe('mystery-shopping plan', () => {
  it('spreads one check per service over the quarter’s working days, checkers in turn', async () => {
    const { planChecks, chaseWeekKey } = await import('./mystery-plan.ts');
    const plan = planChecks({
      quarter: '2026-Q2',
      from: '2026-04-01',
      serviceIds: [1, 2, 3, 4],
      checkerIds: [7, 8],
    });
    expect(plan.map((p) => p.checkerId)).toEqual([7, 8, 7, 8]);
    expect(plan[0]!.scheduledOn).toBe('2026-04-01');
    expect(plan.every((p) => p.scheduledOn >= '2026-04-01' && p.scheduledOn <= '2026-06-30')).toBe(true);
    // 1, 4 May and 12 June are holidays: no check on a day off.
    expect(
      plan.map((p) => p.scheduledOn).some((d) => ['2026-05-01', '2026-05-04', '2026-06-12'].includes(d)),
    ).toBe(false);
    expect(planChecks({ quarter: '2026-Q2', from: '2026-07-01', serviceIds: [1], checkerIds: [7] })).toEqual(
      [],
    );
    expect(chaseWeekKey('2026-06-14')).toBe('2026-06-08');
  });
});

describe('worries', () => {
  it('counts remarks of ratings up to 3, not praise that names the same words', async () => {
    const { worryTopics, compileTaxonomy: compile } = await import('./taxonomy.ts');
    const tax = compile([{ topicId: 5, phrase: 'портал' }]);
    expect(worryTopics(1, 'Портал не работает', tax)).toEqual([5]);
    expect(worryTopics(3, 'Через портал, но долго', tax)).toEqual([5]);
    expect(worryTopics(5, 'Через портал за пять минут, удобно', tax)).toEqual([]);
  });
});
