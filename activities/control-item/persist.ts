import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { DB } from '../../db/schema/index.ts';
import type { ItemState } from '../../domain/control-item/index.ts';
import { workingDaysBetween } from '../../domain/calendar/index.ts';
import { recipientsByIds } from '../../db/outbox.ts';
import { enqueue, resolveRecipients, type Audience, type NotificationKind } from '../notifications/index.ts';
import type { ControlItemActivities, TransitionInput } from './types.ts';

export interface ControlItemActivityDeps {
  db: Db;
  /** Base URL for links in emails, e.g. https://shtab.example.ru */
  publicUrl: string;
  /** Called after new outbox rows are committed (the worker kicks its dispatcher). */
  onNotificationsQueued?: () => void;
}

/** The part of ItemState worth keeping in the audit trail. */
function auditView(s: ItemState) {
  return {
    status: s.status,
    agencyId: s.agencyId,
    coAgencyIds: s.coAgencyIds,
    currentDue: s.currentDue,
    ...(s.reworkDue ? { reworkDue: s.reworkDue } : {}),
    reviewRound: s.reviewRound,
    escalationLevel: s.escalationLevel,
    ...(s.recurrence ? { periodKey: s.recurrence.periodKey } : {}),
    ...(s.pendingExtension ? { pendingExtension: s.pendingExtension.requestedDue } : {}),
    ...(s.signoffPending ? { signoffPending: true } : {}),
  };
}

async function alreadyRecorded(trx: Transaction<DB>, key: string) {
  return (
    (await trx.selectFrom('event').select('id').where('event_key', '=', key).executeTakeFirst()) !== undefined
  );
}

/** The item row mirrors the workflow state after every transition (the read model pages use). */
async function writeItemRow(
  trx: Transaction<DB>,
  s: ItemState,
  at: Date,
  extra: Record<string, unknown> = {},
) {
  await trx
    .updateTable('control_item')
    .set({
      status: s.status,
      agency_id: s.agencyId,
      co_agency_ids: s.coAgencyIds,
      original_due: s.originalDue,
      current_due: s.currentDue,
      rework_due: s.reworkDue ?? null,
      review_round: s.reviewRound,
      escalation_level: s.escalationLevel,
      overdue_since: s.overdueSince,
      period_key: s.recurrence?.periodKey ?? null,
      signoff_pending: s.signoffPending ?? false,
      version: s.version,
      updated_at: at,
      ...(s.status === 'done' || s.status === 'cancelled' ? { closed_at: at } : {}),
      ...extra,
    })
    .where('id', '=', s.itemId)
    .execute();
}

const TRANSITION_NOTICES: Partial<
  Record<TransitionInput['type'], { kind: NotificationKind; to: Audience[] }[]>
> = {
  submitted: [{ kind: 'submitted', to: ['working_group'] }],
  part_submitted: [{ kind: 'part_submitted', to: ['executors'] }],
  accepted: [{ kind: 'accepted', to: ['executors', 'agency_head'] }],
  period_closed: [{ kind: 'period_closed', to: ['executors'] }],
  returned: [{ kind: 'returned', to: ['executors', 'agency_head'] }],
  extension_requested: [{ kind: 'extension_requested', to: ['working_group'] }],
  extension_approved: [{ kind: 'extension_approved', to: ['executors', 'agency_head'] }],
  extension_rejected: [{ kind: 'extension_rejected', to: ['executors', 'agency_head'] }],
  // Taken back before a decision: the working group, whose queue it was in, is told.
  submission_withdrawn: [{ kind: 'submission_withdrawn', to: ['working_group'] }],
  extension_withdrawn: [{ kind: 'extension_withdrawn', to: ['working_group'] }],
  cancelled: [{ kind: 'cancelled', to: ['executors', 'agency_head'] }],
  deadline_changed: [{ kind: 'deadline_changed', to: ['executors', 'agency_head'] }],
  reopened: [{ kind: 'reopened', to: ['executors', 'agency_head'] }],
  // The head's sign-off (a roadmap's rule): the report reaches the working group only once signed.
  signoff_requested: [{ kind: 'signoff_requested', to: ['agency_head'] }],
  signed_off: [
    { kind: 'submitted', to: ['working_group'] },
    { kind: 'signed_off', to: ['executors'] },
  ],
  signoff_returned: [{ kind: 'signoff_returned', to: ['executors'] }],
  // control_date_restored: a silent correction (migration 0009); the audit trail records it.
};

