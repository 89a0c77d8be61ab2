import { sql, type SqlBool } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFeedback, rematchBatch, saveTopicRules } from '../../app/feedback/index.ts';
import { topicRules } from '../../db/feedback-store.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { compileTaxonomy, tallyReviews, worryTopics } from '../../domain/feedback/index.ts';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import type { Db } from '../../db/index.ts';
import { feedbackRematchWorkflowId } from '../../workflows/feedback-rematch-definitions.ts';
import { feedbackDeps, feedbackWorld } from '../support/feedback-fixtures.ts';
import { tableDigests } from '../support/fuzz-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { recordFixture } from '../support/histories.ts';
import { connectDevServer, createTestWorker } from '../support/temporal.ts';

// Re-matching the reviews on record after an edit of the taxonomy: the feedbackRematch workflow on the
// Temporal dev server, Postgres, and the intake's own matcher.

const TOPIC_TABLES = ['feedback', 'feedback_topic_month', 'feedback_area_topic_month', 'feedback_rematch'];

const REMARKS = [
  'Два часа в очереди, талон не работал',
  'Сотрудник нагрубил, окно закрыто в обед',
  'Сроки затянули на месяц, до сих пор жду',
  'Потребовали лишние документы и справки',
  'Портал не работает, ошибка при подаче заявления',
  'Окно приёма одно, все ждали на улице',
  'Всё хорошо',
  null,
];

/** Topic tallies as the tables hold them: "key|month|topic" → n. */
async function storedTallies(db: Db) {
  const svc = await db.selectFrom('feedback_topic_month').selectAll().execute();
  const area = await db.selectFrom('feedback_area_topic_month').selectAll().execute();
  return {
    byService: Object.fromEntries(svc.map((r) => [`${r.service_id}|${r.month}|${r.topic_id}`, r.n])),
    byArea: Object.fromEntries(area.map((r) => [`${r.municipality_id}|${r.month}|${r.topic_id}`, r.n])),
  };
}

/** The same tallies computed from scratch: every review matched with the rules in force now. */
async function recomputed(db: Db) {
  const taxonomy = compileTaxonomy(await topicRules(db));
  const reviews = await db.selectFrom('feedback').selectAll().orderBy('id').execute();
  const t = tallyReviews(
    reviews.map((r) => ({
      serviceId: r.service_id,
      municipalityId: r.municipality_id,
      receivedOn: r.received_on,
      rating: r.rating,
      hasText: r.body !== null,
      topicIds: worryTopics(r.rating, r.body, taxonomy),
    })),
  );
  const topics = Object.fromEntries(reviews.map((r) => [r.id, worryTopics(r.rating, r.body, taxonomy)]));
  return {
    tallies: {
      byService: Object.fromEntries(t.topicsByService.map((d) => [`${d.key}|${d.month}|${d.topicId}`, d.n])),
      byArea: Object.fromEntries(
        t.topicsByMunicipality.map((d) => [`${d.key}|${d.month}|${d.topicId}`, d.n]),
      ),
    },
    topics,
  };
}

async function storedTopics(db: Db) {
  const rows = await db.selectFrom('feedback').select(['id', 'topic_ids']).execute();
  return Object.fromEntries(rows.map((r) => [r.id, [...r.topic_ids].sort((a, b) => a - b)]));
}

