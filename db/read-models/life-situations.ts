import { sql } from 'kysely';
import { ragOf, type RagResult } from '../../domain/rag.ts';
import type { Db } from '../connect.ts';
import { servicesWithScores } from './agencies.ts';
import { progressByLifeSituation, type ProgressCounts } from './dashboard.ts';
import { countItems, listItems, type ReadContext } from './items.ts';
import { itemFacts, ragByKey, type ItemFact } from './rag.ts';

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
  /** Services scoring below 4.0 in the latest score period. */
  lowScoring: number;
}

/**
 * Every life situation in programme order, with progress, RAG and its services' score picture. `facts`:
 * every item as itemFacts() read it, when the caller has it already.
 */
export async function lifeSituationSummaries(
  db: Db,
  ctx: ReadContext,
  facts?: Promise<ItemFact[]>,
): Promise<LifeSituationSummary[]> {
  const [progress, allFacts, services] = await Promise.all([
    progressByLifeSituation(db, ctx, { allKinds: true }),
    facts ?? itemFacts(db, ctx),
    db
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
        sql<number>`count(distinct sl.service_id) filter (where sc.avg_score < 4)::int`.as('low'),
      ])
      .groupBy('sl.life_situation_id')
      .execute(),
  ]);
  const rag = ragByKey(allFacts, (f) => f.lifeSituationId, ctx.today);
  const svc = new Map(services.map((s) => [s.life_situation_id, s]));
  return progress.map((p) => ({
    id: p.id,
    code: p.code,
    title_ru: p.title_ru,
    title_en: p.title_en,
    level: p.level,
    counts: p.counts,
    rag: rag.get(p.id) ?? ragOf([], ctx.today),
    services: svc.get(p.id)?.services ?? 0,
    lowScoring: svc.get(p.id)?.low ?? 0,
  }));
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
 * Everything the life situation page shows besides its target state: items, services with scores, and
 * the agencies involved (responsible for items, co-executing them, or owning its services).
 */
export async function lifeSituationDetail(db: Db, ctx: ReadContext, id: number, itemLimit = 100) {
  const [items, itemTotal, indicators, services, facts] = await Promise.all([
    listItems(db, ctx.today, { lifeSituationId: id, limit: itemLimit }),
    countItems(db, ctx.today, { lifeSituationId: id }),
    lifeSituationIndicators(db, id),
    servicesWithScores(db, { lifeSituationId: id }),
    itemFacts(db, ctx, { lifeSituationId: id }),
  ]);
  const coIds = await db
    .selectFrom('control_item')
    .select(sql<number>`unnest(co_agency_ids)`.as('agency_id'))
    .where('life_situation_id', '=', id)
    .where('status', '!=', 'cancelled')
    .execute();
  const roles = new Map<number, { responsible: number; coExecutor: number; services: number }>();
  const role = (a: number) => {
    let r = roles.get(a);
    if (!r) roles.set(a, (r = { responsible: 0, coExecutor: 0, services: 0 }));
    return r;
  };
  for (const f of facts) role(f.agencyId).responsible++;
  for (const c of coIds) role(c.agency_id).coExecutor++;
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
    rag: ragOf(facts, ctx.today),
    agencies: agencies.map((a) => ({ ...a, ...roles.get(a.id)! })),
  };
}
