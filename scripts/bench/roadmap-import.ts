// Benchmark: a 5,000-row roadmap through the real import path (xlsx → job → workflow → activities →
// Postgres → 5,000 controlItem workflows on a Temporal dev server, started by the worker's own import
// activity), then the same file again (all unchanged). Baseline, same server and worker: 5,000 no-op
// workflow starts from an outside client (32 in flight), each with its first workflow task.
//   npm run bench:import          (BENCH_IMPORT_ROWS=1000 for a smaller file; --quick = 500 rows)
import ExcelJS from 'exceljs';
import { Client, Connection } from '@temporalio/client';
import type { Db } from '../../db/index.ts';
import { isWorkingDay } from '../../domain/calendar/index.ts';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import { startImportJob } from '../../app/imports/index.ts';
import { type TemporalHandle } from '../../app/temporal.ts';
import { controlItemWorkflowId } from '../../app/control-items/index.ts';
import { bundleWorkflows, createShtabWorker } from '../lib/worker.ts';
import { benchDatabase, benchTemporal } from './env.ts';
import { cpuSeconds, pool, seconds, type Bench, type BenchResult } from './harness.ts';

const OFFSET = 420;

async function roadmapFile(db: Db, rows: number) {
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
  for (let i = 0; i < rows; i++) {
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
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Runs one import job to its end; seconds until the rows were written and until the job was done. */
async function importOnce(db: Db, temporal: TemporalHandle, roadmapId: number, file: Uint8Array) {
  const job = await db
    .insertInto('import_job')
    .values({
      kind: 'roadmap',
      roadmap_id: roadmapId,
      filename: 'bench.xlsx',
      content: file,
      size_bytes: file.byteLength,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const t0 = Date.now();
  await startImportJob(temporal, job.id);

  for (;;) {
    const row = await db
      .selectFrom('import_job')
      .selectAll()
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    if (row.status === 'failed')
      throw new Error(`import failed: ${JSON.stringify(row.errors).slice(0, 2000)}`);
    if (row.status === 'done') {
      const r = row.result as { inserted?: number; unchanged?: number } | null;
      return {
        t0,
        writtenS: row.applied_at ? (row.applied_at.getTime() - t0) / 1000 : NaN,
        totalS: (Date.now() - t0) / 1000,
        started: row.workflows_done,
        inserted: r?.inserted ?? 0,
        unchanged: r?.unchanged ?? 0,
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const roadmapImportBench: Bench = {
  name: 'roadmap-import',
  description: '5,000-row XLSX import incl. the new items’ workflows vs 5,000 no-op starts',
  async run(ctx) {
    const rows = Number(process.env.BENCH_IMPORT_ROWS ?? (ctx.quick ? 500 : 5_000));
    const [database, server, bundle] = await Promise.all([
      benchDatabase('import'),
      benchTemporal(),
      bundleWorkflows(),
    ]);
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const taskQueue = 'bench-import';
    const temporal: TemporalHandle = { client, taskQueue, workflowIdPrefix: 'bench-' };
    // The production worker setup: the import activity starts items over the worker's own connection.
    const { worker, connection: native } = await createShtabWorker({
      address: server.address,
      namespace: 'default',
      taskQueue,
      workflowBundle: bundle,
      db: database.db,
      publicUrl: 'http://bench',
      temporal,
      utcOffsetMinutes: OFFSET,
    });
    const running = worker.run();
    try {
      const { db } = database;
      const roadmap = await db
        .insertInto('roadmap')
        .values({ code: 'BENCH', title_ru: 'Бенчмарк', title_en: 'Bench' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const file = await roadmapFile(db, rows);

      // Baseline: the same number of no-op workflows, each until its first task completed (sampled).
      const noopIds = Array.from({ length: rows }, (_, i) => `bench-noop-${i}`);
      const t0 = process.hrtime.bigint();
      await pool(rows, 32, async (i) => {
        await client.workflow.start('benchNoop', { taskQueue, workflowId: noopIds[i]! });
      });
      for (const id of noopIds.filter((_, i) => i % Math.ceil(rows / 50) === 0 || i >= rows - 20)) {
        while ((await client.workflow.getHandle(id).describe()).historyLength < 4)
          await new Promise((r) => setTimeout(r, 50));
      }
      const noopS = seconds(t0);
      ctx.log(`${rows} no-op starts (first task done): ${noopS.toFixed(1)} s`);

      // CPU time is steadier than wall time on a shared machine: server process + this one (worker).
      const cpu = () => ({
        server: server.pid ? cpuSeconds(server.pid) : NaN,
        worker: cpuSeconds(process.pid),
      });
      const c0 = cpu();
      const first = await importOnce(db, temporal, roadmap.id, file);
      // Started is not yet run: wait until the last new items have run their first workflow task.
      const last = await db.selectFrom('control_item').select('id').orderBy('id', 'desc').limit(20).execute();
      for (const { id } of last) {
        const h = client.workflow.getHandle(controlItemWorkflowId(id, temporal.workflowIdPrefix));
        while ((await h.describe()).historyLength < 4) await new Promise((r) => setTimeout(r, 50));
      }
      const settledS = (Date.now() - first.t0) / 1000;
      const c1 = cpu();
      const perItem = (k: 'server' | 'worker') => ((c1[k] - c0[k]) / rows) * 1000;
      ctx.log(
        `first import: ${rows} rows (file ${(file.byteLength / 1024).toFixed(0)} KB) validated and written after ` +
          `${first.writtenS.toFixed(1)} s, ${first.started} workflows started, done after ${first.totalS.toFixed(1)} s, ` +
          `every first task run after ${settledS.toFixed(1)} s; ` +
          `CPU per row: server ${perItem('server').toFixed(1)} ms, worker ${perItem('worker').toFixed(1)} ms`,
      );
      const again = await importOnce(db, temporal, roadmap.id, file);
      ctx.log(`re-import (${again.unchanged} unchanged): done after ${again.totalS.toFixed(1)} s`);
      if (first.inserted !== rows || again.unchanged !== rows) {
        throw new Error(
          `expected ${rows} inserted then unchanged, got ${first.inserted} / ${again.unchanged}`,
        );
      }
      const results: BenchResult[] = [
        {
          bench: 'roadmap-import',
          metric: `import ${rows} rows incl. ${first.started} workflow starts`,
          value: first.totalS,
          unit: 's',
          baseline: { metric: `${rows} no-op starts, s`, value: noopS },
          ratio: first.totalS / noopS,
          ...(rows >= 5_000 ? { goal: '< 60 s', pass: first.totalS < 60 } : {}),
        },
        {
          bench: 'roadmap-import',
          metric: 'CPU per imported row: Temporal server',
          value: perItem('server'),
          unit: 'ms',
        },
        {
          bench: 'roadmap-import',
          metric: 'CPU per imported row: worker process',
          value: perItem('worker'),
          unit: 'ms',
        },
        {
          bench: 'roadmap-import',
          metric: `rows validated and written (${rows})`,
          value: first.writtenS,
          unit: 's',
        },
        {
          bench: 'roadmap-import',
          metric: `re-import, ${rows} unchanged`,
          value: again.totalS,
          unit: 's',
        },
      ];
      return results;
    } finally {
      worker.shutdown();
      await running.catch(() => {});
      await native.close();
      await connection.close();
      await server.stop();
      await database.drop();
    }
  },
};
