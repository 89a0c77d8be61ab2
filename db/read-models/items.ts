import { sql, type SqlBool } from 'kysely';
import type { Db } from '../connect.ts';
import type { ItemKind, ItemStatus } from '../../domain/control-item/index.ts';
import { lateness, type Lateness } from '../../domain/control-item/lateness.ts';
import { instantToLocalDate, type LocalDate } from '../../domain/local-date.ts';
import { utcOffsetMinutesOf } from '../../domain/time-zone.ts';

/** "Now" as the read models see it: the region's calendar date and zone. */
export interface ReadContext {
  today: LocalDate;
  timeZone: string;
}

/** Open items past their deadline, waiting on the executor (a submission under review is not overdue). */
export const overdueSql = (today: LocalDate) =>
  sql<boolean>`(i.status in ('assigned','in_progress','returned') and i.current_due < ${today}::date)`;

/** Columns a list of items sorts by (db order below; the number sorts as 1.2 < 1.10 < 2.1). */
export const ITEM_SORTS = ['number', 'title', 'agency', 'roadmap', 'due', 'status'] as const;
export type ItemSort = (typeof ITEM_SORTS)[number];

export interface ItemFilters {
  status?: ItemStatus | 'overdue' | 'open' | undefined;
  /** One roadmap's items, or 'none': items outside every roadmap (instructions, checks' remediation). */
  roadmapId?: number | 'none' | undefined;
  kind?: ItemKind | undefined;
  agencyId?: number | undefined;
  lifeSituationId?: number | undefined;
  /** The measure's direction (direction.code): its own, else its service's — as the rating counts it. */
  direction?: string | undefined;
  q?: string | undefined;
  /** Only items where this agency is responsible or a co-executor. */
  involvingAgencyId?: number | undefined;
  /** Only items where this agency is a co-executor. */
  coAgencyId?: number | undefined;
  dueWithinDays?: number | undefined;
  /** Current deadline on or after / on or before these dates. */
  dueFrom?: LocalDate | undefined;
  dueTo?: LocalDate | undefined;
  limit?: number;
  offset?: number;
  /** Default: open before closed, then by control date. */
  sort?: { key: ItemSort; dir: 'asc' | 'desc' } | undefined;
}

function itemsBase(db: Db) {
  return db
    .selectFrom('control_item as i')
    .innerJoin('agency as a', 'a.id', 'i.agency_id')
    .leftJoin('life_situation as ls', 'ls.id', 'i.life_situation_id')
    .leftJoin('roadmap as rm', 'rm.id', 'i.roadmap_id');
}

/** The roadmap of an item (`rm` joined to `i`), as every list of items shows it. */
export const ROADMAP_OF_ITEM = [
  'i.roadmap_id',
  'rm.code as roadmap_code',
  'rm.title_ru as roadmap_title_ru',
  'rm.title_en as roadmap_title_en',
] as const;

/** An item's agency (`a`) and roadmap (`rm`), as the shared item columns show them (web/views/item-columns). */
export const AGENCY_AND_ROADMAP_OF_ITEM = [
  'i.agency_id',
  'a.code as agency_code',
  'a.short_ru as agency_short_ru',
  'a.short_en as agency_short_en',
  'a.title_ru as agency_title_ru',
  'a.title_en as agency_title_en',
  ...ROADMAP_OF_ITEM,
] as const;

/** "9.3" as [9, 3] for ordering; numbers that are not dotted integers order after, by their text. */
const numberParts = sql`case when i.number ~ '^[0-9]{1,6}(\.[0-9]{1,6})*$'
  then string_to_array(i.number, '.')::int[] end`;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** Search text → exact item number (a leading "№" or "#" ignored), its section ("3" → 3.1, 3.2 …) or title. */
