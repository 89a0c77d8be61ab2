import type { Db } from '../../db/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import {
  checkRoundForm,
  KPI_BASES,
  KPI_BASIS_KEY,
  PRINCIPLES_LOW_KEY,
  roundTotal,
} from '../../domain/principles/index.ts';
import { isProjectOffice, type Actor } from '../../domain/roles.ts';

type Issues = { field: string; key: string; params?: Record<string, string | number> }[];
const officeOnly = (actor: Actor) => {
  if (!isProjectOffice(actor.role))
    throw new ShtabError('forbidden', 'working group only', { key: 'error.forbidden' });
};

/** A principles check round of a service: every active principle graded 1–5, the total their mean. */
export async function recordPrincipleRound(
  db: Db,
  o: { actor: Actor; serviceId: number; values: Record<string, unknown>; today: LocalDate },
): Promise<{ ok: true; roundId: number; total: number } | { ok: false; issues: Issues }> {
  officeOnly(o.actor);
  const [service, active] = await Promise.all([
    db.selectFrom('service').select('id').where('id', '=', o.serviceId).executeTakeFirst(),
    db.selectFrom('principle').select('id').where('active', '=', true).orderBy('sort').execute(),
  ]);
  if (!service) throw new ShtabError('not_found', 'service not found', { key: 'error.svc.notFound' });
  const form = checkRoundForm(
    o.values,
    active.map((p) => p.id),
    o.today,
  );
  if (!form.ok) return { ok: false, issues: form.issues };
  const total = roundTotal(form.value.grades.map((g) => g.grade));
  const roundId = await db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('principle_round')
      .values({
        service_id: o.serviceId,
        held_on: form.value.heldOn,
        checker_user_id: o.actor.userId || null,
        total,
        note: form.value.note,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('principle_grade')
      .values(form.value.grades.map((g) => ({ round_id: r.id, principle_id: g.principleId, grade: g.grade })))
      .execute();
    return r.id;
  });
  return { ok: true, roundId, total };
}

/** The checklist as the working group edits it: titles and which principles are checked. */
export async function saveChecklist(
  db: Db,
  o: { actor: Actor; values: Record<string, unknown> },
): Promise<{ ok: true } | { ok: false; issues: Issues }> {
  officeOnly(o.actor);
  const all = await db.selectFrom('principle').select(['id']).execute();
  const issues: Issues = [];
  const updates = all.map((p) => {
    const ru = String(o.values[`title_ru.${p.id}`] ?? '').trim();
    const en = String(o.values[`title_en.${p.id}`] ?? '').trim();
    if (!ru || ru.length > 200)
      issues.push({
        field: `title_ru.${p.id}`,
        key: ru ? 'error.feedback.tooLong' : 'error.feedback.required',
        params: { max: 200 },
      });
    if (!en || en.length > 200)
      issues.push({
        field: `title_en.${p.id}`,
        key: en ? 'error.feedback.tooLong' : 'error.feedback.required',
        params: { max: 200 },
      });
    return { id: p.id, title_ru: ru, title_en: en, active: o.values[`active.${p.id}`] === '1' };
  });
  if (issues.length) return { ok: false, issues };
  if (!updates.some((u) => u.active))
    return { ok: false, issues: [{ field: 'active', key: 'error.feedback.noPrinciples' }] };
  await db.transaction().execute(async (trx) => {
    for (const u of updates)
      await trx
        .updateTable('principle')
        .set({ title_ru: u.title_ru, title_en: u.title_en, active: u.active })
        .where('id', '=', u.id)
        .execute();
  });
  return { ok: true };
}

/** The low-grade threshold and which services the KPI counts as low (score, principles, either). */
export async function savePrincipleSettings(
  db: Db,
  o: { actor: Actor; values: Record<string, unknown> },
): Promise<{ ok: true } | { ok: false; issues: Issues }> {
  officeOnly(o.actor);
  const raw = String(o.values.lowThreshold ?? '')
    .trim()
    .replace(',', '.');
  const low = /^\d(\.\d{1,2})?$/.test(raw) ? Number(raw) : NaN;
  const basis = String(o.values.basis ?? '');
  const issues: Issues = [];
  if (!(low >= 1 && low <= 5))
    issues.push({ field: 'lowThreshold', key: 'error.svc.range', params: { min: 1, max: 5 } });
  if (!(KPI_BASES as readonly string[]).includes(basis))
    issues.push({ field: 'basis', key: 'error.feedback.basisChoice' });
  if (issues.length) return { ok: false, issues };
  await db.transaction().execute(async (trx) => {
    for (const [key, value] of [
      [PRINCIPLES_LOW_KEY, low],
      [KPI_BASIS_KEY, basis],
    ] as const)
      await trx
        .insertInto('setting')
        .values({ key, value: JSON.stringify(value), updated_at: new Date() })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: new Date() }),
        )
        .execute();
  });
  return { ok: true };
}
