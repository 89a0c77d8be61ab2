import type { Transaction } from 'kysely';
import { catchUpCalendar, workflowCalendar } from '../calendar/index.ts';
import type { Db } from '../../db/index.ts';
import { itemStatesOf } from '../../db/item-states.ts';
import type { ControlItemRow, DB } from '../../db/schema/index.ts';
import type { ChasePolicy, ItemKind, Recurrence } from '../../domain/control-item/index.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import type { Actor } from '../../domain/roles.ts';
import type { TemporalHandle } from '../temporal.ts';
import { startControlItem } from './workflow.ts';

// The one way an item comes under control, whoever creates it: the roadmap import, the weekly
// check-in's minutes (instructions), a mystery-shopping check's remediation, a service improvement's
// stages, and reconciliation re-creating a lost workflow. Two halves, because callers differ in when the
// workflow may start: the row and its audit event are written in the caller's transaction
// (recordNewItems), the workflow is started once that transaction is committed (startControl).
// putUnderControl does both for a caller with nothing else to write.

export interface NewItem {
  kind: ItemKind;
  title_ru: string;
  title_en?: string | null;
  description?: string | null;
  deliverable?: string | null;
  agency_id: number;
  co_agency_ids?: number[];
  executor_user_id?: number | null;
  roadmap_id?: number | null;
  number?: string | null;
  life_situation_id?: number | null;
  /** The social rating's direction or a regional sphere (direction.code). */
  direction?: string | null;
  service_id?: number | null;
  check_in_id?: number | null;
  /** An instruction's author (leadership), who entered it, the item it was given about, special control. */
  author_user_id?: number | null;
  given_by_user_id?: number | null;
  source_item_id?: number | null;
  special_control?: boolean;
  /** The first deadline (of the first period for a recurring item). */
  due: LocalDate;
  recurrence?: {
    every: Recurrence;
    periodKey: string;
    /** null: open-ended, reported on until cancelled. */
    until: LocalDate | null;
    dueDays: number;
    /** A day of the month written in the cadence, and 1 when it is in the month after the period. */
    dueDay?: number | null;
    dueMonthOffset?: number | null;
  } | null;
}

export interface Creation {
  /** The creating action's key, also the audit event's: an item already recorded under it is returned. */
  eventKey: string;
  actor: Actor;
  at: Date;
  /** The audit event's type: 'created', 'imported' for a roadmap import, 'instruction_given' by leadership. */
  type?: 'created' | 'imported' | 'instruction_given';
  /** Where the item came from (job and row, check-in, check), kept with the event. */
  data?: Record<string, unknown>;
}

/**
 * Writes the items and one audit event each, in the caller's transaction; nothing is started yet. Returns
 * the rows in the order given. Idempotent by the creation's event key: an entry whose key is already
 * recorded gets the item recorded then, nothing new.
 */
export async function recordNewItems(
  trx: Transaction<DB>,
  entries: { item: NewItem; creation: Creation }[],
): Promise<ControlItemRow[]> {
  if (entries.length === 0) return [];
  const keys = entries.map((e) => e.creation.eventKey);
  const known = new Map(
    (
      await trx
        .selectFrom('event')
        .select(['event_key', 'control_item_id'])
        .where('event_key', 'in', keys)
        .execute()
    ).map((e) => [e.event_key, e.control_item_id!]),
  );
  const fresh = entries.filter((e) => !known.has(e.creation.eventKey));
  const rowOf = new Map<string, ControlItemRow>();
  if (fresh.length) {
    // Postgres returns the rows of a multi-row INSERT … RETURNING in the order of its VALUES.
    const rows = await trx
      .insertInto('control_item')
      .values(
        fresh.map(({ item: i }) => ({
          kind: i.kind,
          roadmap_id: i.roadmap_id ?? null,
          number: i.number ?? null,
          title_ru: i.title_ru,
          title_en: i.title_en ?? null,
          description: i.description ?? null,
          deliverable: i.deliverable ?? null,
          life_situation_id: i.life_situation_id ?? null,
          direction: i.direction ?? null,
          agency_id: i.agency_id,
          co_agency_ids: i.co_agency_ids ?? [],
          executor_user_id: i.executor_user_id ?? null,
          service_id: i.service_id ?? null,
          check_in_id: i.check_in_id ?? null,
          author_user_id: i.author_user_id ?? null,
          given_by_user_id: i.given_by_user_id ?? null,
          source_item_id: i.source_item_id ?? null,
          special_control: i.special_control ?? false,
          original_due: i.due,
          current_due: i.due,
          recurrence: i.recurrence?.every ?? null,
          period_key: i.recurrence?.periodKey ?? null,
          recurrence_until: i.recurrence?.until ?? null,
          recurrence_due_days: i.recurrence?.dueDays ?? null,
          recurrence_due_day: i.recurrence?.dueDay ?? null,
          recurrence_due_month_offset: i.recurrence?.dueDay ? (i.recurrence.dueMonthOffset ?? 0) : null,
        })),
      )
      .returningAll()
      .execute();
    await trx
      .insertInto('event')
      .values(
        fresh.map(({ creation: c }, n) => ({
          event_key: c.eventKey,
          control_item_id: rows[n]!.id,
          check_in_id: rows[n]!.check_in_id,
          type: c.type ?? 'created',
          actor_user_id: c.actor.userId || null,
          at: c.at,
          after: JSON.stringify({
            status: rows[n]!.status,
            agencyId: rows[n]!.agency_id,
            currentDue: rows[n]!.current_due,
          }),
          data: JSON.stringify(c.data ?? {}),
        })),
      )
      .execute();
    fresh.forEach((e, n) => rowOf.set(e.creation.eventKey, rows[n]!));
  }
  if (known.size) {
    const old = await trx
      .selectFrom('control_item')
      .selectAll()
      .where('id', 'in', [...known.values()])
      .execute();
    for (const [key, id] of known)
      rowOf.set(
        key,
        old.find((r) => r.id === id)!,
      );
  }
  return keys.map((k) => rowOf.get(k)!);
}

