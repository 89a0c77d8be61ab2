import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ShtabError } from '../../domain/errors.ts';
import { monthsOfPeriod } from '../../domain/feedback/period.ts';
import { DEFAULT_CHASE_POLICY, type ChasePolicy } from '../../domain/control-item/index.ts';
import { isProjectOffice, type Actor } from '../../domain/roles.ts';
import { parseRemediationForm, type FormData } from '../../domain/services/index.ts';
import { recordNewItems, startControl } from '../control-items/index.ts';
import { todayOf, type FeedbackAppDeps } from './deps.ts';

export const MAX_EVIDENCE = 500;

/**
 * A systemic problem — a topic that keeps coming up in a service's remarks — is put under control as a
 * remediation item of the service's agency (executed by its curator when the curator belongs to it), linked
 * to its evidence: the period's reviews of that service under that topic. The item runs its own controlItem
 * workflow like any measure, put under control by the one item-creation path (app/control-items): the row
 * and its audit event with the evidence in one transaction, the workflow started after the commit.
 */
export async function raiseSystemicProblem(
  deps: FeedbackAppDeps & { chasePolicy?: ChasePolicy },
  o: { actor: Actor; serviceId: number; topicId: number; period: string; form: FormData; eventId?: string },
): Promise<{ itemId: number; evidence: number }> {
  if (!isProjectOffice(o.actor.role))
    throw new ShtabError('forbidden', 'working group only', { key: 'error.forbidden' });
  const parsed = parseRemediationForm(o.form, todayOf(deps));
  if (!parsed.ok) {
    const e = parsed.errors[0]!;
    throw new ShtabError('validation', e.key, {
      key: e.key,
      field: e.field,
      ...(e.params ? { params: e.params } : {}),
    });
  }
  const { db } = deps;
  const months = monthsOfPeriod(o.period);
  const row = await db.transaction().execute(async (trx) => {
    const [svc, topic] = await Promise.all([
      trx
        .selectFrom('service as s')
        .leftJoin('app_user as u', (j) =>
          j.onRef('u.id', '=', 's.curator_user_id').onRef('u.agency_id', '=', 's.agency_id'),
        )
        .select(['s.id', 's.title_ru', 's.title_en', 's.agency_id', 'u.id as executor'])
        .where('s.id', '=', o.serviceId)
        .executeTakeFirst(),
      trx
        .selectFrom('feedback_topic')
        .select(['id', 'title_ru', 'title_en'])
        .where('id', '=', o.topicId)
        .executeTakeFirst(),
    ]);
    if (!svc || !topic)
      throw new ShtabError('not_found', 'service or topic not found', { key: 'error.notFound' });
    const evidence = await sql<{ id: number; body: string | null }>`select id, body from feedback
      where service_id = ${svc.id} and topic_ids @> array[${topic.id}]::int[]
        and received_on >= ${months[0] + '-01'}::date and received_on < (${months.at(-1) + '-01'}::date + interval '1 month')
      order by received_on desc, id desc limit ${MAX_EVIDENCE}`.execute(trx);
    if (evidence.rows.length === 0)
      throw new ShtabError('validation', 'no evidence', { key: 'error.feedback.noEvidence', field: 'topic' });
    const quotes = evidence.rows
      .filter((r) => r.body)
      .slice(0, 5)
      .map((r) => `— «${r.body}»`)
      .join('\n');
    const [item] = await recordNewItems(trx, [
      {
        item: {
          kind: 'remediation',
          title_ru: `Устранение системной проблемы «${topic.title_ru}» по услуге «${svc.title_ru}»`,
          title_en: `Fixing the systemic problem “${topic.title_en}” of the service “${svc.title_en ?? svc.title_ru}”`,
          description: [
            parsed.value.description,
            `Основание: ${evidence.rows.length} отзыв(ов) граждан за период ${o.period} по теме «${topic.title_ru}».`,
            quotes,
          ]
            .filter(Boolean)
            .join('\n\n'),
          deliverable: 'Отчёт об устранении причин замечаний граждан',
          agency_id: svc.agency_id,
          executor_user_id: svc.executor,
          service_id: svc.id,
          due: parsed.value.due,
        },
        creation: {
          eventKey: o.eventId ?? `feedback-remediation-${randomUUID()}`,
          actor: o.actor,
          at: new Date(),
          data: { serviceId: svc.id, topicId: topic.id, period: o.period, evidence: evidence.rows.length },
        },
      },
    ]);
    await trx
      .insertInto('feedback_evidence')
      .values(
        evidence.rows.map((r) => ({ control_item_id: item!.id, feedback_id: r.id, topic_id: topic.id })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    return { item: item!, evidence: evidence.rows.length };
  });
  if (deps.temporal) {
    try {
      await startControl({ db, temporal: deps.temporal, policy: deps.chasePolicy ?? DEFAULT_CHASE_POLICY }, [
        row.item.id,
      ]);
    } catch (e) {
      // Committed: the worker's reconciliation (ensureItemWorkflows) starts it.
      deps.log?.warn({ err: (e as Error).message, itemId: row.item.id }, 'remediation workflow not started');
    }
  }
  return { itemId: row.item.id, evidence: row.evidence };
}
