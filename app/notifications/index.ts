import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { notFound } from '../../domain/errors.ts';

// The in-app inbox: notifications (outbox rows) addressed to a user, marked read by that user only.

/** Marks one of the user's notifications read; someone else's does not exist for them. */
export async function markNotificationRead(db: Db, o: { userId: number; id: number }) {
  const r = await db
    .updateTable('notification')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('id', '=', o.id)
    .where('recipient_user_id', '=', o.userId)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw notFound('error.notFound', 'no such notification');
}

/** Marks every unread notification of the user read. */
export async function markAllNotificationsRead(db: Db, userId: number) {
  await db
    .updateTable('notification')
    .set({ read_at: sql<Date>`now()` })
    .where('recipient_user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute();
}
