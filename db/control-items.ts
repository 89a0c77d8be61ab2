import { periodEndOfKey, type ItemState, type RecurrenceState } from '../domain/control-item/index.ts';
import type { ControlItemRow } from './schema/index.ts';

/**
 * The workflow's starting state from the read-model row. Used to start a workflow for a new item and to
 * re-create one from the database (the row mirrors every persisted transition).
 */
export function itemStateFromRow(
  row: ControlItemRow,
  opts: { pendingExtension?: ItemState['pendingExtension']; partsFrom?: number[] } = {},
): ItemState {
  let recurrence: RecurrenceState | null = null;
  if (row.recurrence && row.period_key) {
    recurrence = {
      every: row.recurrence,
      periodKey: row.period_key,
      periodEnd: periodEndOfKey(row.period_key),
      // null: open-ended («ежеквартально» without an end date), reported on until cancelled.
      until: row.recurrence_until,
      dueWorkingDaysAfterPeriodEnd: row.recurrence_due_days ?? 5,
      ...(row.recurrence_due_day
        ? {
            dueDayOfMonth: row.recurrence_due_day,
            dueMonthsAfterPeriodEnd: row.recurrence_due_month_offset ?? 0,
          }
        : {}),
    };
  }
  return {
    itemId: row.id,
    kind: row.kind,
    status: row.status,
    agencyId: row.agency_id,
    coAgencyIds: row.co_agency_ids,
    originalDue: row.original_due,
    currentDue: row.current_due,
    reworkDue: row.status === 'returned' ? row.rework_due : null,
    reviewRound: row.review_round,
    escalationLevel: Math.min(4, Math.max(0, row.escalation_level)) as ItemState['escalationLevel'],
    overdueSince: row.overdue_since,
    pendingExtension: opts.pendingExtension ?? null,
    partsFrom: opts.partsFrom ?? [],
    requireCoExecutorParts: row.require_co_parts,
    recurrence,
    chasesDone: [],
    version: row.version,
    // Set only when they say something: a state without them is the state workflows always had.
    ...(row.kind === 'instruction' && row.author_user_id ? { authorUserId: row.author_user_id } : {}),
    ...(row.signoff_pending ? { signoffPending: true } : {}),
  };
}
