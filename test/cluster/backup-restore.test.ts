import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { precedingWorkingDay } from '../../domain/calendar/index.ts';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import { utcOffsetMinutesOf } from '../../domain/time-zone.ts';
import { controlItemWorkflowId, stateQuery } from '../../workflows/definitions.ts';
import { startTestCluster, type TestCluster } from '../support/cluster.ts';
import { insertItem } from '../support/fixtures.ts';
import {
  createDriverCast,
  planScripts,
  progressLog,
  runDriver,
  startItems,
  verifyRun,
  type OpResult,
} from '../support/reliability-driver.ts';
import { reliabilitySeed, seededRandom } from '../support/reliability-fixtures.ts';
import { startSmtpReceiver } from '../support/smtp-receiver.ts';

// `npm run backup` of a running cluster under load (a pg_basebackup of the PostgreSQL server that holds
// Shtab's database and Temporal's two), then the disaster: the cluster is gone. A fresh cluster starts from
// the file (`npm run cluster -- --from-backup`). Every action acknowledged before the backup began is in
// it; each item's actions in it are a prefix of what was done (nothing half-applied); every open item is
// under control again — its workflow resumed with the row's state, or, for rows whose workflow did not
// exist yet at the backup's moment, re-created from the database by the workers' reconciliation. The rest
// of the actions then run on the new cluster, and afterwards every event, submission, notification row
// and email exists exactly once.

const TZ = 'Asia/Novosibirsk';
const ITEMS = 30;
const root = path.resolve(import.meta.dirname, '../..');

