import type { Db } from '../../db/index.ts';
import { conflict, notFound, type FieldIssue } from '../../domain/errors.ts';
import { unavailable } from '../temporal.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import type { Actor } from '../../domain/roles.ts';
import {
  parseFindingsForm,
  parseRemediationForm,
  parseScheduleCheckForm,
  type FormData,
} from '../../domain/services/index.ts';
import { recordNewItems, startControl, type ControlDeps } from '../control-items/index.ts';

// Mystery-shopping and time-and-motion checks of a service, and the remediation item a finding opens.

type Result<T = void> = { ok: true; value: T } | { ok: false; problems: FieldIssue[] };

/** Plans a check of a service; the inspector, when named, must be an active user. */
export async function scheduleCheck(
  db: Db,
  o: { serviceId: number; values: FormData; actor: Actor },
): Promise<Result<number>> {
  const parsed = parseScheduleCheckForm(o.values);
  const problems: FieldIssue[] = parsed.ok ? [] : [...parsed.errors];
  if (parsed.ok && parsed.value.inspectorUserId) {
    const u = await db
      .selectFrom('app_user')
      .select('id')
      .where('id', '=', parsed.value.inspectorUserId)
      .where('disabled', '=', false)
      .executeTakeFirst();
    if (!u) problems.push({ field: 'inspectorUserId', key: 'error.svc.choose' });
  }
  if (!parsed.ok || problems.length) return { ok: false, problems };
  const v = parsed.value;
  const row = await db
    .insertInto('service_check')
    .values({
      service_id: o.serviceId,
      kind: v.kind,
      scheduled_on: v.scheduledOn,
      channel: v.channel,
      inspector_user_id: v.inspectorUserId,
      created_by: o.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ok: true, value: row.id };
}

async function loadCheck(db: Db, id: number) {
  const c = await db.selectFrom('service_check').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw notFound('error.svc.check.notFound', `check ${id} not found`);
  return c;
}

/** The findings of a check that took place; the check is done then. */
export async function recordFindings(
  db: Db,
  o: { checkId: number; values: FormData; actor: Actor; today: LocalDate },
): Promise<Result> {
  const check = await loadCheck(db, o.checkId);
  if (check.status === 'cancelled')
    throw conflict('error.transition.notInStatus', 'check cancelled', {
      action: 'record',
      status: 'cancelled',
    });
  const parsed = parseFindingsForm(o.values, o.today);
  if (!parsed.ok) return { ok: false, problems: parsed.errors };
  const v = parsed.value;
  await db
    .updateTable('service_check')
    .set({
      status: 'done',
      performed_on: v.performedOn,
      steps: v.steps,
      minutes: v.minutes,
      documents_asked: v.documentsAsked,
      documents_note: v.documentsNote,
      issues: v.issues,
      inspector_user_id: check.inspector_user_id ?? o.actor.userId,
      updated_at: new Date(),
    })
    .where('id', '=', check.id)
    .execute();
  return { ok: true, value: undefined };
}

const KIND_TEXT = {
  mystery_shopping: { ru: 'контрольной закупки', en: 'mystery shopping' },
  timing: { ru: 'хронометража', en: 'time-and-motion study' },
} as const;

/**
 * A finding becomes a controlled item of the service's agency (the service's curator executes it when
 * they belong to that agency), put under control like any other item: row, audit event, workflow. One
 * per check.
 */
export async function openRemediation(
  deps: ControlDeps,
  o: { checkId: number; values: FormData; actor: Actor; today: LocalDate },
): Promise<Result<number>> {
  const { db } = deps;
  const check = await loadCheck(db, o.checkId);
  if (check.status !== 'done') throw conflict('error.svc.findingsFirst', 'record findings first');
  if (check.remediation_item_id) throw conflict('error.svc.remediationExists', 'remediation exists');
  const parsed = parseRemediationForm(o.values, o.today);
  if (!parsed.ok) return { ok: false, problems: parsed.errors };
  const v = parsed.value;
  const svc = await db
    .selectFrom('service as s')
    .leftJoin('app_user as u', (j) =>
      j.onRef('u.id', '=', 's.curator_user_id').onRef('u.agency_id', '=', 's.agency_id'),
    )
    .select(['s.id', 's.title_ru', 's.title_en', 's.agency_id', 'u.id as executor'])
    .where('s.id', '=', check.service_id)
    .executeTakeFirstOrThrow();
  const k = KIND_TEXT[check.kind];
  const item = await db.transaction().execute(async (trx) => {
    // One remediation per check, also for two posts at once: the check row is locked first.
    const locked = await trx
      .selectFrom('service_check')
      .select('remediation_item_id')
      .where('id', '=', check.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.remediation_item_id) throw conflict('error.svc.remediationExists', 'remediation exists');
    const [row] = await recordNewItems(trx, [
      {
        item: {
          kind: 'remediation',
          title_ru: `Устранение замечаний по итогам ${k.ru} услуги «${svc.title_ru}»`,
          title_en: `Remediation after the ${k.en} of the service “${svc.title_en ?? svc.title_ru}”`,
          description: v.description,
          deliverable: 'Отчёт об устранении замечаний',
          agency_id: svc.agency_id,
          executor_user_id: svc.executor,
          service_id: svc.id,
          due: v.due,
        },
        creation: {
          eventKey: `service-check-${check.id}:remediation`,
          actor: o.actor,
          at: new Date(),
          data: { checkId: check.id, serviceId: svc.id },
        },
      },
    ]);
    await trx
      .updateTable('service_check')
      .set({ remediation_item_id: row!.id, updated_at: new Date() })
      .where('id', '=', check.id)
      .execute();
    return row!;
  });
  await startControl(deps, [item.id]).catch((e: unknown) => {
    // The row is committed; reconciliation starts the workflow once Temporal is back.
    throw unavailable(e);
  });
  return { ok: true, value: item.id };
}
