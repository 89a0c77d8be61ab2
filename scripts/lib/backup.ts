import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { StartupError } from '../../domain/startup-error.ts';
import { postgresBin } from './private-postgres.ts';

// Backups (docs/decisions.md §37). Cluster: one physical base backup of the PostgreSQL server that holds
// Shtab's database and Temporal's two — one consistent moment for all three, which per-database dumps
// cannot give. Embedded: the data directory (PGlite + the dev server's sqlite), with the app stopped.

const run = promisify(execFile);
const MANIFEST = 'shtab-backup.json';

function isRunning(pidFile: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * `pg_basebackup -Ft -z -X fetch --checkpoint=fast` of the server behind `databaseUrl` into `file` (a
 * base.tar.gz: the whole server — every database in it — with the WAL to make it consistent). Runs while
 * the app runs; restore with `npm run cluster -- --from-backup file` or by unpacking it into an empty
 * data directory.
 */
export async function backupPostgres(databaseUrl: string, file: string) {
  const target = path.resolve(file);
  if (existsSync(target)) throw new StartupError(`${target} exists`, 'choose a new file name');
  const tmp = mkdtempSync(path.join(path.dirname(target), '.shtab-backup-'));
  const bin = (() => {
    try {
      return path.join(postgresBin(), 'pg_basebackup');
    } catch {
      return 'pg_basebackup';
    }
  })();
  const started = Date.now();
  try {
    await run(bin, [
      '-d',
      databaseUrl,
      '-D',
      tmp,
      '-Ft',
      '-z',
      '-X',
      'fetch',
      '--checkpoint=fast',
      '--no-sync',
    ]);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const msg = ((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n').at(-1);
    throw new StartupError(
      `pg_basebackup failed: ${msg}`,
      'the role needs REPLICATION (or superuser) and pg_hba.conf a `replication` line for this host; pg_basebackup comes with postgresql-client',
    );
  }
  renameSync(path.join(tmp, 'base.tar.gz'), target);
  rmSync(tmp, { recursive: true, force: true });
  return { file: target, bytes: statSync(target).size, ms: Date.now() - started };
}

/** A tar.gz of the embedded data directory's PGlite database and Temporal sqlite file; refuses while the app runs. */
export async function backupEmbedded(dataDir: string, file: string) {
  const target = path.resolve(file);
  if (existsSync(target)) throw new StartupError(`${target} exists`, 'choose a new file name');
  const running = isRunning(path.join(dataDir, 'shtab.pid')) ?? isRunning(path.join(dataDir, 'temporal.pid'));
  if (running)
    throw new StartupError(
      `Shtab is running on ${dataDir} (pid ${running}): a copy of files in use would not be consistent`,
      'stop it (Ctrl-C in its terminal), run the backup, start it again',
    );
  // The sqlite write-ahead log, when a crash left one, holds committed workflow state: it goes along.
  const parts = ['pg', 'temporal.sqlite', 'temporal.sqlite-wal'].filter((p) =>
    existsSync(path.join(dataDir, p)),
  );
  if (!parts.includes('pg'))
    throw new StartupError(
      `${dataDir} holds no embedded database (pg/)`,
      'set DATA_DIR to the directory `npm start` uses',
    );
  writeFileSync(
    path.join(dataDir, MANIFEST),
    JSON.stringify({ kind: 'embedded', at: new Date().toISOString(), parts }, null, 2),
  );
  const started = Date.now();
  try {
    await run('tar', ['-czf', target, '-C', dataDir, MANIFEST, ...parts]);
  } finally {
    rmSync(path.join(dataDir, MANIFEST), { force: true });
  }
  return { file: target, bytes: statSync(target).size, ms: Date.now() - started };
}

/** What a backup file holds: a PostgreSQL base backup (cluster) or an embedded data directory. */
export async function backupKind(file: string): Promise<'cluster' | 'embedded'> {
  const { stdout } = await run('tar', ['-tzf', file], { maxBuffer: 256 * 1024 * 1024 }).catch(() => {
    throw new StartupError(`${file} is not a tar.gz archive`, 'give a file made by npm run backup');
  });
  const names = stdout.split('\n').map((n) => n.replace(/^\.\//, ''));
  if (names.includes(MANIFEST)) return 'embedded';
  if (names.includes('backup_label')) return 'cluster';
  throw new StartupError(
    `${file} is neither a Shtab embedded backup nor a pg_basebackup archive`,
    'give a file made by npm run backup',
  );
}

/** Unpacks an embedded backup into an empty (or missing) data directory. */
export async function restoreEmbedded(file: string, dataDir: string) {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0)
    throw new StartupError(
      `${dataDir} is not empty: restoring over it would mix two states`,
      `move it away (mv ${dataDir} ${dataDir}.old) or set DATA_DIR to a new directory`,
    );
  mkdirSync(dataDir, { recursive: true });
  await run('tar', ['-xzf', path.resolve(file), '-C', dataDir]);
  rmSync(path.join(dataDir, MANIFEST), { force: true });
}
