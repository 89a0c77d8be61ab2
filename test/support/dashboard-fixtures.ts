import type { Db } from '../../db/index.ts';
import type { ItemKind, ItemStatus } from '../../domain/control-item/index.ts';

/**
 * A small programme whose dashboard figures are worked out by hand (test/db/read-models.test.ts lists the
 * answers). "Today" is Monday 16 Nov 2026 in Novosibirsk (UTC+7); Wednesday 4 Nov 2026 is a holiday, so
 * working-day counts differ from calendar ones around it.
 */
export const FIXTURE_TODAY = '2026-11-16';
export const FIXTURE_TZ = 'Asia/Novosibirsk';

/** A local Novosibirsk wall-clock time as an instant. */
const nsk = (date: string, hhmm = '10:00') => new Date(`${date}T${hhmm}:00+07:00`);

type ItemKey = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

interface ItemSpec {
  key: ItemKey;
  agency: 'A1' | 'A2';
  ls: 'L1' | 'L2' | null;
  status: ItemStatus;
  due: string;
  originalDue?: string;
  kind?: ItemKind;
  created?: string;
  /** Local date-time of acceptance (done) or cancellation. */
  closed?: [string, string];
  escalation?: number;
  co?: ('A1' | 'A2')[];
}

// Numbered as in the test's comments.
const ITEMS: ItemSpec[] = [
  { key: 1, agency: 'A1', ls: 'L1', status: 'done', due: '2026-11-10', closed: ['2026-11-09', '16:00'] },
  // Accepted at 03:00 local on Friday 6 Nov = Thursday in UTC: the local date must win (3 working days late).
  { key: 2, agency: 'A1', ls: 'L1', status: 'done', due: '2026-11-02', closed: ['2026-11-06', '03:00'] },
  { key: 3, agency: 'A1', ls: 'L1', status: 'in_progress', due: '2026-11-03', escalation: 4, co: ['A2'] },
  { key: 4, agency: 'A1', ls: 'L2', status: 'submitted', due: '2026-11-12' },
  { key: 5, agency: 'A2', ls: 'L2', status: 'assigned', due: '2026-11-13', escalation: 1 },
  { key: 6, agency: 'A2', ls: 'L2', status: 'returned', due: '2026-11-20' },
  { key: 7, agency: 'A2', ls: null, status: 'in_progress', due: '2026-11-30', kind: 'instruction' },
  {
    key: 8,
    agency: 'A2',
    ls: 'L2',
    status: 'in_progress',
    due: '2026-12-01',
    originalDue: '2026-11-27',
    created: '2026-11-17',
  },
  { key: 9, agency: 'A1', ls: 'L1', status: 'cancelled', due: '2026-11-02', closed: ['2026-11-11', '12:00'] },
  { key: 10, agency: 'A2', ls: 'L1', status: 'done', due: '2026-10-30', closed: ['2026-10-30', '15:00'] },
];

export interface DashboardFixture {
  agency: Record<'A1' | 'A2' | 'A3', number>;
  ls: Record<'L1' | 'L2', number>;
  item: Record<ItemKey, number>;
  service: Record<'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6', number>;
}