describe('re-matching reviews after a taxonomy edit', () => {
  let tdb: TestDatabase;
  let temporal: Awaited<ReturnType<typeof connectDevServer>>;
  let stop: () => Promise<void>;
  const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
  let w: Awaited<ReturnType<typeof feedbackWorld>>;
  let topic: (code: string) => Promise<{ id: number; rules: string[]; active: boolean }>;

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
    w = await feedbackWorld(tdb.db);
    topic = (code) =>
      tdb.db
        .selectFrom('feedback_topic')
        .select(['id', 'rules', 'active'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
    // 48 reviews over three months, two municipalities and none, ratings 1–5, with and without remarks.
    const items = Array.from({ length: 48 }, (_, i) => ({
      sourceId: `r${i}`,
      serviceId: w.service.id,
      channel: 'mfc',
      ...(i % 3 === 0 ? { municipality: w.municipality.code } : {}),
      date: addDays(today, -35 * (i % 3)),
      rating: (i % 5) + 1,
      ...(REMARKS[i % REMARKS.length] ? { text: REMARKS[i % REMARKS.length] } : {}),
    }));
    const r = await ingestFeedback(feedbackDeps(tdb.db), { source: 'pos', items });
    expect(r).toMatchObject({ ok: true, inserted: 48 });
  });
  afterAll(async () => {
    await stop?.();
    await temporal?.close();
    await tdb?.drop();
  });

  it('the intake and a recomputation from scratch agree before any edit', async () => {
    const fresh = await recomputed(tdb.db);
    expect(await storedTallies(tdb.db)).toEqual(fresh.tallies);
    expect(Object.keys(fresh.tallies.byService).length).toBeGreaterThan(3);
  });

  it('an edited rule and a switched-off topic reach every review on record through the workflow', async () => {
    const queue = await topic('QUEUE');
    const before = await storedTallies(tdb.db);
    const deps = feedbackDeps(tdb.db, temporal.handle);
    // «окно» joins the queue topic: reviews about a closed window now count under it.
    const v1 = await saveTopicRules(deps, {
      topicId: queue.id,
      rulesText: [...queue.rules, 'окно'].join('\n'),
      active: true,
      userId: w.wg.id,
    });
    expect(v1).toBe(1);
    const handle = temporal.client.workflow.getHandle(feedbackRematchWorkflowId(temporal.workflowIdPrefix));
    // A second edit at once: the running re-match takes the newer version (restarts or continues with it).
    const time = await topic('TIME');
    const v2 = await saveTopicRules(deps, {
      topicId: time.id,
      rulesText: time.rules.join('\n'),
      active: false,
      userId: w.wg.id,
    });
    expect(v2).toBe(2);
    await handle.result();

    const fresh = await recomputed(tdb.db);
    const after = await storedTallies(tdb.db);
    expect(after).toEqual(fresh.tallies);
    expect(await storedTopics(tdb.db)).toEqual(fresh.topics);
    expect(after).not.toEqual(before);
    // The switched-off topic counts nothing any more; the queue topic counts the window remarks.
    expect(Object.keys(after.byService).some((k) => k.endsWith(`|${time.id}`))).toBe(false);
    const windows = await tdb.db
      .selectFrom('feedback')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .where('body', 'like', '%окно%')
      .where('rating', '<=', 3)
      .where(sql<SqlBool>`topic_ids @> array[${queue.id}]::int[]`)
      .executeTakeFirstOrThrow();
    expect(Number(windows.n)).toBeGreaterThan(0);

    const runs = await tdb.db.selectFrom('feedback_rematch').selectAll().orderBy('version').execute();
    expect(runs.at(-1)).toMatchObject({ version: 2, superseded: false });
    expect(runs.at(-1)!.finished_at).not.toBeNull();
    // Version 1 either finished before version 2 arrived, or gave way to it.
    expect(runs[0]!.finished_at !== null || runs[0]!.superseded).toBe(true);
  });

  it('a second run changes nothing, in batches of any size', async () => {
    const digests = await tableDigests(tdb.db, TOPIC_TABLES.slice(0, 3));
    let afterId = 0;
    let changed = 0;
    for (let n = 0; n < 100; n++) {
      const r = await rematchBatch(tdb.db, { version: 2, afterId, size: 7 });
      changed += r.changed;
      afterId = r.lastId;
      if (r.done) break;
    }
    expect(changed).toBe(0);
    expect(afterId).toBeGreaterThanOrEqual(48);
    expect(await tableDigests(tdb.db, TOPIC_TABLES.slice(0, 3))).toEqual(digests);
  });

  it('small batches after another edit give the tallies a recomputation gives, and saving again starts nothing', async () => {
    const staff = await topic('STAFF');
    const deps = feedbackDeps(tdb.db); // no Temporal: the batches are run here, as the workflow would
    const v = await saveTopicRules(deps, {
      topicId: staff.id,
      rulesText: 'нагрубил\nобед',
      active: true,
      userId: w.wg.id,
    });
    expect(v).toBe(3);
    let afterId = 0;
    for (let n = 0; n < 100; n++) {
      const r = await rematchBatch(tdb.db, { version: 3, afterId, size: 5 });
      afterId = r.lastId;
      if (r.done) break;
    }
    const fresh = await recomputed(tdb.db);
    expect(await storedTallies(tdb.db)).toEqual(fresh.tallies);
    expect(await storedTopics(tdb.db)).toEqual(fresh.topics);
    const run = await tdb.db
      .selectFrom('feedback_rematch')
      .selectAll()
      .where('version', '=', 3)
      .executeTakeFirstOrThrow();
    expect(run.finished_at).not.toBeNull();
    expect(run.last_id).toBeGreaterThanOrEqual(48);
    // The same rules saved again: no new version, nothing to re-match.
    expect(
      await saveTopicRules(deps, {
        topicId: staff.id,
        rulesText: 'нагрубил\nобед',
        active: true,
        userId: w.wg.id,
      }),
    ).toBeNull();
  });

  it('a newer version saved while a batch runs restarts the run from the first review with it', async () => {
    const db = tdb.db;
    // Ids past the first batch's range, so the run has more than one batch.
    await sql`select setval('feedback_id_seq', 20000)`.execute(db);
    const late = await ingestFeedback(feedbackDeps(db), {
      source: 'pos',
      items: [
        {
          sourceId: 'late',
          serviceId: w.service.id,
          channel: 'mfc',
          date: today,
          rating: 1,
          text: 'Окно закрыто, нагрубили',
        },
      ],
    });
    expect(late).toMatchObject({ ok: true, inserted: 1 });
    const deps = feedbackDeps(db, temporal.handle);
    const [queue, staff] = [await topic('QUEUE'), await topic('STAFF')];
    const first = await db
      .selectFrom('feedback')
      .select('id')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const handle = temporal.client.workflow.getHandle(feedbackRematchWorkflowId(temporal.workflowIdPrefix));
    let versions: (number | null)[] = [];
    // A review of the first batch held: version 4's first batch waits on it while version 5 is saved.
    await db.transaction().execute(async (trx) => {
      await sql`select id from feedback where id = ${first.id} for update`.execute(trx);
      const v4 = await saveTopicRules(deps, {
        topicId: queue.id,
        rulesText: 'очередь\nтолпа',
        active: true,
        userId: w.wg.id,
      });
      for (let i = 0; i < 200; i++) {
        const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and query ilike '%from "feedback"%for update%'`.execute(db);
        if (waiting.rows[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const v5 = await saveTopicRules(deps, {
        topicId: staff.id,
        rulesText: staff.rules.join('\n'),
        active: false,
        userId: w.wg.id,
      });
      versions = [v4, v5];
    });
    expect(versions).toEqual([4, 5]);
    await handle.result();
    await recordFixture('feedback-rematch-restart', handle);

    const runs = await db
      .selectFrom('feedback_rematch')
      .selectAll()
      .where('version', '>=', 4)
      .orderBy('version')
      .execute();
    // Version 4 did its first batch, then gave way; version 5 ran from the first review to the last.
    expect(runs[0]).toMatchObject({ version: 4, superseded: true, finished_at: null, last_id: 5000 });
    expect(runs[1]).toMatchObject({ version: 5, superseded: false });
    expect(runs[1]!.finished_at).not.toBeNull();
    expect(runs[1]!.last_id).toBeGreaterThanOrEqual(20001);
    const fresh = await recomputed(db);
    expect(await storedTallies(db)).toEqual(fresh.tallies);
    expect(await storedTopics(db)).toEqual(fresh.topics);
  });

  it('moves a topic between municipalities of one service and month (the service count stays)', async () => {
    const db = tdb.db;
    const items = [
      { sourceId: 'mx', municipality: w.municipality.code, text: 'Толпа у окна приёма' },
      { sourceId: 'my', text: 'Длинная вереница у входа' },
    ].map((x) => ({ ...x, serviceId: w.service.id, channel: 'mfc', date: today, rating: 1 }));
    expect(await ingestFeedback(feedbackDeps(db), { source: 'pos', items })).toMatchObject({ inserted: 2 });
    const queue = await topic('QUEUE');
    expect(queue.rules).toEqual(['очередь', 'толпа']);
    const v = await saveTopicRules(feedbackDeps(db), {
      topicId: queue.id,
      rulesText: 'очередь\nвереница',
      active: true,
      userId: w.wg.id,
    });
    let afterId = 0;
    let changed = 0;
    for (let n = 0; n < 100; n++) {
      const r = await rematchBatch(db, { version: v!, afterId, size: 5000 });
      changed += r.changed;
      afterId = r.lastId;
      if (r.done) break;
    }
    expect(changed).toBe(2);
    const fresh = await recomputed(db);
    expect(await storedTallies(db)).toEqual(fresh.tallies);
    expect(await storedTopics(db)).toEqual(fresh.topics);
  });
});
