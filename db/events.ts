import { sql, type Transaction } from 'kysely';
import type { Db } from './connect.ts';
import type { DB } from './schema/index.ts';

type Q = Db | Transaction<DB>;

/** The audit event recorded under this key (an idempotency key of a user's action), if any. */
export async function eventByKey(db: Db, key: string) {
  return db
    .selectFrom('event')
    .select(['control_item_id', 'type', 'actor_user_id'])
    .where('event_key', '=', key)
    .executeTakeFirst();
}

/** Writes an audit event outside any item (accounts, rules, reference data); `data` names the subject. */
export async function recordAuditEvent(
  q: Q,
  e: {
    key: string;
    type: string;
    actorUserId: number | null;
    before?: unknown;
    after?: unknown;
    data?: Record<string, unknown>;
  },
) {
  await q
    .insertInto('event')
    .values({
      event_key: e.key,
      type: e.type,
      actor_user_id: e.actorUserId,
      at: sql<Date>`now()`,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      data: e.data ? JSON.stringify(e.data) : null,
    })
    .execute();
}
