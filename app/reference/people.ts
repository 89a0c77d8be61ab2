import { sql } from 'kysely';
import { deleteSessionsOf } from '../../db/accounts.ts';
import type { Db } from '../../db/index.ts';
import { conflict, notFound, type FieldIssue } from '../../domain/errors.ts';
import { agencyOfRole, personProblems, tidy, type PersonInput } from '../../domain/reference/index.ts';
import type { Actor } from '../../domain/roles.ts';
import { audit, changedFields, requireAdmin, type Outcome, type Trx } from './shared.ts';

// People, kept by the administrator: create (with how they sign in), edit name, role, agency, position,
// email and language, disable and enable. The account pages (app/auth) handle sign-in: invitations,
// sessions, locks, the sign-in method of an existing account. Every change is audited.

export function tidyPerson(u: PersonInput): PersonInput {
  return {
    ...u,
    login: u.login.trim(),
    displayName: tidy(u.displayName) ?? '',
    email: tidy(u.email),
    position: tidy(u.position),
    agencyId: agencyOfRole(u.role, u.agencyId),
  };
}

const snapshot = (u: {
  login: string;
  display_name: string;
  email: string | null;
  role: PersonInput['role'];
  agency_id: number | null;
  position: string | null;
  locale: 'ru' | 'en';
  auth_source: PersonInput['authSource'];
  disabled: boolean;
}) => ({
  login: u.login,
  displayName: u.display_name,
  email: u.email,
  role: u.role,
  agencyId: u.agency_id,
  position: u.position,
  locale: u.locale,
  authSource: u.auth_source,
  disabled: u.disabled,
});

/** A person's problems against the database: a free login (any case), an active agency that exists. */
export async function personConflicts(q: Db | Trx, u: PersonInput, selfId: number | null) {
  const p: FieldIssue[] = [];
  const taken = await q
    .selectFrom('app_user')
    .select('id')
    .where(sql<boolean>`lower(login) = lower(${u.login})`)
    .$if(selfId !== null, (w) => w.where('id', '<>', selfId!))
    .executeTakeFirst();
  if (taken) p.push({ field: 'login', key: 'error.person.loginTaken', params: { login: u.login } });
  if (u.agencyId !== null) {
    const a = await q
      .selectFrom('agency')
      .select(['disabled'])
      .where('id', '=', u.agencyId)
      .executeTakeFirst();
    if (!a || a.disabled) p.push({ field: 'agencyId', key: 'error.person.agencyUnknown' });
  }
  return p;
}

const row = (u: PersonInput) => ({
  login: u.login,
  display_name: u.displayName,
  email: u.email,
  role: u.role,
  agency_id: u.agencyId,
  position: u.position,
  locale: u.locale,
});

/** Inserts a person in the caller's transaction: no password (an invitation or the directory sets it). */
export async function insertPerson(trx: Trx, actor: Actor, u: PersonInput, via?: string) {
  const r = await trx
    .insertInto('app_user')
    .values({ ...row(u), auth_source: u.authSource, password_hash: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(
    trx,
    actor,
    'person.created',
    { kind: 'person', id: r.id, label: r.login },
    { after: snapshot(r), data: { userId: r.id, ...(via ? { via } : {}) } },
  );
  return r.id;
}

async function existing(q: Db | Trx, id: number) {
  const u = await q.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
  if (!u) throw notFound('error.account.notFound', `account ${id} not found`);
  return u;
}

/** An administrator keeps the last active administrator: no demoting or disabling them. */
async function keepsAnAdmin(trx: Trx, id: number) {
  const others = await trx
    .selectFrom('app_user')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .where('id', '<>', id)
    .executeTakeFirstOrThrow();
  if (others.n === 0) throw conflict('error.person.lastAdmin', 'the last active administrator must stay one');
}

/**
 * Rewrites a person's details in the caller's transaction (the login and the sign-in method stay: the
 * account page changes the method, with its effects). A new role or agency ends their sessions, so that
 * what they may see changes at once. False when nothing changed.
 */
export async function rewritePerson(trx: Trx, actor: Actor, id: number, u: PersonInput, via?: string) {
  const before = await existing(trx, id);
  if (before.role === 'admin' && u.role !== 'admin' && !before.disabled) await keepsAnAdmin(trx, id);
  const after = await trx
    .updateTable('app_user')
    .set({ ...row({ ...u, login: before.login }) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const fields = changedFields(snapshot(before), snapshot(after));
  if (fields.length === 0) return false;
  const access = before.role !== after.role || before.agency_id !== after.agency_id;
  const ended = access ? await deleteSessionsOf(trx, id) : 0;
  await audit(
    trx,
    actor,
    'person.updated',
    { kind: 'person', id, label: after.login },
    {
      before: snapshot(before),
      after: snapshot(after),
      data: { userId: id, fields, endedSessions: ended, ...(via ? { via } : {}) },
    },
  );
  return true;
}

const lockPeople = (trx: Trx) => sql`select pg_advisory_xact_lock(hashtext('shtab.people'))`.execute(trx);

export async function createPerson(db: Db, actor: Actor, input: PersonInput): Promise<Outcome> {
  requireAdmin(actor);
  const u = tidyPerson(input);
  const problems = personProblems(u);
  if (problems.length) return { ok: false, problems };
  return db.transaction().execute(async (trx) => {
    await lockPeople(trx);
    const clash = await personConflicts(trx, u, null);
    if (clash.length) return { ok: false, problems: clash };
    return { ok: true, id: await insertPerson(trx, actor, u) };
  });
}

export async function updatePerson(
  db: Db,
  actor: Actor,
  id: number,
  input: Omit<PersonInput, 'login' | 'authSource'>,
): Promise<Outcome> {
  requireAdmin(actor);
  const before = await existing(db, id);
  const u = tidyPerson({ ...input, login: before.login, authSource: before.auth_source });
  const problems = personProblems(u);
  if (problems.length) return { ok: false, problems };
  return db.transaction().execute(async (trx) => {
    await lockPeople(trx);
    const clash = await personConflicts(trx, u, id);
    if (clash.length) return { ok: false, problems: clash };
    await rewritePerson(trx, actor, id, u);
    return { ok: true, id };
  });
}

/**
 * Disables (or enables) an account: a disabled person cannot sign in, their sessions end at once and
 * what they did stays. Nobody disables themselves or the last administrator.
 */
export async function setPersonDisabled(db: Db, actor: Actor, id: number, disabled: boolean) {
  requireAdmin(actor);
  if (disabled && id === actor.userId)
    throw conflict('error.person.self', 'you cannot disable your own account');
  await db.transaction().execute(async (trx) => {
    await lockPeople(trx);
    const u = await existing(trx, id);
    if (u.disabled === disabled) return;
    if (disabled && u.role === 'admin') await keepsAnAdmin(trx, id);
    if (!disabled && u.agency_id !== null) {
      const a = await trx
        .selectFrom('agency')
        .select('disabled')
        .where('id', '=', u.agency_id)
        .executeTakeFirst();
      if (a?.disabled) throw conflict('error.person.agencyDisabled', "the person's agency is disabled");
    }
    await trx.updateTable('app_user').set({ disabled }).where('id', '=', id).execute();
    const ended = disabled ? await deleteSessionsOf(trx, id) : 0;
    await audit(
      trx,
      actor,
      disabled ? 'person.disabled' : 'person.enabled',
      { kind: 'person', id, label: u.login },
      { before: { disabled: u.disabled }, after: { disabled }, data: { userId: id, endedSessions: ended } },
    );
  });
}