export interface ControlDeps {
  db: Db;
  temporal: TemporalHandle;
  /** The region's chase policy; a roadmap's own settings (roadmap.chase_policy) override it. */
  policy: ChasePolicy;
}

/** A roadmap's chase policy: the region's, with the roadmap's own settings (roadmap.chase_policy). */
export const roadmapPolicy = (
  base: ChasePolicy,
  own: Partial<ChasePolicy> | null | undefined,
): ChasePolicy => ({
  ...base,
  ...(own ?? {}),
  utcOffsetMinutes: base.utcOffsetMinutes,
});

/** The chase policy of each roadmap (and of items without one: the region's). */
export async function policiesOf(db: Db, roadmapIds: (number | null)[], base: ChasePolicy) {
  const ids = [...new Set(roadmapIds.filter((r): r is number => r !== null))];
  const rows = ids.length
    ? await db.selectFrom('roadmap').select(['id', 'chase_policy']).where('id', 'in', ids).execute()
    : [];
  const own = new Map(rows.map((r) => [r.id, r.chase_policy as Partial<ChasePolicy> | null]));
  return (roadmapId: number | null) => roadmapPolicy(base, roadmapId === null ? null : own.get(roadmapId));
}

/**
 * Starts the workflow of each open item (its state from the database, its roadmap's policy). Starting a
 * running one is a no-op (same workflow id), so this also re-creates lost workflows and is safe to
 * repeat. A service improvement's stage items are left alone: their parent runs them as children.
 * Returns how many workflows were asked for.
 */
export async function startControl(
  deps: ControlDeps,
  itemIds: number[],
  opts: { concurrency?: number } = {},
): Promise<number> {
  if (itemIds.length === 0) return 0;
  const rows = await deps.db
    .selectFrom('control_item')
    .selectAll()
    .where('id', 'in', itemIds)
    .where('status', 'not in', ['done', 'cancelled'])
    .where('kind', '!=', 'service_improvement')
    .orderBy('id')
    .execute();
  const [states, policyOf, calendar] = await Promise.all([
    itemStatesOf(deps.db, rows),
    policiesOf(
      deps.db,
      rows.map((r) => r.roadmap_id),
      deps.policy,
    ),
    // Read now, and its version again after the starts (catchUpCalendar): a calendar change between the
    // two may have been rolled out before these workflows existed.
    workflowCalendar(deps.db),
  ]);
  let next = 0;
  const lane = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      await startControlItem(deps.temporal, states.get(row.id)!, policyOf(row.roadmap_id), calendar);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, rows.length) }, lane));
  await catchUpCalendar(
    deps,
    calendar.version,
    rows.map((r) => r.id),
  );
  return rows.length;
}

/**
 * Puts new items under control: rows and audit events in one transaction, then their workflows. For a
 * caller with nothing else to write; a caller repeating the same creation keys gets the same items back.
 */
export async function putUnderControl(
  deps: ControlDeps,
  entries: { item: NewItem; creation: Creation }[],
): Promise<ControlItemRow[]> {
  const rows = await deps.db.transaction().execute((trx) => recordNewItems(trx, entries));
  await startControl(
    deps,
    rows.map((r) => r.id),
  );
  return rows;
}
