import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/index.ts';
import {
  agencyStats,
  citizensWorries,
  countItems,
  lifeSituationServiceCounts,
  lifeSituationSummaries,
  listItems,
  programmeFigures,
  programmeProgress,
  READ_SCOPES,
  redList,
  roadmapBurnUp,
  serviceKpi,
  upcomingDeadlines,
  type ReadContext,
} from '../../db/read-models/index.ts';
import { topProblems } from '../../db/read-models/feedback.ts';
import { SCOPES, type Scope } from '../../db/read-cache.ts';
import { seedDemo } from '../../db/seed/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { recentPeriods } from '../../domain/feedback/period.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

// A cached read is reused until a kind of data it names moves (db/read-models/scopes.ts). Naming too few
// would show stale figures after a write, silently. Postgres counts every table a transaction scans
// (pg_stat_xact_user_tables), so each read runs in a transaction of its own and what it scanned there is checked
// against the kinds it names.

/** Tables without a trigger of their own, and the kind of data they are derived from. */
const DERIVED: Record<string, Scope> = {
  feedback: 'feedback',
  feedback_month: 'feedback',
  feedback_area_month: 'feedback',
  feedback_topic_month: 'feedback',
  feedback_area_topic_month: 'feedback',
  agg_group: 'items',
  agg_burnup: 'items',
  agg_agency_events: 'items',
  agg_anchor: 'items',
  work_day: 'reference',
};

type Run = (db: Db, ctx: ReadContext) => Promise<unknown>;

/** Each read as the pages call it, with arguments that reach its joins. */
function reads(ids: { agency: number; ls: number; service: number; mo: number | null; roadmap: number }) {
  const period = (ctx: ReadContext) => recentPeriods(ctx.today, 'quarter', 2) as [string, string];
  const runs: Record<keyof typeof READ_SCOPES, Run[]> = {
    programme: [
      (db, ctx) => programmeFigures(db, ctx),
      (db, ctx) => agencyStats(db, ctx, undefined, programmeFigures(db, ctx)),
      (db, ctx) => programmeProgress(db, ctx, programmeFigures(db, ctx)),
      (db, ctx) => roadmapBurnUp(db, ctx),
      (db, ctx) => redList(db, ctx, 25, programmeFigures(db, ctx)),
      (db, ctx) => upcomingDeadlines(db, ctx, 10, 25),
    ],
    lifeSituationServiceCounts: [(db) => lifeSituationServiceCounts(db)],
    lifeSituationSummaries: [
      (db, ctx) => lifeSituationSummaries(db, ctx, programmeFigures(db, ctx), lifeSituationServiceCounts(db)),
    ],
    serviceKpi: [(db, ctx) => serviceKpi(db, ctx)],
    citizensProblems: [
      (db, ctx) => citizensWorries(db, ctx.today),
      (db, ctx) => {
        const [previous, current] = period(ctx);
        return topProblems(
          db,
          {
            agencyId: ids.agency,
            lifeSituationId: ids.ls,
            serviceId: ids.service,
            ...(ids.mo ? { municipalityId: ids.mo } : {}),
          },
          current,
          previous,
          10,
        );
      },
    ],
    roadmapList: [
      (db, ctx) => countItems(db, ctx.today, { status: 'overdue', agencyId: ids.agency }),
      (db, ctx) =>
        listItems(db, ctx.today, {
          roadmapId: ids.roadmap,
          lifeSituationId: ids.ls,
          direction: 'MED',
          q: 'услуг',
          involvingAgencyId: ids.agency,
          limit: 50,
        }),
      (db, ctx) => listItems(db, ctx.today, { status: 'open', sort: { key: 'agency', dir: 'asc' } }),
    ],
  };
  return runs;
}

describe('the kinds of data each cached read names', () => {
  let tdb: TestDatabase;
  const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
  const ctx: ReadContext = { today, timeZone: 'Europe/Moscow' };
  const scopeOf = new Map<string, Scope>(Object.entries(DERIVED));

  beforeAll(async () => {
    tdb = await createTestDatabase();
    await seedDemo(tdb.db, {
      today,
      password: 'demo',
      passwordHash: await hashPassword('demo'),
      utcOffsetMinutes: DEFAULT_CHASE_POLICY.utcOffsetMinutes,
    });
    const { rows } = await sql<{ table: string; scope: string }>`
      select t.tgrelid::regclass::text as table, split_part(encode(t.tgargs, 'escape'), '\\000', 1) as scope
      from pg_trigger t where t.tgfoid = 'bump_read_version'::regproc`.execute(tdb.db);
    for (const r of rows) scopeOf.set(r.table, r.scope as Scope);
  }, 120_000);
  afterAll(async () => {
    await tdb?.close();
  });

  it('every versioned table belongs to one of the kinds the cache knows', () => {
    expect([...new Set(scopeOf.values())].filter((s) => !SCOPES.includes(s))).toEqual([]);
    expect(scopeOf.get('control_item')).toBe('items');
    expect(scopeOf.get('service_score')).toBe('services');
  });

  it('names every kind of data the read scans', async () => {
    const db = tdb.db;
    const pick = async (q: string) => (await sql<{ id: number }>`${sql.raw(q)}`.execute(db)).rows[0]?.id;
    const ids = {
      agency: (await pick('select agency_id as id from control_item order by id limit 1'))!,
      ls: (await pick('select life_situation_id as id from service_life_situation order by 1 limit 1'))!,
      service: (await pick('select id from service order by id limit 1'))!,
      mo: (await pick("select id from agency where kind = 'municipality' order by id limit 1")) ?? null,
      roadmap: (await pick('select id from roadmap order by id limit 1'))!,
    };
    const found: Record<string, { scanned: string[]; unnamed: string[] }> = {};
    for (const [name, runs] of Object.entries(reads(ids))) {
      const named = READ_SCOPES[name as keyof typeof READ_SCOPES] as readonly Scope[];
      const scanned = new Set<string>();
      for (const run of runs) {
        await db.transaction().execute(async (trx) => {
          // The view holds what this backend has not reported yet (earlier transactions' too): a difference.
          const scans = async () =>
            new Map(
              (
                await sql<{ relname: string; n: string }>`
                  select relname, (seq_scan + coalesce(idx_scan, 0))::text as n
                  from pg_stat_xact_user_tables`.execute(trx)
              ).rows.map((r) => [r.relname, BigInt(r.n)]),
            );
          const before = await scans();
          await run(trx, ctx);
          for (const [t, n] of await scans()) if (n > (before.get(t) ?? 0n)) scanned.add(t);
        });
      }
      found[name] = {
        scanned: [...scanned].sort(),
        unnamed: [...scanned]
          .filter((t) => {
            const s = scopeOf.get(t);
            return !s || !named.includes(s);
          })
          .sort(),
      };
    }
    // Each read reached the database (else the check proves nothing), and nothing it scanned is outside
    // the kinds it names.
    for (const [name, f] of Object.entries(found)) expect(f.scanned.length, name).toBeGreaterThan(0);
    expect(Object.fromEntries(Object.entries(found).map(([n, f]) => [n, f.unnamed]))).toEqual(
      Object.fromEntries(Object.keys(found).map((n) => [n, []])),
    );
  });
});
