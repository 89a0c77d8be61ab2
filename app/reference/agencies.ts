import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { normalizeText } from '../../domain/imports/text.ts';
import { conflict, notFound, type FieldIssue } from '../../domain/errors.ts';
import { agencyProblems, tidy, type AgencyInput } from '../../domain/reference/index.ts';
import type { Actor } from '../../domain/roles.ts';
import { runItemCommand } from '../control-items/index.ts';
import type { TemporalHandle } from '../temporal.ts';
import { audit, changedFields, requireAdmin, type Outcome, type Trx } from './shared.ts';

// Agencies, kept by the administrator: create, edit (names, kind, aliases for imports), disable and
// enable, merge one into another. Names are unique among active agencies, so that an import never finds
// two agencies by one name. Every change is audited with the agency before and after.

type AgencyRecord = AgencyInput & { disabled: boolean; mergedIntoId: number | null };

const snapshot = (a: {
  code: string;
  title_ru: string;
  title_en: string;
  short_ru: string | null;
  kind: AgencyInput['kind'];
  aliases: string[];
  disabled: boolean;
  merged_into_id: number | null;
}): AgencyRecord => ({
  code: a.code,
  titleRu: a.title_ru,
  titleEn: a.title_en,
  shortRu: a.short_ru,
  kind: a.kind,
  aliases: a.aliases,
  disabled: a.disabled,
  mergedIntoId: a.merged_into_id,
});

/** The input tidied as it will be stored: spaces collapsed, English title defaulting to the Russian. */
export function tidyAgency(a: AgencyInput): AgencyInput {
  return {
    code: a.code.trim(),
    titleRu: tidy(a.titleRu) ?? '',
    titleEn: tidy(a.titleEn),
    shortRu: tidy(a.shortRu),
    kind: a.kind,
    aliases: [...new Set(a.aliases.map((x) => tidy(x)).filter((x): x is string => x !== null))],
  };
}

const namesOf = (a: Pick<AgencyInput, 'code' | 'titleRu' | 'titleEn' | 'shortRu' | 'aliases'>) =>
  [
    ['code', a.code],
    ['titleRu', a.titleRu],
    ['titleEn', a.titleEn],
    ['shortRu', a.shortRu],
    ...a.aliases.map((x) => ['aliases', x] as const),
  ] as const;

/**
 * Problems of an agency against the others: its code is unique (any case), and none of its names is a
 * name of another active agency (imports must find one agency per name).
 */
export async function agencyConflicts(
  q: Db | Trx,
  a: AgencyInput,
  selfId: number | null,
  also: { id: number | null; input: AgencyInput }[] = [],
): Promise<FieldIssue[]> {
  const p: FieldIssue[] = [];
  const others = await q
    .selectFrom('agency')
    .select(['id', 'code', 'title_ru', 'title_en', 'short_ru', 'aliases', 'disabled'])
    .execute();
  const rows = [
    ...others
      .filter((o) => o.id !== selfId && !also.some((x) => x.id === o.id))
      .map((o) => ({
        code: o.code,
        disabled: o.disabled,
        label: o.short_ru ?? o.title_ru,
        names: [o.code, o.title_ru, o.title_en, o.short_ru, ...o.aliases],
      })),
    ...also.map((x) => ({
      code: x.input.code,
      disabled: false,
      label: x.input.shortRu ?? x.input.titleRu,
      names: namesOf(x.input).map(([, n]) => n),
    })),
  ];
  if (rows.some((o) => o.code.toLowerCase() === a.code.toLowerCase()))
    p.push({ field: 'code', key: 'error.agency.codeTaken', params: { code: a.code } });
  const taken = new Map<string, string>();
  for (const o of rows)
    if (!o.disabled)
      for (const n of o.names) {
        const k = n ? normalizeText(n) : '';
        if (k) taken.set(k, o.label);
      }
  const flagged = new Set<string>();
  for (const [field, n] of namesOf(a)) {
    if (!n || field === 'code' || flagged.has(field)) continue;
    const owner = taken.get(normalizeText(n));
    if (owner) {
      flagged.add(field);
      p.push({ field, key: 'error.agency.nameTaken', params: { name: n, agency: owner } });
    }
  }
  return p;
}

