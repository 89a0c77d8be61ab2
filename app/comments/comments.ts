import type { Db } from '../../db/index.ts';
import { queueMail, recipientsByIds, resolveRecipients } from '../../db/outbox.ts';
import { forbidden, notFound, validation } from '../../domain/errors.ts';
import { peopleMail } from '../../domain/notifications/people-mail.ts';
import { isAgencyRole, isProjectOffice, type Actor } from '../../domain/roles.ts';

export const COMMENT_MAX = 5000;

/** Who may write in an item's thread: the project office, the leadership, and the agencies it involves. */
export function mayComment(actor: Actor, item: { agency_id: number; co_agency_ids: number[] }) {
  if (isProjectOffice(actor.role) || actor.role === 'leadership') return true;
  return (
    isAgencyRole(actor.role) &&
    actor.agencyId !== null &&
    (item.agency_id === actor.agencyId || item.co_agency_ids.includes(actor.agencyId))
  );
}

/**
 * A comment in an item's thread. Everyone taking part hears of it (inbox and email), the writer aside: the
 * responsible agency's named executor (or its executors) and head, the co-executors' heads, an
 * instruction's author, and whoever wrote in the thread or acted on the item before (a reviewer of the
 * working group, say). A repeated key returns the comment made with it.
 */
export async function addComment(
  deps: { db: Db; publicUrl: string },
  o: { actor: Actor; itemId: number; body: string; idempotencyKey: string },
): Promise<{ commentId: number; notified: number }> {
  const { db } = deps;
  const item = await db
    .selectFrom('control_item')
    .select([
      'id',
      'number',
      'title_ru',
      'agency_id',
      'co_agency_ids',
      'executor_user_id',
      'author_user_id',
      'current_due',
    ])
    .where('id', '=', o.itemId)
    .executeTakeFirst();
  if (!item) throw notFound('error.item.notFound', `item ${o.itemId} not found`);
  if (!mayComment(o.actor, item))
    throw forbidden('error.forbidden.comment', 'not a participant of this item');
  const body = o.body.trim();
  if (!body) throw validation('body', 'error.field.required', 'the comment is empty');
  if (body.length > COMMENT_MAX)
    throw validation('body', 'error.field.tooLong', 'too long', { max: COMMENT_MAX });

  return db.transaction().execute(async (trx) => {
    const earlier = await trx
      .selectFrom('item_comment')
      .select(['id', 'control_item_id'])
      .where('event_key', '=', o.idempotencyKey)
      .executeTakeFirst();
    if (earlier) return { commentId: earlier.id, notified: 0 };
    const at = new Date();
    const c = await trx
      .insertInto('item_comment')
      .values({
        control_item_id: item.id,
        author_user_id: o.actor.userId,
        event_key: o.idempotencyKey,
        body,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('event')
      .values({
        event_key: o.idempotencyKey,
        control_item_id: item.id,
        type: 'comment.added',
        actor_user_id: o.actor.userId,
        at,
        data: JSON.stringify({ commentId: c.id }),
      })
      .execute();
    const earlierPeople = await trx
      .selectFrom('event as e')
      .innerJoin('app_user as u', 'u.id', 'e.actor_user_id')
      .select('u.id')
      .distinct()
      .where('e.control_item_id', '=', item.id)
      .where((eb) =>
        eb.or([eb('e.type', '=', 'comment.added'), eb('u.role', 'in', ['working_group', 'leadership'])]),
      )
      .execute();
    const people = [
      ...(await resolveRecipients(trx, ['executors', 'agency_head'], item.agency_id, item.executor_user_id)),
      ...(
        await Promise.all(item.co_agency_ids.map((a) => resolveRecipients(trx, ['agency_head'], a, null)))
      ).flat(),
      ...(await recipientsByIds(trx, [
        ...(item.author_user_id ? [item.author_user_id] : []),
        ...earlierPeople.map((p) => p.id),
      ])),
    ].filter((r) => r.id !== o.actor.userId);
    const recipients = [...new Map(people.map((r) => [r.id, r])).values()];
    const writer = await trx
      .selectFrom('app_user')
      .select('display_name')
      .where('id', '=', o.actor.userId)
      .executeTakeFirst();
    const notified = await queueMail(trx, {
      eventKey: o.idempotencyKey,
      itemId: item.id,
      kind: 'comment',
      recipients,
      render: (l) =>
        peopleMail(
          'comment',
          {
            itemRef: item.number ? `№ ${item.number}` : `#${item.id}`,
            title: item.title_ru,
            url: `${deps.publicUrl.replace(/\/$/, '')}/items/${item.id}#comments`,
            due: item.current_due,
            by: writer?.display_name ?? '',
            note: body.length > 600 ? `${body.slice(0, 600)}…` : body,
          },
          l,
        ),
    });
    return { commentId: c.id, notified };
  });
}
