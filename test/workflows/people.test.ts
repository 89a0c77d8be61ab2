import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignItem } from '../../app/assignments/index.ts';
import { runItemCommand, startControlItem } from '../../app/control-items/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { assignmentWorkflowId } from '../../workflows/assignment-definitions.ts';
import { actorOf } from '../support/fixtures.ts';
import { auditLines, isChase, itemActions, local, outboxLines } from '../support/control-item-fixtures.ts';
import { headSignoff } from '../support/control-item-scenarios.ts';
import { fetchRunHistories } from '../support/histories.ts';
import { insertItem } from '../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { onPinnedServer } from '../support/pinned-server.ts';
import { sleepUntil } from '../support/time-skipping.ts';

// Work inside an agency on the time-skipping server with a pinned clock (April 2027 has no holidays):
// the head's sign-off path of the item workflow, and an assignment's internal deadline chased by its own
// workflow — visible to the head, never to the programme's figures.
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

describe("work inside an agency on the workflows' clock", () => {
  it("sends an executor's report to the head, who returns one and signs the next off; reminders meanwhile go to the head", async () => {
    await onPinnedServer(tdb.db, headSignoff.startAt, async (ctx) => {
      const r = await headSignoff.run(ctx);
      const transitions = await auditLines(tdb.db, r.itemId, (t) => !isChase(t) && t !== 'created');
      expect(transitions).toEqual([
        '2027-04-19 12:00 signoff_requested',
        '2027-04-20 11:00 signoff_returned',
        '2027-04-26 12:00 signoff_requested',
        '2027-04-30 10:00 signed_off',
        '2027-04-30 15:00 accepted',
      ]);
      // The control date (30 Apr): r10 16 Apr, r5 23 Apr, r1 29 Apr, r0 30 Apr 09:00 — the last two while
      // the head has the report.
      expect(await auditLines(tdb.db, r.itemId, isChase)).toEqual([
        '2027-04-16 09:00 chase.reminder r10',
        '2027-04-23 09:00 chase.reminder r5',
        '2027-04-29 09:00 chase.reminder r1',
        '2027-04-30 09:00 chase.reminder r0',
      ]);
      const c = ctx.cast;
      const lines = await outboxLines(tdb.db, r.itemId);
      const reminders = lines.filter((l) => l.startsWith('reminder '));
      expect(reminders.filter((l) => l.endsWith(c.execA.login))).toHaveLength(2);
      expect(reminders.filter((l) => l.endsWith(c.headA.login))).toHaveLength(2);
      expect(lines).toEqual(
        expect.arrayContaining([
          `signoff_requested → ${c.headA.login}`,
          `signoff_returned → ${c.execA.login}`,
          `signed_off → ${c.execA.login}`,
          `submitted → ${c.wg1.login}`,
        ]),
      );
      expect(lines.filter((l) => l.startsWith('submitted '))).toHaveLength(2); // the two working-group members
      const subs = await tdb.db
        .selectFrom('submission')
        .select(['body', 'signoff_status', 'outcome'])
        .where('control_item_id', '=', r.itemId)
        .orderBy('id')
        .execute();
      expect(subs).toEqual([
        { body: 'Проект регламента', signoff_status: 'returned', outcome: null },
        { body: 'Проект регламента, согласованный с МФЦ', signoff_status: 'signed', outcome: 'accepted' },
      ]);
      const item = await tdb.db
        .selectFrom('control_item')
        .selectAll()
        .where('id', '=', r.itemId)
        .executeTakeFirstOrThrow();
      expect(item).toMatchObject({
        status: 'done',
        review_round: 0,
        signoff_pending: false,
        escalation_level: 0,
      });
      // The runs that took the new path say so in their history (PATCHES.headSignoff).
      const [run] = await fetchRunHistories(ctx.env.client, r.workflowId, r.firstRunId);
      const patches = run!.history.events
        .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
        .flatMap((e) => e.markerRecordedEventAttributes.details['patch-data'].payloads)
        .map((p: { data: string }) => JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')).id);
      expect(patches).toContain('head-signoff');
    });
  });

  it('chases an internal deadline: a reminder, then the assignee and the head hear it is missed, until the report ends it', async () => {
    await onPinnedServer(tdb.db, local('2027-04-01', '10:00'), async (ctx) => {
      const { cast: c, env, temporal } = ctx;
      const { row, state } = await insertItem(tdb.db, {
        agencyId: c.a.id,
        due: '2027-04-30',
        title: 'Внутреннее',
      });
      await startControlItem(temporal, state, DEFAULT_CHASE_POLICY);
      await itemActions(temporal, row.id).start(c.execA);
      await sleepUntil(env, local('2027-04-05', '10:00'));
      const deps = {
        db: tdb.db,
        temporal,
        policy: DEFAULT_CHASE_POLICY,
        publicUrl: 'https://shtab.example.ru',
      };
      const { assignmentId } = await assignItem(deps, {
        actor: actorOf(c.headA),
        itemId: row.id,
        fields: { assigneeUserId: c.execA.id, internalDue: '2027-04-14', note: 'До среды' },
        idempotencyKey: randomUUID(),
        today: '2027-04-05',
      });
      await sleepUntil(env, local('2027-04-20', '12:00'));
      // (The creation is stamped with the web's wall clock, not the test server's: not listed here.)
      expect(await auditLines(tdb.db, row.id, (t) => t.startsWith('assignment.chase'))).toEqual([
        '2027-04-13 09:00 assignment.chase.reminder',
        '2027-04-15 09:00 assignment.chase.overdue',
        '2027-04-20 09:00 assignment.chase.repeat',
      ]);
      const lines = await outboxLines(tdb.db, row.id);
      expect(lines.filter((l) => l.startsWith('assign'))).toEqual(
        [
          `assigned → ${c.execA.login}`,
          `assignment_reminder → ${c.execA.login}`,
          `assignment_overdue → ${c.execA.login}`,
          `assignment_overdue → ${c.headA.login}`,
          `assignment_overdue → ${c.execA.login}`,
          `assignment_overdue → ${c.headA.login}`,
        ].sort(),
      );
      // The programme's figures know nothing of it: the control date is weeks away.
      const item = await tdb.db
        .selectFrom('control_item')
        .selectAll()
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      expect(item).toMatchObject({ escalation_level: 0, overdue_since: null, executor_user_id: c.execA.id });

      // The executor reports: the action pipeline ends the assignment, its workflow completes.
      await runItemCommand(deps, {
        actor: actorOf(c.execA),
        itemId: row.id,
        idempotencyKey: randomUUID(),
        command: { type: 'submit', text: 'Готово', links: [] },
      });
      const handle = env.client.workflow.getHandle(assignmentWorkflowId(assignmentId));
      expect(await handle.result()).toBe('over');
      const a = await tdb.db
        .selectFrom('assignment')
        .selectAll()
        .where('id', '=', assignmentId)
        .executeTakeFirstOrThrow();
      expect(a.status).toBe('reported');
      expect(a.closed_at).not.toBeNull();
    });
  });

  it('ends an assignment whose nudge was lost at its next step (the item moved on without the pipeline)', async () => {
    await onPinnedServer(tdb.db, local('2027-04-01', '10:00'), async (ctx) => {
      const { cast: c, env, temporal } = ctx;
      const { row, state } = await insertItem(tdb.db, { agencyId: c.a.id, due: '2027-04-30' });
      await startControlItem(temporal, state, DEFAULT_CHASE_POLICY);
      const deps = {
        db: tdb.db,
        temporal,
        policy: DEFAULT_CHASE_POLICY,
        publicUrl: 'https://shtab.example.ru',
      };
      const { assignmentId } = await assignItem(deps, {
        actor: actorOf(c.headA),
        itemId: row.id,
        fields: { assigneeUserId: c.execA.id, internalDue: '2027-04-14', note: '' },
        idempotencyKey: randomUUID(),
        today: '2027-04-01',
      });
      // Cancelled straight through the workflow (no settle call): the assignment's reminder step finds it.
      await itemActions(temporal, row.id).cancel(c.wg1);
      const handle = env.client.workflow.getHandle(assignmentWorkflowId(assignmentId));
      expect(await handle.result()).toBe('over');
      const a = await tdb.db
        .selectFrom('assignment')
        .selectAll()
        .where('id', '=', assignmentId)
        .executeTakeFirstOrThrow();
      expect(a.status).toBe('closed');
      expect(await auditLines(tdb.db, row.id, (t) => t.startsWith('assignment.chase'))).toEqual([]);
    });
  });
});
