import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.ts';
import {
  agencyStats,
  countItems,
  lifeSituationDetail,
  lifeSituationSummaries,
  listItems,
  programmeProgress,
  redList,
  roadmapBurnUp,
  serviceKpi,
  sortLeague,
  upcomingDeadlines,
  type ReadContext,
} from '../../db/read-models/index.ts';
import { seedDemo } from '../../db/seed/index.ts';
import { workingDaysBetween } from '../../domain/calendar/index.ts';
import {
  buildDashboardFixture,
  FIXTURE_TODAY,
  FIXTURE_TZ,
  type DashboardFixture,
} from '../support/dashboard-fixtures.ts';
import { createTestDatabase, migratedDatabaseOn, type TestDatabase } from '../support/pg.ts';

const ctx: ReadContext = { today: FIXTURE_TODAY, timeZone: FIXTURE_TZ };

// The hand-built fixture's answers, on node-postgres and on PGlite: the figures must not depend on the driver.
describe.each(['pg', 'pglite'] as const)('dashboard read models on %s (hand-built fixture)', (kind) => {
  let database: Database;
  let f: DashboardFixture;

  beforeAll(async () => {
    database = await migratedDatabaseOn(kind);
    f = await buildDashboardFixture(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('counts roadmap progress: measures only, cancelled excluded, on-time by the local acceptance date', async () => {
    // Measures 1–6, 8, 10 (7 is an instruction, 9 cancelled). Done 1, 2, 10; overdue 3, 5; 2 is late.
    expect(await programmeProgress(database.db, ctx)).toEqual({
      total: 8,
      done: 3,
      inProgress: 3,
      overdue: 2,
      onTimeRate: 2 / 3,
    });
  });

  it('computes the league: on-time rate, overdue, average delay in working days, late chases, rework', async () => {
    const rows = await agencyStats(database.db, ctx);
    const by = (id: number) => rows.find((r) => r.id === id)!;
    const a1 = by(f.agency.A1);
    // Items 1–4. Late: 2 (accepted Fri 6 Nov local, due Mon 2 Nov, 4 Nov a holiday → 3 wd) and 3 (8 wd overdue).
    expect(a1.counts).toEqual({ total: 4, done: 2, inProgress: 1, overdue: 1, onTimeRate: 0.5 });
    expect(a1).toMatchObject({ lateItems: 2, avgDelayWorkingDays: 5.5, chases: 5, reworkRounds: 2 });
    expect(a1.rag).toEqual({
      rag: 'red',
      scope: 4,
      overdue: 1,
      maxOverdueWorkingDays: 8,
      dueSoonNotSubmitted: 0,
    });
    const a2 = by(f.agency.A2);
    // Items 5–8 and 10. 5 is 1 wd overdue; 6 (Fri 20 Nov) and 7 (Mon 30 Nov = 10th working day) due soon.
    expect(a2.counts).toEqual({ total: 5, done: 1, inProgress: 3, overdue: 1, onTimeRate: 1 });
    expect(a2).toMatchObject({ lateItems: 1, avgDelayWorkingDays: 1, chases: 1, reworkRounds: 1 });
    expect(a2.rag).toEqual({
      rag: 'amber',
      scope: 5,
      overdue: 1,
      maxOverdueWorkingDays: 1,
      dueSoonNotSubmitted: 2,
    });
    const a3 = by(f.agency.A3);
    expect(a3.counts).toEqual({ total: 0, done: 0, inProgress: 0, overdue: 0, onTimeRate: null });
    expect(a3).toMatchObject({ lateItems: 0, avgDelayWorkingDays: null, chases: 0, reworkRounds: 0 });
    expect(a3.rag.rag).toBe('none');

    // Default rank: equal overdue, so the higher on-time rate wins; no items last.
    const ids = (xs: { id: number }[]) => xs.map((x) => x.id);
    const mine = rows.filter((r) => Object.values(f.agency).includes(r.id));
    expect(ids(sortLeague(mine, 'rank', 'asc'))).toEqual([f.agency.A2, f.agency.A1, f.agency.A3]);
    expect(ids(sortLeague(mine, 'delay', 'desc'))).toEqual([f.agency.A1, f.agency.A2, f.agency.A3]);
    expect(ids(sortLeague(mine, 'delay', 'asc'))).toEqual([f.agency.A2, f.agency.A1, f.agency.A3]);
    expect(ids(sortLeague(mine, 'chases', 'desc'))).toEqual([f.agency.A1, f.agency.A2, f.agency.A3]);
    expect(ids(sortLeague(mine, 'name', 'desc', 'en'))).toEqual([f.agency.A3, f.agency.A2, f.agency.A1]);
  });

  it('lists the red list by deadline with working days overdue and the escalation level', async () => {
    const red = await redList(database.db, ctx);
    expect(red.total).toBe(2);
    expect(red.rows.map((r) => [r.id, r.workingDaysOverdue, r.escalation_level])).toEqual([
      [f.item[3], 8, 4],
      [f.item[5], 1, 1],
    ]);
    const top = await redList(database.db, ctx, 1);
    expect([top.total, top.rows.map((r) => r.id)]).toEqual([2, [f.item[3]]]);
  });

  it('lists deadlines in the next 10 working days (the 10th included, the 11th not)', async () => {
    const up = await upcomingDeadlines(database.db, ctx, 10);
    expect([up.until, up.total]).toEqual(['2026-11-30', 2]);
    expect(up.rows.map((r) => [r.id, r.workingDaysLeft])).toEqual([
      [f.item[6], 4],
      [f.item[7], 10],
    ]);
  });

  it('summarises life situations with RAG and their services', async () => {
    const rows = await lifeSituationSummaries(database.db, ctx);
    const l1 = rows.find((r) => r.id === f.ls.L1)!;
    const l2 = rows.find((r) => r.id === f.ls.L2)!;
    expect(l1.counts).toEqual({ total: 4, done: 3, inProgress: 0, overdue: 1, onTimeRate: 2 / 3 });
    expect(l1.rag.rag).toBe('red'); // item 3, 8 working days overdue
    expect([l1.services, l1.lowScoring]).toEqual([2, 1]); // S2 3.95 in the latest period
    expect(l2.counts).toEqual({ total: 4, done: 0, inProgress: 3, overdue: 1, onTimeRate: null });
    expect(l2.rag).toEqual({
      rag: 'amber',
      scope: 4,
      overdue: 1,
      maxOverdueWorkingDays: 1,
      dueSoonNotSubmitted: 1,
    });
    expect([l2.services, l2.lowScoring]).toEqual([2, 0]); // S4 unrated in the latest period is not "low"
  });

  it('gives a life situation its indicators, services with scores and the agencies involved', async () => {
    const d = await lifeSituationDetail(database.db, ctx, f.ls.L1);
    expect(d.items.map((i) => i.id).sort((a, b) => a - b)).toEqual(
      [f.item[1], f.item[2], f.item[3], f.item[9], f.item[10]].sort((a, b) => a - b),
    );
    expect(d.indicators.periods).toEqual(['2026-Q2', '2026-Q3']);
    expect(d.indicators.rows[0]!.values.map((v) => v.onTrack)).toEqual([true, false]); // lower is better
    expect(d.services.periods).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    expect(d.services.rows.map((s) => [s.id, s.latest])).toEqual([
      [f.service.S2, 3.95],
      [f.service.S1, 4.2],
    ]);
    expect(d.agencies.map((a) => ({ id: a.id, r: a.responsible, c: a.coExecutor, s: a.services }))).toEqual([
      { id: f.agency.A1, r: 3, c: 0, s: 2 },
      { id: f.agency.A2, r: 1, c: 1, s: 0 },
    ]);
  });

  it('computes the burn-up: scope, plan by original deadlines, done by local acceptance dates', async () => {
    const weeks = await roadmapBurnUp(database.db, ctx);
    expect(weeks.map((w) => w.weekStart)).toEqual([
      '2026-10-05',
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
    ]);
    // 9 leaves the scope on 11 Nov; 8 joins on 17 Nov.
    expect(weeks.map((w) => w.scope)).toEqual([8, 8, 8, 8, 8, 7, 8, 8]);
    expect(weeks.map((w) => w.planned)).toEqual([0, 0, 0, 1, 4, 6, 7, 8]);
    expect(weeks.map((w) => w.done)).toEqual([0, 0, 0, 1, 2, 3, 3, null]);
  });

  it('computes the service KPI: closed improvements of services low at the base period', async () => {
    expect(await serviceKpi(database.db, ctx)).toEqual({
      lowAtStart: 2,
      improved: 1,
      target: 0.2,
      period: '2025-Q3',
      trajectory: [
        { period: '2025-Q4', improved: 0, lowAtStart: 2 },
        { period: '2026-Q1', improved: 0, lowAtStart: 2 },
        { period: '2026-Q2', improved: 1, lowAtStart: 2 },
        { period: '2026-Q3', improved: 1, lowAtStart: 2 },
      ],
    });
  });

  it('filters, searches and pages the roadmap list', async () => {
    const today = ctx.today;
    const ids = async (filters: Parameters<typeof listItems>[2]) =>
      (await listItems(database.db, today, filters)).map((r) => r.id).sort((a, b) => a - b);
    expect(await countItems(database.db, today, {})).toBe(10);
    expect(await ids({ status: 'overdue' })).toEqual([f.item[3], f.item[5]].sort((a, b) => a - b));
    expect(await ids({ agencyId: f.agency.A2, lifeSituationId: f.ls.L2 })).toEqual(
      [f.item[5], f.item[6], f.item[8]].sort((a, b) => a - b),
    );
    expect(await ids({ coAgencyId: f.agency.A2 })).toEqual([f.item[3]]);
    expect(await ids({ dueFrom: '2026-11-16', dueTo: '2026-11-30' })).toEqual([f.item[6], f.item[7]]);
    expect(await ids({ q: '№ 7' })).toEqual([f.item[7]]);
    expect(await ids({ q: 'item 1' })).toEqual([f.item[1], f.item[10]]); // title, case-insensitive
    expect(await ids({ q: '100%' })).toEqual([]); // LIKE wildcards are literal
    // Pages are disjoint and cover everything in a stable order.
    const p1 = await listItems(database.db, today, { limit: 4, offset: 0 });
    const p2 = await listItems(database.db, today, { limit: 4, offset: 4 });
    const p3 = await listItems(database.db, today, { limit: 4, offset: 8 });
    expect([...p1, ...p2, ...p3].map((r) => r.id).sort((a, b) => a - b)).toEqual(
      Object.values(f.item).sort((a, b) => a - b),
    );
  });
});

// On the demo programme the figures agree with plain SQL written independently of the read models.
describe('dashboard read models on the demo programme (Postgres) agree with direct SQL', () => {
  let testDb: TestDatabase;
  const today = '2026-11-23';
  const demo: ReadContext = { today, timeZone: 'Asia/Novosibirsk' };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await seedDemo(testDb.db, { today, password: 'demo', passwordHash: 'x', utcOffsetMinutes: 420 });
  });
  afterAll(() => testDb?.drop());

  it('league figures per agency', async () => {
    const { rows } = await sql<{
      id: number;
      total: number;
      done: number;
      overdue: number;
      on_time: number;
      chases: number;
      returns: number;
    }>`
      select a.id,
        (select count(*) from control_item i where i.agency_id = a.id and i.status <> 'cancelled')::int as total,
        (select count(*) from control_item i where i.agency_id = a.id and i.status = 'done')::int as done,
        (select count(*) from control_item i where i.agency_id = a.id
           and i.status in ('assigned','in_progress','returned') and i.current_due < ${today}::date)::int as overdue,
        (select count(*) from control_item i where i.agency_id = a.id and i.status = 'done'
           and (i.accepted_at at time zone 'Asia/Novosibirsk')::date <= i.current_due)::int as on_time,
        (select count(*) from event e join control_item i on i.id = e.control_item_id
           where i.agency_id = a.id and e.type in ('chase.overdue','chase.escalation','chase.repeat'))::int as chases,
        (select count(*) from event e join control_item i on i.id = e.control_item_id
           where i.agency_id = a.id and e.type = 'returned')::int as returns
      from agency a order by a.id`.execute(testDb.db);
    const stats = await agencyStats(testDb.db, demo);
    expect(rows.some((r) => r.overdue > 0 && r.chases > 0 && r.returns > 0)).toBe(true);
    for (const r of rows) {
      const s = stats.find((x) => x.id === r.id)!;
      expect(
        {
          total: s.counts.total,
          done: s.counts.done,
          overdue: s.counts.overdue,
          onTime: s.counts.onTimeRate,
          chases: s.chases,
          returns: s.reworkRounds,
        },
        `agency ${r.id}`,
      ).toEqual({
        total: r.total,
        done: r.done,
        overdue: r.overdue,
        onTime: r.done ? r.on_time / r.done : null,
        chases: r.chases,
        returns: r.returns,
      });
    }
  });

  it('average delay per agency from the rows, with the calendar', async () => {
    const items = await testDb.db
      .selectFrom('control_item')
      .select([
        'agency_id',
        'status',
        'current_due',
        sql<string | null>`(accepted_at at time zone 'Asia/Novosibirsk')::date::text`.as('accepted'),
      ])
      .where('status', '!=', 'cancelled')
      .execute();
    const stats = await agencyStats(testDb.db, demo);
    for (const s of stats) {
      const delays = items
        .filter((i) => i.agency_id === s.id)
        .map((i) =>
          i.status === 'done'
            ? i.accepted! > i.current_due
              ? workingDaysBetween(i.current_due, i.accepted!)
              : 0
            : ['assigned', 'in_progress', 'returned'].includes(i.status) && i.current_due < today
              ? workingDaysBetween(i.current_due, today)
              : 0,
        )
        .filter((d) => d > 0);
      expect(s.avgDelayWorkingDays, s.code).toBe(
        delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : null,
      );
    }
  });

  it('red list, upcoming deadlines, programme totals and the KPI', async () => {
    const { rows: overdue } = await sql<{ id: number }>`
      select id from control_item
      where status in ('assigned','in_progress','returned') and current_due < ${today}::date
      order by current_due, id`.execute(testDb.db);
    expect((await redList(testDb.db, demo)).rows.map((r) => r.id)).toEqual(overdue.map((r) => r.id));

    const up = await upcomingDeadlines(testDb.db, demo);
    const { rows: soon } = await sql<{ id: number }>`
      select id from control_item where status not in ('done','cancelled')
        and current_due between ${today}::date and ${up.until}::date order by current_due, id`.execute(
      testDb.db,
    );
    expect(up.rows.map((r) => r.id)).toEqual(soon.map((r) => r.id));

    const { rows: totals } = await sql<{ total: number; done: number }>`
      select count(*)::int as total, count(*) filter (where status = 'done')::int as done
      from control_item where kind = 'measure' and status <> 'cancelled'`.execute(testDb.db);
    const p = await programmeProgress(testDb.db, demo);
    expect([p.total, p.done]).toEqual([totals[0]!.total, totals[0]!.done]);
    const weeks = await roadmapBurnUp(testDb.db, demo);
    const thisWeek = weeks.filter((w) => w.done !== null).at(-1)!;
    expect([thisWeek.scope, thisWeek.done]).toEqual([totals[0]!.total, totals[0]!.done]);

    const { rows: kpi } = await sql<{ low: number; improved: number }>`
      with base as (select min(period) as p from service_score),
        low as (select s.service_id from service_score s, base
                where s.period = base.p and s.votes > 0 and s.avg_score < 4)
      select (select count(*) from low)::int as low,
        (select count(distinct i.service_id) from service_improvement i join low using (service_id)
           where i.status = 'improved')::int as improved`.execute(testDb.db);
    const k = await serviceKpi(testDb.db, demo);
    expect([k.lowAtStart, k.improved]).toEqual([kpi[0]!.low, kpi[0]!.improved]);
    expect(k.lowAtStart).toBeGreaterThan(10);
  });
});
