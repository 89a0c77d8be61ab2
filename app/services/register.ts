import type { Db } from '../../db/index.ts';
import { sql } from 'kysely';
import { REFERENCES_LOCK } from '../../db/feedback-store.ts';
import { conflict, validation, type FieldIssue } from '../../domain/errors.ts';
import {
  KPI_BASE_PERIOD_KEY,
  LOW_SCORE_MIN_VOTES_KEY,
  LOW_SCORE_THRESHOLD_KEY,
  parseServiceForm,
  parseSettingsForm,
  type FormData,
} from '../../domain/services/index.ts';

// The service register and its settings (working group).

const first = (f: FormData, k: string) => {
  const v = f[k];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};
const all = (f: FormData, k: string) => {
  const v = f[k];
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
};

/**
 * References the form names must point at real rows; a taken code is a field problem too. Checked on the
 * raw fields, so they show together with the format problems.
 */
async function referenceProblems(db: Db, f: FormData, selfId: number | null): Promise<FieldIssue[]> {
  const idOf = (k: string) => {
    const v = first(f, k).trim();
    return /^\d{1,9}$/.test(v) ? Number(v) : null;
  };
  const code = first(f, 'code').trim().toLowerCase();
  const agencyId = idOf('agency_id');
  const curatorId = idOf('curator_user_id');
  const lsIds = all(f, 'lifeSituationIds')
    .filter((x) => /^\d{1,9}$/.test(x))
    .map(Number);
  const [agency, curator, taken, ls] = await Promise.all([
    agencyId ? db.selectFrom('agency').select('id').where('id', '=', agencyId).executeTakeFirst() : undefined,
    curatorId
      ? db
          .selectFrom('app_user')
          .select('id')
          .where('id', '=', curatorId)
          .where('disabled', '=', false)
          .executeTakeFirst()
      : undefined,
    code
      ? db
          .selectFrom('service')
          .select('id')
          .where((eb) => eb(eb.fn('lower', ['code']), '=', code))
          .executeTakeFirst()
      : undefined,
    lsIds.length ? db.selectFrom('life_situation').select('id').where('id', 'in', lsIds).execute() : [],
  ]);
  const direction = first(f, 'direction').trim();
  const knownDirection = direction
    ? await db.selectFrom('direction').select('code').where('code', '=', direction).executeTakeFirst()
    : undefined;
  const out: FieldIssue[] = [];
  if (agencyId && !agency) out.push({ field: 'agency_id', key: 'error.svc.choose' });
  if (curatorId && !curator) out.push({ field: 'curator_user_id', key: 'error.svc.choose' });
  if (taken && taken.id !== selfId) out.push({ field: 'code', key: 'error.svc.codeTaken' });
  if (ls.length !== new Set(lsIds).size) out.push({ field: 'lifeSituationIds', key: 'error.svc.choose' });
  if (direction && !knownDirection) out.push({ field: 'direction', key: 'error.svc.choose' });
  return out;
}

/** Creates (selfId null) or updates a service from its form; every problem is returned, nothing stored then. */
export async function saveService(
  db: Db,
  selfId: number | null,
  values: FormData,
): Promise<{ ok: true; id: number } | { ok: false; problems: FieldIssue[] }> {
  const parsed = parseServiceForm(values);
  const problems = [...(await referenceProblems(db, values, selfId)), ...(parsed.ok ? [] : parsed.errors)];
  if (!parsed.ok || problems.length) return { ok: false, problems };
  const v = parsed.value;
  const row = {
    code: v.code,
    title_ru: v.title_ru,
    title_en: v.title_en,
    agency_id: v.agency_id,
    curator_user_id: v.curator_user_id,
    level: v.level,
    electronic: v.electronic,
    proactive: v.proactive,
    socially_significant: v.socially_significant,
    channels: v.channels,
    direction: v.direction,
  };
  try {
    const id = await db.transaction().execute(async (trx) => {
      const sid = selfId
        ? (
            await trx
              .updateTable('service')
              .set(row)
              .where('id', '=', selfId)
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id
        : (await trx.insertInto('service').values(row).returning('id').executeTakeFirstOrThrow()).id;
      await trx.deleteFrom('service_life_situation').where('service_id', '=', sid).execute();
      if (v.lifeSituationIds.length)
        await trx
          .insertInto('service_life_situation')
          .values(v.lifeSituationIds.map((l) => ({ service_id: sid, life_situation_id: l })))
          .execute();
      return sid;
    });
    return { ok: true, id };
  } catch (e) {
    // Two people saving the same new code at once: the unique index decides.
    if ((e as { code?: string }).code === '23505')
      throw validation('code', 'error.svc.codeTaken', 'code taken');
    throw e;
  }
}

/** Deletes a service that has no history (items, improvements, checks, reviews must not vanish with it). */
export async function deleteService(db: Db, id: number) {
  await db.transaction().execute(async (trx) => {
    // Intakes in flight first: each holds the references lock until it commits, and one that starts later
    // finds the service gone (app/feedback ingestFeedback).
    await sql`select pg_advisory_xact_lock(${REFERENCES_LOCK})`.execute(trx);
    await trx.selectFrom('service').select('id').where('id', '=', id).forUpdate().execute();
    const [items, improvements, checks, reviews] = await Promise.all([
      trx.selectFrom('control_item').select('id').where('service_id', '=', id).limit(1).execute(),
      trx.selectFrom('service_improvement').select('id').where('service_id', '=', id).limit(1).execute(),
      trx.selectFrom('service_check').select('id').where('service_id', '=', id).limit(1).execute(),
      trx.selectFrom('feedback').select('id').where('service_id', '=', id).limit(1).execute(),
    ]);
    // Citizens' reviews are history too (and carry no foreign key: migration 0012).
    if (items.length || improvements.length || checks.length || reviews.length)
      throw conflict('error.svc.hasHistory', 'service has history');
    await trx.deleteFrom('service').where('id', '=', id).execute();
  });
}

/** The low-score rule (threshold, minimum votes) and the KPI's base period. */
export async function saveServiceSettings(
  db: Db,
  values: FormData,
): Promise<{ ok: true } | { ok: false; problems: FieldIssue[] }> {
  const parsed = parseSettingsForm(values);
  if (!parsed.ok) return { ok: false, problems: parsed.errors };
  await db.transaction().execute(async (trx) => {
    const put = (key: string, value: unknown) =>
      trx
        .insertInto('setting')
        .values({ key, value: JSON.stringify(value), updated_at: new Date() })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: new Date() }),
        )
        .execute();
    await put(LOW_SCORE_THRESHOLD_KEY, parsed.value.threshold);
    await put(LOW_SCORE_MIN_VOTES_KEY, parsed.value.minVotes);
    if (parsed.value.basePeriod) await put(KPI_BASE_PERIOD_KEY, parsed.value.basePeriod);
    else await trx.deleteFrom('setting').where('key', '=', KPI_BASE_PERIOD_KEY).execute();
  });
  return { ok: true };
}