export async function buildDashboardFixture(db: Db, prefix = 'F'): Promise<DashboardFixture> {
  return db.transaction().execute(async (trx) => {
    const agency = {} as DashboardFixture['agency'];
    for (const [k, name] of [
      ['A1', 'Alpha'],
      ['A2', 'Beta'],
      ['A3', 'Gamma'],
    ] as const) {
      const r = await trx
        .insertInto('agency')
        .values({
          code: `${prefix}${k}`,
          title_ru: `Министерство ${name}`,
          title_en: `Ministry ${name}`,
          short_ru: `Мин${name}`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      agency[k] = r.id;
    }
    const ls = {} as DashboardFixture['ls'];
    for (const [k, sort] of [
      ['L1', 1],
      ['L2', 2],
    ] as const) {
      const r = await trx
        .insertInto('life_situation')
        .values({
          code: `${prefix}${k}`,
          title_ru: `Ситуация ${k}`,
          title_en: `Situation ${k}`,
          level: 'regional',
          sort,
          target_state: JSON.stringify({
            asIs: { termDays: 40, visits: 3 },
            toBe: { termDays: 10, visits: 1, eForm: true },
            scenarioSteps: ['Шаг один', 'Шаг два'],
          }),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ls[k] = r.id;
    }
    const item = {} as Record<ItemKey, number>;
    for (const s of ITEMS) {
      const closedAt = s.closed ? nsk(s.closed[0], s.closed[1]) : null;
      const r = await trx
        .insertInto('control_item')
        .values({
          kind: s.kind ?? 'measure',
          number: `${s.key}`,
          title_ru: `Пункт ${s.key}`,
          title_en: `Item ${s.key}`,
          agency_id: agency[s.agency],
          co_agency_ids: (s.co ?? []).map((c) => agency[c]),
          life_situation_id: s.ls ? ls[s.ls] : null,
          status: s.status,
          original_due: s.originalDue ?? s.due,
          current_due: s.due,
          escalation_level: s.escalation ?? 0,
          accepted_at: s.status === 'done' ? closedAt : null,
          closed_at: closedAt,
          created_at: nsk(s.created ?? '2026-10-05'),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      item[s.key] = r.id;
    }
    let n = 0;
    const events = (key: ItemKey, type: string, count: number) =>
      Array.from({ length: count }, () => ({
        event_key: `${prefix}-ev-${++n}`,
        control_item_id: item[key],
        type,
        at: nsk('2026-11-05'),
      }));
    await trx
      .insertInto('event')
      .values([
        ...events(3, 'chase.reminder', 2), // before the deadline: not a "late" chase
        ...events(3, 'chase.overdue', 1),
        ...events(3, 'chase.escalation', 3),
        ...events(9, 'chase.overdue', 1), // cancelled later, but the agency was chased
        ...events(5, 'chase.overdue', 1),
        ...events(2, 'returned', 2),
        ...events(6, 'returned', 1),
        ...events(1, 'accepted', 1),
      ])
      .execute();

    const service = {} as DashboardFixture['service'];
    const SERVICES = [
      ['S1', 'A1', 'L1'],
      ['S2', 'A1', 'L1'],
      ['S3', 'A2', 'L2'],
      ['S4', 'A2', 'L2'],
      ['S5', 'A2', null],
      ['S6', 'A2', null],
    ] as const;
    for (const [k, a, l] of SERVICES) {
      const r = await trx
        .insertInto('service')
        .values({
          code: `${prefix}${k}`,
          title_ru: `Услуга ${k}`,
          title_en: `Service ${k}`,
          agency_id: agency[a],
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      service[k] = r.id;
      if (l)
        await trx
          .insertInto('service_life_situation')
          .values({ service_id: r.id, life_situation_id: ls[l] })
          .execute();
    }
    // Periods: 2025-Q3, the earliest on record, is the KPI's base period (no base period setting).
    const P = ['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3'];
    const SCORES: Record<keyof DashboardFixture['service'], (number | null)[]> = {
      S1: [3.0, 3.5, 3.8, 4.1, 4.2], // low at the KPI's base period (the earliest), improved
      S2: [null, 3.9, 4.0, 3.9, 3.95], // low at start, 4.0 once, low again at the end
      S3: [4.4, 4.5, 4.5, 4.6, 4.6],
      S4: [null, 3.2, 3.3, 3.5, null], // low at start, unrated at the end: not improved
      S5: [null, null, 3.0, 3.0, 3.0], // no score at the start: not counted
      S6: [3.0, 4.2, 4.2, 4.3, 4.3], // low at the base period; its improvement was cancelled
    };
    await trx
      .insertInto('service_score')
      .values(
        Object.entries(SCORES).flatMap(([k, scores]) =>
          scores.map((avg, i) => ({
            service_id: service[k as keyof typeof SCORES],
            period: P[i]!,
            avg_score: avg,
            votes: avg === null ? 0 : 100 + i,
          })),
        ),
      )
      .execute();

    // Improvements as the serviceImprovement workflow leaves them: S1 closed as improved by its 2026-Q2 score
    // (low at the start: counts), S3 improved but never low at the start (does not count), S6 cancelled.
    const improvement = (
      k: keyof typeof SCORES,
      status: 'improved' | 'cancelled',
      improvedPeriod: string | null,
    ) => ({
      service_id: service[k],
      period_selected: '2025-Q3',
      target_avg: 4,
      status,
      plan_due: '2026-03-31',
      implementation_due: '2026-06-30',
      improved_period: improvedPeriod,
      improved_avg: improvedPeriod ? 4.1 : null,
    });
    await trx
      .insertInto('service_improvement')
      .values([
        improvement('S1', 'improved', '2026-Q2'),
        improvement('S3', 'improved', '2026-Q1'),
        improvement('S6', 'cancelled', null),
      ])
      .execute();

    const ind = await trx
      .insertInto('indicator')
      .values({
        life_situation_id: ls.L1,
        code: 'TERM_DAYS',
        title_ru: 'Срок',
        title_en: 'Term',
        unit: 'дн.',
        higher_is_better: false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('indicator_value')
      .values([
        { indicator_id: ind.id, period: '2026-Q2', plan: 30, actual: 28 },
        { indicator_id: ind.id, period: '2026-Q3', plan: 25, actual: 27 },
      ])
      .execute();
    return { agency, ls, item, service };
  });
}
