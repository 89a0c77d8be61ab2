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
      until: row.recurrence_until ?? `${row.period_key.slice(0, 4)}-12-31`,
      dueWorkingDaysAfterPeriodEnd: row.recurrence_due_days ?? 5,
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
    reviewRound: row.review_round,
    escalationLevel: Math.min(4, Math.max(0, row.escalation_level)) as ItemState['escalationLevel'],
    overdueSince: row.overdue_since,
    pendingExtension: opts.pendingExtension ?? null,
    partsFrom: opts.partsFrom ?? [],
    requireCoExecutorParts: row.require_co_parts,
    recurrence,
    chasesDone: [],
    version: row.version,
  };
}
