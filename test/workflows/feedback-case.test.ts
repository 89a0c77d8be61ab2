import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseStateById } from '../../db/feedback-store.ts';
import { ingestFeedback } from '../../app/feedback/index.ts';
import { casePlan, DEFAULT_CASE_POLICY } from '../../domain/feedback/index.ts';
import { instantToLocalDate, localTimeToInstant } from '../../domain/local-date.ts';
import {
  answerCaseUpdate,
  caseStateQuery,
  feedbackCaseWorkflowId,
  recordFixUpdate,
} from '../../workflows/feedback-case-definitions.ts';
import { actorOf } from '../support/fixtures.ts';
import { recordFixture } from '../support/histories.ts';
import { feedbackDeps, feedbackWorld } from '../support/feedback-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { sleepUntil } from '../support/time-skipping.ts';
import { createTestWorker, createTimeSkippingEnv } from '../support/temporal.ts';

// A case nobody answers: reminder, escalation to the agency head, then to the working group, each once,
// on the working-day calendar; then a late answer that cannot yet say "fixed", and the fix recorded.
describe('feedbackCase on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let tdb: TestDatabase;

  beforeAll(async () => {
    [env, tdb] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  });
  afterAll(async () => {
    await env?.teardown();
    await tdb?.drop();
  });

  it('reminds, escalates twice, records a late answer and then the fix', async () => {
    const w = await feedbackWorld(tdb.db);
    const taskQueue = `fb-${randomUUID()}`;
    const handle = { client: env.client, taskQueue, workflowIdPrefix: `${taskQueue}-` };
    const worker: Worker = await createTestWorker({
      connection: env.nativeConnection,
      taskQueue,
      deps: { db: tdb.db, publicUrl: 'http://shtab.test' },
    });
    await worker.runUntil(async () => {
      const policy = DEFAULT_CASE_POLICY;
      const today = instantToLocalDate(await env.currentTimeMs(), policy.utcOffsetMinutes);
      const res = await ingestFeedback(feedbackDeps(tdb.db, handle, { today }), {
        source: 'pos',
        items: [
          {
            sourceId: 'late-1',
            serviceId: w.service.id,
            channel: 'pos',
            date: today,
            rating: 2,
            text: 'Сотрудник нагрубил',
            contact: { email: 'citizen@example.ru' },
            consent: 'true',
          },
        ],
      });
      if (!res.ok) throw new Error(JSON.stringify(res.issues));
      const caseId = res.caseIds[0]!;
      const wf = env.client.workflow.getHandle(feedbackCaseWorkflowId(caseId, handle.workflowIdPrefix));
      const state = await caseStateById(tdb.db, caseId);
      const plan = casePlan(state.due, policy);
      const at = (d: string) => localTimeToInstant(d, policy.chaseMinuteOfDay, policy.utcOffsetMinutes);

      await sleepUntil(env, at(plan[2]!.on) + 60_000);
      await expect
        .poll(async () => (await wf.query(caseStateQuery)).done)
        .toEqual(['esc-head', 'esc-wg', 'opened', 'r1']);
      const row = await tdb.db
        .selectFrom('feedback_case')
        .select(['escalation_level', 'status'])
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ escalation_level: 2, status: 'open' });
      const notices = await tdb.db
        .selectFrom('notification')
        .select(['kind', 'recipient_user_id'])
        .where('kind', 'in', ['case_opened', 'case_reminder', 'case_escalation'])
        .orderBy('id')
        .execute();
      expect(notices).toEqual([
        { kind: 'case_opened', recipient_user_id: w.curator.id },
        { kind: 'case_reminder', recipient_user_id: w.curator.id },
        { kind: 'case_escalation', recipient_user_id: w.curator.id },
        { kind: 'case_escalation', recipient_user_id: w.head.id },
        { kind: 'case_escalation', recipient_user_id: w.wg.id },
      ]);

      // The validator refuses a stranger before anything is written (no event, no history entry).
      await expect(
        wf.executeUpdate(answerCaseUpdate, {
          args: [{ eventId: randomUUID(), actor: actorOf(w.stranger), text: 'x', fixed: true }],
        }),
      ).rejects.toThrow();
      const answered = await wf.executeUpdate(answerCaseUpdate, {
        args: [
          {
            eventId: randomUUID(),
            actor: actorOf(w.head),
            text: 'Проведена беседа с сотрудником',
            fixed: null,
          },
        ],
      });
      expect(answered).toMatchObject({ status: 'answered', fixed: null });
      const closed = await wf.executeUpdate(recordFixUpdate, {
        args: [{ eventId: randomUUID(), actor: actorOf(w.curator), fixed: true }],
      });
      expect(closed).toMatchObject({ status: 'closed', fixed: true });
      expect(await wf.result()).toMatchObject({ status: 'closed', fixed: true, escalationLevel: 2 });
      // RECORD_HISTORIES=<label> keeps this run for test/workflows/replay.test.ts (decisions §21).
      await recordFixture('feedback-case-escalated', wf);
      const mail = await tdb.db
        .selectFrom('notification')
        .select('body_text')
        .where('kind', '=', 'case_answer_citizen')
        .execute();
      expect(mail.map((m) => m.body_text.includes('О результате устранения сообщим'))).toEqual([true]);
    });
  });
});
