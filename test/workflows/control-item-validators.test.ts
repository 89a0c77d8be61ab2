import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { startControlItem, updateItem } from '../../app/control-items/index.ts';
import {
  controlItemWorkflowId,
  requestExtensionUpdate,
  stateQuery,
  submitUpdate,
} from '../../workflows/definitions.ts';
import { createCast, itemActions, type Cast } from '../support/control-item-fixtures.ts';
import { actorOf, insertItem } from '../support/fixtures.ts';
import { fetchRunHistories } from '../support/histories.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { connectDevServer, createTestWorker } from '../support/temporal.ts';

// Illegal transitions sent to a running workflow on the dev server: the Update validator (or, once the
// workflow has completed, the client) rejects them with the domain's reason, and nothing is persisted —
// no event row, the item row's version unchanged, and no trace in the workflow history.
describe('validators reject illegal transitions through the workflow', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let worker: Worker;
  let running: Promise<void>;
  let cast: Cast;

  beforeAll(async () => {
    [tdb, temporal] = await Promise.all([createTestDatabase(), connectDevServer()]);
    worker = await createTestWorker({
      connection: temporal.nativeConnection,
      taskQueue: temporal.taskQueue,
      deps: { db: tdb.db, publicUrl: 'http://shtab.test' },
    });
    running = worker.run();
    cast = await createCast(tdb.db);
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await temporal?.close();
    await tdb?.drop();
  });

  const today = () => instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);

  /** What a rejected action must leave untouched. */
  async function footprint(itemId: number, runId: string) {
    const events = await tdb.db
      .selectFrom('event')
      .select('id')
      .where('control_item_id', '=', itemId)
      .execute();
    const row = await tdb.db
      .selectFrom('control_item')
      .select(['version', 'status', 'current_due', 'updated_at'])
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    const workflowId = controlItemWorkflowId(itemId, temporal.workflowIdPrefix);
    const [run] = await fetchRunHistories(temporal.client, workflowId, runId);
    const history = run!.history.events;
    const updateIds = history
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId)
      .filter(Boolean);
    return { events: events.length, row, historyLength: history.length, updateIds };
  }

  /** Runs the action, expects the given rejection, and checks that nothing changed anywhere. */
  async function expectRejected(
    itemId: number,
    runId: string,
    action: (eventId: string) => Promise<unknown>,
    expected: { code: string; key: string; field?: string },
  ) {
    // A query is answered once the workflow's current task is done: the history is at rest after it.
    await temporal.client.workflow
      .getHandle(controlItemWorkflowId(itemId, temporal.workflowIdPrefix))
      .query(stateQuery);
    const before = await footprint(itemId, runId);
    const eventId = randomUUID();
    const error = await action(eventId).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ShtabError);
    const e = error as ShtabError;
    expect({ code: e.code, key: e.detail.key, ...(e.detail.field ? { field: e.detail.field } : {}) }).toEqual(
      expected,
    );
    const after = await footprint(itemId, runId);
    expect(after).toEqual(before);
    expect(after.updateIds).not.toContain(eventId);
    expect(await tdb.db.selectFrom('event').select('id').where('event_key', '=', eventId).execute()).toEqual(
      [],
    );
    return e;
  }

  it('rejects a submission by another agency, an extension to a past date, a review by an agency user and a submission after done', async () => {
    const due = addWorkingDays(today(), 20);
    const { row, state } = await insertItem(tdb.db, { agencyId: cast.a.id, due, number: '4.1' });
    // No reopen window: the workflow completes on acceptance, as a done item's does once its window ends.
    const handle = await startControlItem(temporal.handle, state, {
      ...DEFAULT_CHASE_POLICY,
      reopenWindowWorkingDays: 0,
    });
    const runId = handle.firstExecutionRunId;
    const act = itemActions(temporal.handle, row.id);
    const submitAs = (u: typeof cast.execA) => (eventId: string) =>
      updateItem(temporal.handle, row.id, submitUpdate, {
        actor: actorOf(u),
        eventId,
        text: 'Отчёт',
        links: [],
        attachmentIds: [],
        part: false,
      });

    // Agency B's executor submits on A's item.
    const other = await expectRejected(row.id, runId, submitAs(cast.execB), {
      code: 'forbidden',
      key: 'error.forbidden.otherAgency',
    });
    expect(other.message).toMatch(/another agency/);

    // An extension to yesterday.
    const past = await expectRejected(
      row.id,
      runId,
      (eventId) =>
        updateItem(temporal.handle, row.id, requestExtensionUpdate, {
          actor: actorOf(cast.headA),
          eventId,
          requestedDue: addWorkingDays(today(), -1),
          reason: 'Не успеваем',
        }),
      { code: 'validation', key: 'error.date.past', field: 'requestedDue' },
    );
    expect(past.message).toBe('requestedDue is in the past');

    // Submitted properly, then the agency head tries to review (accept) it.
    expect((await act.submit(cast.execA)).status).toBe('submitted');
    // Reviewing is the working group's, or an instruction's author's (issue 13).
    await expectRejected(row.id, runId, () => act.accept(cast.headA), {
      code: 'forbidden',
      key: 'error.forbidden.reviewers',
    });

    // Accepted: the workflow completes. A stale form submitting again gets a clear conflict.
    expect((await act.accept(cast.wg1)).status).toBe('done');
    expect((await handle.result()).status).toBe('done');
    const closed = await expectRejected(row.id, runId, submitAs(cast.execA), {
      code: 'conflict',
      key: 'error.item.closed',
    });
    expect(closed.message).toMatch(/closed/);

    // Only the two legal transitions happened.
    const events = await tdb.db
      .selectFrom('event')
      .select('type')
      .where('control_item_id', '=', row.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['submitted', 'accepted']);
  });

  it('rejects the consolidated report before every co-executor has submitted its part', async () => {
    const { row, state } = await insertItem(tdb.db, {
      agencyId: cast.a.id,
      due: addWorkingDays(today(), 20),
      coAgencyIds: [cast.b.id, cast.c.id],
      requireCoParts: true,
    });
    const handle = await startControlItem(temporal.handle, state, DEFAULT_CHASE_POLICY);
    const runId = handle.firstExecutionRunId;
    const act = itemActions(temporal.handle, row.id);
    await expectRejected(row.id, runId, () => act.submit(cast.execA), {
      code: 'conflict',
      key: 'error.submit.partsMissing',
    });
    expect((await act.submit(cast.execB, 'Часть Б', true)).partsFrom).toEqual([cast.b.id]);
    await expectRejected(row.id, runId, () => act.submit(cast.execB, 'Часть Б ещё раз', true), {
      code: 'conflict',
      key: 'error.submit.partAlreadySubmitted',
    });
    await expectRejected(row.id, runId, () => act.submit(cast.execA), {
      code: 'conflict',
      key: 'error.submit.partsMissing',
    });
    expect((await act.submit(cast.execC, 'Часть В', true)).partsFrom).toEqual([cast.b.id, cast.c.id]);
    expect((await act.submit(cast.execA, 'Сводный отчёт')).status).toBe('submitted');
    const parts = await tdb.db
      .selectFrom('submission')
      .select(['agency_id', 'is_part', 'body'])
      .where('control_item_id', '=', row.id)
      .orderBy('id')
      .execute();
    expect(parts).toEqual([
      { agency_id: cast.b.id, is_part: true, body: 'Часть Б' },
      { agency_id: cast.c.id, is_part: true, body: 'Часть В' },
      { agency_id: cast.a.id, is_part: false, body: 'Сводный отчёт' },
    ]);
    await act.cancel(cast.wg1);
  });

  it('answers a repeated action (same eventId) with the first outcome, not a second transition', async () => {
    const { row, state } = await insertItem(tdb.db, {
      agencyId: cast.a.id,
      due: addWorkingDays(today(), 20),
    });
    await startControlItem(temporal.handle, state, DEFAULT_CHASE_POLICY);
    const eventId = randomUUID();
    const submit = () =>
      updateItem(temporal.handle, row.id, submitUpdate, {
        actor: actorOf(cast.execA),
        eventId,
        text: 'Отчёт',
        links: [],
        attachmentIds: [],
        part: false,
      });
    const [first, second] = await Promise.all([submit(), submit()]);
    expect(first).toEqual(second);
    expect(first.version).toBe(1);
    const third = await submit();
    expect(third).toEqual(first);
    expect(
      (await tdb.db.selectFrom('event').select('type').where('control_item_id', '=', row.id).execute()).map(
        (e) => e.type,
      ),
    ).toEqual(['submitted']);
    await itemActions(temporal.handle, row.id).cancel(cast.wg1);
  });
});
