import type { Db } from '../../db/index.ts';
import type { TargetState } from '../../db/schema/index.ts';
import type { FieldIssue } from '../../domain/errors.ts';
import { parseIndicatorValueForm, parseTargetStateForm, type FormData } from '../../domain/services/index.ts';

// A life situation's target state and indicator values (working group). Indicator files go through
// indicator-import.ts.

type Result = { ok: true } | { ok: false; problems: FieldIssue[] };

/** The target state's figures, steps and approval; fields this form does not edit (phases…) are kept. */
export async function saveTargetState(
  db: Db,
  o: { lifeSituationId: number; current: TargetState | null; values: FormData },
): Promise<Result> {
  const parsed = parseTargetStateForm(o.values);
  if (!parsed.ok) return { ok: false, problems: parsed.errors };
  const v = parsed.value;
  const next: TargetState = {
    ...(o.current ?? { asIs: {}, toBe: {} }),
    asIs: v.asIs,
    toBe: v.toBe,
    asIsSteps: v.asIsSteps,
    scenarioSteps: v.scenarioSteps,
  };
  if (v.approvedBy) next.approvedBy = v.approvedBy;
  else delete next.approvedBy;
  if (v.approvalDate) next.approvalDate = v.approvalDate;
  else delete next.approvalDate;
  await db
    .updateTable('life_situation')
    .set({ target_state: JSON.stringify(next) })
    .where('id', '=', o.lifeSituationId)
    .execute();
  return { ok: true };
}

/** One indicator's plan and/or actual for a period (an indicator of this life situation). */
export async function saveIndicatorValue(
  db: Db,
  o: { lifeSituationId: number; values: FormData },
): Promise<Result> {
  const parsed = parseIndicatorValueForm(o.values);
  if (!parsed.ok) return { ok: false, problems: parsed.errors };
  const v = parsed.value;
  const ind = await db
    .selectFrom('indicator')
    .select('id')
    .where('id', '=', v.indicatorId)
    .where('life_situation_id', '=', o.lifeSituationId)
    .executeTakeFirst();
  if (!ind) return { ok: false, problems: [{ field: 'indicatorId', key: 'error.svc.choose' }] };
  await db
    .insertInto('indicator_value')
    .values({ indicator_id: v.indicatorId, period: v.period, plan: v.plan, actual: v.actual })
    .onConflict((oc) =>
      oc.columns(['indicator_id', 'period']).doUpdateSet({
        ...(v.plan !== null ? { plan: v.plan } : {}),
        ...(v.actual !== null ? { actual: v.actual } : {}),
      }),
    )
    .execute();
  return { ok: true };
}
