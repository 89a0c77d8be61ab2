import { sql } from 'kysely';
import { ragOf, type RagResult } from '../../domain/rag.ts';
import type { ItemStatus } from '../../domain/control-item/index.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import type { Db } from '../connect.ts';
import type { ReadContext } from './items.ts';

/** The few facts per controlled item (any kind, cancelled ones left out) that RAG and delays need. */
export interface ItemFact {
  id: number;
  agencyId: number;
  lifeSituationId: number | null;
  status: ItemStatus;
  currentDue: LocalDate;
  /** Region-local date of acceptance, for done items. */
  accepted: LocalDate | null;
}

export async function itemFacts(
  db: Db,
  ctx: ReadContext,
  only: { agencyId?: number; lifeSituationId?: number } = {},
): Promise<ItemFact[]> {
  let q = db
    .selectFrom('control_item as i')
    .select([
      'i.id',
      'i.agency_id',
      'i.life_situation_id',
      'i.status',
      'i.current_due',
      sql<string | null>`(i.accepted_at at time zone ${ctx.timeZone})::date::text`.as('accepted'),
    ])
    .where('i.status', '!=', 'cancelled');
  if (only.agencyId) q = q.where('i.agency_id', '=', only.agencyId);
  if (only.lifeSituationId) q = q.where('i.life_situation_id', '=', only.lifeSituationId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    agencyId: r.agency_id,
    lifeSituationId: r.life_situation_id,
    status: r.status,
    currentDue: r.current_due,
    accepted: r.status === 'done' ? r.accepted : null,
  }));
}

/** RAG of every group the key puts items in; groups without items are absent (show them as 'none'). */
export function ragByKey(
  facts: readonly ItemFact[],
  key: (f: ItemFact) => number | null,
  today: LocalDate,
): Map<number, RagResult> {
  const groups = new Map<number, ItemFact[]>();
  for (const f of facts) {
    const k = key(f);
    if (k === null) continue;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(f);
  }
  return new Map([...groups].map(([k, items]) => [k, ragOf(items, today)]));
}

/** RAG per life situation and per responsible agency, from one read of the items. */
export async function ragOverview(db: Db, ctx: ReadContext) {
  const facts = await itemFacts(db, ctx);
  return {
    byLifeSituation: ragByKey(facts, (f) => f.lifeSituationId, ctx.today),
    byAgency: ragByKey(facts, (f) => f.agencyId, ctx.today),
  };
}
