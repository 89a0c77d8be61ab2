import type { Db } from '../connect.ts';
import {
  DEFAULT_EXTENSION_THRESHOLD,
  EXTENSION_THRESHOLD_KEY,
  parseExtensionThreshold,
} from '../../domain/people/decisions.ts';

// The people around one item: its comment thread, the head's assignments inside the agency, who gave an
// instruction (and on whose behalf); and the working group's threshold for extensions leadership decides.

export async function itemComments(db: Db, itemId: number) {
  return db
    .selectFrom('item_comment as c')
    .innerJoin('app_user as u', 'u.id', 'c.author_user_id')
    .select(['c.id', 'c.body', 'c.created_at', 'u.display_name as author_name', 'u.role as author_role'])
    .where('c.control_item_id', '=', itemId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
}

/** The item's assignments inside the agency, newest first. */
export async function itemAssignments(db: Db, itemId: number) {
  return db
    .selectFrom('assignment as a')
    .innerJoin('app_user as u', 'u.id', 'a.assignee_user_id')
    .leftJoin('app_user as h', 'h.id', 'a.assigned_by')
    .select([
      'a.id',
      'a.assignee_user_id',
      'a.internal_due',
      'a.note',
      'a.status',
      'a.created_at',
      'a.closed_at',
      'u.display_name as assignee_name',
      'h.display_name as assigned_by_name',
    ])
    .where('a.control_item_id', '=', itemId)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

/** An instruction's author, who entered it, and the item or meeting it came from. */
export async function instructionOrigin(
  db: Db,
  item: { author_user_id: number | null; given_by_user_id: number | null; source_item_id: number | null },
) {
  const ids = [item.author_user_id, item.given_by_user_id].filter((x): x is number => x !== null);
  const [people, source] = await Promise.all([
    ids.length
      ? db.selectFrom('app_user').select(['id', 'display_name', 'role']).where('id', 'in', ids).execute()
      : Promise.resolve([]),
    item.source_item_id
      ? db
          .selectFrom('control_item')
          .select(['id', 'number', 'kind', 'title_ru', 'title_en'])
          .where('id', '=', item.source_item_id)
          .executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  return {
    author: people.find((p) => p.id === item.author_user_id) ?? null,
    givenBy: people.find((p) => p.id === item.given_by_user_id) ?? null,
    source: source ?? null,
  };
}

/** Extension requests that move the control date by at least this many working days go to leadership. */
export async function extensionThreshold(db: Db): Promise<number> {
  const r = await db
    .selectFrom('setting')
    .select('value')
    .where('key', '=', EXTENSION_THRESHOLD_KEY)
    .executeTakeFirst();
  return parseExtensionThreshold(r?.value) ?? DEFAULT_EXTENSION_THRESHOLD;
}
