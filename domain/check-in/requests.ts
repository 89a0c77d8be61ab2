import { addWorkingDays } from '../calendar/index.ts';
import type { ItemStatus } from '../control-item/index.ts';
import type { LocalDate } from '../local-date.ts';

export type NoteReason = 'overdue' | 'atRisk' | 'open';

/**
 * Whom to ask for a status note and about what: every responsible agency, about each of its open items
 * that waits on it (assigned, in progress, returned for rework; a report under review waits on the working
 * group). Overdue items first, then those at risk, then the rest by deadline.
 */
export function planStatusRequests(
  items: { id: number; agency_id: number; status: ItemStatus; current_due: LocalDate }[],
  today: LocalDate,
  atRiskWorkingDays: number,
): { agencyId: number; items: { id: number; reason: NoteReason; due: LocalDate }[] }[] {
  const atRiskUntil = addWorkingDays(today, atRiskWorkingDays);
  const order: Record<NoteReason, number> = { overdue: 0, atRisk: 1, open: 2 };
  const byAgency = new Map<number, { id: number; reason: NoteReason; due: LocalDate }[]>();
  for (const r of items) {
    if (r.status !== 'assigned' && r.status !== 'in_progress' && r.status !== 'returned') continue;
    const reason: NoteReason =
      r.current_due < today ? 'overdue' : r.current_due <= atRiskUntil ? 'atRisk' : 'open';
    byAgency.set(r.agency_id, [
      ...(byAgency.get(r.agency_id) ?? []),
      { id: r.id, reason, due: r.current_due },
    ]);
  }
  return [...byAgency.entries()]
    .sort(([a], [b]) => a - b)
    .map(([agencyId, list]) => ({
      agencyId,
      items: list.sort(
        (a, b) => order[a.reason] - order[b.reason] || (a.due < b.due ? -1 : a.due > b.due ? 1 : a.id - b.id),
      ),
    }));
}