function searchTerms(raw: string) {
  const text = raw.trim();
  const number = text.replace(/^(№|#)\s*/, '');
  return { like: `%${escapeLike(text)}%`, number, section: `${escapeLike(number)}.%` };
}

/** Containment rather than `= any(…)`: the GIN index on co_agency_ids (migration 0006) serves it. */
const coExecutes = (agencyId: number) => sql<SqlBool>`i.co_agency_ids @> array[${agencyId}]::int[]`;

/** An item's direction as the rating counts it: its own, else its service's. */
const directionOf = sql<string>`coalesce(i.direction,
  (select s.direction from service s where s.id = i.service_id))`;

function filtered(db: Db, today: LocalDate, f: ItemFilters) {
  let q = itemsBase(db);
  if (f.status === 'overdue') q = q.where(overdueSql(today));
  else if (f.status === 'open') q = q.where('i.status', 'not in', ['done', 'cancelled']);
  else if (f.status) q = q.where('i.status', '=', f.status);
  if (f.agencyId) q = q.where('i.agency_id', '=', f.agencyId);
  if (f.roadmapId === 'none') q = q.where('i.roadmap_id', 'is', null);
  else if (f.roadmapId) q = q.where('i.roadmap_id', '=', f.roadmapId);
  if (f.kind) q = q.where('i.kind', '=', f.kind);
  if (f.lifeSituationId) q = q.where('i.life_situation_id', '=', f.lifeSituationId);
  if (f.direction) q = q.where(directionOf, '=', f.direction);
  if (f.involvingAgencyId) {
    const a = f.involvingAgencyId;
    q = q.where((eb) => eb.or([eb('i.agency_id', '=', a), coExecutes(a)]));
  }
  if (f.coAgencyId) q = q.where(coExecutes(f.coAgencyId));
  if (f.dueWithinDays !== undefined) {
    q = q.where('i.current_due', '<=', sql<LocalDate>`${today}::date + ${f.dueWithinDays}::int`);
  }
  if (f.dueFrom) q = q.where('i.current_due', '>=', f.dueFrom);
  if (f.dueTo) q = q.where('i.current_due', '<=', f.dueTo);
  if (f.q?.trim()) {
    const { like, number, section } = searchTerms(f.q);
    q = q.where((eb) =>
      eb.or([
        eb('i.title_ru', 'ilike', like),
        eb('i.title_en', 'ilike', like),
        eb('i.number', '=', number),
        eb('i.number', 'like', section),
      ]),
    );
  }
  return q;
}

export async function listItems(db: Db, today: LocalDate, f: ItemFilters = {}) {
  let q = filtered(db, today, f).select([
    'i.id',
    'i.kind',
    'i.number',
    'i.title_ru',
    'i.title_en',
    'i.status',
    'i.current_due',
    'i.original_due',
    'i.escalation_level',
    'i.agency_id',
    'a.code as agency_code',
    'a.short_ru as agency_short_ru',
    'a.short_en as agency_short_en',
    'a.title_en as agency_title_en',
    'ls.title_ru as ls_title_ru',
    'ls.title_en as ls_title_en',
    ...ROADMAP_OF_ITEM,
    'i.co_agency_ids',
    'i.deliverable',
    'i.accepted_at',
    'a.title_ru as agency_title_ru',
    directionOf.as('direction'),
    overdueSql(today).as('overdue'),
  ]);
  const dir = f.sort?.dir ?? 'asc';
  switch (f.sort?.key) {
    case 'number':
      q = q.orderBy(numberParts, sql.raw(`${dir} nulls last`)).orderBy('i.number', dir);
      break;
    case 'title':
      q = q.orderBy('i.title_ru', dir);
      break;
    case 'agency':
      q = q.orderBy(sql`coalesce(a.short_ru, a.title_ru)`, dir);
      break;
    case 'roadmap':
      q = q.orderBy('rm.code', sql.raw(`${dir} nulls last`)).orderBy(numberParts, sql.raw('asc nulls last'));
      break;
    case 'due':
      q = q.orderBy('i.current_due', dir);
      break;
    case 'status':
      // Overdue first when ascending: the order of urgency, then the lifecycle's order.
      q = q
        .orderBy(overdueSql(today), dir === 'asc' ? 'desc' : 'asc')
        .orderBy(
          sql`array_position(array['returned','assigned','in_progress','submitted','done','cancelled'], i.status::text)`,
          dir,
        );
      break;
    default:
      q = q.orderBy(sql`case when i.status in ('done','cancelled') then 1 else 0 end`);
  }
  return q
    .orderBy('i.current_due')
    .orderBy('i.id')
    .limit(f.limit ?? 50)
    .offset(f.offset ?? 0)
    .execute();
}

/** How many items match the filters (limit and offset ignored), for pagination. */
export async function countItems(db: Db, today: LocalDate, f: ItemFilters = {}): Promise<number> {
  const r = await filtered(db, today, f)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function getItem(db: Db, id: number, today: LocalDate) {
  return itemsBase(db)
    .leftJoin('service as srv', 'srv.id', 'i.service_id')
    .selectAll('i')
    .select([
      // A remediation item without a direction of its own counts under its service's (the rating's rule).
      'srv.direction as service_direction',
      'a.code as agency_code',
      'a.title_ru as agency_title_ru',
      'a.title_en as agency_title_en',
      'ls.code as ls_code',
      'ls.title_ru as ls_title_ru',
      'ls.title_en as ls_title_en',
      overdueSql(today).as('overdue'),
    ])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

/**
 * An item's lateness as every page shows it (domain/control-item/lateness.ts): working days past the
 * control date, until today while overdue or until acceptance (in the region's calendar) once done.
 */
export function latenessOf(
  item: { status: ItemStatus; current_due: LocalDate; accepted_at: Date | null },
  ctx: ReadContext,
): Lateness {
  const accepted = item.accepted_at
    ? instantToLocalDate(item.accepted_at.getTime(), utcOffsetMinutesOf(ctx.timeZone, item.accepted_at))
    : null;
  return lateness({ status: item.status, currentDue: item.current_due, accepted }, ctx.today);
}

export async function agenciesByIds(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('agency')
    .select(['id', 'code', 'short_ru', 'short_en', 'title_ru', 'title_en'])
    .where('id', 'in', ids)
    .execute();
}

/** The audit trail of an item, newest first, with who did it. */
export async function itemTimeline(db: Db, id: number) {
  return db
    .selectFrom('event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.type', 'e.at', 'e.before', 'e.after', 'e.data', 'u.display_name as actor_name'])
    .where('e.control_item_id', '=', id)
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .execute();
}

export async function latestSubmission(db: Db, itemId: number) {
  return db
    .selectFrom('submission')
    .selectAll()
    .where('control_item_id', '=', itemId)
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** At most this many rows in an export of a filtered list (the whole programme fits many times over). */
export const EXPORT_MAX_ROWS = 100_000;

/**
 * The rows of a filtered list for its XLSX (every page, in the list's order), with lateness in working
 * days as the pages show it.
 */
export async function itemExportRows(db: Db, ctx: ReadContext, f: ItemFilters) {
  const { limit: _, offset: __, ...filters } = f;
  const rows = await listItems(db, ctx.today, { ...filters, limit: EXPORT_MAX_ROWS });
  return rows.map((r) => ({ ...r, late: latenessOf(r, ctx) }));
}
