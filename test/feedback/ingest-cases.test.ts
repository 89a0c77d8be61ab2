import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCase, ingestFeedback } from '../../app/feedback/index.ts';
import { digestCitizens } from '../../db/read-models/feedback.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { caseStateQuery, feedbackCaseWorkflowId } from '../../workflows/feedback-case-definitions.ts';
import { actorOf } from '../support/fixtures.ts';
import { feedbackDeps, feedbackWorld } from '../support/feedback-fixtures.ts';
import { tableDigests } from '../support/fuzz-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { connectDevServer, createTestWorker } from '../support/temporal.ts';

// The intake use case and a curator case end to end on Postgres and the Temporal dev server.
describe('feedback intake and curator cases', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let stop: () => Promise<void>;
  const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);

  beforeAll(async () => {
    [tdb, temporal] = await Promise.all([createTestDatabase(), connectDevServer()]);
    const worker = await createTestWorker({
      connection: temporal.nativeConnection,
      taskQueue: temporal.taskQueue,
      deps: { db: tdb.db, publicUrl: 'http://shtab.test' },
    });
    const running = worker.run();
    stop = async () => {
      worker.shutdown();
      await running;
    };
  });
  afterAll(async () => {
    await stop?.();
    await temporal?.close();
    await tdb?.drop();
  });

  it('stores a batch once, keeps tallies, opens a case for a low rating with text, answers the citizen', async () => {
    const w = await feedbackWorld(tdb.db);
    const deps = feedbackDeps(tdb.db, temporal.handle);
    const batch = [
      { sourceId: 'a1', serviceCode: w.service.code, channel: 'mfc', date: today, rating: 5 },
      {
        sourceId: 'a2',
        serviceId: w.service.id,
        channel: 'pos',
        municipality: w.municipality.code,
        date: today,
        rating: 1,
        text: 'Два часа в очереди, потом потребовали лишние документы',
        contact: { name: 'Анна', email: 'anna@example.ru' },
        consent: true,
      },
      {
        sourceId: 'a3',
        serviceCode: w.service.code,
        channel: 'epgu',
        date: today,
        rating: 4,
        text: 'Нормально',
      },
    ];
    const first = await ingestFeedback(deps, { source: 'pos', items: batch });
    expect(first).toMatchObject({ ok: true, received: 3, inserted: 3, duplicates: 0 });
    if (!first.ok) return;
    expect(first.caseIds).toHaveLength(1);

    // The same batch again: nothing new, tallies untouched.
    const again = await ingestFeedback(deps, { source: 'pos', items: batch });
    expect(again).toMatchObject({ ok: true, inserted: 0, duplicates: 3, caseIds: [] });
    const month = await tdb.db
      .selectFrom('feedback_month')
      .selectAll()
      .where('service_id', '=', w.service.id)
      .execute();
    expect(month.map((m) => [m.votes, m.rating_sum, m.r1, m.r4, m.r5, m.with_text])).toEqual([
      [3, 10, 1, 1, 1, 2],
    ]);
    const area = await tdb.db
      .selectFrom('feedback_area_month')
      .select(['municipality_id', 'votes', 'r1'])
      .orderBy('municipality_id')
      .execute();
    expect(area).toEqual([
      { municipality_id: 0, votes: 2, r1: 0 },
      { municipality_id: w.municipality.id, votes: 1, r1: 1 },
    ]);
    const topics = await tdb.db
      .selectFrom('feedback_topic_month as tm')
      .innerJoin('feedback_topic as t', 't.id', 'tm.topic_id')
      .select(['t.code', 'tm.n'])
      .where('tm.service_id', '=', w.service.id)
      .orderBy('t.code')
      .execute();
    expect(topics).toEqual([
      { code: 'DOCS', n: 1 },
      { code: 'QUEUE', n: 1 },
    ]);

    // The weekly digest's section sees the same (quarter, topics, open cases).
    const digest = await digestCitizens(tdb.db, today);
    expect(digest.topics.map((t) => t.code).sort()).toEqual(['DOCS', 'QUEUE']);
    expect(digest.cases).toMatchObject({ open: 1, overdue: 0 });

    // The curator was told; the workflow runs with the deadline on working days.
    const caseId = first.caseIds[0]!;
    await expect
      .poll(() =>
        tdb.db
          .selectFrom('notification')
          .select(['recipient_user_id', 'kind'])
          .where('kind', '=', 'case_opened')
          .execute(),
      )
      .toEqual([{ recipient_user_id: w.curator.id, kind: 'case_opened' }]);
    const handle = temporal.client.workflow.getHandle(
      feedbackCaseWorkflowId(caseId, temporal.workflowIdPrefix),
    );
    expect(await handle.query(caseStateQuery)).toMatchObject({ status: 'open', curatorUserId: w.curator.id });

    // Another agency's executor may not answer; an empty answer is a field error; the curator answers.
    await expect(
      answerCase(deps, { caseId, actor: actorOf(w.stranger), form: { text: 'Ответ', fixed: 'yes' } }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      answerCase(deps, { caseId, actor: actorOf(w.curator), form: { text: ' ', fixed: 'yes' } }),
    ).rejects.toMatchObject({ code: 'validation', detail: { field: 'text' } });
    const eventId = randomUUID();
    const answered = await answerCase(deps, {
      caseId,
      actor: actorOf(w.curator),
      form: { text: 'Извините. Список документов сокращён, очередь разгружена.', fixed: 'yes' },
      eventId,
    });
    expect(answered).toMatchObject({ status: 'closed', fixed: true });
    // A double post joins the first Update instead of failing on "already answered".
    expect(
      await answerCase(deps, {
        caseId,
        actor: actorOf(w.curator),
        form: { text: 'x', fixed: 'no' },
        eventId,
      }),
    ).toMatchObject({ status: 'closed', fixed: true });
    await expect(
      answerCase(deps, { caseId, actor: actorOf(w.head), form: { text: 'Ещё', fixed: 'no' } }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const mail = await tdb.db
      .selectFrom('notification')
      .select(['recipient_user_id', 'recipient_email', 'subject', 'body_text'])
      .where('kind', '=', 'case_answer_citizen')
      .execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ recipient_user_id: null, recipient_email: 'anna@example.ru' });
    expect(mail[0]!.body_text).toContain('Список документов сокращён');
    expect(mail[0]!.body_text).toContain('Проблема устранена');
    expect(await handle.result()).toMatchObject({ status: 'closed' });
  });

  it('refuses a batch with any bad review and writes nothing', async () => {
    const w = await feedbackWorld(tdb.db);
    const deps = feedbackDeps(tdb.db, temporal.handle);
    const tables = ['feedback', 'feedback_month', 'feedback_topic_month', 'feedback_case', 'notification'];
    const before = await tableDigests(tdb.db, tables);
    const res = await ingestFeedback(deps, {
      source: 'mfc-ais',
      items: [
        {
          sourceId: 'b1',
          serviceCode: w.service.code,
          channel: 'mfc',
          date: today,
          rating: 1,
          text: 'Плохо',
        },
        { sourceId: 'b2', serviceCode: 'NO-SUCH', channel: 'mfc', date: today, rating: 3 },
        { sourceId: 'b1', serviceCode: w.service.code, channel: 'mfc', date: today, rating: 2 },
        {
          sourceId: 'b4',
          serviceCode: w.service.code,
          channel: 'mfc',
          date: today,
          rating: 2,
          contact: { email: 'x@y.ru' },
        },
      ],
    });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.issues.map((i) => `${i.index}:${i.field}:${i.key}`)).toEqual([
      '1:serviceCode:error.feedback.unknownService',
      '2:sourceId:error.feedback.duplicateInBatch',
      '3:consent:error.feedback.consent',
    ]);
    expect(await tableDigests(tdb.db, tables)).toEqual(before);
  });
});
