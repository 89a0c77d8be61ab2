// `npm run backup -- <file>`: one backup file of everything Shtab keeps.
//   DATABASE_URL set (cluster, docker compose): a pg_basebackup of the PostgreSQL server holding Shtab's
//     database and Temporal's — taken while everything runs, consistent across the three databases.
//   otherwise (embedded, `npm start`): DATA_DIR (./data) — PGlite and the Temporal sqlite file; stop the
//     app first (the command refuses while it runs).
// Restore: `npm run restore -- <file>` (embedded) or `npm run cluster -- --from-backup <file>` (README: Backup and restore).
import { StartupError } from '../domain/startup-error.ts';
import { backupEmbedded, backupPostgres } from './lib/backup.ts';
import { loadConfig } from './lib/config.ts';
import { exitOnStartupError } from './lib/runtime.ts';

async function main() {
  const file = process.argv[2];
  if (!file || file.startsWith('-'))
    throw new StartupError('no backup file given', 'run `npm run backup -- shtab-backup.tar.gz`');
  const config = loadConfig();
  const r = config.databaseUrl
    ? await backupPostgres(config.databaseUrl, file)
    : await backupEmbedded(config.dataDir, file);
  console.log(
    `backup: ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB, ${config.databaseUrl ? 'PostgreSQL server: Shtab + Temporal' : `embedded ${config.dataDir}`}) in ${(r.ms / 1000).toFixed(1)} s`,
  );
}

main().catch(exitOnStartupError);
