import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ingestFeedback,
  rematchBatch,
  saveTopicRules,
  startTallyFolder,
  type FeedbackAppDeps,
  type TallyFolder,
} from '../../app/feedback/index.ts';
import { deleteService } from '../../app/services/index.ts';
import { foldTallies, pendingFold, REFERENCES_LOCK, topicRules } from '../../db/feedback-store.ts';
import type { Database, Db } from '../../db/index.ts';
import { compileTaxonomy, tallyReviews, worryTopics } from '../../domain/feedback/index.ts';
import { addDays } from '../../domain/local-date.ts';
import { feedbackDeps, feedbackWorld } from '../support/feedback-fixtures.ts';
import { migratedDatabaseOn } from '../support/pg.ts';

// Intakes write reviews; folds add them to the tallies (docs/decisions.md §46). Whatever the order of
// intakes, repeats, folds and re-matches, once nothing is pending the four tally tables equal a recount
// from the raw reviews with their stored topics, and the topics equal the rules in force after a re-match.

const TODAY = '2026-11-20';
const REMARKS = [
  'Два часа в очереди, талон не работал',
  'Сотрудник нагрубил, окно закрыто в обед',
  'Сроки затянули на месяц, до сих пор жду',
  'Потребовали лишние документы и справки',
  'Портал не работает, ошибка при подаче заявления',
  'Окно приёма одно, все ждали на улице',
  'Всё хорошо, спасибо',
  null,
];

type Tallies = Record<string, string>;

/** The four tally tables as stored: "table|key|month[|topic]" → counts. */
async function stored(db: Db): Promise<Tallies> {
  const out: Tallies = {};
  const tally = (r: {
    votes: number;
    rating_sum: number;
    r1: number;
    r2: number;
    r3: number;
    r4: number;
    r5: number;
    with_text: number;
  }) => [r.votes, r.rating_sum, r.r1, r.r2, r.r3, r.r4, r.r5, r.with_text].join(',');
  for (const r of await db.selectFrom('feedback_month').selectAll().execute())
    out[`s|${r.service_id}|${r.month}`] = tally(r);
  for (const r of await db.selectFrom('feedback_area_month').selectAll().execute())
    out[`a|${r.municipality_id}|${r.month}`] = tally(r);
  for (const r of await db.selectFrom('feedback_topic_month').selectAll().execute())
    if (r.n !== 0) out[`ts|${r.service_id}|${r.month}|${r.topic_id}`] = String(r.n);
  for (const r of await db.selectFrom('feedback_area_topic_month').selectAll().execute())
    if (r.n !== 0) out[`ta|${r.municipality_id}|${r.month}|${r.topic_id}`] = String(r.n);
  return out;
}

/** The same tallies recounted from every review on record (the domain's own tallyReviews). */
async function recount(db: Db): Promise<Tallies> {
  const reviews = await db.selectFrom('feedback').selectAll().execute();
  const t = tallyReviews(
    reviews.map((r) => ({
      serviceId: r.service_id,
      municipalityId: r.municipality_id,
      receivedOn: r.received_on,
      rating: r.rating,
      hasText: r.body !== null,
      topicIds: r.topic_ids,
    })),
  );
  const out: Tallies = {};
  const tally = (d: (typeof t.byService)[number]) =>
    [d.votes, d.ratingSum, ...d.byRating, d.withText].join(',');
  for (const d of t.byService) out[`s|${d.key}|${d.month}`] = tally(d);
  for (const d of t.byMunicipality) out[`a|${d.key}|${d.month}`] = tally(d);
  for (const d of t.topicsByService) out[`ts|${d.key}|${d.month}|${d.topicId}`] = String(d.n);
  for (const d of t.topicsByMunicipality) out[`ta|${d.key}|${d.month}|${d.topicId}`] = String(d.n);
  return out;
}

/** Every review's stored topics equal a match with the rules in force now. */
async function topicsAreCurrent(db: Db) {
  const taxonomy = compileTaxonomy(await topicRules(db));
  const reviews = await db.selectFrom('feedback').select(['rating', 'body', 'topic_ids']).execute();
  return reviews.every(
    (r) =>
      [...r.topic_ids].sort((a, b) => a - b).join(',') === worryTopics(r.rating, r.body, taxonomy).join(','),
  );
}

