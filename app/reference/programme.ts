import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema/index.ts';
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
// change; running items keep the policy they were started with (docs/decisions.md §41).

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

type CodedTable = 'life_situation' | 'roadmap';
type Row<T extends CodedTable> = Selectable<DB[T]>;

/**
 * Creates (id null) or updates a coded record of `table` in one transaction, serialised per table: its
 * code unique (any case), an audit event with the record before and after (`<table>.created` /
 * `<table>.updated`, the changed fields). What differs per table is the values and the snapshot.
 */
async function saveCoded<T extends CodedTable>(
  db: Db,
  actor: Actor,
  o: {
    table: T;
    id: number | null;
    code: string;
    values: Updateable<DB[T]>;
    /** Extra values of a new row (a life situation's place in the list). */
    created?: Record<string, unknown>;
    snapshot: (r: Row<T>) => object;
    notFoundKey: string;
  },
): Promise<Outcome> {
  const { id, table } = o;
  const name = table as string;
  // Kysely cannot follow one generic table through its builders: the rows are typed by the caller.
  const q = (trx: Trx) => trx as unknown as Kysely<Record<string, Record<string, unknown>>>;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`shtab.${table}`}))`.execute(trx);
    const clash = await codeTaken(trx, table, o.code, id);
    if (clash.length) return { ok: false, problems: clash };
    if (id === null) {
      const r = (await q(trx)
        .insertInto(name)
        .values({ ...(o.values as Record<string, unknown>), ...(o.created ?? {}) })
        .returningAll()
        .executeTakeFirstOrThrow()) as unknown as Row<T> & { id: number; code: string };
      await audit(
        trx,
        actor,
        `${table}.created`,
        { kind: table, id: r.id, label: r.code },
        { after: o.snapshot(r) },
      );
      return { ok: true, id: r.id };
    }
    const before = (await q(trx).selectFrom(name).selectAll().where('id', '=', id).executeTakeFirst()) as
      Row<T> | undefined;
    if (!before) throw notFound(o.notFoundKey, `${table} ${id} not found`);
    const after = (await q(trx)
      .updateTable(name)
      .set(o.values as Record<string, unknown>)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()) as unknown as Row<T> & { code: string };
    const fields = changedFields(o.snapshot(before), o.snapshot(after));
    if (fields.length)
      await audit(
        trx,
        actor,
        `${table}.updated`,
        { kind: table, id, label: after.code },
        { before: o.snapshot(before), after: o.snapshot(after), data: { fields } },
      );
    return { ok: true, id };
  });
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
  return saveCoded(db, actor, {
    table: 'life_situation',
    id,
    code: l.code,
    values,
    created: { sort: sql`coalesce((select max(sort) from life_situation), 0) + 1` },
    snapshot: lsSnapshot,
    notFoundKey: 'error.lifeSituation.notFound',
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
  return saveCoded(db, actor, {
    table: 'roadmap',
    id,
    code: r.code,
    values,
    snapshot: rmSnapshot,
    notFoundKey: 'error.roadmap.notFound',
  });
}
