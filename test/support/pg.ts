import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, migrateToLatest, type Database } from '../../db/index.ts';

function dbUrl(admin: string, name: string) {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabase extends Database {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated Postgres database for one test file: a copy of the run's template (milliseconds),
 * dropped afterwards. Names carry the global setup's pid so its teardown can sweep leftovers.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `shtab_t_${template.split('_').at(-1)}_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name} template ${template}`);
  await c.end();
  const url = dbUrl(admin, name);
  const database = await connect({ databaseUrl: url, poolSize: 5 });
  return {
    ...database,
    url,
    name,
    async drop() {
      await database.close();
      const c2 = new pg.Client({ connectionString: admin });
      await c2.connect();
      await c2.query(`drop database if exists ${name} with (force)`);
      await c2.end();
    },
  };
}

/**
 * A migrated database on either driver the app runs on: a fresh Postgres test database, or PGlite in
 * memory. `close()` drops or closes it. For the tests that must give the same answers on both.
 */
export async function migratedDatabaseOn(
  kind: 'pg' | 'pglite',
): Promise<Database & { close(): Promise<void> }> {
  if (kind === 'pg') {
    const t = await createTestDatabase();
    return { ...t, close: () => t.drop() };
  }
  const database = await connect({ dataDir: 'memory://' });
  await migrateToLatest(database.db);
  return database;
}
