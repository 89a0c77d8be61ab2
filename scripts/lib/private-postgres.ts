import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { StartupError } from '../../domain/startup-error.ts';
import { freePort } from './ports.ts';

// A PostgreSQL cluster of our own (initdb + pg_ctl from the installed PostgreSQL) in a directory we choose, on
// a port we choose: the cluster script's database, and the one the fault tests may crash and restart
// without disturbing the machine's shared cluster. Run as the `postgres` user when we are root (initdb
// refuses root).

export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(path.join(dir, 'initdb'))) return dir;
  } catch {
    /* not on PATH; Debian keeps the server binaries out of it */
  }
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0])
    throw new StartupError(
      'the PostgreSQL server programs (initdb, pg_ctl) are not installed',
      'apt-get install postgresql (or set PG_BIN to the directory that holds initdb)',
    );
  return path.join(base, versions[0], 'bin');
}

export interface PrivatePostgres {
  /** Superuser (`shtab`, no password: trust on loopback) URL of the cluster's `postgres` database. */
  adminUrl: string;
  /** The same server, database `name`. */
  urlOf(name: string): string;
  port: number;
  /** The cluster's data directory. */
  dataDir: string;
  /** Major version of the server programs (15 on Debian bookworm). */
  version: number;
  running(): boolean;
  start(): Promise<void>;
  /** `pg_ctl stop -m fast`: a clean shutdown. */
  stop(): Promise<void>;
  /** `pg_ctl stop -m immediate`: the server processes quit at once, as in a crash (recovery on start). */
  crash(): Promise<void>;
  /** Stops the server; removes its directory unless it was given (`dir`). */
  destroy(): Promise<void>;
}

export interface PrivatePostgresOptions {
  /** Keep the cluster here (created when empty, reused when it holds one); default: a new temp dir, removed by destroy(). */
  dir?: string;
  port?: number;
  /**
   * Create the cluster from a `pg_basebackup -Ft -z -X fetch` archive (base.tar.gz) instead of initdb: the
   * server replays the archive's WAL on first start and is then the backed-up cluster at one moment.
   */
  fromBackup?: string;
  /** fsync off: for tests, never for data one keeps (default: on). */
  fast?: boolean;
  maxConnections?: number;
}

export async function startPrivatePostgres(o: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const version =
    Number(path.basename(path.dirname(bin))) ||
    Number(/(\d+)/.exec(execFileSync(path.join(bin, 'pg_ctl'), ['--version'], { encoding: 'utf8' }))?.[1]);
  const owned = !o.dir;
  const dir = o.dir ? path.resolve(o.dir) : mkdtempSync(path.join(os.tmpdir(), 'shtab-pg-'));
  mkdirSync(dir, { recursive: true });
  const data = path.join(dir, 'data');
  const root = process.getuid?.() === 0;
  const ids = root
    ? {
        uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
        gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
      }
    : null;
  if (ids) chownSync(dir, ids.uid, ids.gid);
  // Asynchronous: the caller's own clients keep running while the server stops and recovers.
  const run = (cmd: string, args: string[]) =>
    ids
      ? promisify(execFile)('runuser', ['-u', 'postgres', '--', cmd, ...args])
      : promisify(execFile)(cmd, args);
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    if (o.fromBackup) {
      mkdirSync(data, { recursive: true, mode: 0o700 });
      // Unpacked as ourselves (the file may be where `postgres` cannot read), then handed over.
      await promisify(execFile)('tar', ['-xzf', path.resolve(o.fromBackup), '-C', data]);
      if (ids) await promisify(execFile)('chown', ['-R', `${ids.uid}:${ids.gid}`, data]);
    } else {
      await run(path.join(bin, 'initdb'), [
        '-D',
        data,
        '-A',
        'trust',
        '-U',
        'shtab',
        '-E',
        'UTF8',
        '--locale=C',
        ...(o.fast ? ['--no-sync'] : []),
      ]);
    }
  } else if (o.fromBackup) {
    throw new StartupError(
      `${data} already holds a PostgreSQL cluster, so the backup cannot be restored into it`,
      'restore into a new directory',
    );
  }
  const port = o.port ?? (await freePort());
  const opts = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    `-c max_connections=${o.maxConnections ?? 300}`,
    // fsync off survives a crash of the server processes (the OS keeps the writes), not of the machine;
    // synchronous_commit stays on: a process crash would lose acknowledged commits without it.
    ...(o.fast ? ['-c fsync=off'] : []),
  ].join(' ');
  const pgctl = (...args: string[]) =>
    run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), ...args]);
  let running = false;
  const pg: PrivatePostgres = {
    adminUrl: `postgres://shtab@127.0.0.1:${port}/postgres`,
    urlOf: (name) => `postgres://shtab@127.0.0.1:${port}/${name}`,
    port,
    dataDir: data,
    version,
    running: () => running,
    async start() {
      try {
        await pgctl('-o', opts, '-w', '-t', '120', 'start');
      } catch (e) {
        throw new Error(`pg_ctl start failed (log: ${path.join(dir, 'log')}): ${(e as Error).message}`);
      }
      running = true;
    },
    async stop() {
      await pgctl('-m', 'fast', '-w', 'stop');
      running = false;
    },
    async crash() {
      await pgctl('-m', 'immediate', '-w', 'stop');
      running = false;
    },
    async destroy() {
      if (running) await pgctl('-m', owned ? 'immediate' : 'fast', '-w', 'stop').catch(() => {});
      running = false;
      if (owned) rmSync(dir, { recursive: true, force: true });
    },
  };
  await pg.start();
  return pg;
}
