import { insertPlannedChecks } from '../../db/feedback-store.ts';
import type { Db } from '../../db/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { planChecks } from '../../domain/feedback/mystery-plan.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { isProjectOffice, type Actor } from '../../domain/roles.ts';

type Issues = { field: string; key: string; params?: Record<string, string | number> }[];

/**
 * The working group plans a quarter's mystery shopping for a group of services (a life situation's or an
 * agency's): one check per service not yet planned that quarter, spread over its working days and assigned
 * to the chosen checkers in turn. The checks are ordinary service checks (findings → remediation items as
 * before); the daily Schedule chases the overdue ones.
 */
export async function planMysteryShopping(
  db: Db,
  o: {
    actor: Actor;
    quarter: string;
    group: { kind: 'life_situation' | 'agency'; id: number };
    checkerIds: number[];
    today: LocalDate;
  },
): Promise<{ ok: true; planned: number } | { ok: false; issues: Issues }> {
  if (!isProjectOffice(o.actor.role))
    throw new ShtabError('forbidden', 'working group only', { key: 'error.forbidden' });
  const issues: Issues = [];
  if (!/^20\d{2}-Q[1-4]$/.test(o.quarter)) issues.push({ field: 'quarter', key: 'error.svc.period' });
  const checkers = o.checkerIds.length
    ? await db
        .selectFrom('app_user')
        .select('id')
        .where('id', 'in', o.checkerIds)
        .where('disabled', '=', false)
        .where('role', 'in', ['working_group', 'admin'])
        .execute()
    : [];
  if (checkers.length === 0 || checkers.length !== new Set(o.checkerIds).size)
    issues.push({ field: 'checkers', key: 'error.svc.choose' });
  const services =
    o.group.kind === 'life_situation'
      ? await db
          .selectFrom('service_life_situation')
          .select('service_id as id')
          .where('life_situation_id', '=', o.group.id)
          .orderBy('service_id')
          .execute()
      : await db
          .selectFrom('service')
          .select('id')
          .where('agency_id', '=', o.group.id)
          .orderBy('id')
          .execute();
  if (services.length === 0) issues.push({ field: 'group', key: 'error.feedback.emptyGroup' });
  if (issues.length) return { ok: false, issues };
  const planned = await db.transaction().execute(async (trx) => {
    const already = new Set(
      (
        await trx
          .selectFrom('service_check')
          .select('service_id')
          .where('plan_quarter', '=', o.quarter)
          .where('kind', '=', 'mystery_shopping')
          .execute()
      ).map((r) => r.service_id),
    );
    const plan = planChecks({
      quarter: o.quarter,
      from: o.today,
      serviceIds: services.map((s) => s.id).filter((id) => !already.has(id)),
      checkerIds: checkers.map((c) => c.id).sort((a, b) => a - b),
    });
    await insertPlannedChecks(trx, o.quarter, plan, o.actor.userId || null);
    return plan.length;
  });
  return { ok: true, planned };
}
