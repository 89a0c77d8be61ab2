// Benchmark: a 5,000-row roadmap through the real import path (xlsx → job → workflow → activities →
// Postgres → 5,000 controlItem workflows on a Temporal dev server), then the same file again (all
// unchanged). Needs TEST_DATABASE_URL (an admin URL of a Postgres cluster) and TEMPORAL_CLI_PATH.
//   npx tsx scripts/bench/roadmap-import.ts [rows]
import ExcelJS from 'exceljs';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { connect, migrateToLatest } from '../../db/index.ts';
import { isWorkingDay } from '../../domain/calendar/index.ts';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import { startImportJob } from '../../workflows/client.ts';
import { freePort } from '../lib/ports.ts';
import { startDevServer } from '../lib/temporal-dev-server.ts';
import { bundleWorkflows, createShtabWorker } from '../lib/worker.ts';

const ROWS = Number(process.argv[2] ?? 5000);
const OFFSET = 420;

async function main() {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('set TEST_DATABASE_URL (admin URL of a Postgres cluster)');
  const name = `shtab_bench_${process.pid}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await connect({ databaseUrl: url.toString(), poolSize: 10 });
  const server = await startDevServer({
    cliPath: process.env.TEMPORAL_CLI_PATH,
    port: await freePort(),
    startTimeoutMs: 90_000,
  });
  const cleanup = async () => {
    await database.close();
    await server.stop();
    const d = new pg.Client({ connectionString: admin });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  };
  try {
    const { db } = database;
    await migrateToLatest(db);
    const agencies = await db
      .insertInto('agency')
      .values(
        Array.from({ length: 17 }, (_, i) => ({
          code: `AG${i}`,
          title_ru: `Министерство № ${i} Новосибирской области`,
          title_en: `Ministry ${i}`,
          short_ru: `Мин${i}`,
        })),
      )
      .returning(['code', 'short_ru'])
      .execute();
    await db
      .insertInto('life_situation')
      .values(
        Array.from({ length: 11 }, (_, i) => ({
          code: `LS${i}`,
          title_ru: `Ситуация ${i}`,
          title_en: `LS ${i}`,
          level: 'regional' as const,
        })),
      )
      .execute();
    const roadmap = await db
      .insertInto('roadmap')
      .values({ code: 'BENCH', title_ru: 'Бенчмарк', title_en: 'Bench' })
      .returning('id')
      .executeTakeFirstOrThrow();

    const today = instantToLocalDate(Date.now(), OFFSET);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('ДК');
    ws.addRow([
      '№ п/п',
      'Наименование мероприятия',
      'Срок исполнения',
      'Ответственный исполнитель',
      'Соисполнители',
      'Результат / вид документа',
      'Жизненная ситуация',
    ]);
    for (let i = 0; i < ROWS; i++) {
      let due = addDays(today, 20 + (i % 400));
      while (!isWorkingDay(due)) due = addDays(due, 1);
      const a = agencies[i % agencies.length]!;
      const co = agencies[(i + 3) % agencies.length]!;
      ws.addRow([
        `${Math.floor(i / 100) + 1}.${(i % 100) + 1}`,
        `Мероприятие ${i + 1}: внедрение целевого состояния жизненной ситуации`,
        i % 50 === 0 ? 'ежеквартально' : `${due.slice(8, 10)}.${due.slice(5, 7)}.${due.slice(0, 4)}`,
        a.short_ru,
        co.code,
        'Протокол',
        `LS${i % 11}`,
      ]);
    }
    const file = new Uint8Array(await wb.xlsx.writeBuffer());

    const connection = await Connection.connect({ address: server.address });
    const temporal = {
      client: new Client({ connection }),
      taskQueue: 'bench',
      workflowIdPrefix: `bench-${process.pid}-`,
    };
    const { worker, connection: nc } = await createShtabWorker({
      address: server.address,
      namespace: 'default',
      taskQueue: 'bench',
      workflowBundle: await bundleWorkflows(),
      db,
      publicUrl: 'http://bench',
      temporal,
      utcOffsetMinutes: OFFSET,
    });
    const running = worker.run();

    for (const label of ['first import', 're-import (unchanged)']) {
      const job = await db
        .insertInto('import_job')
        .values({
          kind: 'roadmap',
          roadmap_id: roadmap.id,
          filename: 'bench.xlsx',
          content: file,
          size_bytes: file.byteLength,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const t0 = Date.now();
      await startImportJob(temporal, job.id);
      let row;
      for (;;) {
        row = await db
          .selectFrom('import_job')
          .selectAll()
          .where('id', '=', job.id)
          .executeTakeFirstOrThrow();
        if (row.status === 'done' || row.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const total = Date.now() - t0;
      const written = row.applied_at ? row.applied_at.getTime() - t0 : NaN;
      const r = row.result as { inserted?: number; unchanged?: number } | null;
      console.log(
        `${label}: ${ROWS} rows, ${row.status}; rows validated and written after ${(written / 1000).toFixed(1)} s, ` +
          `${row.workflows_done} workflows started, done after ${(total / 1000).toFixed(1)} s ` +
          `(inserted ${r?.inserted ?? 0}, unchanged ${r?.unchanged ?? 0}; file ${(file.byteLength / 1024).toFixed(0)} KB)`,
      );
      if (row.status === 'failed') console.log(JSON.stringify(row.errors).slice(0, 2000));
    }
    const items = await db
      .selectFrom('control_item')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    console.log(`control_item rows: ${items.n}`);
    worker.shutdown();
    await running;
    await nc.close();
    await connection.close();
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
