import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { DB } from '../../db/schema/index.ts';
import { caseEventKey, caseStateById } from '../../db/feedback-store.ts';
import { ESCALATION_LEVEL } from '../../domain/feedback/case-state.ts';
import { chaseWeekKey } from '../../domain/feedback/mystery-plan.ts';
import { enqueue, render, resolveRecipients, type Audience } from '../notifications/index.ts';
import { rematchBatch } from '../../app/feedback/rematch.ts';
import type { FeedbackRematchActivities } from './rematch-types.ts';
import type { FeedbackCaseActivities } from './types.ts';

export interface FeedbackActivityDeps {
  db: Db;
  publicUrl: string;
  onNotificationsQueued?: () => void;
}

const eventKey = caseEventKey;
const caseStateOf = (db: Db | Transaction<DB>, row: { id: number }) => caseStateById(db, row.id);

async function loadCase(db: Db | Transaction<DB>, caseId: number) {
  return db
    .selectFrom('feedback_case as c')
    .innerJoin('feedback as f', 'f.id', 'c.feedback_id')
    .innerJoin('service as s', 's.id', 'c.service_id')
    .selectAll('c')
    .select([
      'f.rating',
      'f.body',
      'f.contact_email',
      'f.consent_at',
      's.code as service_code',
      's.title_ru as service_title_ru',
    ])
    .where('c.id', '=', caseId)
    .executeTakeFirstOrThrow();
}
type CaseRow = Awaited<ReturnType<typeof loadCase>>;

/** Recipients of a chase: the curator (else the agency's executors), the head, the working group. */
async function chaseRecipients(trx: Transaction<DB>, row: CaseRow, kind: keyof typeof ESCALATION_LEVEL) {
  const audiences: Audience[] =
    kind === 'opened' || kind === 'reminder'
      ? ['executors']
      : kind === 'escalate_head'
        ? ['executors', 'agency_head']
        : ['working_group'];
  return resolveRecipients(trx, audiences, row.agency_id, row.curator_user_id);
}

