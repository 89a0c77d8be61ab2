import type { Transaction, Updateable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { failImportJob } from '../../db/import-jobs.ts';
import { itemStatesOf } from '../../db/item-states.ts';
import type { DB, ImportJobTable } from '../../db/schema/index.ts';
import { resolvePolicy, type ChasePolicy } from '../../domain/control-item/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import {
  deadlineReadings,
  firstDeadline,
  parseRoadmapSheets,
  planRoadmapImport,
  type ExistingItem,
  type ImportIssue,
  type ImportJobResult,
  type RoadmapReferences,
} from '../../domain/imports/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { SYSTEM_ACTOR, type Actor } from '../../domain/roles.ts';
import {
  recordNewItems,
  roadmapPolicy,
  runItemCommand,
  startControl,
} from '../../app/control-items/index.ts';
import type { TemporalHandle } from '../../app/temporal.ts';
import { readXlsx } from './xlsx.ts';

export interface ImportActivityDeps {
  db: Db;
  /** Starts the workflows of imported items and sends their Updates. */
  temporal?: TemporalHandle;
  /** Region's UTC offset: "today" for deadlines and chase policies. */
  utcOffsetMinutes?: number;
}

export interface ImportHooks {
  heartbeat?: (details?: unknown) => void;
  /** Workflows already started by an earlier attempt (from its last heartbeat). */
  resumeFrom?: number;
}

/** The region's chase policy, which a roadmap's own settings override. */
const regionPolicy = (deps: ImportActivityDeps) => resolvePolicy(null, deps.utcOffsetMinutes ?? 0);

const BATCH = 500;
const START_CHUNK = 100;
// Starts in flight. Each start costs the server ~10 ms of CPU (dev server, sqlite) and the worker the
// new workflow's first task; 32 in flight keep both busy without a queue building up (docs/performance.md).
const START_CONCURRENCY = 32;

const chunks = <T>(xs: T[], n: number) =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

export async function loadReferences(db: Db | Transaction<DB>): Promise<RoadmapReferences> {
  const [agencies, lifeSituations, directions] = await Promise.all([
    db
      .selectFrom('agency')
      .select(['id', 'code', 'title_ru', 'short_ru', 'title_en', 'aliases', 'disabled', 'merged_into_id'])
      .execute(),
    db.selectFrom('life_situation').select(['id', 'code', 'title_ru', 'title_en']).execute(),
    db.selectFrom('direction').select(['code', 'title_ru', 'title_en']).orderBy('sort').execute(),
  ]);
  return { agencies, lifeSituations, directions };
}

/** The roadmap's numbered items with their workflow state as the database has it (db/item-states.ts). */
async function loadExisting(trx: Transaction<DB>, roadmapId: number): Promise<ExistingItem[]> {
  const rows = await trx
    .selectFrom('control_item')
    .selectAll()
    .where('roadmap_id', '=', roadmapId)
    .where('number', 'is not', null)
    .execute();
  const states = await itemStatesOf(trx, rows);
  return rows.map((r) => ({
    id: r.id,
    number: r.number!,
    title: r.title_ru,
    deliverable: r.deliverable,
    lifeSituationId: r.life_situation_id,
    direction: r.direction,
    recurrence: r.recurrence,
    state: states.get(r.id)!,
  }));
}

