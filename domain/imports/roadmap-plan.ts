import { decide, type ChasePolicy, type ItemState, type Recurrence } from '../control-item/index.ts';
import { ShtabError } from '../errors.ts';
import type { LocalDate } from '../local-date.ts';
import type { Actor } from '../roles.ts';
import { HEADER_RU } from './columns.ts';
import type { RoadmapRow } from './roadmap-sheet.ts';
import type { ImportIssue, LifecycleChange } from './types.ts';

/** An item of the roadmap as the database has it, with the workflow state rebuilt from its row. */
export interface ExistingItem {
  id: number;
  number: string;
  title: string;
  deliverable: string | null;
  lifeSituationId: number | null;
  direction: string | null;
  recurrence: Recurrence | null;
  state: ItemState;
}

/** An item's fields the import may change in place (not the workflow's). */
export interface ReferenceFields {
  title: string;
  deliverable: string | null;
  lifeSituationId: number | null;
  direction: string | null;
}

export interface ReferenceUpdate {
  itemId: number;
  row: number;
  before: ReferenceFields;
  after: ReferenceFields;
}

export interface RoadmapImportPlan {
  inserts: RoadmapRow[];
  updates: ReferenceUpdate[];
  lifecycle: LifecycleChange[];
  unchanged: number;
  missing: { itemId: number; number: string; title: string }[];
  closedSkipped: { itemId: number; number: string; row: number }[];
  pastDeadlines: { number: string; row: number; due: LocalDate }[];
  issues: ImportIssue[];
}

export interface PlanContext {
  today: LocalDate;
  policy: ChasePolicy;
  /** Who imports: lifecycle changes are checked (and later sent) as this actor's Updates. */
  actor: Actor;
  /** Column letters for error messages. */
  columnOf: { deadline: string; responsible: string; coExecutors: string };
}

const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Compares the file with the roadmap in the database. New numbers become inserts; existing ones get their
 * reference fields (title, deliverable, life situation) updated in place; a different deadline or
 * responsible/co-executor agencies on an open item become Updates for its workflow (changeDeadline,
 * reassign), checked here with decide() so a change the workflow would refuse fails the whole import
 * before anything is written. Numbers missing from the file are reported, never deleted.
 */
export function planRoadmapImport(
  rows: RoadmapRow[],
  existing: ExistingItem[],
  ctx: PlanContext,
): RoadmapImportPlan {
  const byNumber = new Map(existing.map((e) => [e.number, e]));
  const seen = new Set<string>();
  const plan: RoadmapImportPlan = {
    inserts: [],
    updates: [],
    lifecycle: [],
    unchanged: 0,
    missing: [],
    closedSkipped: [],
    pastDeadlines: [],
    issues: [],
  };
  const issue = (
    row: number,
    column: keyof PlanContext['columnOf'],
    key: string,
    params?: ImportIssue['params'],
  ) =>
    plan.issues.push({
      row,
      column: ctx.columnOf[column],
      header: HEADER_RU[column],
      key,
      ...(params ? { params } : {}),
    });

  for (const r of rows) {
    const e = byNumber.get(r.number);
    if (!e) {
      plan.inserts.push(r);
      if (r.deadline.kind === 'date' && r.deadline.due < ctx.today) {
        plan.pastDeadlines.push({ number: r.number, row: r.row, due: r.deadline.due });
      }
      continue;
    }
    seen.add(r.number);

    const after = {
      title: r.title,
      deliverable: r.deliverable === undefined ? e.deliverable : r.deliverable,
      lifeSituationId: r.lifeSituationId === undefined ? e.lifeSituationId : r.lifeSituationId,
      direction: r.direction === undefined ? e.direction : r.direction,
    };
    const before = {
      title: e.title,
      deliverable: e.deliverable,
      lifeSituationId: e.lifeSituationId,
      direction: e.direction,
    };
    const refChanged =
      after.title !== before.title ||
      after.deliverable !== before.deliverable ||
      after.lifeSituationId !== before.lifeSituationId ||
      after.direction !== before.direction;
    if (refChanged) plan.updates.push({ itemId: e.id, row: r.row, before, after });

    // The reporting cadence is part of the workflow's state; changing it means a new item.
    const fileRecurrence = r.deadline.kind === 'recurring' ? r.deadline.every : null;
    if (fileRecurrence !== e.recurrence) {
      issue(r.row, 'deadline', 'error.import.recurrenceChange', {
        number: r.number,
        before: e.recurrence ?? '—',
        after: fileRecurrence ?? '—',
      });
      continue;
    }

    const s = e.state;
    const co = (r.coAgencyIds ?? s.coAgencyIds).filter((a) => a !== r.agencyId);
    const change: LifecycleChange = { itemId: e.id, number: r.number, row: r.row };
    if (r.agencyId !== s.agencyId || !sameSet(co, s.coAgencyIds)) {
      change.reassign = { agencyId: r.agencyId, coAgencyIds: co };
    }
    if (r.deadline.kind === 'date' && r.deadline.due !== s.originalDue) {
      change.changeDeadline = { due: r.deadline.due };
    }
    if (!change.reassign && !change.changeDeadline) {
      if (!refChanged) plan.unchanged++;
      continue;
    }
    if (s.status === 'done' || s.status === 'cancelled') {
      plan.closedSkipped.push({ itemId: e.id, number: r.number, row: r.row });
      continue;
    }

    // Dry run of the Updates the import will send, in the same order, against the current state.
    let state = s;
    const eventId = 'import-plan';
    try {
      if (change.reassign) {
        state = decide(
          state,
          { type: 'reassign', args: { actor: ctx.actor, eventId, ...change.reassign, reason: 'import' } },
          ctx,
        ).next;
      }
    } catch (err) {
      if (!(err instanceof ShtabError)) throw err;
      issue(r.row, 'responsible', err.detail.key, { ...err.detail.params, number: r.number });
      continue;
    }
    try {
      if (change.changeDeadline) {
        decide(
          state,
          {
            type: 'changeDeadline',
            args: { actor: ctx.actor, eventId, due: change.changeDeadline.due, reason: 'import' },
          },
          ctx,
        );
      }
    } catch (err) {
      if (!(err instanceof ShtabError)) throw err;
      issue(r.row, 'deadline', err.detail.key, { ...err.detail.params, number: r.number });
      continue;
    }
    plan.lifecycle.push(change);
  }

  for (const e of existing) {
    if (!seen.has(e.number)) plan.missing.push({ itemId: e.id, number: e.number, title: e.title });
  }
  return plan;
}
