import { isOverdue, lateness, overdueWorkingDays, WAITING_ON_EXECUTOR } from './control-item/lateness.ts';
import type { ItemKind, ItemStatus } from './control-item/types.ts';
import type { LocalDate } from './local-date.ts';
import {
  isDueSoonNotSubmitted,
  RAG_THRESHOLDS,
  ragFromCounts,
  type RagResult,
  type RagThresholds,
} from './rag.ts';

// The figures every programme-wide page shows for a group of controlled items (an agency, a life
// situation, the roadmap): counts by state, on-time and late, overdue and due soon as of a day. They add
// up item by item, so the database can keep them as running totals (migration 0015, db/aggregates.ts) and
// the same numbers come out of a recomputation over the items (this module, the oracle and the fallback).

/** Chases that mean "you are late" (the league table counts them): reminders before the deadline are routine. */
export const LATE_CHASE_TYPES = ['chase.overdue', 'chase.escalation', 'chase.repeat'] as const;

/** What the figures need to know about an item. */
export interface FigureItem {
  kind: ItemKind;
  status: ItemStatus;
  /** The control date. */
  currentDue: LocalDate;
  /** The region's calendar date of acceptance (done items). */
  accepted: LocalDate | null;
}

/** Progress as the pages show it (cancelled items excluded). */
export interface ProgressCounts {
  total: number;
  done: number;
  inProgress: number;
  overdue: number;
  /** Done items accepted by their current deadline ÷ done items (null when nothing is done yet). */
  onTimeRate: number | null;
}

interface Counts {
  /** Not cancelled. */
  total: number;
  done: number;
  /** Neither done nor cancelled. */
  open: number;
  /** Accepted on or before the control date. */
  doneOnTime: number;
  overdue: number;
}

export interface GroupFigures extends Counts {
  /** Accepted after the control date, and the working days they were late in all. */
  lateDone: number;
  lateDoneDays: number;
  /** Waiting on the executor (assigned, in progress, returned). */
  waiting: number;
  /** Working days overdue, summed over the overdue items. */
  overdueDays: number;
  /** Waiting on the executor and due within the RAG's amber window. */
  dueSoon: number;
  /** The oldest control date still waiting on the executor (the most overdue item when it has passed). */
  minWaitingDue: LocalDate | null;
  /** The same counts for roadmap measures only (the programme's progress). */
  measures: Counts;
}

const counts = (): Counts => ({ total: 0, done: 0, open: 0, doneOnTime: 0, overdue: 0 });

export const emptyFigures = (): GroupFigures => ({
  ...counts(),
  lateDone: 0,
  lateDoneDays: 0,
  waiting: 0,
  overdueDays: 0,
  dueSoon: 0,
  minWaitingDue: null,
  measures: counts(),
});

/** Adds one item, as of `today`. Cancelled items count nowhere. */
export function addToFigures(
  g: GroupFigures,
  item: FigureItem,
  today: LocalDate,
  t: RagThresholds = RAG_THRESHOLDS,
): void {
  if (item.status === 'cancelled') return;
  const done = item.status === 'done';
  const onTime = done && item.accepted !== null && item.accepted <= item.currentDue;
  const overdue = isOverdue(item, today);
  for (const c of item.kind === 'measure' ? [g, g.measures] : [g]) {
    c.total++;
    if (done) c.done++;
    else c.open++;
    if (onTime) c.doneOnTime++;
    if (overdue) c.overdue++;
  }
  const l = lateness(item, today);
  if (l.state === 'late') {
    g.lateDone++;
    g.lateDoneDays += l.workingDays;
  } else if (l.state === 'overdue') g.overdueDays += l.workingDays;
  if (WAITING_ON_EXECUTOR.includes(item.status)) {
    g.waiting++;
    if (g.minWaitingDue === null || item.currentDue < g.minWaitingDue) g.minWaitingDue = item.currentDue;
  }
  if (!overdue && isDueSoonNotSubmitted(item, today, t)) g.dueSoon++;
}

/** Figures of each group the key puts items in (a null key: in no group). */
export function figuresByKey<T extends FigureItem>(
  items: readonly T[],
  key: (item: T) => number | null,
  today: LocalDate,
): Map<number, GroupFigures> {
  const out = new Map<number, GroupFigures>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    let g = out.get(k);
    if (!g) out.set(k, (g = emptyFigures()));
    addToFigures(g, item, today);
  }
  return out;
}

export const progressOf = (c: Counts): ProgressCounts => ({
  total: c.total,
  done: c.done,
  inProgress: c.open - c.overdue,
  overdue: c.overdue,
  onTimeRate: c.done > 0 ? c.doneOnTime / c.done : null,
});

/** The roadmap's progress: the measures of every group added up. */
export function measuresProgress(groups: Iterable<GroupFigures>): ProgressCounts {
  const sum = counts();
  for (const g of groups) for (const k of Object.keys(sum) as (keyof Counts)[]) sum[k] += g.measures[k];
  return progressOf(sum);
}

/** The group's RAG (domain/rag.ts), from its figures as of `today`. */
export function ragOfFigures(
  g: GroupFigures,
  today: LocalDate,
  t: RagThresholds = RAG_THRESHOLDS,
): RagResult {
  const oldest = g.minWaitingDue;
  return ragFromCounts(
    {
      scope: g.total,
      overdue: g.overdue,
      maxOverdueWorkingDays:
        oldest === null ? 0 : overdueWorkingDays({ status: 'in_progress', currentDue: oldest }, today),
      dueSoonNotSubmitted: g.dueSoon,
    },
    t,
  );
}

/**
 * Items late now or on record (accepted late, overdue now) and their mean working days past the control
 * date (null when none is late): the league table's delay.
 */
export function delayOf(g: GroupFigures) {
  const lateItems = g.lateDone + g.overdue;
  return {
    lateItems,
    avgDelayWorkingDays: lateItems > 0 ? (g.lateDoneDays + g.overdueDays) / lateItems : null,
  };
}
