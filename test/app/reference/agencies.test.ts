import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlItem } from '../../../app/control-items/index.ts';
import { AGENCY_REFERENCES, mergeAgencies } from '../../../app/reference/index.ts';
import { loadReferences } from '../../../activities/imports/index.ts';
import { precedingWorkingDay } from '../../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../../domain/control-item/index.ts';
import { agencyMatcher } from '../../../domain/imports/references.ts';
import { addDays, instantToLocalDate } from '../../../domain/local-date.ts';
import { controlItemWorkflowId, stateQuery } from '../../../workflows/definitions.ts';
import { actorOf, insertAgency, insertItem, insertUser } from '../../support/fixtures.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

// Merging two agencies (issue 15): what refers to the old one moves in one transaction, open items
// learn their new agency through their workflow's reassign Update, the old agency's names lead to the
// new one, and a repeated merge finishes what was left without doing anything twice.
describe('merging agencies', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.close());

  it('names every foreign key to agency(id) as moved or kept', async () => {
    const fks = await sql<{ ref: string }>`
      select cl.relname || '.' || a.attname as ref
      from pg_constraint c
      join pg_class cl on cl.oid = c.conrelid
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'f' and c.confrelid = 'agency'::regclass`.execute(stack.tdb.db);
    const named = new Set<string>([...AGENCY_REFERENCES.moved, ...AGENCY_REFERENCES.kept]);
    expect(fks.rows.map((r) => r.ref).filter((r) => !named.has(r))).toEqual([]);
  });

  it('moves people, services, rules and items; open items through their workflows', async () => {
    const db = stack.tdb.db;
    const from = await insertAgency(db, 'OLD-DEP');
    const into = await insertAgency(db, 'NEW-MIN');
    const other = await insertAgency(db, 'OTHER');
    const admin = await insertUser(db, 'admin', null);
    const person = await insertUser(db, 'agency_executor', from.id);
    await db
      .insertInto('service')
      .values({ code: 'M-SVC', title_ru: 'Услуга', agency_id: from.id })
      .execute();
    await db
      .insertInto('sso_rule')
      .values({ position: 1, source: 'any', claim: 'dept', value: 'old', role: null, agency_id: from.id })
      .execute();
    const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
    const due = precedingWorkingDay(addDays(today, 40));
    const open = await insertItem(db, { agencyId: from.id, due });
    const co = await insertItem(db, { agencyId: other.id, due, coAgencyIds: [from.id, into.id] });
    for (const x of [open, co]) await startControlItem(stack.temporal.handle, x.state, DEFAULT_CHASE_POLICY);
    const closed = await insertItem(db, { agencyId: from.id, due });
    await db.updateTable('control_item').set({ status: 'done' }).where('id', '=', closed.row.id).execute();

    const r = await mergeAgencies({ db, temporal: stack.temporal.handle }, actorOf(admin), {
      fromId: from.id,
      intoId: into.id,
      reason: 'Реорганизация: департамент вошёл в министерство',
    });
    expect(r).toMatchObject({ reassigned: 2, pending: 0 });
    expect(r.moved).toMatchObject({ app_user: 1, service: 1, sso_rule: 1, closed_items: 1 });

    const state = (id: number) =>
      stack.temporal.client.workflow
        .getHandle(controlItemWorkflowId(id, stack.temporal.workflowIdPrefix))
        .query(stateQuery);
    expect(await state(open.row.id)).toMatchObject({ agencyId: into.id, coAgencyIds: [] });
    expect(await state(co.row.id)).toMatchObject({ agencyId: other.id, coAgencyIds: [into.id] });
    const rows = await db
      .selectFrom('control_item')
      .select(['id', 'agency_id', 'co_agency_ids'])
      .where('id', 'in', [open.row.id, co.row.id, closed.row.id])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: open.row.id, agency_id: into.id, co_agency_ids: [] },
      { id: co.row.id, agency_id: other.id, co_agency_ids: [into.id] },
      { id: closed.row.id, agency_id: into.id, co_agency_ids: [] },
    ]);
    expect(
      (
        await db
          .selectFrom('app_user')
          .select('agency_id')
          .where('id', '=', person.id)
          .executeTakeFirstOrThrow()
      ).agency_id,
    ).toBe(into.id);
    expect(
      await db
        .selectFrom('agency')
        .select(['disabled', 'merged_into_id'])
        .where('id', '=', from.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      disabled: true,
      merged_into_id: into.id,
    });
    const reassigned = await db
      .selectFrom('event')
      .select('control_item_id')
      .where('type', '=', 'reassigned')
      .execute();
    expect(reassigned.map((e) => e.control_item_id).sort()).toEqual([open.row.id, co.row.id].sort());

    // The old names lead to the successor in imports.
    const match = agencyMatcher((await loadReferences(db)).agencies);
    expect(match('Министерство OLD-DEP')).toEqual({ ok: true, id: into.id });

    // Again: nothing left to move, nothing done twice.
    const again = await mergeAgencies({ db, temporal: stack.temporal.handle }, actorOf(admin), {
      fromId: from.id,
      intoId: into.id,
      reason: '',
    });
    expect(again.reassigned).toBe(0);
    expect(await db.selectFrom('event').select('id').where('type', '=', 'reassigned').execute()).toHaveLength(
      2,
    );
    expect(
      await db.selectFrom('event').select('id').where('type', '=', 'agency.merged').execute(),
    ).toHaveLength(1);
    await expect(
      mergeAgencies({ db, temporal: stack.temporal.handle }, actorOf(admin), {
        fromId: from.id,
        intoId: other.id,
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'conflict', detail: { key: 'error.agency.merged' } });
  });
});
