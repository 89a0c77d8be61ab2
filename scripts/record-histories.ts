// Records the histories test/workflows/replay.test.ts replays: runs the key control-item scenarios against
// the current workflow code (time-skipping server with a pinned clock, real activities on an in-memory
// PGlite) and writes every run's history to test/fixtures/histories/<label>--<scenario>[--runN].json.
//
//   npx tsx scripts/record-histories.ts <label>     e.g. v1 — keep older labels: they prove that
//                                                   changed workflow code still replays old runs
// Needs TEMPORAL_TEST_SERVER_PATH (npm run toolchain / scripts/test.sh) and a JDK; with TEMPORAL_CLI_PATH it
// also records a continue-as-new chain on a dev server that suggests it after 20 events.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { connect, migrateToLatest } from '../db/index.ts';
import { createCast } from '../test/support/control-item-fixtures.ts';
import { overdueAcrossContinueAsNew, SCENARIOS } from '../test/support/control-item-scenarios.ts';
import { fetchRunHistories, type JsonHistory } from '../test/support/histories.ts';
import { createPinnedTimeSkippingEnv } from '../test/support/time-skipping.ts';
import { freePort } from './lib/ports.ts';
import { startDevServer } from './lib/temporal-dev-server.ts';
import { bundleWorkflows } from './lib/worker.ts';

const OUT = path.resolve(import.meta.dirname, '../test/fixtures/histories');

async function main() {
  const label = process.argv[2];
  if (!label || !/^[\w.-]+$/.test(label)) {
    console.error('usage: npx tsx scripts/record-histories.ts <label>   (letters, digits, . _ -)');
    process.exit(2);
  }
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const only = process.argv.slice(3);
  const [database, bundle] = await Promise.all([connect({ dataDir: 'memory://' }), bundleWorkflows()]);
  await migrateToLatest(database.db);
  mkdirSync(OUT, { recursive: true });
  try {
    for (const scenario of SCENARIOS) {
      if (only.length && !only.includes(scenario.name)) continue;
      const started = Date.now();
      const env = await createPinnedTimeSkippingEnv(scenario.startAt);
      try {
        const taskQueue = `record-${randomUUID()}`;
        const worker = await Worker.create({
          connection: env.nativeConnection,
          taskQueue,
          workflowBundle: bundle,
          activities: createActivities({ db: database.db, publicUrl: 'https://shtab.example.ru' }),
        });
        const cast = await createCast(database.db);
        const result = await worker.runUntil(
          scenario.run({ env, db: database.db, cast, temporal: { client: env.client, taskQueue } }),
        );
        const runs = await fetchRunHistories(env.client, result.workflowId, result.firstRunId);
        write(label, scenario.name, runs, started);
      } finally {
        await env.teardown();
      }
    }
    if (process.env.TEMPORAL_CLI_PATH && (!only.length || only.includes(CAN))) {
      const started = Date.now();
      const server = await startDevServer({
        cliPath: process.env.TEMPORAL_CLI_PATH,
        port: await freePort(),
        extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=20'],
      });
      const connection = await Connection.connect({ address: server.address });
      const native = await NativeConnection.connect({ address: server.address });
      try {
        const client = new Client({ connection });
        const taskQueue = `record-${randomUUID()}`;
        const worker = await Worker.create({
          connection: native,
          taskQueue,
          workflowBundle: bundle,
          activities: createActivities({ db: database.db, publicUrl: 'https://shtab.example.ru' }),
        });
        const cast = await createCast(database.db);
        const r = await worker.runUntil(
          overdueAcrossContinueAsNew({ db: database.db, cast, temporal: { client, taskQueue } }),
        );
        write(label, CAN, await fetchRunHistories(client, r.workflowId, r.firstRunId), started);
      } finally {
        await connection.close();
        await native.close();
        await server.stop();
      }
    }
  } finally {
    await database.close();
  }
}

const CAN = 'overdue-continue-as-new';

function write(label: string, name: string, runs: { history: JsonHistory }[], started: number) {
  runs.forEach((r, i) => {
    const suffix = runs.length > 1 ? `--run${i + 1}` : '';
    // One event per line: small files, readable diffs.
    const json = `{"events": [\n${r.history.events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
    writeFileSync(path.join(OUT, `${label}--${name}${suffix}.json`), json);
  });
  const events = runs.reduce((n, r) => n + r.history.events.length, 0);
  console.log(`${name}: ${runs.length} run(s), ${events} events (${Date.now() - started} ms)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
