import { planStatusRequests } from '../../domain/check-in/index.ts';
import { enqueue, resolveRecipients } from '../notifications/index.ts';
import type { CheckInMailItem } from '../notifications/check-in-templates.ts';
import type { CheckInActivities } from './types.ts';
import {
  agencyName,
  checkInUrls,
  itemRef,
  loadCheckIn,
  localDateOf,
  type CheckInActivityDeps,
} from './shared.ts';

export function createRequestActivities(
  deps: CheckInActivityDeps,
): Pick<CheckInActivities, 'sendStatusRequests' | 'chaseSilentAgencies'> {
  const { db } = deps;

  return {
    /**
     * Asks each responsible agency with open items for a status note per item: one status_request row
     * (which items were asked) and one notification per agency, all in one transaction. A retry finds the
     * rows and writes nothing twice.
     */
    async sendStatusRequests({ checkInId, at, policy, meetingTime }) {
      let queued = 0;
      const result = await db.transaction().execute(async (trx) => {
        const c = await loadCheckIn(trx, checkInId);
        if (c.status !== 'collecting') return { agencies: 0, items: 0 };
        const today = localDateOf(at, policy.utcOffsetMinutes);
        const meetingDate = localDateOf(c.meeting_at, policy.utcOffsetMinutes);
        const items = await trx
          .selectFrom('control_item')
          .select(['id', 'number', 'title_ru', 'agency_id', 'status', 'current_due'])
          .where('roadmap_id', '=', c.roadmap_id)
          .where('status', 'in', ['assigned', 'in_progress', 'returned'])
          .execute();
        const byId = new Map(items.map((i) => [i.id, i]));
        const plan = planStatusRequests(items, today, policy.atRiskWorkingDays);
        const urls = checkInUrls(deps.publicUrl, checkInId);
        let asked = 0;
        for (const p of plan) {
          const row = await trx
            .insertInto('status_request')
            .values({
              check_in_id: checkInId,
              agency_id: p.agencyId,
              item_ids: p.items.map((i) => i.id),
              requested_at: new Date(at),
            })
            .onConflict((oc) => oc.columns(['check_in_id', 'agency_id']).doNothing())
            .returning('id')
            .executeTakeFirst();
          if (!row) continue;
          asked += p.items.length;
          const mailItems: CheckInMailItem[] = p.items.map((i) => ({
            ref: itemRef(byId.get(i.id)!),
            title: byId.get(i.id)!.title_ru,
            due: i.due,
            reason: i.reason,
          }));
          queued += await enqueue(trx, {
            eventKey: `check-in-${checkInId}:request:${p.agencyId}`,
            itemId: null,
            kind: 'checkin_request',
            recipients: await resolveRecipients(trx, ['executors', 'agency_head'], p.agencyId, null),
            context: {
              itemRef: '',
              title: c.roadmap_title,
              url: urls.notes,
              due: meetingDate,
              checkIn: { meetingDate, meetingTime, roadmap: c.roadmap_title, items: mailItems },
            },
          });
        }
        await trx
          .insertInto('event')
          .values({
            event_key: `check-in-${checkInId}:requests`,
            check_in_id: checkInId,
            type: 'check_in.requests_sent',
            at: new Date(at),
            data: JSON.stringify({ agencies: plan.map((p) => p.agencyId), items: asked }),
          })
          .onConflict((oc) => oc.column('event_key').doNothing())
          .execute();
        return { agencies: plan.length, items: plan.reduce((n, p) => n + p.items.length, 0) };
      });
      if (queued > 0) deps.onNotificationsQueued?.();
      return result;
    },

    /** Once, on the eve: agencies that have not noted every requested item get a reminder listing the rest. */
    async chaseSilentAgencies({ checkInId, at, policy, meetingTime }) {
      let queued = 0;
      const result = await db.transaction().execute(async (trx) => {
        const c = await loadCheckIn(trx, checkInId);
        if (c.status !== 'collecting') return { agencies: 0 };
        const meetingDate = localDateOf(c.meeting_at, policy.utcOffsetMinutes);
        const silent = await trx
          .selectFrom('status_request')
          .selectAll()
          .where('check_in_id', '=', checkInId)
          .where('answered_at', 'is', null)
          .where('chased_at', 'is', null)
          .orderBy('agency_id')
          .execute();
        const urls = checkInUrls(deps.publicUrl, checkInId);
        const chased: number[] = [];
        for (const r of silent) {
          const noted = new Set(
            (
              await trx
                .selectFrom('status_note')
                .select('control_item_id')
                .where('check_in_id', '=', checkInId)
                .where('agency_id', '=', r.agency_id)
                .execute()
            ).map((n) => n.control_item_id),
          );
          const missing = r.item_ids.filter((id) => !noted.has(id));
          await trx
            .updateTable('status_request')
            .set({ chased_at: new Date(at) })
            .where('id', '=', r.id)
            .execute();
          if (missing.length === 0) continue;
          chased.push(r.agency_id);
          const items = await trx
            .selectFrom('control_item as i')
            .innerJoin('agency as a', 'a.id', 'i.agency_id')
            .select([
              'i.id',
              'i.number',
              'i.title_ru',
              'i.current_due',
              'a.short_ru',
              'a.title_ru as agency_title',
            ])
            .where('i.id', 'in', missing)
            .orderBy('i.current_due')
            .orderBy('i.id')
            .execute();
          queued += await enqueue(trx, {
            eventKey: `check-in-${checkInId}:chase:${r.agency_id}`,
            itemId: null,
            kind: 'checkin_chase',
            recipients: await resolveRecipients(trx, ['executors', 'agency_head'], r.agency_id, null),
            context: {
              itemRef: '',
              title: c.roadmap_title,
              url: urls.notes,
              due: meetingDate,
              checkIn: {
                meetingDate,
                meetingTime,
                roadmap: c.roadmap_title,
                items: items.map((i) => ({
                  ref: itemRef(i),
                  title: i.title_ru,
                  due: i.current_due,
                  agency: agencyName({ short_ru: i.short_ru, title_ru: i.agency_title }),
                })),
              },
            },
          });
        }
        await trx
          .insertInto('event')
          .values({
            event_key: `check-in-${checkInId}:chase`,
            check_in_id: checkInId,
            type: 'check_in.chased',
            at: new Date(at),
            data: JSON.stringify({ agencies: chased }),
          })
          .onConflict((oc) => oc.column('event_key').doNothing())
          .execute();
        return { agencies: chased.length };
      });
      if (queued > 0) deps.onNotificationsQueued?.();
      return result;
    },
  };
}
