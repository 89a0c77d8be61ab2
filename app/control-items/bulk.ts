import type { Db } from '../../db/index.ts';
import { queueMail, resolveRecipients } from '../../db/outbox.ts';
import { isOverdue, overdueWorkingDays, type ChasePolicy } from '../../domain/control-item/index.ts';
import { forbidden, ShtabError, validation } from '../../domain/errors.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { peopleMail } from '../../domain/notifications/people-mail.ts';
import { isProjectOffice, type Actor } from '../../domain/roles.ts';
import type { TemporalHandle } from '../temporal.ts';
import { runItemCommand } from './run-command.ts';

// What the working group does to several items at once: accept their reports, remind their executors.

export const BULK_MAX = 100;

export interface BulkOutcome {
  done: number[];
  /** Items left as they were, with the reason (a message key and its parameters). */
  refused: { itemId: number; key: string; params?: Record<string, string | number> }[];
}

function checkIds(ids: number[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw validation('itemIds', 'error.bulk.none', 'choose at least one item');
  if (unique.length > BULK_MAX)
    throw validation('itemIds', 'error.bulk.tooMany', 'too many items', { max: BULK_MAX });
  return unique;
}

/**
 * Accepts each report through the one action pipeline (permission, repeat check, the item's Update): an
 * item another reviewer decided meanwhile is refused on its own and the others go through. The key of
 * each acceptance is the bulk action's key and the item's, so a repeated post accepts nothing twice.
 */
export async function acceptReports(
  deps: { db: Db; temporal: TemporalHandle; policy?: ChasePolicy },
  o: { actor: Actor; itemIds: number[]; idempotencyKey: string },
): Promise<BulkOutcome> {
  const ids = checkIds(o.itemIds);
  const out: BulkOutcome = { done: [], refused: [] };
  for (const itemId of ids) {
    try {
      await runItemCommand(deps, {
        actor: o.actor,
        itemId,
        idempotencyKey: `${o.idempotencyKey}:${itemId}`,
        command: { type: 'review', outcome: 'accept' },
      });
      out.done.push(itemId);
    } catch (e) {
      if (!(e instanceof ShtabError) || e.code === 'unavailable') throw e;
      out.refused.push({
        itemId,
        key: e.detail.key,
        ...(e.detail.params ? { params: e.detail.params } : {}),
      });
    }
  }
  return out;
}

/**
 * The working group's reminder to the executors and heads of items that wait on them, at most one per
 * item and day (a second one the same day is refused for that item). Not a lifecycle change: an audit
 * event and the notices, no Update.
 */
export async function remindExecutors(
  deps: { db: Db; publicUrl: string },
  o: { actor: Actor; itemIds: number[]; today: LocalDate },
): Promise<BulkOutcome> {
  if (!isProjectOffice(o.actor.role))
    throw forbidden('error.forbidden.projectOfficeOnly', 'only the working group sends reminders');
  const ids = checkIds(o.itemIds);
  const out: BulkOutcome = { done: [], refused: [] };
  await deps.db.transaction().execute(async (trx) => {
    const items = await trx
      .selectFrom('control_item')
      .select(['id', 'number', 'title_ru', 'status', 'current_due', 'agency_id', 'executor_user_id'])
      .where('id', 'in', ids)
      .execute();
    const by = await trx
      .selectFrom('app_user')
      .select('display_name')
      .where('id', '=', o.actor.userId)
      .executeTakeFirst();
    for (const itemId of ids) {
      const item = items.find((i) => i.id === itemId);
      if (!item) {
        out.refused.push({ itemId, key: 'error.item.notFound' });
        continue;
      }
      if (!['assigned', 'in_progress', 'returned'].includes(item.status)) {
        out.refused.push({ itemId, key: 'error.remind.notWaiting' });
        continue;
      }
      const key = `remind:${item.id}:${o.today}`;
      const inserted = await trx
        .insertInto('event')
        .values({
          event_key: key,
          control_item_id: item.id,
          type: 'reminder.manual',
          actor_user_id: o.actor.userId,
          at: new Date(),
          data: JSON.stringify({ date: o.today }),
        })
        .onConflict((oc) => oc.column('event_key').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
        out.refused.push({ itemId, key: 'error.remind.today' });
        continue;
      }
      const late = isOverdue({ status: item.status, currentDue: item.current_due }, o.today);
      await queueMail(trx, {
        eventKey: key,
        itemId: item.id,
        kind: 'manual_reminder',
        recipients: await resolveRecipients(
          trx,
          ['executors', 'agency_head'],
          item.agency_id,
          item.executor_user_id,
        ),
        render: (l) =>
          peopleMail(
            'manual_reminder',
            {
              itemRef: item.number ? `№ ${item.number}` : `#${item.id}`,
              title: item.title_ru,
              url: `${deps.publicUrl.replace(/\/$/, '')}/items/${item.id}`,
              due: item.current_due,
              by: by?.display_name ?? '',
              ...(late
                ? {
                    daysOverdue: overdueWorkingDays(
                      { status: item.status, currentDue: item.current_due },
                      o.today,
                    ),
                  }
                : {}),
            },
            l,
          ),
      });
      out.done.push(item.id);
    }
  });
  return out;
}
