import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connect, migrateToLatest } from '../../db/index.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { startDevServer } from '../../scripts/lib/temporal-dev-server.ts';
import { bundleWorkflows } from '../../scripts/lib/worker.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    pgAdminUrl: string;
    pgTemplate: string;
    workflowBundlePath: string;
  }
}

const root = path.resolve(import.meta.dirname, '../..');

function adminUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  // Starts the machine's PostgreSQL cluster when nothing listens (same script as `npm test`).
  const out = execFileSync('bash', [path.join(root, 'scripts/postgres.sh')], { encoding: 'utf8' });
  return out.trim().split('\n').at(-1)!;
}

export function dbUrl(admin: string, name: string) {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const admin = adminUrl();
  const template = `shtab_tpl_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`drop database if exists ${template}`);
  await client.query(`create database ${template}`);
  await client.end();
  const tplDb = await connect({ databaseUrl: dbUrl(admin, template), poolSize: 1 });
  await migrateToLatest(tplDb.db);
  await tplDb.close();

  const [server, bundle] = await Promise.all([
    startDevServer({
      cliPath: process.env.TEMPORAL_CLI_PATH,
      port: await freePort(),
      startTimeoutMs: 90_000,
    }),
    bundleWorkflows(),
  ]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shtab-bundle-'));
  const bundlePath = path.join(dir, 'workflows.js');
  writeFileSync(bundlePath, bundle.code);

  project.provide('temporalAddress', server.address);
  project.provide('pgAdminUrl', admin);
  project.provide('pgTemplate', template);
  project.provide('workflowBundlePath', bundlePath);
  console.log(
    `[global-setup] Temporal ${server.address}, Postgres template ${template} (${Date.now() - started} ms)`,
  );

  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>(
      `select datname from pg_database where datname like 'shtab_t_${process.pid}_%' or datname = $1`,
      [template],
    );
    for (const r of rows) await c.query(`drop database if exists ${r.datname} with (force)`);
    await c.end();
  };
}
