import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { connect, migrateToLatest, type Database } from '../../db/index.ts';
import { cachedTemporalCli } from '../lib/config.ts';
import { freePort } from '../lib/ports.ts';
import { startDevServer, type DevServer } from '../lib/temporal-dev-server.ts';

/** Admin URL of a Postgres for benchmarks: TEST_DATABASE_URL, else the machine's cluster (scripts/postgres.sh). */
export function adminUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const out = execFileSync('bash', [path.resolve('scripts/postgres.sh')], { encoding: 'utf8' });
  return out.trim().split('\n').at(-1)!;
}

function withDb(admin: string, name: string) {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated database for one benchmark; dropped by `drop()`. */
export async function benchDatabase(tag: string): Promise<Database & { url: string; drop(): Promise<void> }> {
  const admin = adminUrl();
  const name = `shtab_bench_${tag}_${process.pid}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  const url = withDb(admin, name);
  const database = await connect({ databaseUrl: url, poolSize: 10 });
  await migrateToLatest(database.db);
  return {
    ...database,
    url,
    async drop() {
      await database.close();
      const c2 = new pg.Client({ connectionString: admin });
      await c2.connect();
      await c2.query(`drop database if exists ${name} with (force)`);
      await c2.end();
    },
  };
}

/** A dedicated in-memory Temporal dev server (never the developer's own). */
export async function benchTemporal(): Promise<DevServer> {
  return startDevServer({
    cliPath: process.env.TEMPORAL_CLI_PATH ?? cachedTemporalCli(),
    port: await freePort(),
    startTimeoutMs: 90_000,
  });
}
