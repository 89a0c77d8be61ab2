import { sql } from 'kysely';
import { emptyFigures, progressOf, ragOfFigures, type ProgressCounts } from '../../domain/group-figures.ts';
import type { RagResult } from '../../domain/rag.ts';
import type { ProgrammeFigures } from '../aggregates.ts';
import type { Db } from '../connect.ts';
import { programmeFigures, servicesWithScores } from './agencies.ts';
import { scoreClassSql, serviceSettings } from './services.ts';
import { countItems, listItems, type ReadContext } from './items.ts';

export interface LifeSituationSummary {
  id: number;
  code: string;
  title_ru: string;
  title_en: string;
  level: 'federal' | 'regional';
  /** Controlled items of every kind linked to it (cancelled excluded). */
  counts: ProgressCounts;
  rag: RagResult;
  services: number;
  /** Services low-scoring in the latest score period, by the one low-score rule (settings). */
  lowScoring: number;
}

/** Services per life situation and how many of them are low-scoring (the settings' rule) in the latest period. */
export async function lifeSituationServiceCounts(db: Db) {
  const { rule } = await serviceSettings(db);
  const rows = await db
    .selectFrom('service_life_situation as sl')
    .leftJoin('service_score as sc', (j) =>
      j
        .onRef('sc.service_id', '=', 'sl.service_id')
        .on('sc.period', '=', (eb) =>
          eb.selectFrom('service_score').select((e) => e.fn.max('period').as('p')),
        ),
    )
    .select([
      'sl.life_situation_id',
      sql<number>`count(distinct sl.service_id)::int`.as('services'),
      sql<number>`count(distinct sl.service_id) filter (where ${scoreClassSql(rule)} = 'low')::int`.as('low'),
    ])
    .groupBy('sl.life_situation_id')
    .execute();
  return new Map(rows.map((r) => [r.life_situation_id, { services: r.services, low: r.low }]));
}

/**
 * Every life situation in programme order, with progress, RAG and its services' score picture.
 * `figures` and `services`: the programme's figures and lifeSituationServiceCounts(), when the caller
 * has them already (or keeps them: they change at different times).
 */
export async function lifeSituationSummaries(
  db: Db,
  ctx: ReadContext,
  figures?: Promise<ProgrammeFigures>,
  services?: Promise<Awaited<ReturnType<typeof lifeSituationServiceCounts>>>,
): Promise<LifeSituationSummary[]> {
  const [rows, f, svc] = await Promise.all([
    db
      .selectFrom('life_situation')
      .select(['id', 'code', 'title_ru', 'title_en', 'level'])
      .orderBy('sort')
      .orderBy('id')
      .execute(),
    figures ?? programmeFigures(db, ctx),
    services ?? lifeSituationServiceCounts(db),
  ]);
  return rows.map((r) => {
    const g = f.byLifeSituation.get(r.id) ?? emptyFigures();
    return {
      ...r,
      counts: progressOf(g),
      rag: ragOfFigures(g, ctx.today),
      services: svc.get(r.id)?.services ?? 0,
      lowScoring: svc.get(r.id)?.low ?? 0,
    };
  });
}

export async function getLifeSituation(db: Db, id: number) {
  return db.selectFrom('life_situation').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Indicators with plan and actual per period, oldest period first. */
export async function lifeSituationIndicators(db: Db, id: number) {
  const [indicators, values] = await Promise.all([
    db.selectFrom('indicator').selectAll().where('life_situation_id', '=', id).orderBy('id').execute(),
    db
      .selectFrom('indicator_value as v')
      .innerJoin('indicator as ind', 'ind.id', 'v.indicator_id')
      .select(['v.indicator_id', 'v.period', 'v.plan', 'v.actual'])
      .where('ind.life_situation_id', '=', id)
      .orderBy('v.period')
      .execute(),
  ]);
  const periods = [...new Set(values.map((v) => v.period))].sort();
  return {
    periods,
    rows: indicators.map((ind) => {
      const mine = new Map(values.filter((v) => v.indicator_id === ind.id).map((v) => [v.period, v]));
      return {
        ...ind,
        values: periods.map((p) => {
          const v = mine.get(p);
          const plan = v?.plan ?? null;
          const actual = v?.actual ?? null;
          const onTrack =
            plan === null || actual === null ? null : ind.higher_is_better ? actual >= plan : actual <= plan;
          return { period: p, plan, actual, onTrack };
        }),
      };
    }),
  };
}

/**
 * Everything the life situation page shows besides its target state and figures: items, services with
 * scores, and the agencies involved (responsible for items, co-executing them, or owning its services).
 */
export async function lifeSituationDetail(db: Db, ctx: ReadContext, id: number, itemLimit = 100) {
  const [items, itemTotal, indicators, services, responsible, coExecuting] = await Promise.all([
    listItems(db, ctx.today, { lifeSituationId: id, limit: itemLimit }),
    countItems(db, ctx.today, { lifeSituationId: id }),
    lifeSituationIndicators(db, id),
    servicesWithScores(db, { lifeSituationId: id }),
    db
      .selectFrom('control_item')
      .select(['agency_id', sql<number>`count(*)::int`.as('n')])
      .where('life_situation_id', '=', id)
      .where('status', '!=', 'cancelled')
      .groupBy('agency_id')
      .execute(),
    sql<{ agency_id: number; n: number }>`
      select a.agency_id, count(*)::int as n
      from control_item i cross join unnest(i.co_agency_ids) as a(agency_id)
      where i.life_situation_id = ${id} and i.status <> 'cancelled'
      group by a.agency_id`.execute(db),
  ]);
  const roles = new Map<number, { responsible: number; coExecutor: number; services: number }>();
  const role = (a: number) => {
    let r = roles.get(a);
    if (!r) roles.set(a, (r = { responsible: 0, coExecutor: 0, services: 0 }));
    return r;
  };
  for (const r of responsible) role(r.agency_id).responsible += r.n;
  for (const c of coExecuting.rows) role(c.agency_id).coExecutor += c.n;
  for (const s of services.rows) role(s.agency_id).services++;
  const agencies = roles.size
    ? await db
        .selectFrom('agency')
        .select(['id', 'code', 'title_ru', 'title_en', 'short_ru', 'short_en'])
        .where('id', 'in', [...roles.keys()])
        .orderBy('title_ru')
        .execute()
    : [];
  return {
    items,
    itemTotal,
    indicators,
    services,
    agencies: agencies.map((a) => ({ ...a, ...roles.get(a.id)! })),
  };
}
