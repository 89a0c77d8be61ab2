import type { Db } from '../../db/index.ts';
import { notFound, validation } from '../../domain/errors.ts';

// Saved views: a person's named filters and sort of a list, kept in the database (saved_view, migration
// 0014), shown as links above the list. The query is stored as the list's canonical query string; the
// page parses it again when the link is followed, so a stale or edited view can only show a list.

export const MAX_VIEWS = 20;
export const MAX_VIEW_NAME = 80;

export type ViewList = 'items';

/** Saves the view under its name (the same name replaces the earlier one). */
export async function saveView(
  db: Db,
  o: { userId: number; list: ViewList; name: string; query: string },
): Promise<number> {
  const name = o.name.trim();
  if (!name) throw validation('name', 'error.field.required', 'a view needs a name');
  if (name.length > MAX_VIEW_NAME)
    throw validation('name', 'error.field.tooLong', 'the name is too long', { max: MAX_VIEW_NAME });
  if (o.query.length > 1000) throw validation('name', 'error.view.tooLong', 'the view is too long');
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('saved_view')
      .select(['id', 'name'])
      .where('user_id', '=', o.userId)
      .where('list', '=', o.list)
      .forUpdate()
      .execute();
    const same = existing.find((v) => v.name === name);
    if (same) {
      await trx.updateTable('saved_view').set({ query: o.query }).where('id', '=', same.id).execute();
      return same.id;
    }
    if (existing.length >= MAX_VIEWS)
      throw validation('name', 'error.view.tooMany', 'too many saved views', { max: MAX_VIEWS });
    const row = await trx
      .insertInto('saved_view')
      .values({ user_id: o.userId, list: o.list, name, query: o.query })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** Deletes one of the person's views; someone else's does not exist for them. */
export async function deleteView(db: Db, o: { userId: number; id: number }) {
  const r = await db
    .deleteFrom('saved_view')
    .where('id', '=', o.id)
    .where('user_id', '=', o.userId)
    .executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound('error.notFound', 'no such saved view');
}
