import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precedingWorkingDay } from '../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import { reviewUpdate, submitUpdate } from '../../workflows/definitions.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { actorOf, insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { createTestWorker, createTimeSkippingEnv } from '../support/temporal.ts';

describe('controlItem on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let tdb: TestDatabase;

  beforeAll(async () => {
    [env, tdb] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  });
  afterAll(async () => {
    await env?.teardown();
    await tdb?.drop();
  });

  it('crosses a 30-day deadline in seconds, persists reminders and the submit → accept loop', async () => {
    const policy = { ...DEFAULT_CHASE_POLICY };
    const agency = await insertAgency(tdb.db);
    const executor = await insertUser(tdb.db, 'agency_executor', agency.id);
    const wg = await insertUser(tdb.db, 'working_group');
    const today = instantToLocalDate(Date.now(), policy.utcOffsetMinutes);
    const due = precedingWorkingDay(addDays(today, 30));
    const { row, state } = await insertItem(tdb.db, { agencyId: agency.id, due });

    const taskQueue = `q-${randomUUID()}`;
    const worker = await createTestWorker({
      connection: env.nativeConnection,
      taskQueue,
      deps: { db: tdb.db, publicUrl: 'http://shtab.test' },
    });
    const wall = Date.now();
    await worker.runUntil(async () => {
      const handle = await startControlItem({ client: env.client, taskQueue }, state, policy);
      await env.sleep('31 days');
      const afterDeadline = instantToLocalDate(await env.currentTimeMs(), policy.utcOffsetMinutes);
      expect(afterDeadline >= due).toBe(true);

      const s1 = await handle.executeUpdate(submitUpdate, {
        args: [
          {
            actor: actorOf(executor),
            eventId: randomUUID(),
            text: 'Отчёт',
            links: [],
            attachmentIds: [],
            part: false,
          },
        ],
      });
      expect(s1.status).toBe('submitted');
      const s2 = await handle.executeUpdate(reviewUpdate, {
        args: [{ actor: actorOf(wg), eventId: randomUUID(), outcome: 'accept' }],
      });
      expect(s2.status).toBe('done');
      expect((await handle.result()).status).toBe('done');
    });
    expect(Date.now() - wall).toBeLessThan(5_000);

    const events = await tdb.db
      .selectFrom('event')
      .select(['type', 'data'])
      .where('control_item_id', '=', row.id)
      .orderBy('at')
      .orderBy('id')
      .execute();
    const chaseKeys = events
      .filter((e) => e.type.startsWith('chase.'))
      .map((e) => (e.data as { key: string }).key);
    expect(chaseKeys.slice(0, 4)).toEqual(['r10', 'r5', 'r1', 'r0']);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['submitted', 'accepted']);
    const item = await tdb.db
      .selectFrom('control_item')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(item.status).toBe('done');
    expect(item.version).toBe(2);
    // The reminders went to the executor: one outbox row each.
    const outbox = await tdb.db
      .selectFrom('notification')
      .select(['kind', 'recipient_user_id'])
      .where('control_item_id', '=', row.id)
      .where('kind', '=', 'reminder')
      .execute();
    expect(outbox).toHaveLength(4);
    expect(new Set(outbox.map((o) => o.recipient_user_id))).toEqual(new Set([executor.id]));
  });
});
