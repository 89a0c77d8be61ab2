// Production web server: TEMPORAL_ADDRESS + DATABASE_URL; stateless, scale horizontally.
import { loadConfig, requireProductionConfig } from './lib/config.ts';
import { createLogger } from './lib/log.ts';
import { connectTemporal, exitOnStartupError, openDatabase, runWeb } from './lib/runtime.ts';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'shtab-web');
  const address = requireProductionConfig(config, 'the web server');
  const database = await openDatabase(config, log);
  const temporal = await connectTemporal(
    address,
    config.temporal.namespace,
    config.temporal.taskQueue,
    config.temporal.workflowIdPrefix,
  );
  const web = await runWeb(config, log, database, temporal);
  log.info({ port: web.port, publicUrl: config.publicUrl }, 'web server listening');
  const stop = async () => {
    await web.stop();
    await temporal.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch(exitOnStartupError);
