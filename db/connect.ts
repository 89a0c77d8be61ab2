import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { StartupError } from '../domain/startup-error.ts';
import type { DB } from './schema/index.ts';

export type Db = Kysely<DB>;

export interface Database {
  db: Db;
  kind: 'pg' | 'pglite';
  /** Where the data lives, for log lines (URL without password, or a directory). */
  location: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** postgres://… — when set, a pg Pool is used; otherwise embedded PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir?: string;
  poolSize?: number;
}

// OIDs of the types whose JS representation differs between node-postgres and PGlite.
const OID = {
  INT8: 20,
  NUMERIC: 1700,
  DATE: 1082,
  DATE_ARRAY: 1182,
  INT8_ARRAY: 1016,
  NUMERIC_ARRAY: 1231,
} as const;

const toNumber = (v: string) => Number(v);
const parseArray = (v: string, item: (s: string) => unknown) =>
  v === '{}'
    ? []
    : v
        .slice(1, -1)
        .split(',')
        .map((s) => (s === 'NULL' ? null : item(s)));

/** Same JS types from both drivers: calendar dates stay strings, bigints and numerics become numbers. */
const PG_PARSERS: Record<number, (v: string) => unknown> = {
  [OID.INT8]: toNumber,
  [OID.NUMERIC]: toNumber,
  [OID.DATE]: (v) => v,
  [OID.INT8_ARRAY]: (v) => parseArray(v, toNumber),
  [OID.NUMERIC_ARRAY]: (v) => parseArray(v, toNumber),
  [OID.DATE_ARRAY]: (v) => parseArray(v, (s) => s),
};

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

async function connectPg(url: string, poolSize: number): Promise<Database> {
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error('protocol');
  } catch {
    throw new StartupError(
      `DATABASE_URL is not a postgres:// URL (${redactUrl(url)})`,
      'set DATABASE_URL=postgres://user:password@host:5432/dbname, or unset it to use embedded PGlite',
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // The wait for a free client counts too: under a burst (200 users on 10 connections, see
    // docs/reliability.md) 5 s of queueing turned into 500s although Postgres was fine. Requests queue
    // longer instead; an unreachable server is still reported within 5 s by the probe below.
    connectionTimeoutMillis: 30_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        PG_PARSERS[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Nor one that is checked out (mid-transaction, between two queries) when the server goes away: its
  // pending or next query fails (the activity retries) and the pool discards it on release. Without this
  // listener a Postgres restart killed the worker (test/reliability/server-restart.test.ts).
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await probe.connect();
    } finally {
      await probe.end().catch(() => {});
    }
  } catch (e) {
    await pool.end().catch(() => {});
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new StartupError(
      `cannot reach Postgres at ${parsed.hostname}:${parsed.port || 5432} (${reason})`,
      'start Postgres or fix DATABASE_URL (unset it to use the embedded PGlite database)',
    );
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'pg', location: redactUrl(url), close: () => db.destroy() };
}

async function connectPglite(dataDir: string): Promise<Database> {
  const memory = dataDir.startsWith('memory://');
  const dir = memory ? dataDir : path.resolve(dataDir);
  if (!memory) mkdirSync(path.dirname(dir), { recursive: true });
  const fresh = memory || !existsSync(dir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dir, {
      parsers: { [OID.INT8]: toNumber, [OID.NUMERIC]: toNumber, [OID.DATE]: (v: string) => v },
    });
    await pglite.query('select 1');
  } catch (e) {
    throw new StartupError(
      `the embedded database in ${dir} cannot be opened (${(e as Error).message || String(e)})`,
      fresh
        ? 'check that the directory is writable'
        : `it may be corrupted: move ${dir} away (or delete ./data) to start with fresh demo data`,
    );
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: 'pglite',
    location: dir,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export async function connect(opts: ConnectOptions = {}): Promise<Database> {
  if (opts.databaseUrl) return connectPg(opts.databaseUrl, opts.poolSize ?? 10);
  return connectPglite(opts.dataDir ?? './data/pg');
}

/** Today's date as the database sees it in a time zone, for SQL that must agree with the app. */
export const sqlToday = (timeZone: string) => sql<string>`(now() at time zone ${timeZone})::date::text`;
