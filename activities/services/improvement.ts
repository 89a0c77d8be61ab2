import type { Transaction } from 'kysely';
import { recordNewItems } from '../../app/control-items/index.ts';
import { itemStateFromRow } from '../../db/control-items.ts';
import type { Db } from '../../db/connect.ts';
import type { DB } from '../../db/schema/index.ts';
import { SYSTEM_ACTOR } from '../../domain/roles.ts';
import { comparePeriods, formatPeriod, judgeScores } from '../../domain/services/index.ts';
import { enqueue, resolveRecipients, type NotificationKind } from '../notifications/index.ts';
import type { ServiceImprovementActivities } from './types.ts';

export interface ServiceActivityDeps {
  db: Db;
  publicUrl: string;
  onNotificationsQueued?: () => void;
}

const STAGE_TEXT = {
  plan: {
    title_ru: (s: string) => `План повышения качества услуги «${s}»`,
    title_en: (s: string) => `Improvement plan for the service “${s}”`,
    deliverable: 'План мероприятий по повышению качества предоставления услуги',
  },
  implementation: {
    title_ru: (s: string) => `Реализация плана повышения качества услуги «${s}»`,
    title_en: (s: string) => `Implementing the improvement plan for the service “${s}”`,
    deliverable: 'Отчёт о реализации плана повышения качества услуги',
  },
} as const;

async function lockImprovement(trx: Transaction<DB>, id: number) {
  return trx
    .selectFrom('service_improvement as si')
    .innerJoin('service as s', 's.id', 'si.service_id')
    .selectAll('si')
    .select([
      's.code as service_code',
      's.title_ru as service_title_ru',
      's.title_en as service_title_en',
      's.agency_id',
      's.curator_user_id',
    ])
    .where('si.id', '=', id)
    .forUpdate('si')
    .executeTakeFirstOrThrow();
}

