import { Context } from '@temporalio/activity';
import { instructionTitle, isInstruction } from '../../domain/check-in/index.ts';
import { resolvePolicy } from '../../domain/control-item/index.ts';
import { conflict, validation } from '../../domain/errors.ts';
import { recordNewItems, startControl } from '../../app/control-items/index.ts';
import { enqueue, resolveRecipients } from '../notifications/index.ts';
import type { CheckInActivities } from './types.ts';
import { finalOnRuleViolation, itemRef, loadCheckIn, type CheckInActivityDeps } from './shared.ts';

export function createMinutesActivities(
  deps: CheckInActivityDeps,
): Pick<CheckInActivities, 'recordMinutes' | 'startInstructions'> {
  const { db } = deps;
  return {
    /**
     * The minutes in one transaction: the text, one decision row per line, one control_item (kind
     * instruction, linked to the check-in) per instruction, an audit event for each, notices to the
     * responsible agencies; the check-in is closed. Idempotent by the action's event id.
     */
    recordMinutes: (input) =>
      finalOnRuleViolation(async () => {
        let queued = 0;
        const at = new Date(input.at);
        const result = await db.transaction().execute(async (trx) => {
          const done = await trx
            .selectFrom('event')
            .select('id')
            .where('event_key', '=', input.eventId)
            .executeTakeFirst();
          if (done) {
            const rows = await trx
              .selectFrom('check_in_decision')
              .select('control_item_id')
              .where('check_in_id', '=', input.checkInId)
              .where('control_item_id', 'is not', null)
              .orderBy('seq')
              .execute();
            return { itemIds: rows.map((r) => r.control_item_id!) };
          }
          const c = await loadCheckIn(trx, input.checkInId);
          if (c.status !== 'held') {
            throw conflict(
              'error.checkIn.notHeld',
              `check-in ${c.id} is ${c.status}: minutes are not expected`,
            );
          }
          const decisions = input.minutes.decisions;
          const agencyIds = [
            ...new Set(decisions.flatMap((d) => (d.agencyId ? [d.agencyId, ...d.coAgencyIds] : []))),
          ];
          const known = new Set(
            agencyIds.length
              ? (await trx.selectFrom('agency').select('id').where('id', 'in', agencyIds).execute()).map(
                  (a) => a.id,
                )
              : [],
          );
          decisions.forEach((d, i) => {
            if (d.agencyId !== null && !known.has(d.agencyId))
              throw validation(
                `decisions.${i}.agency`,
                'error.checkIn.unknownAgency',
                `agency ${d.agencyId} not found`,
              );
            if (d.coAgencyIds.some((a) => !known.has(a)))
              throw validation(
                `decisions.${i}.coAgencies`,
                'error.checkIn.unknownAgency',
                'co-agency not found',
              );
          });
          const meetingDate = input.meetingDate;
          const itemIds: number[] = [];
          for (const [i, d] of decisions.entries()) {
            let itemId: number | null = null;
            if (isInstruction(d)) {
              const item = (
                await recordNewItems(trx, [
                  {
                    item: {
                      kind: 'instruction',
                      roadmap_id: c.roadmap_id,
                      check_in_id: c.id,
                      title_ru: instructionTitle(d.text),
                      description: d.text,
                      agency_id: d.agencyId!,
                      co_agency_ids: d.coAgencyIds,
                      due: d.due!,
                      special_control: d.specialControl,
                    },
                    creation: {
                      eventKey: `${input.eventId}:item:${i}`,
                      actor: input.actor,
                      at,
                      data: { checkInId: c.id, specialControl: d.specialControl },
                    },
                  },
                ])
              )[0]!;
              itemId = item.id;
              itemIds.push(item.id);
              const recipients = await resolveRecipients(
                trx,
                ['executors', 'agency_head'],
                d.agencyId!,
                null,
              );
              for (const co of d.coAgencyIds)
                recipients.push(...(await resolveRecipients(trx, ['agency_head'], co, null)));
              queued += await enqueue(trx, {
                eventKey: `${input.eventId}:item:${i}`,
                itemId: item.id,
                kind: 'checkin_instruction',
                recipients: [...new Map(recipients.map((r) => [r.id, r])).values()],
                context: {
                  itemRef: itemRef(item),
                  title: item.title_ru,
                  url: `${deps.publicUrl.replace(/\/$/, '')}/items/${item.id}`,
                  due: item.current_due,
                  checkIn: { meetingDate, meetingTime: '', roadmap: c.roadmap_title },
                },
              });
            }
            await trx
              .insertInto('check_in_decision')
              .values({
                check_in_id: c.id,
                seq: i + 1,
                text: d.text,
                agency_id: d.agencyId,
                co_agency_ids: d.coAgencyIds,
                due: d.due,
                special_control: d.specialControl,
                control_item_id: itemId,
                created_by: input.actor.userId || null,
                created_at: at,
              })
              .execute();
          }
          await trx
            .updateTable('check_in')
            .set({ minutes: input.minutes.minutes || null, status: 'closed' })
            .where('id', '=', c.id)
            .execute();
          await trx
            .insertInto('event')
            .values({
              event_key: input.eventId,
              check_in_id: c.id,
              type: 'check_in.minutes_recorded',
              actor_user_id: input.actor.userId || null,
              at,
              data: JSON.stringify({ decisions: decisions.length, instructions: itemIds }),
            })
            .execute();
          return { itemIds };
        });
        if (queued > 0) deps.onNotificationsQueued?.();
        return result;
      }),

    /**
     * Puts each new instruction under control: its own controlItem workflow, started with the worker's
     * client (same namespace and task queue). Starting an existing one is a no-op, so retries are safe.
     */
    async startInstructions({ itemIds, workflowIdPrefix, utcOffsetMinutes }) {
      const ctx = Context.current();
      const temporal = { client: ctx.client, taskQueue: ctx.info.taskQueue, workflowIdPrefix };
      await startControl({ db, temporal, policy: resolvePolicy(null, utcOffsetMinutes) }, itemIds);
    },
  };
}