const SIGNOFF_DECISIONS: ReadonlySet<string> = new Set(['signed_off', 'signoff_returned']);

const CHASE_AUDIENCE: Record<number, Audience[]> = {
  1: ['executors'],
  2: ['agency_head'],
  3: ['working_group'],
  4: [], // the leadership red list: shown in the digest and dashboard, no email
};

export function createControlItemActivities(deps: ControlItemActivityDeps): ControlItemActivities {
  const { db } = deps;
  const itemUrl = (id: number) => `${deps.publicUrl.replace(/\/$/, '')}/items/${id}`;

  async function loadItem(trx: Transaction<DB>, id: number) {
    return trx
      .selectFrom('control_item as i')
      .innerJoin('agency as a', 'a.id', 'i.agency_id')
      .select([
        'i.id',
        'i.number',
        'i.title_ru',
        'i.executor_user_id',
        'i.author_user_id',
        'i.agency_id',
        'a.short_ru',
        'a.title_ru as agency_title',
      ])
      .where('i.id', '=', id)
      .executeTakeFirstOrThrow();
  }

  const refOf = (item: { id: number; number: string | null }) =>
    item.number ? `№ ${item.number}` : `#${item.id}`;

  return {
    async persistTransition(t) {
      const at = new Date(t.at);
      let queued = 0;
      await db.transaction().execute(async (trx) => {
        if (await alreadyRecorded(trx, t.eventId)) return;
        const p = t.payload;
        const extra: Record<string, unknown> = {};
        if (t.type === 'accepted') extra.accepted_at = at;
        // Back under control: no longer closed; the acceptance stays in the audit trail and submissions.
        if (t.type === 'reopened') Object.assign(extra, { accepted_at: null, closed_at: null });
        if (t.type === 'cancelled') extra.cancel_reason = p.reason ?? null;
        // The named executor belongs to the old agency; the new one's executors are all addressed.
        if (t.type === 'reassigned' && t.before.agencyId !== t.after.agencyId) extra.executor_user_id = null;
        await writeItemRow(trx, t.after, at, extra);
        await trx
          .insertInto('event')
          .values({
            event_key: t.eventId,
            control_item_id: t.itemId,
            type: t.type,
            actor_user_id: t.actor.userId || null,
            at,
            before: JSON.stringify(auditView(t.before)),
            after: JSON.stringify(auditView(t.after)),
            data: JSON.stringify(p),
          })
          .execute();

        switch (t.type) {
          case 'submitted':
          case 'signoff_requested':
          case 'part_submitted': {
            const sub = await trx
              .insertInto('submission')
              .values({
                control_item_id: t.itemId,
                event_key: t.eventId,
                period_key: t.before.recurrence?.periodKey ?? null,
                round: t.before.reviewRound + 1,
                is_part: t.type === 'part_submitted',
                agency_id: t.actor.agencyId ?? t.before.agencyId,
                author_user_id: t.actor.userId || null,
                body: p.text ?? '',
                links: JSON.stringify(p.links ?? []),
                submitted_at: at,
                ...(t.type === 'signoff_requested' ? { signoff_status: 'pending' as const } : {}),
              })
              .returning('id')
              .executeTakeFirstOrThrow();
            if (p.attachmentIds?.length) {
              await trx
                .updateTable('attachment')
                .set({ submission_id: sub.id })
                .where('id', 'in', p.attachmentIds)
                .where('submission_id', 'is', null)
                .where('uploaded_by', '=', t.actor.userId)
                .execute();
            }
            break;
          }
          case 'accepted':
          case 'period_closed':
          case 'returned': {
            await trx
              .updateTable('submission')
              .set({
                outcome: t.type === 'returned' ? 'returned' : 'accepted',
                review_reason: p.reason ?? p.comment ?? null,
                reviewer_user_id: t.actor.userId || null,
                reviewed_at: at,
              })
              .where('control_item_id', '=', t.itemId)
              .where('is_part', '=', false)
              .where('outcome', 'is', null)
              // A report the head returned never reached the working group.
              .where(sql<boolean>`signoff_status is distinct from 'returned'`)
              .execute();
            // Every accepted period of a recurring item has its row, the last one (accepted) too.
            if (t.type !== 'returned' && t.before.recurrence) {
              await trx
                .insertInto('item_period')
                .values({
                  control_item_id: t.itemId,
                  period_key: t.before.recurrence.periodKey,
                  due: t.before.currentDue,
                  review_rounds: t.before.reviewRound,
                  accepted_at: at,
                })
                .onConflict((oc) => oc.columns(['control_item_id', 'period_key']).doNothing())
                .execute();
            }
            break;
          }
          case 'signed_off':
          case 'signoff_returned':
            await trx
              .updateTable('submission')
              .set({
                signoff_status: t.type === 'signed_off' ? 'signed' : 'returned',
                signoff_by: t.actor.userId || null,
                signoff_at: at,
                signoff_reason: p.reason ?? null,
              })
              .where('control_item_id', '=', t.itemId)
              .where('signoff_status', '=', 'pending')
              .execute();
            break;
          case 'submission_withdrawn':
            // The report stays on record as sent and taken back; the next one starts the same round.
            await trx
              .updateTable('submission')
              .set({
                outcome: 'withdrawn',
                review_reason: p.reason ?? null,
                reviewer_user_id: t.actor.userId || null,
                reviewed_at: at,
              })
              .where('control_item_id', '=', t.itemId)
              .where('is_part', '=', false)
              .where('outcome', 'is', null)
              .execute();
            break;
          case 'extension_requested':
            await trx
              .insertInto('extension_request')
              .values({
                control_item_id: t.itemId,
                event_key: t.eventId,
                requested_by: t.actor.userId || null,
                previous_due: t.before.currentDue,
                requested_due: t.after.pendingExtension!.requestedDue,
                reason: p.reason ?? '',
                created_at: at,
              })
              .execute();
            break;
          case 'extension_approved':
          case 'extension_rejected':
            await trx
              .updateTable('extension_request')
              .set({
                status: t.type === 'extension_approved' ? 'approved' : 'rejected',
                granted_due: t.type === 'extension_approved' ? t.after.currentDue : null,
                decided_by: t.actor.userId || null,
                decided_at: at,
                decision_note: p.note ?? null,
              })
              .where('control_item_id', '=', t.itemId)
              .where('status', '=', 'pending')
              .execute();
            break;
        }

        if (
          t.before.pendingExtension &&
          !t.after.pendingExtension &&
          t.type !== 'extension_approved' &&
          t.type !== 'extension_rejected'
        ) {
          // The item moved on (reassigned, closed…) while a request waited: nobody will decide it now.
          await trx
            .updateTable('extension_request')
            .set({
              status: 'withdrawn',
              decided_at: at,
              // Withdrawn by the agency: its reason; lapsed: what made it lapse.
              decision_note: t.type === 'extension_withdrawn' ? (p.reason ?? t.type) : t.type,
              ...(t.type === 'extension_withdrawn' ? { decided_by: t.actor.userId || null } : {}),
            })
            .where('control_item_id', '=', t.itemId)
            .where('status', '=', 'pending')
            .execute();
        }

        if (t.before.signoffPending && !t.after.signoffPending && !SIGNOFF_DECISIONS.has(t.type)) {
          // Reassigned or cancelled while the head had the report: it will not be signed now.
          await trx
            .updateTable('submission')
            .set({ signoff_status: 'returned', signoff_at: at })
            .where('control_item_id', '=', t.itemId)
            .where('signoff_status', '=', 'pending')
            .execute();
        }

        const item = await loadItem(trx, t.itemId);
        const by = t.actor.userId
          ? await trx
              .selectFrom('app_user')
              .select('display_name')
              .where('id', '=', t.actor.userId)
              .executeTakeFirst()
          : undefined;
        const context = {
          itemRef: refOf(item),
          title: item.title_ru,
          url: itemUrl(item.id),
          due: t.after.currentDue,
          agency: item.short_ru ?? item.agency_title,
          ...(by ? { by: by.display_name } : {}),
          ...(p.reason || p.note || p.comment ? { reason: p.reason ?? p.note ?? p.comment } : {}),
          ...((t.type === 'returned' || t.type === 'reopened') && t.after.reworkDue
            ? { reworkDue: t.after.reworkDue, overdue: t.after.overdueSince !== null }
            : {}),
          ...(t.type === 'extension_requested'
            ? { due: t.before.currentDue, newDue: t.after.pendingExtension!.requestedDue }
            : {}),
        };
        const notices = [...(TRANSITION_NOTICES[t.type] ?? [])];
        if (t.type === 'reassigned') {
          const newRecipients = await resolveRecipients(
            trx,
            ['executors', 'agency_head'],
            t.after.agencyId,
            null,
          );
          queued += await enqueue(trx, {
            eventKey: `${t.eventId}:to`,
            itemId: t.itemId,
            kind: 'reassigned_to',
            recipients: newRecipients,
            context,
          });
          if (t.before.agencyId !== t.after.agencyId) {
            const old = await resolveRecipients(trx, ['agency_head'], t.before.agencyId, null);
            queued += await enqueue(trx, {
              eventKey: `${t.eventId}:from`,
              itemId: t.itemId,
              kind: 'reassigned_from',
              recipients: old,
              context,
            });
          }
        }
        for (const n of notices) {
          const recipients = await resolveRecipients(trx, n.to, t.after.agencyId, item.executor_user_id);
          queued += await enqueue(trx, {
            eventKey: t.eventId,
            itemId: t.itemId,
            kind: n.kind,
            recipients,
            context,
          });
        }
        if (item.author_user_id && (t.type === 'submitted' || t.type === 'signed_off')) {
          // An instruction's author reviews its report as the working group does.
          queued += await enqueue(trx, {
            eventKey: `${t.eventId}:author`,
            itemId: t.itemId,
            kind: 'submitted',
            recipients: await recipientsByIds(trx, [item.author_user_id]),
            context,
          });
        }
      });
      if (queued > 0) deps.onNotificationsQueued?.();
    },

    async recordChase(c) {
      const at = new Date(c.at);
      const sentOn = c.today ?? c.step.date;
      let queued = 0;
      await db.transaction().execute(async (trx) => {
        if (await alreadyRecorded(trx, c.eventKey)) return;
        await writeItemRow(trx, c.after, at, { chases_sent: sql`chases_sent + 1` });
        const step = c.step;
        await trx
          .insertInto('event')
          .values({
            event_key: c.eventKey,
            control_item_id: c.itemId,
            type: `chase.${step.type}`,
            actor_user_id: null,
            at,
            before: JSON.stringify(auditView(c.before)),
            after: JSON.stringify(auditView(c.after)),
            data: JSON.stringify({
              key: step.key,
              date: step.date,
              ...(step.offset !== undefined ? { offset: step.offset } : {}),
              ...(step.level !== undefined ? { level: step.level } : {}),
              ...(c.superseded.length ? { superseded: c.superseded } : {}),
            }),
          })
          .execute();
        const item = await loadItem(trx, c.itemId);
        // Ladder steps collapsed into this one (an item that arrived late) tell their people through it.
        const collapsedLevels = c.superseded
          .map((k) => /^esc(\d)$/.exec(k)?.[1])
          .filter((x): x is string => x !== undefined)
          .map(Number);
        const regular: Audience[] =
          step.type === 'reminder'
            ? ['executors']
            : step.type === 'repeat'
              ? ['executors', 'agency_head']
              : [
                  ...new Set(
                    [step.level ?? 1, ...collapsedLevels].flatMap((level) => CHASE_AUDIENCE[level] ?? []),
                  ),
                ];
        // The executor has reported to the head, who has not signed it off yet: the head is the one to tell.
        const audience: Audience[] =
          c.after.signoffPending && regular.includes('executors')
            ? ['agency_head', ...regular.filter((x) => x !== 'executors')]
            : regular;
        const kind: NotificationKind = step.type;
        const recipients = await resolveRecipients(trx, audience, c.after.agencyId, item.executor_user_id);
        queued += await enqueue(trx, {
          eventKey: c.eventKey,
          itemId: c.itemId,
          kind,
          recipients,
          context: {
            itemRef: refOf(item),
            title: item.title_ru,
            url: itemUrl(item.id),
            due: c.after.currentDue,
            agency: item.short_ru ?? item.agency_title,
            ...(step.due ? { reworkDue: step.due } : {}),
            ...(step.type === 'reminder'
              ? { daysLeft: Math.max(0, workingDaysBetween(sentOn, step.due ?? c.after.currentDue)) }
              : {}),
            ...(step.level !== undefined ? { level: step.level } : {}),
            daysOverdue: Math.max(0, workingDaysBetween(c.after.currentDue, sentOn)),
          },
        });
      });
      if (queued > 0) deps.onNotificationsQueued?.();
    },
  };
}
