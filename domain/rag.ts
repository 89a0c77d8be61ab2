import { countWorkingDays } from './calendar/index.ts';
import { isOverdue, overdueWorkingDays } from './control-item/lateness.ts';
import type { ItemStatus } from './control-item/index.ts';
import type { LocalDate } from './local-date.ts';

export { isOverdue, overdueWorkingDays };

// Red / amber / green status of a group of controlled items (a life situation, an agency). Pure: the read
// models load the items, this decides, and the pages show RAG_THRESHOLDS in their legend, so the rule a
// reader sees is the rule that ran.

export type Rag = 'red' | 'amber' | 'green' | 'none';

export interface RagThresholds {
  /**
   * Red when any item is this many working days past its deadline. 6 matches the default chase ladder,
   * which puts an item on the leadership red list on its 6th overdue working day (escalation level 4).
   */
  redOverdueWorkingDays: number;
  /**
   * Red when at least this share of the group's items (cancelled ones excluded) is overdue. A third, not a
   * quarter: life situations carry 4–6 items, and one fresh overdue item among four is a warning, not red.
   */
  redOverdueShare: number;
  /**
   * Amber when an item is due within this many working days (the first reminder of the default policy)
   * and is still waiting on the executor in one of `amberStatuses`.
   */
  amberDueWithinWorkingDays: number;
  /** Statuses that count as "not submitted yet" for the amber rule. */
  amberStatuses: readonly ItemStatus[];
}

export const RAG_THRESHOLDS: RagThresholds = {
  redOverdueWorkingDays: 6,
  redOverdueShare: 1 / 3,
  amberDueWithinWorkingDays: 10,
  amberStatuses: ['assigned', 'in_progress', 'returned'],
};

/** What the rule needs to know about an item. */
export interface RagItem {
  status: ItemStatus;
  currentDue: LocalDate;
}

export interface RagResult {
  rag: Rag;
  /** Items in scope: everything but cancelled. */
  scope: number;
  overdue: number;
  /** Working days the most overdue item is past its deadline (0 when none is overdue). */
  maxOverdueWorkingDays: number;
  /** Open items due within the amber window and not yet submitted. */
  dueSoonNotSubmitted: number;
}

/** What the rule counts in a group; ragOf counts it from items, the dashboards from kept totals (db/aggregates). */
export type RagCounts = Omit<RagResult, 'rag'>;

/**
 * The group's status:
 * - none: nothing in scope;
 * - red: an item ≥ redOverdueWorkingDays overdue, or overdue share ≥ redOverdueShare;
 * - amber: anything overdue, or an item due within amberDueWithinWorkingDays still in amberStatuses;
 * - green otherwise.
 */
export function ragOf(
  items: readonly RagItem[],
  today: LocalDate,
  t: RagThresholds = RAG_THRESHOLDS,
): RagResult {
  let scope = 0;
  let overdue = 0;
  let maxOverdueWorkingDays = 0;
  let dueSoonNotSubmitted = 0;
  for (const item of items) {
    if (item.status === 'cancelled') continue;
    scope++;
    if (isOverdue(item, today)) {
      overdue++;
      maxOverdueWorkingDays = Math.max(maxOverdueWorkingDays, overdueWorkingDays(item, today));
    } else if (isDueSoonNotSubmitted(item, today, t)) {
      dueSoonNotSubmitted++;
    }
  }
  return ragFromCounts({ scope, overdue, maxOverdueWorkingDays, dueSoonNotSubmitted }, t);
}

/** Not overdue, still waiting on the executor, and due within the amber window (today included). */
export function isDueSoonNotSubmitted(item: RagItem, today: LocalDate, t: RagThresholds = RAG_THRESHOLDS) {
  return (
    t.amberStatuses.includes(item.status) &&
    item.currentDue >= today &&
    countWorkingDays(today, item.currentDue) <= t.amberDueWithinWorkingDays
  );
}

/** The decision of ragOf from the group's counts. */
export function ragFromCounts(c: RagCounts, t: RagThresholds = RAG_THRESHOLDS): RagResult {
  let rag: Rag;
  if (c.scope === 0) rag = 'none';
  else if (c.maxOverdueWorkingDays >= t.redOverdueWorkingDays || c.overdue / c.scope >= t.redOverdueShare)
    rag = 'red';
  else if (c.overdue > 0 || c.dueSoonNotSubmitted > 0) rag = 'amber';
  else rag = 'green';
  return { rag, ...c };
}

/** Worst first, for sorting tables by status. */
export const RAG_ORDER: Record<Rag, number> = { red: 0, amber: 1, green: 2, none: 3 };
