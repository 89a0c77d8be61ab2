// Production worker: TEMPORAL_ADDRESS + DATABASE_URL; scale by running more of these.
import { loadConfig, requireProductionConfig } from './lib/config.ts';
import { createLogger } from './lib/log.ts';
import { reconcileAtStart } from './lib/start-reconcile.ts';
import {
  connectTemporal,
  exitOnStartupError,
  openDatabase,
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
  const { openItems: n, checkInSchedules: schedules } = await reconcileAtStart({
    db: database.db,
    temporal,
    config,
    log,
  });
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
