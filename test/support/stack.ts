import pino from 'pino';
import type { ActivityDeps } from '../../activities/index.ts';
import { startChangeFeed } from '../../db/index.ts';
import { createTestDatabase } from './pg.ts';
import { connectDevServer, createTestWorker } from './temporal.ts';
import { startTestApp } from './web.ts';

type AppOptions = Omit<Parameters<typeof startTestApp>[0], 'db' | 'temporal' | 'changeFeed'>;

/**
 * What a web-level test stands on: a fresh migrated database, the run's Temporal dev server (own task
 * queue), a worker with the real activities and the web app on a loopback port. `close()` stops them in
 * reverse order. `deps` adds to the worker's activity deps; `workerStartsWorkflows` hands the activities
 * the Temporal handle (imports start item workflows). `changeFeed` gives the web app Postgres change notices
 * as runWeb does in production (db/change-feed.ts); without it every request reads session and version.
 */
export async function startTestStack(
  o: {
    publicUrl?: string;
    deps?: Partial<Omit<ActivityDeps, 'db' | 'temporal'>>;
    workerStartsWorkflows?: boolean;
    changeFeed?: boolean;
    app?: AppOptions;
  } = {},
) {
  const [tdb, temporal] = await Promise.all([createTestDatabase(), connectDevServer()]);
  const worker = await createTestWorker({
    connection: temporal.nativeConnection,
    taskQueue: temporal.taskQueue,
    deps: {
      db: tdb.db,
      publicUrl: o.publicUrl ?? 'http://shtab.test',
      ...o.deps,
      ...(o.workerStartsWorkflows ? { temporal: temporal.handle } : {}),
    },
  });
  const running = worker.run();
  const changeFeed = o.changeFeed
    ? startChangeFeed({ databaseUrl: tdb.url, log: pino({ level: 'silent' }) })
    : undefined;
  const web = await startTestApp({
    db: tdb.db,
    temporal: temporal.handle,
    ...o.app,
    ...(changeFeed ? { changeFeed } : {}),
  });
  return {
    tdb,
    temporal,
    web,
    changeFeed,
    async close() {
      await web.close();
      await changeFeed?.close();
      worker.shutdown();
      await running;
      await temporal.close();
      await tdb.drop();
    },
  };
}

export type TestStack = Awaited<ReturnType<typeof startTestStack>>;