describe('backup under load, restore into a fresh cluster', () => {
  const seed = reliabilitySeed('cluster-backup');
  const rand = seededRandom(seed);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shtab-backup-test-'));
  const file = path.join(dir, 'shtab-backup.tar.gz');
  let a: TestCluster | null = null;
  let b: TestCluster | null = null;
  const smtpA = startSmtpReceiver();
  const smtpB = startSmtpReceiver();

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await (await smtpA).close();
    await (await smtpB).close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('continues every open item with nothing lost or doubled', async () => {
    const started = Date.now();
    a = await startTestCluster({ smtpUrl: (await smtpA).url });
    const cast = await createDriverCast(a.db, 4);
    const rows = await startItems(a.db, a.temporal, cast, ITEMS, TZ);
    const { scripts } = planScripts(rand, rows, { minRounds: 1, maxRounds: 3, openEvery: 4 });
    const totalOps = scripts.reduce((n, s) => n + s.ops.length, 0);

    // Rows whose workflow has not started when the backup is taken (an import's items between its commit
    // and its workflow starts): after the restore, reconciliation must put them under control.
    const offset = utcOffsetMinutesOf(TZ);
    const due = precedingWorkingDay(addDays(instantToLocalDate(Date.now(), offset), 45));
    const unstarted = [];
    for (let i = 0; i < 3; i++)
      unstarted.push((await insertItem(a.db, { agencyId: cast.agencies[i]!.id, due })).row.id);

    const acked: { r: OpResult; at: number }[] = [];
    let backup: Promise<{ startedAt: number; stdout: string }> | null = null;
    let mailedBeforeBackup = 0;
    const backupAt = rand.int(Math.floor(totalOps * 0.25), Math.floor(totalOps * 0.35));
    const progress = progressLog('cluster-backup', totalOps, 50);
    const runA = await runDriver({
      temporal: a.temporal,
      cast,
      scripts,
      lanes: 8,
      deadlineMs: 300_000,
      // Paced like people working, so that much of the work comes after the backup's moment.
      thinkMs: () => rand.int(200, 800),
      onResult: (r) => acked.push({ r, at: Date.now() }),
      onProgress(n) {
        progress(n);
        if (!backup && n >= backupAt) {
          const startedAt = Date.now();
          void smtpA.then((m) => (mailedBeforeBackup = m.messages.length));
          // The documented command, as an operator runs it against the running cluster.
          backup = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', file], {
            cwd: root,
            env: { PATH: process.env.PATH!, HOME: process.env.HOME!, DATABASE_URL: a!.cluster.databaseUrl },
          }).then((out) => ({ startedAt, stdout: out.stdout.trim() }));
        }
      },
    });
    expect(runA.failures).toEqual([]);
    const { startedAt, stdout } = await backup!;
    console.log(`[reliability] cluster-backup: ${stdout} (begun at op ${backupAt} of ${totalOps})`);
    const before = new Set(acked.filter((x) => x.at < startedAt).map((x) => x.r.op.eventId));
    const sentByA = (await smtpA).messages.length;

    // The disaster: the whole cluster is gone.
    await a.stop();
    a = null;

    b = await startTestCluster({ fromBackup: file, smtpUrl: (await smtpB).url });
    const db = b.db;
    const ids = scripts.map((s) => s.itemId);
    const events = await db
      .selectFrom('event')
      .select(['event_key'])
      .where('control_item_id', 'in', ids)
      .execute();
    const present = new Set(events.map((e) => e.event_key));
    expect(present.size).toBe(events.length); // no event twice

    // Nothing acknowledged before the backup began is lost.
    expect([...before].filter((id) => !present.has(id))).toEqual([]);
    // Each item's actions in the backup are a prefix of its script: nothing half-applied or out of order.
    const fromOp = new Map<number, number>();
    for (const s of scripts) {
      const n = s.ops.filter((o) => present.has(o.eventId)).length;
      expect(
        s.ops.map((o) => present.has(o.eventId)),
        `item ${s.itemId}`,
      ).toEqual(s.ops.map((_, i) => i < n));
      fromOp.set(s.itemId, n);
    }
    const restoredOps = [...fromOp.values()].reduce((x, y) => x + y, 0);

    // Every open item is under control: its workflow runs and agrees with its row.
    const open = await db
      .selectFrom('control_item')
      .select(['id', 'status', 'version'])
      .where('status', 'not in', ['done', 'cancelled'])
      .execute();
    for (const row of open) {
      const h = b.temporal.client.workflow.getHandle(controlItemWorkflowId(row.id, ''));
      await expect.poll(async () => (await h.describe()).status.name, { timeout: 60_000 }).toBe('RUNNING');
      // Fresh workers replay each history for its first query: on a busy machine that can outlast a query's deadline.
      let state;
      for (let attempt = 1; ; attempt++) {
        try {
          state = await h.query(stateQuery);
          break;
        } catch (e) {
          if (attempt >= 6) throw e;
          await new Promise((r) => setTimeout(r, 2_000));
        }
      }
      expect({ id: row.id, status: state.status, version: state.version }).toEqual({
        id: row.id,
        status: row.status,
        version: row.version,
      });
    }
    expect(open.map((r) => r.id)).toEqual(expect.arrayContaining(unstarted));

    // The rest of the work on the restored cluster; then everything exactly once, end to end.
    const runB = await runDriver({
      temporal: b.temporal,
      cast,
      scripts,
      lanes: 8,
      deadlineMs: 300_000,
      fromOp,
    });
    expect(runB.failures).toEqual([]);
    const [mailA, mailB] = [await smtpA, await smtpB];
    const fromA = runA.results.filter((r) => r.op.eventId && present.has(r.op.eventId));
    const counts = await verifyRun({
      db,
      temporal: b.temporal,
      cast,
      scripts,
      results: [...fromA, ...runB.results],
      // Both receivers: what the old cluster sent and what the new one sends.
      smtp: {
        get messages() {
          return [...mailA.messages, ...mailB.messages];
        },
      },
      // Emails the old cluster sent after the backup began are not marked sent in it: the new cluster sends
      // them again, with the same Message-ID (receivers drop the repeat).
      maxResends: sentByA - mailedBeforeBackup,
      restartWorker: async () => {
        for (let i = 0; i < b!.cluster.workers.length; i++) await b!.cluster.restartWorker(i);
      },
    });
    console.log(
      `[reliability] cluster-backup: ${restoredOps} of ${totalOps} actions in the backup (${before.size} acknowledged ` +
        `before it began), ${open.length} open items under control after the restore (${unstarted.length} re-created ` +
        `from their rows), ${runB.results.length} actions more on the new cluster; ${counts.events} events, ` +
        `${counts.submissions} submissions, ${counts.notifications} notifications, ${counts.emails} emails ` +
        `(${counts.resent} sent by both clusters); ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
    );
  }, 600_000);
});