async function waitUntil(f: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(['pg', 'pglite'] as const)('folding new reviews into the tallies on %s', (kind) => {
  let database: Database & { close(): Promise<void> };
  let db: Db;
  let w: Awaited<ReturnType<typeof feedbackWorld>>;
  let other: { id: number; code: string };
  let seq = 0;
  const folders: TallyFolder[] = [];
  const folder = (o: Parameters<typeof startTallyFolder>[0]) => {
    const f = startTallyFolder(o);
    folders.push(f);
    return f;
  };

  /** `n` reviews over three months, two services, a municipality or none, all ratings, with remarks. */
  const batch = (n: number, o: { ids?: string[] } = {}) =>
    Array.from({ length: n }, (_, i) => {
      const k = ++seq;
      return {
        sourceId: o.ids?.[i] ?? `f${k}`,
        serviceCode: k % 2 ? w.service.code : other.code,
        channel: 'mfc',
        ...(k % 3 ? { municipality: w.municipality.code } : {}),
        date: addDays(TODAY, -31 * (k % 3)),
        rating: (k % 5) + 1,
        ...(REMARKS[k % REMARKS.length] ? { text: REMARKS[k % REMARKS.length]! } : {}),
      };
    });
  const deps = (fold?: TallyFolder): FeedbackAppDeps => ({
    ...feedbackDeps(db, undefined, { today: TODAY, policy: { maxRating: 0 } }),
    ...(fold ? { fold } : {}),
  });

  beforeAll(async () => {
    database = await migratedDatabaseOn(kind);
    db = database.db;
    w = await feedbackWorld(db);
    other = await db
      .insertInto('service')
      .values({ code: `FOLD-${process.pid}`, title_ru: 'Вторая услуга', agency_id: w.agency.id })
      .returning(['id', 'code'])
      .executeTakeFirstOrThrow();
  });
  afterAll(async () => {
    for (const f of folders) await f.stop();
    await database?.close();
  });

  it('without a folder an intake is in the tallies when it returns', async () => {
    const r = await ingestFeedback(deps(), { source: 'pos', items: batch(40) });
    expect(r).toMatchObject({ ok: true, inserted: 40 });
    expect(await pendingFold(db)).toMatchObject({ batches: 0 });
    expect(await stored(db)).toEqual(await recount(db));
    // A repeat stores nothing and leaves nothing to fold.
    const again = await ingestFeedback(deps(), {
      source: 'pos',
      items: batch(40, { ids: Array.from({ length: 40 }, (_, i) => `f${i + 1}`) }),
    });
    expect(again).toMatchObject({ ok: true, inserted: 0, duplicates: 40 });
    expect(await pendingFold(db)).toMatchObject({ batches: 0 });
  });

  it('a folder defers a stream of intakes to one fold, and the fold brings the tallies level', async () => {
    const f = folder({ db, intervalMs: 60_000, sweepMs: 60_000 });
    await f.flush();
    const before = await stored(db);
    for (let i = 0; i < 3; i++)
      expect(await ingestFeedback(deps(f), { source: 'pos', items: batch(25) })).toMatchObject({
        inserted: 25,
      });
    // Stored, not yet counted: the pages show the tallies as they were.
    expect(await pendingFold(db)).toMatchObject({ batches: 3 });
    expect(await stored(db)).toEqual(before);
    expect(await stored(db)).not.toEqual(await recount(db));
    await f.flush();
    expect(await pendingFold(db)).toMatchObject({ batches: 0, oldest: null });
    expect(await stored(db)).toEqual(await recount(db));
    // A fold with nothing pending changes nothing.
    expect(await foldTallies(db)).toEqual({ batches: 0, reviews: 0 });
    expect(await stored(db)).toEqual(await recount(db));
  });

  it('a quiet intake is folded before it returns; a large one starts its fold at once', async () => {
    const f = folder({ db, intervalMs: 0, sweepMs: 60_000, foldNowReviews: 30 });
    await f.flush();
    await ingestFeedback(deps(f), { source: 'pos', items: batch(5) });
    expect(await pendingFold(db)).toMatchObject({ batches: 0 });
    expect(await stored(db)).toEqual(await recount(db));
    await ingestFeedback(deps(f), { source: 'pos', items: batch(30) });
    await waitUntil(async () => (await pendingFold(db)).batches === 0);
    expect(await stored(db)).toEqual(await recount(db));
  });

  it('the sweep folds what an intake left behind (its process stopped before folding)', async () => {
    const quiet = folder({ db, intervalMs: 60_000, sweepMs: 60_000 });
    await quiet.flush();
    await ingestFeedback(deps(quiet), { source: 'pos', items: batch(10) });
    expect(await pendingFold(db)).toMatchObject({ batches: 1 });
    await quiet.stop();
    const sweeper = folder({ db, intervalMs: 60_000, sweepMs: 50 });
    await waitUntil(async () => (await pendingFold(db)).batches === 0);
    await sweeper.stop();
    expect(await stored(db)).toEqual(await recount(db));
  });

  it('a re-match of reviews not folded yet: their fold counts the new topics, the folded ones move', async () => {
    const f = folder({ db, intervalMs: 60_000, sweepMs: 60_000 });
    await f.flush();
    await ingestFeedback(deps(f), { source: 'pos', items: batch(24) });
    expect((await pendingFold(db)).batches).toBe(1);
    const queue = await db
      .selectFrom('feedback_topic')
      .select(['id', 'rules'])
      .where('code', '=', 'QUEUE')
      .executeTakeFirstOrThrow();
    // «окно» joins the queue topic: folded and unfolded reviews about a window change their topics.
    const version = await saveTopicRules(
      { db },
      { topicId: queue.id, rulesText: [...queue.rules, 'окно'].join('\n'), active: true, userId: w.wg.id },
    );
    expect(version).not.toBeNull();
    // Still not folded when the re-match passes them.
    expect((await pendingFold(db)).batches).toBe(1);
    let afterId = 0;
    for (;;) {
      const r = await rematchBatch(db, { version: version!, afterId, size: 20 });
      afterId = r.lastId;
      if (r.done) break;
    }
    expect(await topicsAreCurrent(db)).toBe(true);
    await f.flush();
    expect(await stored(db)).toEqual(await recount(db));
    // Back as it was, everything folded this time.
    const back = await saveTopicRules(
      { db },
      { topicId: queue.id, rulesText: queue.rules.join('\n'), active: true, userId: w.wg.id },
    );
    for (let afterId2 = 0; ;) {
      const r = await rematchBatch(db, { version: back!, afterId: afterId2, size: 1000 });
      afterId2 = r.lastId;
      if (r.done) break;
    }
    expect(await topicsAreCurrent(db)).toBe(true);
    expect(await stored(db)).toEqual(await recount(db));
  });

  // PGlite has one connection: nothing runs concurrently there.
  it.skipIf(kind === 'pglite')(
    'concurrent intakes, repeats, folds and a re-match leave the tallies equal to a recount',
    async () => {
      const f = folder({ db, intervalMs: 5, sweepMs: 60_000 });
      await f.flush();
      const sent: string[][] = [];
      const jobs: Promise<unknown>[] = [];
      for (let i = 0; i < 16; i++) {
        const items = batch(60);
        sent.push(items.map((x) => x.sourceId));
        // Every fourth intake folds itself at once (no folder), as a script's would.
        jobs.push(ingestFeedback(deps(i % 4 === 3 ? undefined : f), { source: 'pos', items }));
        // Batches sent twice at the same moment: the unique index lets one of each store.
        if (i % 5 === 0) jobs.push(ingestFeedback(deps(f), { source: 'pos', items }));
      }
      const queue = await db
        .selectFrom('feedback_topic')
        .select(['id', 'rules'])
        .where('code', '=', 'STAFF')
        .executeTakeFirstOrThrow();
      jobs.push(
        (async () => {
          const version = await saveTopicRules(
            { db },
            {
              topicId: queue.id,
              rulesText: [...queue.rules, 'обед'].join('\n'),
              active: true,
              userId: w.wg.id,
            },
          );
          for (let afterId = 0; ;) {
            const r = await rematchBatch(db, { version: version!, afterId, size: 50 });
            afterId = r.lastId;
            if (r.done) break;
          }
        })(),
      );
      const results = await Promise.all(jobs);
      for (const r of results) if (r && typeof r === 'object') expect(r).toMatchObject({ ok: true });
      await f.flush();
      expect(await pendingFold(db)).toMatchObject({ batches: 0 });
      const ids = sent.flat();
      const onRecord = await db
        .selectFrom('feedback')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('source_id', 'in', ids)
        .executeTakeFirstOrThrow();
      expect(onRecord.n).toBe(ids.length);
      expect(await topicsAreCurrent(db)).toBe(true);
      expect(await stored(db)).toEqual(await recount(db));
    },
  );

  // The references lock: one advisory lock instead of a row lock per service of the batch.
  it.skipIf(kind === 'pglite')(
    'a service deleted while an intake checks it: the intake then reports it unknown, nothing stored',
    async () => {
      const doomed = await db
        .insertInto('service')
        .values({ code: `DOOMED-${process.pid}`, title_ru: 'Услуга на удаление', agency_id: w.agency.id })
        .returning(['id', 'code'])
        .executeTakeFirstOrThrow();
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const lockedP = new Promise<void>((r) => (locked = r));
      // The deletion takes the lock first and commits only when told: the intake checks the service while
      // it is still there, then waits for the lock, then finds it gone.
      const deletion = db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${REFERENCES_LOCK})`.execute(trx);
        await trx.deleteFrom('service').where('id', '=', doomed.id).execute();
        locked();
        await held;
      });
      await lockedP;
      const intake = ingestFeedback(deps(), {
        source: 'pos',
        items: [{ sourceId: 'doomed-1', serviceCode: doomed.code, channel: 'mfc', date: TODAY, rating: 4 }],
      });
      await new Promise((r) => setTimeout(r, 200));
      release();
      await deletion;
      const r = await intake;
      expect(r).toMatchObject({
        ok: false,
        issues: [{ index: 0, field: 'serviceCode', key: 'error.feedback.unknownService' }],
      });
      expect(
        await db.selectFrom('feedback').select('id').where('source_id', '=', 'doomed-1').execute(),
      ).toEqual([]);
    },
  );

  it.skipIf(kind === 'pglite')(
    'an intake in flight makes a deletion of its service wait, which then refuses (the service has reviews)',
    async () => {
      const svc = await db
        .insertInto('service')
        .values({ code: `KEPT-${process.pid}`, title_ru: 'Услуга с отзывом', agency_id: w.agency.id })
        .returning(['id', 'code'])
        .executeTakeFirstOrThrow();
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let inFlight!: () => void;
      const inFlightP = new Promise<void>((r) => (inFlight = r));
      // An intake's transaction as ingestFeedback runs it: the lock shared, then its review.
      const intake = db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock_shared(${REFERENCES_LOCK})`.execute(trx);
        await trx
          .insertInto('feedback')
          .values({
            source: 'pos',
            source_id: 'kept-1',
            service_id: svc.id,
            channel: 'mfc',
            received_on: TODAY,
            rating: 5,
          })
          .execute();
        inFlight();
        await held;
      });
      await inFlightP;
      let settled = false;
      // Its outcome is taken at once: it may be refused before the assertion below is reached.
      const deletion = deleteService(db, svc.id)
        .finally(() => (settled = true))
        .then(
          () => null,
          (e: unknown) => e,
        );
      await new Promise((r) => setTimeout(r, 200));
      expect(settled).toBe(false);
      release();
      await intake;
      expect(await deletion).toMatchObject({ detail: { key: 'error.svc.hasHistory' } });
      expect(await db.selectFrom('service').select('id').where('id', '=', svc.id).execute()).toHaveLength(1);
    },
  );
});
