import type { CheckInActivities } from './types.ts';
import { enqueue, resolveRecipients } from '../notifications/index.ts';
import { checkInUrls, loadCheckIn, type CheckInActivityDeps } from './shared.ts';

export function createOpenActivities(
  deps: CheckInActivityDeps,
): Pick<CheckInActivities, 'openCheckIn' | 'closeWithoutMinutes'> {
  const { db } = deps;
  return {
    /**
     * The check-in row of this meeting, or the one another run already opened (a "run now" racing the
     * Schedule, a backfill over a week that happened): one meeting, one check-in. A holiday is recorded
     * as a skipped check-in so the history shows why there was no meeting.
     */
    async openCheckIn(o) {
      const at = new Date(o.at);
      let queued = 0;
      const result = await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('check_in')
          .values({
            roadmap_id: o.roadmapId,
            meeting_at: new Date(o.meetingAt),
            status: o.skipped ? 'skipped' : 'collecting',
            workflow_id: o.workflowId,
          })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) {
          const existing = await trx
            .selectFrom('check_in')
            .select(['id', 'workflow_id'])
            .where((eb) =>
              eb.or([
                eb('workflow_id', '=', o.workflowId),
                eb.and([eb('roadmap_id', '=', o.roadmapId), eb('meeting_at', '=', new Date(o.meetingAt))]),
              ]),
            )
            .orderBy('id')
            .executeTakeFirstOrThrow();
          return { checkInId: existing.id, duplicate: existing.workflow_id !== o.workflowId };
        }
        await trx
          .insertInto('event')
          .values({
            event_key: `${o.workflowId}:opened`,
            check_in_id: inserted.id,
            type: o.skipped ? 'check_in.skipped' : 'check_in.opened',
            at,
            data: JSON.stringify({
              meetingDate: o.meetingDate,
              ...(o.skipped ? { reason: o.skipped } : {}),
              ...(o.late ? { late: true } : {}),
            }),
          })
          .execute();
        if (!o.skipped && !o.late) {
          const c = await loadCheckIn(trx, inserted.id);
          const urls = checkInUrls(deps.publicUrl, inserted.id);
          queued += await enqueue(trx, {
            eventKey: `check-in-${inserted.id}:invite`,
            itemId: null,
            kind: 'checkin_invite',
            recipients: await resolveRecipients(trx, ['working_group', 'leadership'], 0, null),
            context: {
              itemRef: '',
              title: c.roadmap_title,
              url: urls.page,
              due: o.meetingDate,
              checkIn: {
                meetingDate: o.meetingDate,
                meetingTime: o.meetingTime,
                roadmap: c.roadmap_title,
                links: [{ label: 'ics', url: urls.ics }],
              },
            },
          });
        }
        return { checkInId: inserted.id, duplicate: false };
      });
      if (queued > 0) deps.onNotificationsQueued?.();
      return result;
    },

    /** Nobody recorded minutes in time: the check-in closes with its digest and no decisions. */
    async closeWithoutMinutes({ checkInId, at }) {
      await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('check_in')
          .set({ status: 'closed' })
          .where('id', '=', checkInId)
          .where('status', '=', 'held')
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) return;
        await trx
          .insertInto('event')
          .values({
            event_key: `check-in-${checkInId}:closed-without-minutes`,
            check_in_id: checkInId,
            type: 'check_in.closed_without_minutes',
            at: new Date(at),
          })
          .onConflict((oc) => oc.column('event_key').doNothing())
          .execute();
      });
    },
  };
}
