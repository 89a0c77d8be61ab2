// `npm run restore -- <file>`: puts an embedded backup (`npm run backup` without DATABASE_URL) back into
// DATA_DIR (./data), which must be empty or missing; `npm start` then continues from it. A cluster backup
// (a pg_basebackup archive) starts a new cluster instead: `npm run cluster -- --dir <new> --from-backup <file>`.
import path from 'node:path';
import { StartupError } from '../domain/startup-error.ts';
import { backupKind, restoreEmbedded } from './lib/backup.ts';
import { loadConfig } from './lib/config.ts';
import { exitOnStartupError } from './lib/runtime.ts';

async function main() {
  const file = process.argv[2];
  if (!file || file.startsWith('-'))
    throw new StartupError('no backup file given', 'run `npm run restore -- shtab-backup.tar.gz`');
  const kind = await backupKind(path.resolve(file));
  if (kind === 'cluster')
    throw new StartupError(
      `${file} is a PostgreSQL server backup (cluster mode)`,
      `start a cluster from it: npm run cluster -- --dir ./cluster-restored --from-backup ${file} (or unpack it into an empty PostgreSQL data directory)`,
    );
  const config = loadConfig();
  await restoreEmbedded(file, config.dataDir);
  console.log(`restored ${file} into ${config.dataDir}; start Shtab with npm start`);
}

main().catch(exitOnStartupError);
