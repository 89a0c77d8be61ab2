import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { notFound, type FieldIssue } from '../../domain/errors.ts';
import {
  lifeSituationProblems,
  policyToStored,
  roadmapProblems,
  tidy,
  type LifeSituationInput,
  type RoadmapInput,
} from '../../domain/reference/index.ts';
import type { Actor } from '../../domain/roles.ts';
import { audit, changedFields, requireProjectOffice, type Outcome, type Trx } from './shared.ts';

// The programme's own reference data, kept by the working group (and the administrator): life situations
// (federal / regional, period; the target state has its own page) and roadmaps (approving act, horizon,
// chase policy, head sign-off rule). A roadmap's policy applies to the items put under control after the
// change; running items keep the policy they were started with (docs/decisions.md §40).

async function codeTaken(
  q: Db | Trx,
  table: 'life_situation' | 'roadmap',
  code: string,
  selfId: number | null,
): Promise<FieldIssue[]> {
  const hit = await q
    .selectFrom(table)
    .select('id')
    .where(sql<boolean>`lower(code) = lower(${code})`)
    .$if(selfId !== null, (w) => w.where('id', '<>', selfId!))
    .executeTakeFirst();
  return hit ? [{ field: 'code', key: 'error.reference.codeTaken', params: { code } }] : [];
}

const lsSnapshot = (l: {
  code: string;
  title_ru: string;
  title_en: string;
  level: 'federal' | 'regional';
  period_from: string | null;
  period_to: string | null;
}) => ({
  code: l.code,
  titleRu: l.title_ru,
  titleEn: l.title_en,
  level: l.level,
  periodFrom: l.period_from,
  periodTo: l.period_to,
});

/** Creates (id null) or updates a life situation. */
export async function saveLifeSituation(
  db: Db,
  actor: Actor,
  id: number | null,
  input: LifeSituationInput,
): Promise<Outcome> {
  requireProjectOffice(actor);
  const l: LifeSituationInput = {
    ...input,
    code: input.code.trim(),
    titleRu: tidy(input.titleRu) ?? '',
    titleEn: tidy(input.titleEn),
  };
  const problems = lifeSituationProblems(l);
  if (problems.length) return { ok: false, problems };
  const values = {
    code: l.code,
    title_ru: l.titleRu,
    title_en: l.titleEn ?? l.titleRu,
    level: l.level,
    period_from: l.periodFrom,
    period_to: l.periodTo,
  };
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('shtab.life_situation'))`.execute(trx);
    const clash = await codeTaken(trx, 'life_situation', l.code, id);
    if (clash.length) return { ok: false, problems: clash };
    if (id === null) {
      const r = await trx
        .insertInto('life_situation')
        .values({
          ...values,
          sort: sql`coalesce((select max(sort) from life_situation), 0) + 1`,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(
        trx,
        actor,
        'life_situation.created',
        { kind: 'life_situation', id: r.id, label: r.code },
        {
          after: lsSnapshot(r),
        },
      );
      return { ok: true, id: r.id };
    }
    const before = await trx.selectFrom('life_situation').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('error.lifeSituation.notFound', `life situation ${id} not found`);
    const after = await trx
      .updateTable('life_situation')
      .set(values)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const fields = changedFields(lsSnapshot(before), lsSnapshot(after));
    if (fields.length)
      await audit(
        trx,
        actor,
        'life_situation.updated',
        { kind: 'life_situation', id, label: after.code },
        { before: lsSnapshot(before), after: lsSnapshot(after), data: { fields } },
      );
    return { ok: true, id };
  });
}

const rmSnapshot = (r: {
  code: string;
  title_ru: string;
  title_en: string;
  act: string | null;
  horizon: string | null;
  head_signoff_required: boolean;
  chase_policy: unknown;
}) => ({
  code: r.code,
  titleRu: r.title_ru,
  titleEn: r.title_en,
  act: r.act,
  horizon: r.horizon,
  headSignoffRequired: r.head_signoff_required,
  chasePolicy: r.chase_policy ?? null,
});

/** Creates (id null) or updates a roadmap. */
export async function saveRoadmap(
  db: Db,
  actor: Actor,
  id: number | null,
  input: RoadmapInput,
): Promise<Outcome> {
  requireProjectOffice(actor);
  const r: RoadmapInput = {
    ...input,
    code: input.code.trim(),
    titleRu: tidy(input.titleRu) ?? '',
    titleEn: tidy(input.titleEn),
    act: tidy(input.act),
  };
  const problems = roadmapProblems(r);
  if (problems.length) return { ok: false, problems };
  const values = {
    code: r.code,
    title_ru: r.titleRu,
    title_en: r.titleEn ?? r.titleRu,
    act: r.act,
    horizon: r.horizon,
    head_signoff_required: r.headSignoffRequired,
    chase_policy: r.policy ? JSON.stringify(policyToStored(r.policy)) : null,
  };
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('shtab.roadmap'))`.execute(trx);
    const clash = await codeTaken(trx, 'roadmap', r.code, id);
    if (clash.length) return { ok: false, problems: clash };
    if (id === null) {
      const row = await trx.insertInto('roadmap').values(values).returningAll().executeTakeFirstOrThrow();
      await audit(
        trx,
        actor,
        'roadmap.created',
        { kind: 'roadmap', id: row.id, label: row.code },
        {
          after: rmSnapshot(row),
        },
      );
      return { ok: true, id: row.id };
    }
    const before = await trx.selectFrom('roadmap').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('error.roadmap.notFound', `roadmap ${id} not found`);
    const after = await trx
      .updateTable('roadmap')
      .set(values)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const fields = changedFields(rmSnapshot(before), rmSnapshot(after));
    if (fields.length)
      await audit(
        trx,
        actor,
        'roadmap.updated',
        { kind: 'roadmap', id, label: after.code },
        { before: rmSnapshot(before), after: rmSnapshot(after), data: { fields } },
      );
    return { ok: true, id };
  });
}