async function current(q: Db | Trx, id: number) {
  const a = await q.selectFrom('agency').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) throw notFound('error.agency.notFound', `agency ${id} not found`);
  return a;
}

const values = (a: AgencyInput) => ({
  code: a.code,
  title_ru: a.titleRu,
  title_en: a.titleEn ?? a.titleRu,
  short_ru: a.shortRu,
  kind: a.kind,
  aliases: a.aliases,
});

/** Writes a new agency in the caller's transaction (the page, the API and the onboarding file). */
export async function insertAgency(trx: Trx, actor: Actor, a: AgencyInput, via?: string) {
  const row = await trx.insertInto('agency').values(values(a)).returningAll().executeTakeFirstOrThrow();
  await audit(
    trx,
    actor,
    'agency.created',
    { kind: 'agency', id: row.id, label: row.code },
    {
      after: snapshot(row),
      ...(via ? { data: { via } } : {}),
    },
  );
  return row.id;
}

/** Rewrites an agency's names, kind and aliases in the caller's transaction; false when nothing changed. */
export async function rewriteAgency(trx: Trx, actor: Actor, id: number, a: AgencyInput, via?: string) {
  const before = await current(trx, id);
  const after = await trx
    .updateTable('agency')
    .set(values(a))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const b = snapshot(before);
  const n = snapshot(after);
  const fields = changedFields(b, n);
  if (fields.length === 0) return false;
  await audit(
    trx,
    actor,
    'agency.updated',
    { kind: 'agency', id, label: after.code },
    {
      before: b,
      after: n,
      data: { fields, ...(via ? { via } : {}) },
    },
  );
  return true;
}

/** Serialises changes of agency names (an import's check and write must not interleave with a page's). */
const lockAgencies = (trx: Trx) => sql`select pg_advisory_xact_lock(hashtext('shtab.agency'))`.execute(trx);

export async function createAgency(db: Db, actor: Actor, input: AgencyInput): Promise<Outcome> {
  requireAdmin(actor);
  const a = tidyAgency(input);
  const problems = agencyProblems(a);
  if (problems.length) return { ok: false, problems };
  return db.transaction().execute(async (trx) => {
    await lockAgencies(trx);
    const clash = await agencyConflicts(trx, a, null);
    if (clash.length) return { ok: false, problems: clash };
    return { ok: true, id: await insertAgency(trx, actor, a) };
  });
}

export async function updateAgency(db: Db, actor: Actor, id: number, input: AgencyInput): Promise<Outcome> {
  requireAdmin(actor);
  await current(db, id);
  const a = tidyAgency(input);
  const problems = agencyProblems(a);
  if (problems.length) return { ok: false, problems };
  return db.transaction().execute(async (trx) => {
    await lockAgencies(trx);
    const clash = await agencyConflicts(trx, a, id);
    if (clash.length) return { ok: false, problems: clash };
    await rewriteAgency(trx, actor, id, a);
    return { ok: true, id };
  });
}

const openItemsOf = (q: Db | Trx, id: number) =>
  q
    .selectFrom('control_item')
    .select('id')
    .where('status', 'not in', ['done', 'cancelled'])
    .where((eb) => eb.or([eb('agency_id', '=', id), eb(sql`${id}`, '=', eb.fn.any('co_agency_ids'))]))
    .orderBy('id');

/**
 * Disables an agency: it leaves the choices of forms and imports, and what refers to it stays. Refused
 * while it has open items or active people (reassign or merge first).
 */
