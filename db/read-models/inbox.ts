import type { Db } from '../connect.ts';

// The in-app inbox: every notification row addressed to a user, whether or not it was also emailed.

export const INBOX_PAGE_SIZE = 50;

export async function inboxPage(db: Db, userId: number, page = 1) {
  const rows = await db
    .selectFrom('notification')
    .select(['id', 'kind', 'subject', 'body_text', 'control_item_id', 'created_at', 'read_at'])
    .where('recipient_user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(INBOX_PAGE_SIZE + 1)
    .offset((page - 1) * INBOX_PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, INBOX_PAGE_SIZE), hasMore: rows.length > INBOX_PAGE_SIZE };
}

export async function unreadCount(db: Db, userId: number): Promise<number> {
  const r = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipient_user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
