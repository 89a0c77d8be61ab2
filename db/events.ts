import type { Db } from './connect.ts';

/** The audit event recorded under this key (an idempotency key of a user's action), if any. */
export async function eventByKey(db: Db, key: string) {
  return db
    .selectFrom('event')
    .select(['control_item_id', 'type', 'actor_user_id'])
    .where('event_key', '=', key)
    .executeTakeFirst();
}
