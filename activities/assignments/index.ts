import { settleAssignments } from '../../db/assignments.ts';
import type { Db } from '../../db/connect.ts';
import { recipientsByIds } from '../../db/outbox.ts';
import { assignmentLateness } from '../../domain/people/assignment.ts';
import { enqueue, resolveRecipients } from '../notifications/index.ts';
import type { AssignmentActivities } from './types.ts';

export type { AssignmentActivities } from './types.ts';

export interface AssignmentActivityDeps {
  db: Db;
  publicUrl: string;
  onNotificationsQueued?: () => void;
}

export function createAssignmentActivities(deps: AssignmentActivityDeps): AssignmentActivities {
  const { db } = deps;
  const itemUrl = (id: number) => `${deps.publicUrl.replace(/\/$/, '')}/items/${id}`;
  return {
    async chaseAssignment(c) {
      let queued = 0;
      const at = new Date(c.at);
      const open = await db.transaction().execute(async (trx) => {
        const settled = await settleAssignments(trx, { assignmentId: c.assignmentId }, at);
        if (settled.open.length === 0) return false;
        const seen = await trx
          .selectFrom('event')
          .select('id')
          .where('event_key', '=', c.eventKey)
          .executeTakeFirst();
        if (seen) return true;
        const a = await trx
          .selectFrom('assignment as a')
          .innerJoin('control_item as i', 'i.id', 'a.control_item_id')
          .innerJoin('app_user as u', 'u.id', 'a.assignee_user_id')
          .select([
            'a.id',
            'a.agency_id',
            'a.assignee_user_id',
            'a.internal_due',
            'u.display_name as assignee',
          ])
          .select(['i.id as item_id', 'i.number', 'i.title_ru', 'i.current_due'])
          .where('a.id', '=', c.assignmentId)
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('assignment')
          .set((eb) => ({ chases_sent: eb('chases_sent', '+', 1) }))
          .where('id', '=', a.id)
          .execute();
        await trx
          .insertInto('event')
          .values({
            event_key: c.eventKey,
            control_item_id: a.item_id,
            type: `assignment.chase.${c.step.type}`,
            at,
            data: JSON.stringify({
              assignmentId: a.id,
              key: c.step.key,
              date: c.step.date,
              internalDue: a.internal_due,
            }),
          })
          .execute();
        const recipients = [
          ...(await recipientsByIds(trx, [a.assignee_user_id])),
          // Past the internal deadline the head hears of it too.
          ...(c.step.type === 'reminder'
            ? []
            : await resolveRecipients(trx, ['agency_head'], a.agency_id, null)),
        ];
        queued += await enqueue(trx, {
          eventKey: c.eventKey,
          itemId: a.item_id,
          kind: c.step.type === 'reminder' ? 'assignment_reminder' : 'assignment_overdue',
          recipients,
          context: {
            itemRef: a.number ? `№ ${a.number}` : `#${a.item_id}`,
            title: a.title_ru,
            url: itemUrl(a.item_id),
            due: a.current_due,
            internalDue: a.internal_due,
            assignee: a.assignee,
            ...(c.step.type === 'reminder'
              ? { daysLeft: c.step.daysLeft ?? 0 }
              : {
                  daysOverdue: assignmentLateness(
                    { status: 'open', internalDue: a.internal_due, closedOn: null },
                    c.today,
                  ).workingDays,
                }),
          },
        });
        return true;
      });
      if (queued > 0) deps.onNotificationsQueued?.();
      return { open };
    },

    async settleAssignment({ assignmentId, at }) {
      const settled = await db
        .transaction()
        .execute((trx) => settleAssignments(trx, { assignmentId }, new Date(at)));
      return { open: settled.open.length > 0 };
    },
  };
}
