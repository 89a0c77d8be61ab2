// Applies pending migrations to DATABASE_URL (or the embedded database) and exits.
import { loadConfig } from './lib/config.ts';
import { createLogger } from './lib/log.ts';
import { exitOnStartupError, openDatabase } from './lib/runtime.ts';

async function main() {
  const config = loadConfig();
  const database = await openDatabase(config, createLogger(config.logLevel, 'shtab-migrate'));
  console.log(`migrated: ${database.location}`);
  await database.close();
}
main().catch(exitOnStartupError);
