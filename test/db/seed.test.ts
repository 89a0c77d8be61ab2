import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, migrateToLatest, type Database } from '../../db/index.ts';
import { programmeProgress } from '../../db/read-models/index.ts';
import { seedDemo, type SeedSummary } from '../../db/seed/index.ts';
import { isWorkingDay } from '../../domain/calendar/index.ts';

// Object.groupBy needs Node 21.
const groupBy = <T>(xs: T[], key: (x: T) => string) =>
  xs.reduce<Record<string, T[]>>((acc, x) => ((acc[key(x)] ??= []).push(x), acc), {});

// The demo as `npm start` creates it: on the embedded PGlite database.
describe('demo seed', () => {
  let database: Database;
  let summary: SeedSummary;
  const today = '2026-11-23';

  beforeAll(async () => {
    database = await connect({ dataDir: 'memory://' });
    await migrateToLatest(database.db);
    summary = await seedDemo(database.db, {
      today,
      password: 'demo',
      passwordHash: 'not-a-real-hash',
      utcOffsetMinutes: 420,
    });
  });
  afterAll(() => database?.close());

  it('creates the programme: 11 life situations, 17 agencies, 190 services, 60 measures', async () => {
    expect(summary).toMatchObject({ lifeSituations: 11, agencies: 17, services: 190, items: 60 });
    const { db } = database;
    const ls = await db.selectFrom('life_situation').select(['code', 'level', 'target_state']).execute();
    expect(ls.filter((l) => l.level === 'federal')).toHaveLength(6);
    expect(ls.filter((l) => l.level === 'regional')).toHaveLength(5);
    expect(ls.every((l) => l.target_state !== null)).toBe(true);
    expect(await db.selectFrom('indicator_value').select('plan').execute()).toHaveLength(11 * 4 * 4);
  });

  it('spreads deadlines around today on working days, with some overdue, some done, some under review', async () => {
    const { db } = database;
    const items = await db.selectFrom('control_item').selectAll().execute();
    expect(items.every((i) => isWorkingDay(i.current_due) && isWorkingDay(i.original_due))).toBe(true);
    const byStatus = groupBy(items, (i) => i.status);
    for (const s of ['done', 'in_progress', 'submitted', 'assigned'] as const)
      expect(byStatus[s]?.length ?? 0, s).toBeGreaterThan(0);
    const progress = await programmeProgress(db, { today, timeZone: 'Asia/Novosibirsk' });
    expect(progress.overdue).toBe(summary.overdue);
    expect(progress.overdue).toBeGreaterThan(2);
    expect(progress.overdue).toBeLessThan(20);
    expect(progress.done + progress.inProgress + progress.overdue).toBe(60);
    // Every life situation has both past and future deadlines.
    const ls = groupBy(
      items.filter((i) => i.life_situation_id),
      (i) => String(i.life_situation_id),
    );
    for (const group of Object.values(ls)) {
      expect(group!.some((i) => i.current_due < today)).toBe(true);
      expect(group!.some((i) => i.current_due > today)).toBe(true);
    }
    // The recurring programme reports carry their period.
    expect(items.filter((i) => i.recurrence).every((i) => i.period_key && i.recurrence_until)).toBe(true);
  });

  it('gives services a Gosuslugi-like score spread with a fifth or so below 4.0 and a share unrated', async () => {
    const { db } = database;
    const latest = await db
      .selectFrom('service_score')
      .select(['avg_score'])
      .where('period', '=', (eb) => eb.selectFrom('service_score').select((e) => e.fn.max('period').as('p')))
      .execute();
    expect(latest).toHaveLength(190);
    const low = latest.filter((s) => s.avg_score !== null && s.avg_score < 4).length / 190;
    const unrated = latest.filter((s) => s.avg_score === null).length / 190;
    expect(low).toBeGreaterThan(0.08);
    expect(low).toBeLessThan(0.35);
    expect(unrated).toBeGreaterThan(0.15);
    expect(unrated).toBeLessThan(0.45);
  });

  it('records a consistent history: done items have an accepted submission, overdue ones an escalation', async () => {
    const { db } = database;
    const done = await db.selectFrom('control_item').select('id').where('status', '=', 'done').execute();
    for (const d of done) {
      const sub = await db
        .selectFrom('submission')
        .select('outcome')
        .where('control_item_id', '=', d.id)
        .orderBy('round', 'desc')
        .executeTakeFirst();
      expect(sub?.outcome).toBe('accepted');
    }
    const overdue = await db
      .selectFrom('control_item')
      .select(['id', 'escalation_level'])
      .where('escalation_level', '>', 0)
      .execute();
    for (const o of overdue) {
      const chases = await db
        .selectFrom('event')
        .select('type')
        .where('control_item_id', '=', o.id)
        .where('type', 'like', 'chase.%')
        .execute();
      expect(chases.length).toBe(o.escalation_level);
    }
  });

  it('starts the service KPI: improvements of services low at the base period, some already improved', async () => {
    const { db } = database;
    const { serviceKpi } = await import('../../db/read-models/service-kpi.ts');
    const k = await serviceKpi(db, { today, timeZone: 'Asia/Novosibirsk' });
    expect(k.lowAtStart).toBeGreaterThan(10);
    expect(k.improved).toBeGreaterThan(0);
    expect(k.improved / k.lowAtStart).toBeLessThan(0.5);
    const rows = await db.selectFrom('service_improvement').select(['status', 'plan_item_id']).execute();
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['improved', 'awaiting_score', 'planning']));
    expect(rows.filter((r) => r.status === 'planning').every((r) => r.plan_item_id === null)).toBe(true);
  });

  it('is all or nothing', async () => {
    await expect(
      seedDemo(database.db, { today, password: 'demo', passwordHash: 'x', utcOffsetMinutes: 420 }),
    ).rejects.toThrow();
    expect(
      await database.db.selectFrom('agency').select('id').where('kind', '=', 'regional').execute(),
    ).toHaveLength(17);
  });

  it('gives the roadmap measures a direction by the agency that owns them (issue 16)', async () => {
    const { db } = database;
    const measures = await db
      .selectFrom('control_item')
      .select(['direction'])
      .where('kind', '=', 'measure')
      .where('roadmap_id', 'is not', null)
      .execute();
    const given = measures.filter((m) => m.direction !== null);
    // Every agency that owns a demo measure has its sphere (db/seed/catalog/feedback.ts).
    expect(given.length).toBe(measures.length);
    expect(new Set(given.map((m) => m.direction)).size).toBeGreaterThanOrEqual(5);
  });

  it('gives the citizens a voice: reviews by channel and municipality, cases open and answered', async () => {
    const { db } = database;
    expect(summary.reviews).toBeGreaterThan(3000);
    expect(
      await db.selectFrom('agency').select('id').where('kind', '=', 'municipality').execute(),
    ).toHaveLength(10);
    const byRating = await db
      .selectFrom('feedback_month')
      .select((eb) => [
        eb.fn.sum<number>('r1').as('r1'),
        eb.fn.sum<number>('r5').as('r5'),
        eb.fn.sum<number>('votes').as('votes'),
      ])
      .executeTakeFirstOrThrow();
    expect(Number(byRating.votes)).toBe(summary.reviews);
    // Mostly good, with a tail of ones, like the Gosuslugi rating.
    expect(Number(byRating.r5)).toBeGreaterThan(Number(byRating.r1));
    expect(Number(byRating.r1)).toBeGreaterThan(0);
    const cases = groupBy(await db.selectFrom('feedback_case').select('status').execute(), (c) => c.status);
    expect(cases.open?.length).toBeGreaterThan(0);
    expect((cases.closed?.length ?? 0) + (cases.answered?.length ?? 0)).toBeGreaterThan(0);
    const withTopics = await db.selectFrom('feedback_topic_month').select('n').execute();
    expect(withTopics.length).toBeGreaterThan(0);
    // Contacts only with consent.
    const contacts = await db
      .selectFrom('feedback')
      .select(['consent_at'])
      .where('contact_email', 'is not', null)
      .execute();
    expect(contacts.length).toBeGreaterThan(0);
    expect(contacts.every((c) => c.consent_at !== null)).toBe(true);
  });
});
