import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { notFound, type FieldIssue } from '../../domain/errors.ts';
import {
  committeeMemberProblems,
  tidy,
  type CommitteeBody,
  type CommitteeMemberInput,
} from '../../domain/reference/index.ts';
import type { Actor } from '../../domain/roles.ts';
import { audit, requireProjectOffice, type Outcome, type Trx } from './shared.ts';

// Who sits on the interagency working group and on the штаб (shown on the check-in page): seats added
// and removed one by one on the page, or the whole list of a body replaced through the API. Audited with
// the seat, people by login and agencies by code.

const tidyMember = (m: CommitteeMemberInput): CommitteeMemberInput => ({
  ...m,
  name: tidy(m.name),
  position: tidy(m.position),
  agencyId: m.userId !== null ? null : m.agencyId,
});

async function referenceProblems(q: Db | Trx, m: CommitteeMemberInput, at = ''): Promise<FieldIssue[]> {
  const p: FieldIssue[] = [];
  if (m.userId !== null) {
    const u = await q
      .selectFrom('app_user')
      .select('id')
      .where('id', '=', m.userId)
      .where('disabled', '=', false)
      .executeTakeFirst();
    if (!u) p.push({ field: `${at}userId`, key: 'error.committee.unknownPerson' });
  }
  if (m.agencyId !== null) {
    const a = await q
      .selectFrom('agency')
      .select('id')
      .where('id', '=', m.agencyId)
      .where('disabled', '=', false)
      .executeTakeFirst();
    if (!a) p.push({ field: `${at}agencyId`, key: 'error.person.agencyUnknown' });
  }
  return p;
}

/** A seat as the audit trail shows it: who by login or code, so it reads after renames. */
async function seatView(q: Db | Trx, m: CommitteeMemberInput) {
  const [u, a] = await Promise.all([
    m.userId === null
      ? null
      : q.selectFrom('app_user').select('login').where('id', '=', m.userId).executeTakeFirst(),
    m.agencyId === null
      ? null
      : q.selectFrom('agency').select('code').where('id', '=', m.agencyId).executeTakeFirst(),
  ]);
  return {
    body: m.body,
    role: m.role,
    person: u?.login ?? null,
    agency: a?.code ?? null,
    name: m.name,
    position: m.position,
  };
}

const lock = (trx: Trx) => sql`select pg_advisory_xact_lock(hashtext('shtab.committee'))`.execute(trx);

export async function addCommitteeMember(
  db: Db,
  actor: Actor,
  input: CommitteeMemberInput,
): Promise<Outcome> {
  requireProjectOffice(actor);
  const m = tidyMember(input);
  const problems = committeeMemberProblems(m);
  if (problems.length) return { ok: false, problems };
  return db.transaction().execute(async (trx) => {
    await lock(trx);
    const refs = await referenceProblems(trx, m);
    if (refs.length) return { ok: false, problems: refs };
    const r = await trx
      .insertInto('committee_member')
      .values({
        body: m.body,
        role: m.role,
        user_id: m.userId,
        agency_id: m.agencyId,
        name: m.name,
        position: m.position,
        sort: sql`coalesce((select max(sort) from committee_member where body = ${m.body}), 0) + 1`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      actor,
      'committee.member.added',
      { kind: 'committee', id: r.id, label: m.body },
      { after: await seatView(trx, m) },
    );
    return { ok: true, id: r.id };
  });
}

export async function removeCommitteeMember(db: Db, actor: Actor, id: number) {
  requireProjectOffice(actor);
  await db.transaction().execute(async (trx) => {
    await lock(trx);
    const r = await trx.selectFrom('committee_member').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('error.committee.notFound', `committee seat ${id} not found`);
    await trx.deleteFrom('committee_member').where('id', '=', id).execute();
    await audit(
      trx,
      actor,
      'committee.member.removed',
      { kind: 'committee', id, label: r.body },
      {
        before: await seatView(trx, {
          body: r.body,
          role: r.role,
          userId: r.user_id,
          agencyId: r.agency_id,
          name: r.name,
          position: r.position,
        }),
      },
    );
  });
}

/**
 * Replaces a body's whole list (the API): checked whole, problems named `members.2.userId`; nothing is
 * written on any problem. One audit event with the list before and after.
 */
export async function replaceCommittee(
  db: Db,
  actor: Actor,
  body: CommitteeBody,
  input: Omit<CommitteeMemberInput, 'body'>[],
): Promise<Outcome<{ ids: number[] }>> {
  requireProjectOffice(actor);
  const members = input.map((m) => tidyMember({ ...m, body }));
  const problems = members.flatMap((m, i) =>
    committeeMemberProblems(m).map((p) => ({ ...p, field: `members.${i}.${p.field}` })),
  );
  if (problems.length) return { ok: false, problems };
  return db.transaction().execute(async (trx) => {
    await lock(trx);
    const refs = (
      await Promise.all(members.map((m, i) => referenceProblems(trx, m, `members.${i}.`)))
    ).flat();
    if (refs.length) return { ok: false, problems: refs };
    const old = await trx
      .selectFrom('committee_member')
      .selectAll()
      .where('body', '=', body)
      .orderBy('sort')
      .orderBy('id')
      .execute();
    const before = await Promise.all(
      old.map((r) =>
        seatView(trx, {
          body,
          role: r.role,
          userId: r.user_id,
          agencyId: r.agency_id,
          name: r.name,
          position: r.position,
        }),
      ),
    );
    await trx.deleteFrom('committee_member').where('body', '=', body).execute();
    const ids: number[] = [];
    for (const [i, m] of members.entries()) {
      const r = await trx
        .insertInto('committee_member')
        .values({
          body,
          role: m.role,
          user_id: m.userId,
          agency_id: m.agencyId,
          name: m.name,
          position: m.position,
          sort: i + 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(r.id);
    }
    const after = await Promise.all(members.map((m) => seatView(trx, m)));
    if (JSON.stringify(before) !== JSON.stringify(after))
      await audit(
        trx,
        actor,
        'committee.replaced',
        { kind: 'committee', id: body, label: body },
        { before, after },
      );
    return { ok: true, ids };
  });
}