export function createFeedbackActivities(
  deps: FeedbackActivityDeps,
): FeedbackCaseActivities & FeedbackRematchActivities {
  const { db } = deps;
  const base = deps.publicUrl.replace(/\/$/, '');
  const caseUrl = (id: number) => `${base}/cases/${id}`;
  const mail = (row: CaseRow) => ({
    service: row.service_title_ru,
    rating: row.rating,
    remark: row.body ?? '',
    due: row.due,
  });

  return {
    // Re-matching reviews after a taxonomy edit (workflows/feedback-rematch.ts).
    rematchFeedbackBatch: (input) => rematchBatch(db, input),
    async chaseCase({ caseId, kind, key, at }) {
      let queued = 0;
      const state = await db.transaction().execute(async (trx) => {
        await sql`select id from feedback_case where id = ${caseId} for update`.execute(trx);
        const row = await loadCase(trx, caseId);
        if (row.status !== 'open') return caseStateOf(trx, row);
        const ek = eventKey(caseId, `chase:${key}`);
        const ins = await trx
          .insertInto('event')
          .values({
            event_key: ek,
            type: `feedback_case.${kind}`,
            at: new Date(at),
            data: JSON.stringify({ caseId, serviceId: row.service_id, due: row.due }),
          })
          .onConflict((oc) => oc.column('event_key').doNothing())
          .executeTakeFirst();
        if (Number(ins.numInsertedOrUpdatedRows ?? 0) > 0) {
          const level = Math.max(row.escalation_level, ESCALATION_LEVEL[kind]);
          if (level !== row.escalation_level)
            await trx
              .updateTable('feedback_case')
              .set({ escalation_level: level })
              .where('id', '=', caseId)
              .execute();
          queued += await enqueue(trx, {
            eventKey: ek,
            itemId: null,
            kind:
              kind === 'opened' ? 'case_opened' : kind === 'reminder' ? 'case_reminder' : 'case_escalation',
            recipients: await chaseRecipients(trx, row, kind),
            context: {
              itemRef: `#${caseId}`,
              title: row.service_title_ru,
              url: caseUrl(caseId),
              due: row.due,
              feedback: { ...mail(row), level },
            },
          });
        }
        return caseStateOf(trx, await loadCase(trx, caseId));
      });
      if (queued) deps.onNotificationsQueued?.();
      return state;
    },

    async recordCaseAnswer({ caseId, at, actor, text, fixed, eventId, next }) {
      let queued = 0;
      const state = await db.transaction().execute(async (trx) => {
        await sql`select id from feedback_case where id = ${caseId} for update`.execute(trx);
        const ek = eventKey(caseId, `answer`);
        const before = await loadCase(trx, caseId);
        // A retried activity finds its own answer stored: nothing twice.
        if (before.status === 'open') {
          await trx
            .updateTable('feedback_case')
            .set({
              status: next.status,
              answer: text.trim(),
              fixed,
              answered_by: actor.userId || null,
              answered_at: new Date(at),
            })
            .where('id', '=', caseId)
            .execute();
          await trx
            .insertInto('event')
            .values({
              event_key: ek,
              type: 'feedback_case.answered',
              actor_user_id: actor.userId || null,
              at: new Date(at),
              data: JSON.stringify({ caseId, fixed, updateId: eventId }),
            })
            .onConflict((oc) => oc.column('event_key').doNothing())
            .execute();
          // The citizen left an address and agreed to be contacted: the answer goes to them by email.
          if (before.contact_email && before.consent_at) {
            const url = `${base}/feedback/${encodeURIComponent(before.service_code)}`;
            const m = render(
              'case_answer_citizen',
              {
                itemRef: '',
                title: before.service_title_ru,
                url,
                due: before.due,
                feedback: { ...mail(before), answer: text.trim(), fixed },
              },
              'ru',
            );
            const res = await trx
              .insertInto('notification')
              .values({
                idempotency_key: `${ek}:citizen`,
                recipient_user_id: null,
                recipient_email: before.contact_email,
                kind: 'case_answer_citizen',
                locale: 'ru',
                subject: m.subject,
                body_text: m.text,
                body_html: m.html,
              })
              .onConflict((oc) => oc.column('idempotency_key').doNothing())
              .executeTakeFirst();
            queued += Number(res.numInsertedOrUpdatedRows ?? 0);
            await trx
              .updateTable('feedback_case')
              .set({ citizen_notified: true })
              .where('id', '=', caseId)
              .execute();
          }
        }
        return caseStateOf(trx, await loadCase(trx, caseId));
      });
      if (queued) deps.onNotificationsQueued?.();
      return state;
    },

    async chaseOverdueChecks({ today }) {
      const overdue = await db
        .selectFrom('service_check as c')
        .innerJoin('service as s', 's.id', 'c.service_id')
        .select(['c.id', 'c.scheduled_on', 'c.inspector_user_id', 's.title_ru', 's.agency_id'])
        .where('c.status', '=', 'scheduled')
        .where('c.plan_quarter', 'is not', null)
        .where('c.scheduled_on', '<', today)
        .orderBy('c.id')
        .execute();
      const week = chaseWeekKey(today);
      let chased = 0;
      for (const c of overdue) {
        const n = await db.transaction().execute(async (trx) => {
          const key = `check-${c.id}:overdue:${week}`;
          const ins = await trx
            .insertInto('event')
            .values({
              event_key: key,
              type: 'check.overdue',
              at: new Date(),
              data: JSON.stringify({ checkId: c.id, scheduledOn: c.scheduled_on }),
            })
            .onConflict((oc) => oc.column('event_key').doNothing())
            .executeTakeFirst();
          if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 0) return 0;
          const people = [
            ...(c.inspector_user_id
              ? await trx
                  .selectFrom('app_user')
                  .select(['id', 'email', 'locale'])
                  .where('id', '=', c.inspector_user_id)
                  .where('disabled', '=', false)
                  .execute()
              : []),
            ...(await resolveRecipients(trx, ['working_group'], c.agency_id, null)),
          ];
          return enqueue(trx, {
            eventKey: key,
            itemId: null,
            kind: 'check_overdue',
            recipients: [...new Map(people.map((p) => [p.id, p])).values()],
            context: {
              itemRef: `#${c.id}`,
              title: c.title_ru,
              url: `${base}/services/checks/${c.id}`,
              due: c.scheduled_on,
              feedback: { service: c.title_ru, rating: 0, remark: '', due: c.scheduled_on },
            },
          });
        });
        if (n) chased++;
      }
      if (chased) deps.onNotificationsQueued?.();
      return { chased };
    },

    async recordCaseFix({ caseId, at, actor, fixed, eventId }) {
      return db.transaction().execute(async (trx) => {
        await sql`select id from feedback_case where id = ${caseId} for update`.execute(trx);
        const before = await loadCase(trx, caseId);
        if (before.status === 'answered') {
          await trx
            .updateTable('feedback_case')
            .set({ status: 'closed', fixed })
            .where('id', '=', caseId)
            .execute();
          await trx
            .insertInto('event')
            .values({
              event_key: eventKey(caseId, 'fix'),
              type: 'feedback_case.fixed',
              actor_user_id: actor.userId || null,
              at: new Date(at),
              data: JSON.stringify({ caseId, fixed, updateId: eventId }),
            })
            .onConflict((oc) => oc.column('event_key').doNothing())
            .execute();
        }
        return caseStateOf(trx, await loadCase(trx, caseId));
      });
    },
  };
}