export function createServiceActivities(deps: ServiceActivityDeps): ServiceImprovementActivities {
  const { db } = deps;
  const base = deps.publicUrl.replace(/\/$/, '');

  return {
    async openImprovementStage({ improvementId, stage }) {
      return db.transaction().execute(async (trx) => {
        const imp = await lockImprovement(trx, improvementId);
        const column = stage === 'plan' ? 'plan_item_id' : 'implementation_item_id';
        const existing = imp[column];
        if (existing !== null) {
          const row = await trx
            .selectFrom('control_item')
            .selectAll()
            .where('id', '=', existing)
            .executeTakeFirstOrThrow();
          return itemStateFromRow(row);
        }
        // The curator executes the item when they belong to the service's agency; else the agency's executors.
        const curatorInAgency = imp.curator_user_id
          ? await trx
              .selectFrom('app_user')
              .select('id')
              .where('id', '=', imp.curator_user_id)
              .where('agency_id', '=', imp.agency_id)
              .executeTakeFirst()
          : undefined;
        const text = STAGE_TEXT[stage];
        const due = stage === 'plan' ? imp.plan_due : imp.implementation_due;
        // Row and audit event only: the serviceImprovement workflow runs the stage as its child.
        const row = (
          await recordNewItems(trx, [
            {
              item: {
                kind: 'service_improvement',
                title_ru: text.title_ru(imp.service_title_ru),
                title_en: text.title_en(imp.service_title_en ?? imp.service_title_ru),
                deliverable: text.deliverable,
                agency_id: imp.agency_id,
                executor_user_id: curatorInAgency?.id ?? null,
                service_id: imp.service_id,
                due,
              },
              creation: {
                eventKey: `service-improvement-${improvementId}:${stage}`,
                actor: SYSTEM_ACTOR,
                at: new Date(),
                data: { improvementId, stage },
              },
            },
          ])
        )[0]!;
        await trx
          .updateTable('service_improvement')
          .set({
            [column]: row.id,
            status: stage === 'plan' ? 'planning' : 'implementing',
            updated_at: new Date(),
          })
          .where('id', '=', improvementId)
          .execute();
        return itemStateFromRow(row);
      });
    },

    async beginAwaitingScore({ improvementId, at }) {
      return db.transaction().execute(async (trx) => {
        const imp = await lockImprovement(trx, improvementId);
        if (imp.status === 'awaiting_score' && imp.measure_after_period)
          return { measureAfterPeriod: imp.measure_after_period };
        const periods = await trx
          .selectFrom('service_score')
          .select('period')
          .where('service_id', '=', imp.service_id)
          .execute();
        // Scores already on record describe the service before the implementation: only later ones count.
        const after = [imp.period_selected, ...periods.map((p) => p.period)].sort(comparePeriods).at(-1)!;
        await trx
          .updateTable('service_improvement')
          .set({ status: 'awaiting_score', measure_after_period: after, updated_at: new Date(at) })
          .where('id', '=', improvementId)
          .execute();
        return { measureAfterPeriod: after };
      });
    },

    async evaluateImprovement({ improvementId, at }) {
      let queued = 0;
      const verdict = await db.transaction().execute(async (trx) => {
        const imp = await lockImprovement(trx, improvementId);
        if (imp.status === 'improved')
          return { period: imp.improved_period, avg: imp.improved_avg, improved: true };
        if (imp.status !== 'awaiting_score' || !imp.measure_after_period)
          return { period: null, avg: null, improved: false };
        const scores = await trx
          .selectFrom('service_score')
          .select(['period', 'avg_score', 'votes'])
          .where('service_id', '=', imp.service_id)
          .execute();
        const v = judgeScores(
          scores.map((s) => ({ period: s.period, avg: s.avg_score, votes: s.votes })),
          imp.measure_after_period,
          imp.target_avg,
        );
        if (v.period === null) return v;
        const when = new Date(at);
        await trx
          .updateTable('service_improvement')
          .set({
            last_score_period: v.period,
            last_score_avg: v.avg,
            updated_at: when,
            ...(v.improved
              ? { status: 'improved', improved_period: v.period, improved_avg: v.avg, improved_at: when }
              : {}),
          })
          .where('id', '=', improvementId)
          .execute();
        // One event (and one notice) per judged score: a repeated signal for the same figures adds nothing.
        const eventKey = `service-improvement-${improvementId}:${v.period}:${v.avg}`;
        const type = v.improved ? 'improvement.improved' : 'improvement.below_target';
        const inserted = await trx
          .insertInto('event')
          .values({
            event_key: eventKey,
            control_item_id: imp.implementation_item_id,
            type,
            actor_user_id: null,
            at: when,
            before: null,
            after: JSON.stringify({ status: v.improved ? 'improved' : 'awaiting_score' }),
            data: JSON.stringify({
              improvementId,
              serviceId: imp.service_id,
              period: v.period,
              avg: v.avg,
              target: imp.target_avg,
            }),
          })
          .onConflict((oc) => oc.column('event_key').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return v;
        const kind: NotificationKind = v.improved ? 'service_improved' : 'score_below_target';
        const recipients = await resolveRecipients(
          trx,
          v.improved ? ['working_group', 'agency_head'] : ['working_group'],
          imp.agency_id,
          null,
        );
        if (imp.curator_user_id) {
          const curator = await trx
            .selectFrom('app_user')
            .select(['id', 'email', 'locale'])
            .where('id', '=', imp.curator_user_id)
            .where('disabled', '=', false)
            .executeTakeFirst();
          if (curator && !recipients.some((r) => r.id === curator.id)) recipients.push(curator);
        }
        queued += await enqueue(trx, {
          eventKey,
          itemId: imp.implementation_item_id,
          kind,
          recipients,
          context: {
            itemRef: imp.service_code,
            title: imp.service_title_ru,
            url: `${base}/services/${imp.service_id}`,
            due: imp.implementation_due,
            period: formatPeriod(v.period, 'ru'),
            score: v.avg ?? 0,
            target: imp.target_avg,
          },
        });
        return v;
      });
      if (queued > 0) deps.onNotificationsQueued?.();
      return verdict;
    },

    async cancelImprovement({ improvementId, at, itemId }) {
      await db.transaction().execute(async (trx) => {
        const imp = await lockImprovement(trx, improvementId);
        if (imp.status === 'cancelled' || imp.status === 'improved') return;
        await trx
          .updateTable('service_improvement')
          .set({ status: 'cancelled', updated_at: new Date(at) })
          .where('id', '=', improvementId)
          .execute();
        await trx
          .insertInto('event')
          .values({
            event_key: `service-improvement-${improvementId}:cancelled`,
            control_item_id: itemId,
            type: 'improvement.cancelled',
            actor_user_id: null,
            at: new Date(at),
            before: JSON.stringify({ status: imp.status }),
            after: JSON.stringify({ status: 'cancelled' }),
            data: JSON.stringify({ improvementId, serviceId: imp.service_id }),
          })
          .onConflict((oc) => oc.column('event_key').doNothing())
          .execute();
      });
    },

    async itemStatus({ itemId }) {
      const r = await db
        .selectFrom('control_item')
        .select('status')
        .where('id', '=', itemId)
        .executeTakeFirstOrThrow();
      return r.status;
    },
  };
}
