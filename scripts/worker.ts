// Production worker: TEMPORAL_ADDRESS + DATABASE_URL; scale by running more of these.
import { utcOffsetMinutesOf } from '../domain/time-zone.ts';
import { loadConfig, requireProductionConfig } from './lib/config.ts';
import { createLogger } from './lib/log.ts';
import { ensureCheckInSchedules } from '../app/check-ins/index.ts';
import { ensureCalendarRollout } from '../app/calendar/index.ts';
import { ensureDigestSchedule } from '../app/notifications/index.ts';
import { ensureItemWorkflows, sendControlDateRestores } from '../app/control-items/index.ts';
import { ensureAssignmentWorkflows } from '../app/assignments/index.ts';
import { ensureImprovementWorkflows } from '../app/services/index.ts';
import { ensureCaseWorkflows, ensureCheckChaseSchedule, ensureRematch } from '../app/feedback/index.ts';
import { DEFAULT_CASE_POLICY } from '../domain/feedback/index.ts';
import {
  connectTemporal,
  exitOnStartupError,
  openDatabase,
  policyFor,
  runWorker,
  serveWorkerMetrics,
} from './lib/runtime.ts';
import { createWorkerMetrics } from '../activities/metrics.ts';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'shtab-worker');
  const address = requireProductionConfig(config, 'the worker');
  const database = await openDatabase(config, log);
  const temporal = await connectTemporal(
    address,
    config.temporal.namespace,
    config.temporal.taskQueue,
    config.temporal.workflowIdPrefix,
  );
  const metrics = createWorkerMetrics();
  const worker = await runWorker(config, log, database, address, temporal, metrics);
  const metricsServer = config.workerMetricsPort
    ? await serveWorkerMetrics(config, metrics, config.workerMetricsPort)
    : null;
  // Any worker may reconcile: starting an existing workflow is a no-op.
  const offset = utcOffsetMinutesOf(config.timeZone);
  const n = await ensureItemWorkflows({ db: database.db, temporal, policy: policyFor(config) });
  // Control dates migration 0009 read back from the audit trail reach the running workflows once.
  await sendControlDateRestores(database.db, temporal);
  // A calendar change saved while Temporal was unreachable reaches the open items now (once per version).
  await ensureCalendarRollout({ db: database.db, temporal });
  await ensureImprovementWorkflows({ db: database.db, temporal, policy: policyFor(config) });
  // The mystery-shopping plan's daily chase of overdue checks (issue 16); create-or-update.
  await ensureCheckChaseSchedule(temporal, { timeZone: config.timeZone, utcOffsetMinutes: offset });
  // Curator cases (issue 16) whose workflow was not started or was lost.
  await ensureCaseWorkflows({
    db: database.db,
    temporal,
    casePolicy: { ...DEFAULT_CASE_POLICY, utcOffsetMinutes: offset },
    publicUrl: config.publicUrl,
  });
  // A taxonomy edit saved while Temporal was unreachable: its re-matching of the reviews (issue 16).
  await ensureRematch({ db: database.db, temporal });
  // Internal deadlines of the heads' assignments (issue 13).
  await ensureAssignmentWorkflows({ db: database.db, temporal, policy: policyFor(config) });
  // Weekly check-in: one Temporal Schedule per roadmap (issue 5); create-or-update, safe from every worker.
  const schedules = await ensureCheckInSchedules(database.db, temporal, {
    timeZone: config.timeZone,
    utcOffsetMinutes: offset,
  });
  // The daily notification digest for those who chose one email a day (issue 14).
  await ensureDigestSchedule(temporal, { timeZone: config.timeZone, utcOffsetMinutes: offset });
  log.info(
    { openItems: n, checkInSchedules: schedules, taskQueue: config.temporal.taskQueue },
    'worker running',
  );
  const stop = async () => {
    await worker.stop();
    await metricsServer?.stop();
    await temporal.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch(exitOnStartupError);