async function actorOf(db: Db, userId: number | null): Promise<Actor> {
  if (userId === null) return SYSTEM_ACTOR;
  const u = await db
    .selectFrom('app_user')
    .select(['id', 'role', 'agency_id'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return u ? { userId: u.id, role: u.role, agencyId: u.agency_id } : SYSTEM_ACTOR;
}

/**
 * Phase 1: read and validate the whole file, then write every row in one transaction, or nothing at all
 * (every problem is recorded on the job with its row and column). Safe to run again: a job whose rows
 * were written (applied_at) is not written twice.
 */
export async function importRoadmapFile(
  deps: ImportActivityDeps,
  jobId: number,
  hooks: ImportHooks = {},
): Promise<{ ok: boolean }> {
  const { db } = deps;
  const job = await db.selectFrom('import_job').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
  if (job.applied_at) return { ok: true };
  if (job.status === 'failed' || job.status === 'done') return { ok: job.status === 'done' };
  const setJob = (v: Updateable<ImportJobTable>) =>
    db.updateTable('import_job').set(v).where('id', '=', jobId).execute();
  await setJob({ status: 'running', phase: 'reading', started_at: job.started_at ?? new Date() });

  const read = await readXlsx(job.content ?? new Uint8Array());
  hooks.heartbeat?.();
  if (!read.ok) {
    await failImportJob(db, jobId, [read.issue]);
    return { ok: false };
  }
  await setJob({ phase: 'validating' });
  const today = instantToLocalDate(Date.now(), deps.utcOffsetMinutes ?? 0);
  const refs = await loadReferences(db);
  const parsed = parseRoadmapSheets(read.sheets, refs, {
    today,
    openEndedEvery: job.open_ended_every,
    onRow: (done) => {
      if (done % 1000 === 0) hooks.heartbeat?.();
    },
  });
  await setJob({ rows_total: parsed.dataRows, rows_done: parsed.dataRows });
  if (parsed.issues.length > 0) {
    await failImportJob(db, jobId, parsed.issues);
    return { ok: false };
  }

  const actor = await actorOf(db, job.created_by);
  const columnOf = {
    deadline: parsed.columns.deadline?.letter ?? '',
    responsible: parsed.columns.responsible?.letter ?? '',
    coExecutors: parsed.columns.coExecutors?.letter ?? '',
  };

  let issues: ImportIssue[] = [];
  let workflows = 0;
  await db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('import_job')
      .select('applied_at')
      .where('id', '=', jobId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.applied_at) return;
    let roadmapId = job.roadmap_id;
    let policyOverrides: Partial<ChasePolicy> | null = null;
    if (roadmapId !== null) {
      // Serialises imports into one roadmap: the second one plans against what the first wrote.
      const rm = await trx
        .selectFrom('roadmap')
        .select(['id', 'chase_policy'])
        .where('id', '=', roadmapId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      policyOverrides = rm.chase_policy as Partial<ChasePolicy> | null;
    }
    const policy = roadmapPolicy(regionPolicy(deps), policyOverrides);
    const existing = roadmapId === null ? [] : await loadExisting(trx, roadmapId);
    const plan = planRoadmapImport(parsed.rows, existing, { today, policy, actor, columnOf });
    if (plan.issues.length > 0) {
      issues = plan.issues;
      return;
    }
    hooks.heartbeat?.();
    await setJobIn(trx, jobId, { phase: 'writing' });

    if (roadmapId === null) {
      const title = job.new_roadmap_title ?? job.filename;
      const rm = await trx
        .insertInto('roadmap')
        .values({ code: `IMPORT-${jobId}`, title_ru: title, title_en: title })
        .returning('id')
        .executeTakeFirstOrThrow();
      roadmapId = rm.id;
    }
    const at = new Date();
    const actorUser = actor.userId || null;

    const insertedIds: number[] = [];
    for (const part of chunks(plan.inserts, BATCH)) {
      const rows = await recordNewItems(
        trx,
        part.map((r) => {
          // A cadence's first period and due date, with the due day its cell names (domain/imports).
          const { due, recurrence } = firstDeadline(r.deadline, today);
          return {
            item: {
              kind: 'measure',
              roadmap_id: roadmapId,
              number: r.number,
              title_ru: r.title,
              deliverable: r.deliverable ?? null,
              life_situation_id: r.lifeSituationId ?? null,
              direction: r.direction ?? null,
              agency_id: r.agencyId,
              co_agency_ids: r.coAgencyIds ?? [],
              due,
              recurrence: recurrence && {
                every: recurrence.every,
                periodKey: recurrence.periodKey,
                until: recurrence.until,
                dueDays: recurrence.dueWorkingDaysAfterPeriodEnd,
                dueDay: recurrence.dueDayOfMonth ?? null,
                dueMonthOffset: recurrence.dueMonthsAfterPeriodEnd ?? null,
              },
            },
            creation: {
              eventKey: `import:${jobId}:row:${r.row}`,
              actor,
              at,
              type: 'imported',
              data: { jobId, row: r.row },
            },
          };
        }),
      );
      insertedIds.push(...rows.map((x) => x.id));
      hooks.heartbeat?.();
    }

    for (const u of plan.updates) {
      await trx
        .updateTable('control_item')
        .set({
          title_ru: u.after.title,
          deliverable: u.after.deliverable,
          life_situation_id: u.after.lifeSituationId,
          direction: u.after.direction,
          updated_at: at,
        })
        .where('id', '=', u.itemId)
        .execute();
    }
    for (const part of chunks(plan.updates, BATCH)) {
      await trx
        .insertInto('event')
        .values(
          part.map((u) => ({
            event_key: `import:${jobId}:upd:${u.itemId}`,
            control_item_id: u.itemId,
            type: 'import_updated',
            actor_user_id: actorUser,
            at,
            before: JSON.stringify(u.before),
            after: JSON.stringify(u.after),
            data: JSON.stringify({ jobId, row: u.row }),
          })),
        )
        .execute();
    }

    const result: ImportJobResult = {
      roadmapId,
      inserted: insertedIds.length,
      insertedIds,
      updated: plan.updates.length,
      unchanged: plan.unchanged,
      lifecycle: plan.lifecycle,
      missing: plan.missing,
      closedSkipped: plan.closedSkipped,
      pastDeadlines: plan.pastDeadlines,
      movedDeadlines: parsed.rows.filter((r) => r.deadline.kind === 'date' && r.deadline.written).length,
      ignoredColumns: parsed.ignoredColumns,
      sheet: parsed.sheet,
      headerRow: parsed.headerRow,
      readings: deadlineReadings(parsed.rows, today),
    };
    workflows = insertedIds.length + plan.lifecycle.length;
    await setJobIn(trx, jobId, {
      roadmap_id: roadmapId,
      applied_at: at,
      result: JSON.stringify(result),
      phase: 'starting',
      workflows_total: workflows,
      workflows_done: 0,
    });
  });
  if (issues.length > 0) {
    await failImportJob(db, jobId, issues);
    return { ok: false };
  }
  return { ok: true };
}

function setJobIn(trx: Transaction<DB>, jobId: number, v: Updateable<ImportJobTable>) {
  return trx.updateTable('import_job').set(v).where('id', '=', jobId).execute();
}

/**
 * Phase 2: puts new items under control (one workflow each; starting an existing id is a no-op) and sends
 * the lifecycle changes as Updates with stable ids, so a retried attempt repeats nothing. Progress is
 * written to the job and heartbeated; a retry resumes after the last started chunk.
 */
export async function applyImportLifecycle(deps: ImportActivityDeps, jobId: number, hooks: ImportHooks = {}) {
  const { db, temporal } = deps;
  if (!temporal) throw new Error('import activities need a Temporal client (deps.temporal)');
  const job = await db.selectFrom('import_job').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
  if (job.status === 'done' || !job.result) return;
  const result = job.result as unknown as ImportJobResult;
  const control = { db, temporal, policy: regionPolicy(deps) };
  const setDone = (n: number) =>
    db.updateTable('import_job').set({ workflows_done: n }).where('id', '=', jobId).execute();

  let done = Math.min(hooks.resumeFrom ?? 0, result.insertedIds.length);
  for (const part of chunks(result.insertedIds.slice(done), START_CHUNK)) {
    await startControl(control, part, { concurrency: START_CONCURRENCY });
    done += part.length;
    hooks.heartbeat?.({ started: done });
    await setDone(done);
  }

  const actor = await actorOf(db, job.created_by);
  const reason = (row: number) =>
    `Дорожная карта: импорт файла «${job.filename}» (задание № ${jobId}, строка ${row})`;
  for (const ch of result.lifecycle) {
    if (ch.outcome) {
      done++;
      continue;
    }
    try {
      // A workflow lost with its server is re-created from the row first (a running one is kept).
      await startControl(control, [ch.itemId]);
      // The same pipeline as a person's action, with the importer as the actor and stable keys: a
      // retried attempt repeats nothing.
      if (ch.reassign) {
        await runItemCommand(control, {
          actor,
          itemId: ch.itemId,
          idempotencyKey: `import-${jobId}-${ch.itemId}-reassign`,
          command: {
            type: 'reassign',
            agencyId: ch.reassign.agencyId,
            coAgencyIds: ch.reassign.coAgencyIds,
            reason: reason(ch.row),
          },
        });
      }
      if (ch.changeDeadline) {
        await runItemCommand(control, {
          actor,
          itemId: ch.itemId,
          idempotencyKey: `import-${jobId}-${ch.itemId}-deadline`,
          command: { type: 'changeDeadline', due: ch.changeDeadline.due, reason: reason(ch.row) },
        });
      }
      ch.outcome = 'applied';
    } catch (e) {
      // The item changed since validation (e.g. an extension was requested meanwhile): report, go on.
      if (!(e instanceof ShtabError) || e.code === 'unavailable') throw e;
      ch.outcome = 'rejected';
      ch.error = { key: e.detail.key, ...(e.detail.params ? { params: e.detail.params } : {}) };
    }
    done++;
    hooks.heartbeat?.({ started: result.insertedIds.length });
    await db
      .updateTable('import_job')
      .set({ workflows_done: done, result: JSON.stringify(result) })
      .where('id', '=', jobId)
      .execute();
  }

  await db
    .updateTable('import_job')
    .set({
      status: 'done',
      phase: 'finished',
      workflows_done: done,
      result: JSON.stringify(result),
      finished_at: new Date(),
    })
    .where('id', '=', jobId)
    .execute();
}
