import type { Db } from '../../db/index.ts';
import { forbidden, notFound, validation } from '../../domain/errors.ts';
import { isProjectOffice, type Actor } from '../../domain/roles.ts';

/**
 * The working group (or an admin) sets or clears a measure's direction — one of the social rating's ten
 * or a regional sphere (table `direction`). The direction is data, not workflow state (the rating reads it,
 * nothing in the item's control depends on it), so it is written here with its audit event rather than
 * sent through the item's workflow. Permission is told before the value is checked. A repeated key (the
 * same form posted twice) changes nothing more; setting the direction an item already has writes nothing.
 */
export async function setItemDirection(
  deps: { db: Db },
  o: { actor: Actor; itemId: number; direction: string | null; idempotencyKey: string },
): Promise<{ changed: boolean }> {
  const { db } = deps;
  if (!isProjectOffice(o.actor.role))
    throw forbidden('error.forbidden.direction', 'only the working group sets a direction');
  const item = await db
    .selectFrom('control_item')
    .select(['id', 'direction'])
    .where('id', '=', o.itemId)
    .executeTakeFirst();
  if (!item) throw notFound('error.item.notFound', `item ${o.itemId} not found`);
  const code = o.direction?.trim() || null;
  if (code !== null) {
    const known = await db.selectFrom('direction').select('code').where('code', '=', code).executeTakeFirst();
    if (!known)
      throw validation('direction', 'error.direction.unknown', `unknown direction ${code.slice(0, 40)}`);
  }
  return db.transaction().execute(async (trx) => {
    const earlier = await trx
      .selectFrom('event')
      .select('id')
      .where('event_key', '=', o.idempotencyKey)
      .executeTakeFirst();
    if (earlier) return { changed: false };
    const now = await trx
      .selectFrom('control_item')
      .select('direction')
      .where('id', '=', item.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (now.direction === code) return { changed: false };
    const at = new Date();
    await trx
      .updateTable('control_item')
      .set({ direction: code, updated_at: at })
      .where('id', '=', item.id)
      .execute();
    await trx
      .insertInto('event')
      .values({
        event_key: o.idempotencyKey,
        control_item_id: item.id,
        type: 'direction.changed',
        actor_user_id: o.actor.userId,
        at,
        before: JSON.stringify({ direction: now.direction }),
        after: JSON.stringify({ direction: code }),
      })
      .execute();
    return { changed: true };
  });
}
