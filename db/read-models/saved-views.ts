import type { Db } from '../connect.ts';

/** A person's saved views of one list, by name. */
export async function savedViews(db: Db, userId: number, list: 'items') {
  return db
    .selectFrom('saved_view')
    .select(['id', 'name', 'query'])
    .where('user_id', '=', userId)
    .where('list', '=', list)
    .orderBy('name')
    .execute();
}
