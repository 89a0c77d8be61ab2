import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { startAggregatesKeeper } from '../../db/aggregates.ts';
import { connect, migrateToLatest, startChangeFeed, type Database } from '../../db/index.ts';
import { resolvePolicy } from '../../domain/control-item/index.ts';
import { StartupError } from '../../domain/startup-error.ts';
import { utcOffsetMinutesOf } from '../../domain/time-zone.ts';
import { createApp, startHousekeeping } from '../../web/index.ts';
import { startCalendarRefresh } from '../../app/calendar/index.ts';
import { startTallyFolder } from '../../app/feedback/index.ts';
import { createPageCache } from '../../web/page-cache.ts';
import type { TemporalHandle } from '../../app/temporal.ts';
import { createDispatcher, createSmtpMailer, type Dispatcher } from '../../activities/notifications/index.ts';
import { createWorkerMetrics, type WorkerMetrics } from '../../activities/metrics.ts';
import { createAuthRuntime } from './auth-config.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { bundleWorkflows, createShtabWorker } from './worker.ts';

/** Temporal's own logs go through our logger (warnings and up). */
export function installTemporalLogging(log: Logger) {
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        const level = entry.level.toLowerCase() as 'warn' | 'error';
        (log[level] ?? log.warn).call(log, { temporal: entry.meta }, entry.message);
      }),
    });
  } catch {
    /* already installed */
  }
}
export type { LogLevel };

export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  const database = await connect({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir });
  const applied = await migrateToLatest(database.db);
  if (applied.length) log.info({ applied }, 'database migrated');
  return database;
}

export async function connectTemporal(
  address: string,
  namespace: string,
  taskQueue: string,
  workflowIdPrefix = '',
): Promise<TemporalHandle & { close(): Promise<void> }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: 10_000 });
    await connection.workflowService.getSystemInfo({});
  } catch (e) {
    throw new StartupError(
      `cannot reach Temporal at ${address} (${(e as Error).message.split('\n')[0]})`,
      'start the Temporal server or fix TEMPORAL_ADDRESS (unset it to run the embedded dev server)',
    );
  }
  return {
    client: new Client({ connection, namespace }),
    taskQueue,
    workflowIdPrefix,
    close: () => connection.close(),
  };
}

export function policyFor(config: Config) {
  return resolvePolicy(null, utcOffsetMinutesOf(config.timeZone));
}

export async function runWorker(
  config: Config,
  log: Logger,
  database: Database,
  address: string,
  temporal: TemporalHandle,
  metrics: WorkerMetrics = createWorkerMetrics(),
) {
  installTemporalLogging(log);
  const mailer = config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : null;
  let dispatcher: Dispatcher | null = null;
  if (mailer) dispatcher = createDispatcher({ db: database.db, mailer, log });
  else log.info('SMTP_URL is not set: notifications stay in the in-app inbox');
  // A pre-built bundle (same SDK version, same workflows/) saves the few seconds of webpack per start.
  const workflowBundle = config.workflowBundlePath
    ? { codePath: config.workflowBundlePath }
    : await bundleWorkflows();
  const { worker, connection } = await createShtabWorker({
    address,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle,
    db: database.db,
    publicUrl: config.publicUrl,
    onNotificationsQueued: () => void dispatcher?.kick().catch(() => {}),
    // Import jobs start the workflows of the items they create.
    temporal,
    utcOffsetMinutes: utcOffsetMinutesOf(config.timeZone),
    metrics,
  });
  dispatcher?.start();
  // Activities count working days (lateness, imports' deadlines): the database's calendar, kept in step.
  const stopCalendar = startCalendarRefresh(database.db, {
    onError: (e) => log.warn({ err: (e as Error).message }, 'calendar refresh failed'),
  });
  const running = worker.run();
  return {
    worker,
    running,
    async stop() {
      stopCalendar();
      await dispatcher?.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch((e) => log.error({ err: e }, 'worker stopped with an error'));
      await connection.close();
      mailer?.close();
    },
  };
}

export async function runWeb(
  config: Config,
  log: Logger,
  database: Database,
  temporal: TemporalHandle,
  workerMetrics?: WorkerMetrics,
) {
  // Embedded PGlite runs in this process: reading from it costs no round trip, so it needs no feed.
  const changeFeed =
    database.kind === 'pg' && config.listenUrl
      ? startChangeFeed({ databaseUrl: config.listenUrl, log })
      : undefined;
  // New reviews reach the tallies within the folder's interval (docs/decisions.md §46).
  const feedbackFolder = startTallyFolder({ db: database.db, log });
  const app = createApp({
    db: database.db,
    temporal,
    log,
    policy: policyFor(config),
    config: {
      publicUrl: config.publicUrl,
      timeZone: config.timeZone,
      uploadMaxBytes: config.uploadMaxBytes,
      secureCookies: config.publicUrl.startsWith('https://'),
      trustProxy: config.trustProxy,
      metricsToken: config.metricsToken,
      mailEnabled: Boolean(config.smtpUrl),
      publicForm: config.publicForm,
    },
    auth: createAuthRuntime(config.auth, log),
    ...(workerMetrics ? { workerMetrics: workerMetrics.registry } : {}),
    ...(changeFeed ? { changeFeed } : {}),
    feedbackFolder,
    pageCache: createPageCache({ maxBytes: config.pageCacheBytes }),
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new StartupError(
              `port ${config.port} is already in use`,
              'stop the other program or set PORT to a free port',
            )
          : e,
      ),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const housekeeping = startHousekeeping({ db: database.db, log });
  // Pages count working days: the database's calendar, kept in step (a change elsewhere within seconds).
  const stopCalendar = startCalendarRefresh(database.db, {
    onError: (e) => log.warn({ err: (e as Error).message }, 'calendar refresh failed'),
  });
  // The programme's figures kept for today (docs/decisions.md §44): rebuilt at start when they are not,
  // and after each midnight; until then pages recompute them. Every web process runs one, the first wins.
  const aggregates = startAggregatesKeeper({
    db: database.db,
    log,
    timeZone: config.timeZone,
    utcOffsetMinutes: utcOffsetMinutesOf(config.timeZone),
  });
  return {
    port,
    async stop() {
      stopCalendar();
      housekeeping.stop();
      await feedbackFolder.stop();
      await aggregates.stop();
      await new Promise<void>((r) => server.close(() => r()));
      await changeFeed?.close();
    },
  };
}

/**
 * The worker's own /metrics (split deployments: the web process cannot see the worker's counters).
 * Same access rule as the web's: METRICS_TOKEN as a bearer token, or loopback only.
 */
export async function serveWorkerMetrics(config: Config, metrics: WorkerMetrics, port: number) {
  const { Hono } = await import('hono');
  const { metricsHandler } = await import('../../web/metrics.ts');
  const app = new Hono();
  app.get('/metrics', metricsHandler(metrics.registry, config.metricsToken) as never);
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, config.host, () => resolve());
  });
  return { stop: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Prints a StartupError as one line and exits; anything else keeps its stack (it is a bug). */
export function exitOnStartupError(e: unknown): never {
  if (e instanceof StartupError) {
    console.error(e.toLine());
  } else {
    console.error(e);
  }
  process.exit(1);
}
