import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { recordAuditEvent, ssoRules } from '../../db/accounts.ts';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema/index.ts';
import { ruleProblems, type RuleField, type RuleInput, type SsoRule } from '../../domain/accounts/index.ts';
import { notFound } from '../../domain/errors.ts';
import type { Actor } from '../../domain/roles.ts';

// The claims → role / agency rules, edited by the admin in the UI (one rule at a time) or through the API
// (the whole list at once). Each change is one transaction that writes the rules and an audit event with
// the whole list before and after, so the history reads without the rules' later state.

type Trx = Transaction<DB>;
export type RuleProblems = Partial<Record<RuleField, string>>;
export type RuleOutcome = { ok: true } | { ok: false; problems: RuleProblems };

/** A rule as the audit trail shows it: the agency by code, so it reads after the agency is renamed. */
async function auditView(trx: Trx) {
  const rules = await ssoRules(trx);
  const codes = new Map(
    (await trx.selectFrom('agency').select(['id', 'code']).execute()).map((a) => [a.id, a.code] as const),
  );
  return rules.map((r) => ({
    source: r.source,
    claim: r.claim,
    value: r.value,
    role: r.role,
    agency: r.agencyId === null ? null : (codes.get(r.agencyId) ?? r.agencyId),
  }));
}

async function agencyIds(trx: Trx) {
  return new Set((await trx.selectFrom('agency').select('id').execute()).map((a) => a.id));
}

/** Runs one change of the rules, serialised with any other, and audits it if it changed anything. */
async function change<T extends { ok: boolean }>(
  db: Db,
  actor: Actor,
  fn: (trx: Trx) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('shtab.sso_rule'))`.execute(trx);
    const before = await auditView(trx);
    const result = await fn(trx);
    if (!result.ok) return result;
    const after = await auditView(trx);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await recordAuditEvent(trx, {
        key: `sso.rules:${randomUUID()}`,
        type: 'sso.rules.changed',
        actorUserId: actor.userId || null,
        before,
        after,
      });
    }
    return result;
  });
}

const row = (r: Omit<SsoRule, 'id'>) => ({
  source: r.source,
  claim: r.claim,
  value: r.value,
  role: r.role,
  agency_id: r.agencyId,
});

export function addRule(db: Db, actor: Actor, input: RuleInput): Promise<RuleOutcome> {
  return change(db, actor, async (trx) => {
    const ids = await agencyIds(trx);
    const { rule, problems } = ruleProblems(input, (id) => ids.has(id));
    if (!rule) return { ok: false, problems };
    const { max } = await trx
      .selectFrom('sso_rule')
      .select(sql<number>`coalesce(max(position), 0)::int`.as('max'))
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('sso_rule')
      .values({ ...row(rule), position: max + 1 })
      .execute();
    return { ok: true };
  });
}

async function mustExist(trx: Trx, id: number) {
  const r = await trx
    .selectFrom('sso_rule')
    .select(['id', 'position'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) throw notFound('error.sso.ruleNotFound', `rule ${id} not found`);
  return r;
}

export function updateRule(db: Db, actor: Actor, id: number, input: RuleInput): Promise<RuleOutcome> {
  return change(db, actor, async (trx) => {
    await mustExist(trx, id);
    const ids = await agencyIds(trx);
    const { rule, problems } = ruleProblems(input, (a) => ids.has(a));
    if (!rule) return { ok: false, problems };
    await trx.updateTable('sso_rule').set(row(rule)).where('id', '=', id).execute();
    return { ok: true };
  });
}

export function deleteRule(db: Db, actor: Actor, id: number): Promise<RuleOutcome> {
  return change(db, actor, async (trx) => {
    await mustExist(trx, id);
    await trx.deleteFrom('sso_rule').where('id', '=', id).execute();
    return { ok: true };
  });
}

/** One place up or down in the order (nothing at either end). */
export function moveRule(db: Db, actor: Actor, id: number, direction: 'up' | 'down'): Promise<RuleOutcome> {
  return change(db, actor, async (trx) => {
    await mustExist(trx, id);
    const order = (await ssoRules(trx)).map((r) => r.id);
    const at = order.indexOf(id);
    const to = direction === 'up' ? at - 1 : at + 1;
    if (to < 0 || to >= order.length) return { ok: true };
    [order[at], order[to]] = [order[to]!, order[at]!];
    for (const [i, ruleId] of order.entries())
      await trx
        .updateTable('sso_rule')
        .set({ position: i + 1 })
        .where('id', '=', ruleId)
        .execute();
    return { ok: true };
  });
}

export type ListProblem = { index: number; field: RuleField; key: string };

/** The whole list replaced (the API's PUT): checked whole, nothing written on any problem. */
export function replaceRules(
  db: Db,
  actor: Actor,
  inputs: RuleInput[],
): Promise<{ ok: true } | { ok: false; problems: ListProblem[] }> {
  return change(db, actor, async (trx) => {
    const ids = await agencyIds(trx);
    const checked = inputs.map((input) => ruleProblems(input, (a) => ids.has(a)));
    const problems = checked.flatMap((c, index) =>
      Object.entries(c.problems).map(([field, key]) => ({ index, field: field as RuleField, key })),
    );
    if (problems.length > 0) return { ok: false, problems };
    await trx.deleteFrom('sso_rule').execute();
    if (checked.length > 0)
      await trx
        .insertInto('sso_rule')
        .values(checked.map((c, i) => ({ ...row(c.rule!), position: i + 1 })))
        .execute();
    return { ok: true };
  });
}
