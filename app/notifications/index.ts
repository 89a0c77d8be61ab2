import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { notFound } from '../../domain/errors.ts';

// The in-app inbox: notifications (outbox rows) addressed to a user, marked read by that user only; each
// person's choice of immediate emails or one daily digest (its Schedule: digest-schedule.ts).
export * from './digest-schedule.ts';

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

/** Marks the user's notices about one item read: opening the item (or its group in the inbox) reads them. */
export async function markItemNotificationsRead(db: Db, o: { userId: number; itemId: number }) {
  const r = await db
    .updateTable('notification')
    .set({ read_at: sql<Date>`now()` })
    .where('recipient_user_id', '=', o.userId)
    .where('control_item_id', '=', o.itemId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export const NOTIFY_MODES = ['immediate', 'digest'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];

/** A person's choice: every notice emailed as it comes, or one digest email a day. */
export async function setNotifyMode(db: Db, o: { userId: number; mode: NotifyMode }) {
  await db.updateTable('app_user').set({ notify_mode: o.mode }).where('id', '=', o.userId).execute();
}
