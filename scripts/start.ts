// Embedded all-in-one: Temporal dev server + PGlite (or DATABASE_URL) + worker + web in one process,
// demo data on first start. `npm start`.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../web/index.ts';
import { instantToLocalDate } from '../domain/local-date.ts';
import { StartupError } from '../domain/startup-error.ts';
import { utcOffsetMinutesOf } from '../domain/time-zone.ts';
import { isSeeded, seedDemo } from '../db/seed/index.ts';
import { createWorkerMetrics } from '../activities/metrics.ts';
import { loadConfig } from './lib/config.ts';
import { createLogger } from './lib/log.ts';
import { reconcileAtStart } from './lib/start-reconcile.ts';
import { connectTemporal, exitOnStartupError, openDatabase, runWeb, runWorker } from './lib/runtime.ts';
import { startDevServer, type DevServer } from './lib/temporal-dev-server.ts';

const DEMO_PASSWORD = 'demo';

function takeLock(dataDir: string) {
  const lock = path.join(dataDir, 'shtab.pid');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      /* stale */
    }
    if (alive) {
      throw new StartupError(
        `Shtab is already running on ${dataDir} (pid ${pid})`,
        'stop it first (Ctrl-C in its terminal) or use another DATA_DIR',
      );
    }
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const releaseLock = takeLock(config.dataDir);
  const cleanups: (() => Promise<void> | void)[] = [releaseLock];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      console.error('forced exit');
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping Shtab…`);
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (e) {
        log.error({ err: e }, 'error while stopping');
      }
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    const offset = utcOffsetMinutesOf(config.timeZone);
    const database = await openDatabase(config, log);
    cleanups.push(() => database.close());

    let seeded = null;
    const wantSeed = config.seedDemo !== '0' && !(await isSeeded(database.db));
    if (wantSeed) {
      seeded = await seedDemo(database.db, {
        today: instantToLocalDate(Date.now(), offset),
        password: DEMO_PASSWORD,
        passwordHash: await hashPassword(DEMO_PASSWORD),
        utcOffsetMinutes: offset,
      });
      log.info({ items: seeded.items, services: seeded.services, users: seeded.users }, 'demo data seeded');
    }

    let server: DevServer | null = null;
    let address = config.temporal.address;
    if (!address) {
      server = await startDevServer({
        cliPath: config.temporal.cliPath,
        dbFile: config.temporal.dbFile,
        port: config.temporal.port,
        uiPort: config.temporal.uiPort,
        namespace: config.temporal.namespace,
        pidFile: path.join(config.dataDir, 'temporal.pid'),
        log: (l) => log.info(l),
        // Building a missing CLI takes minutes: plain lines, so a person sees it move.
        progress: (l) => console.log(l),
      });
      cleanups.push(() => server!.stop());
      address = server.address;
    }
    const temporal = await connectTemporal(
      address,
      config.temporal.namespace,
      config.temporal.taskQueue,
      config.temporal.workflowIdPrefix,
    );
    cleanups.push(() => temporal.close());
    const workerMetrics = createWorkerMetrics();
    const worker = await runWorker(config, log, database, address, temporal, workerMetrics);
    cleanups.push(() => worker.stop());
    const { openItems: started, checkInSchedules: schedules } = await reconcileAtStart({
      db: database.db,
      temporal,
      config,
      log,
    });
    const web = await runWeb(config, log, database, temporal, workerMetrics);
    cleanups.push(() => web.stop());

    const lines = [
      '',
      `Штаб / Shtab is running: ${config.publicUrl}`,
      `  database: ${database.kind === 'pglite' ? `embedded PGlite in ${database.location}` : database.location}`,
      `  Temporal: ${address}${server?.uiUrl ? `, UI ${server.uiUrl}` : ''}`,
      `  open items under control: ${started}; weekly check-in schedules: ${schedules}`,
      '  demo logins (password "demo"): rg — working group, fzg — first deputy governor, admin,',
      '    <agency>.head / <agency>.exec for each agency, e.g. mtsr.head, mtsr.exec, mo.exec; observer (English UI)',
      ...(seeded
        ? [
            `  demo data created: ${seeded.items} measures (${seeded.overdue} overdue), ${seeded.services} services`,
          ]
        : []),
      '  stop with Ctrl-C',
      '',
    ];
    console.log(lines.join('\n'));
  } catch (e) {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
    exitOnStartupError(e);
  }
}

main().catch(exitOnStartupError);