export async function setAgencyDisabled(db: Db, actor: Actor, id: number, disabled: boolean) {
  requireAdmin(actor);
  await db.transaction().execute(async (trx) => {
    await lockAgencies(trx);
    const a = await current(trx, id);
    if (a.disabled === disabled) return;
    if (!disabled && a.merged_into_id !== null)
      throw conflict('error.agency.merged', 'a merged agency stays disabled');
    if (disabled) {
      const open = await openItemsOf(trx, id).execute();
      if (open.length)
        throw conflict('error.agency.hasOpenItems', 'the agency has open items', { n: open.length });
      const people = await trx
        .selectFrom('app_user')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('agency_id', '=', id)
        .where('disabled', '=', false)
        .executeTakeFirstOrThrow();
      if (people.n > 0)
        throw conflict('error.agency.hasPeople', 'the agency has active people', { n: people.n });
    } else {
      const clash = await agencyConflicts(trx, snapshot(a), id);
      if (clash.length)
        throw conflict('error.agency.nameTaken', 'another agency now has its name', clash[0]!.params);
    }
    await trx.updateTable('agency').set({ disabled }).where('id', '=', id).execute();
    await audit(
      trx,
      actor,
      disabled ? 'agency.disabled' : 'agency.enabled',
      { kind: 'agency', id, label: a.code },
      { before: { disabled: a.disabled }, after: { disabled } },
    );
  });
}

/**
 * Where references to an agency live when it is merged into another. `moved` follow the successor in
 * the merge's transaction; `kept` are records of what happened (who reported, which agency a check-in
 * asked) and stay with the old agency. test/app/reference/agencies.test.ts fails when a new foreign key
 * to agency(id) is in neither list.
 */
export const AGENCY_REFERENCES = {
  moved: [
    'app_user.agency_id',
    'service.agency_id',
    'sso_rule.agency_id',
    'api_token.agency_id',
    'committee_member.agency_id',
    'check_in_decision.agency_id',
    'control_item.agency_id',
    'agency.merged_into_id',
    'feedback_case.agency_id',
  ],
  // An assignment inside the old agency is its history: the open item's reassign Update supersedes it.
  kept: ['submission.agency_id', 'status_note.agency_id', 'status_request.agency_id', 'assignment.agency_id'],
} as const;

/** An agency list with `from` replaced by `into`, without the responsible agency, order kept. */
const coReplaced = (from: number, into: number) =>
  sql<number[]>`array(
    select x from unnest(array_replace(co_agency_ids, ${from}::int, ${into}::int)) with ordinality u(x, n)
    where x <> (case when agency_id = ${from}::int then ${into}::int else agency_id end)
    group by x order by min(n))`;

/** Moves everything that follows a merged agency to its successor (idempotent); counts per table. */
async function moveReferences(trx: Trx, from: number, into: number) {
  const moved: Record<string, number> = {};
  const count = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows);
  // A curator case follows its service (its escalation asks the agency's head), open or answered.
  for (const t of [
    'app_user',
    'service',
    'sso_rule',
    'api_token',
    'committee_member',
    'feedback_case',
  ] as const)
    moved[t] = count(
      await trx.updateTable(t).set({ agency_id: into }).where('agency_id', '=', from).executeTakeFirst(),
    );
  const involving = sql<boolean>`(agency_id = ${from}::int or ${from}::int = any(co_agency_ids))`;
  moved.check_in_decision = count(
    await trx
      .updateTable('check_in_decision')
      .set({
        co_agency_ids: coReplaced(from, into),
        agency_id: sql`case when agency_id = ${from}::int then ${into}::int else agency_id end`,
      })
      .where('control_item_id', 'is', null)
      .where(involving)
      .executeTakeFirst(),
  );
  // Closed items have no running workflow to tell: their agency is rewritten here (their submissions keep
  // the agency that reported).
  moved.closed_items = count(
    await trx
      .updateTable('control_item')
      .set({
        co_agency_ids: coReplaced(from, into),
        agency_id: sql`case when agency_id = ${from}::int then ${into}::int else agency_id end`,
      })
      .where('status', 'in', ['done', 'cancelled'])
      .where(involving)
      .executeTakeFirst(),
  );
  moved.merged_agencies = count(
    await trx
      .updateTable('agency')
      .set({ merged_into_id: into })
      .where('merged_into_id', '=', from)
      .executeTakeFirst(),
  );
  return moved;
}

