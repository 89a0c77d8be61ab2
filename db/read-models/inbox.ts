import { sql } from 'kysely';
import type { Db } from '../connect.ts';

// The in-app inbox: every notification row addressed to a user, whether or not it was also emailed (or
// went out in a daily digest).

export async function unreadCount(db: Db, userId: number): Promise<number> {
  const r = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipient_user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Groups (an item's notices, or a notice about no item) per inbox page. */
export const INBOX_GROUPS_PER_PAGE = 25;
/** The latest notices shown per group; the group says how many there are in all. */
export const INBOX_NOTICES_PER_GROUP = 5;

/**
 * The inbox grouped per item, the group with the latest notice first: each item once, with its unread
 * count and latest notices (notices about no item are groups of their own).
 */
export async function inboxGroups(db: Db, userId: number, page = 1) {
  const groups = await sql<{
    gk: number;
    item_id: number | null;
    last_at: Date;
    total: number;
    unread: number;
  }>`
    select coalesce(control_item_id, -id) as gk, max(control_item_id) as item_id, max(created_at) as last_at,
      count(*)::int as total, (count(*) filter (where read_at is null))::int as unread
    from notification where recipient_user_id = ${userId}
    group by coalesce(control_item_id, -id)
    order by last_at desc, gk desc
    limit ${INBOX_GROUPS_PER_PAGE + 1} offset ${(page - 1) * INBOX_GROUPS_PER_PAGE}`.execute(db);
  const shown = groups.rows.slice(0, INBOX_GROUPS_PER_PAGE);
  if (shown.length === 0) return { groups: [], hasMore: false };
  const keys = shown.map((g) => Number(g.gk));
  const notices = await sql<{
    id: number;
    gk: number;
    kind: string;
    subject: string;
    body_text: string;
    locale: 'ru' | 'en';
    created_at: Date;
    read_at: Date | null;
  }>`
    select id, gk, kind, subject, body_text, locale, created_at, read_at from (
      select n.*, coalesce(n.control_item_id, -n.id) as gk,
        row_number() over (partition by coalesce(n.control_item_id, -n.id) order by n.created_at desc, n.id desc) as rn
      from notification n
      where n.recipient_user_id = ${userId} and coalesce(n.control_item_id, -n.id) = any(${keys}::int[])
    ) x where rn <= ${INBOX_NOTICES_PER_GROUP}
    order by created_at desc, id desc`.execute(db);
  const itemIds = shown.map((g) => g.item_id).filter((x): x is number => x !== null);
  const items = itemIds.length
    ? await db
        .selectFrom('control_item')
        .select(['id', 'number', 'kind', 'title_ru', 'title_en'])
        .where('id', 'in', itemIds)
        .execute()
    : [];
  return {
    groups: shown.map((g) => ({
      key: Number(g.gk),
      item: items.find((i) => i.id === g.item_id) ?? null,
      lastAt: new Date(g.last_at),
      total: Number(g.total),
      unread: Number(g.unread),
      notices: notices.rows
        .filter((n) => Number(n.gk) === Number(g.gk))
        .map((n) => ({ ...n, id: Number(n.id), created_at: new Date(n.created_at) })),
    })),
    hasMore: groups.rows.length > INBOX_GROUPS_PER_PAGE,
  };
}