export interface MergeResult {
  /** Open items moved through their workflows (reassign Updates). */
  reassigned: number;
  /** Open items whose Update failed (Temporal unavailable): repeat the merge to finish them. */
  pending: number;
  /** Closed items, people, services, rules… moved in the merge's transaction. */
  moved: Record<string, number>;
}

/**
 * Merges agency `fromId` into `intoId`. In one transaction: people, services, sign-in rules, API tokens,
 * committee seats, curator cases, undecided instructions and closed items move to the successor, and the old agency is
 * disabled with its names leading there (imports keep finding it). Open items then learn their new
 * agency through their workflow's reassign Update (the lifecycle's only writer), one by one with a key per
 * merge and item: repeating the merge of an already merged agency finishes what an outage left.
 */
export async function mergeAgencies(
  deps: { db: Db; temporal: TemporalHandle },
  actor: Actor,
  o: { fromId: number; intoId: number; reason: string },
): Promise<MergeResult> {
  requireAdmin(actor);
  const { db } = deps;
  if (o.fromId === o.intoId) throw conflict('error.agency.mergeSelf', 'an agency cannot merge into itself');
  const reason = o.reason.trim();
  const moved: Record<string, number> = {};
  const mergeKey = await db.transaction().execute(async (trx) => {
    await lockAgencies(trx);
    const from = await current(trx, o.fromId);
    const into = await current(trx, o.intoId);
    if (into.disabled) throw conflict('error.agency.mergeIntoDisabled', 'merge into an active agency');
    if (from.merged_into_id !== null && from.merged_into_id !== into.id)
      throw conflict('error.agency.merged', 'the agency was merged into another one');
    Object.assign(moved, await moveReferences(trx, from.id, into.id));
    if (from.merged_into_id === into.id) {
      // Merged before: this run finishes what an outage left (open items; anything that arrived since).
      const e = await trx
        .selectFrom('event')
        .select(sql<string>`data->>'mergeKey'`.as('key'))
        .where('type', '=', 'agency.merged')
        .where(sql<string>`data->>'subjectId'`, '=', String(from.id))
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return e?.key ?? `agency-merge:${from.id}:${into.id}`;
    }
    await trx
      .updateTable('agency')
      .set({ disabled: true, merged_into_id: into.id })
      .where('id', '=', from.id)
      .execute();
    const key = `agency-merge:${randomUUID()}`;
    await audit(
      trx,
      actor,
      'agency.merged',
      { kind: 'agency', id: from.id, label: from.code },
      {
        before: snapshot(from),
        after: { ...snapshot(from), disabled: true, mergedIntoId: into.id },
        data: { into: into.code, intoId: into.id, reason, moved, mergeKey: key },
      },
    );
    return key;
  });

  // The open items, each through its workflow. A merge is rare and an agency has at most a few hundred
  // open items: sequential Updates keep the load on Temporal low.
  const open = await openItemsOf(db, o.fromId).select(['agency_id', 'co_agency_ids']).execute();
  let reassigned = 0;
  let pending = 0;
  for (const item of open) {
    const agencyId = item.agency_id === o.fromId ? o.intoId : item.agency_id;
    const coAgencyIds = [
      ...new Set(
        item.co_agency_ids.map((a) => (a === o.fromId ? o.intoId : a)).filter((a) => a !== agencyId),
      ),
    ];
    try {
      await runItemCommand(deps, {
        actor,
        itemId: item.id,
        idempotencyKey: `${mergeKey}:${item.id}`,
        command: { type: 'reassign', agencyId, coAgencyIds, reason: reason || 'merge' },
      });
      reassigned++;
    } catch (e) {
      if ((e as { code?: string }).code !== 'unavailable' && (e as { code?: string }).code !== 'conflict')
        throw e;
      pending++;
    }
  }
  return { reassigned, pending, moved };
}
