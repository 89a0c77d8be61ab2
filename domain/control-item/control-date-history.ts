import { addWorkingDays } from '../calendar/index.ts';
import { isLocalDate, type LocalDate } from '../local-date.ts';
import type { EscalationLevel, ItemStatus } from './types.ts';

// Before the control date was fixed (docs/decisions.md §31) a return for rework moved an item's deadline
// and reset its escalation. The audit trail kept both sides of every transition, so the true control date
// can be read back from it: migration 0009 does, and running workflows receive the result as a one-off
// `restoreControlDate` Update.

/** An audit event as stored: the `before` / `after` views persistTransition and recordChase write. */
export interface AuditEvent {
  type: string;
  before: unknown;
  after: unknown;
}

export interface ItemNow {
  status: ItemStatus;
  currentDue: LocalDate;
  escalationLevel: number;
  overdueSince?: LocalDate | null;
}

export interface ControlDateRestore {
  /**
   * The item's current control date differs from the true one (a return moved it). False when only
   * accepted periods of a recurring item need their due dates put right.
   */
  moved: boolean;
  /** The deadline a return set, which the row and the workflow still have. */
  movedDue: LocalDate;
  controlDate: LocalDate;
  /** The moved date becomes the rework due date while the item is still back with the executor. */
  reworkDue: LocalDate | null;
  escalationLevel: EscalationLevel;
  overdueSince: LocalDate | null;
  /** Periods of a recurring item accepted against a moved deadline: their true due dates. */
  periods: { periodKey: string; due: LocalDate }[];
}

interface View {
  currentDue?: unknown;
  escalationLevel?: unknown;
  periodKey?: unknown;
}
const view = (v: unknown): View => (v && typeof v === 'object' ? (v as View) : {});
const dueOf = (v: unknown): LocalDate | null => {
  const d = view(v).currentDue;
  return isLocalDate(d) ? d : null;
};
const levelOf = (v: unknown): number => {
  const l = Number(view(v).escalationLevel ?? 0);
  return Number.isFinite(l) ? l : 0;
};

/** Transitions that legitimately set the control date. */
const SETS_CONTROL_DATE = new Set(['extension_approved', 'deadline_changed', 'period_closed']);

/**
 * The control date an item should have, from its audit events in order (oldest first), or null when no
 * return moved it (nothing to restore). Escalation: the highest level reached against the control date,
 * also before a return reset it.
 */
export function restoreControlDate(
  events: readonly AuditEvent[],
  now: ItemNow,
  today: LocalDate,
): ControlDateRestore | null {
  let control: LocalDate | null = null;
  let level = 0;
  let moved = false;
  const periods: ControlDateRestore['periods'] = [];
  for (const e of events) {
    const before = dueOf(e.before);
    const after = dueOf(e.after);
    if (control === null) control = before ?? after;
    if (control === null) continue; // seeded history without before/after views
    if (SETS_CONTROL_DATE.has(e.type) && after) {
      if (e.type === 'period_closed') {
        const key = view(e.before).periodKey;
        if (moved && typeof key === 'string') periods.push({ periodKey: key, due: control });
      }
      control = after;
      level = levelOf(e.after);
      moved = false;
      continue;
    }
    level = Math.max(level, levelOf(e.before), levelOf(e.after));
    if (e.type === 'returned' && before && after && after !== before) moved = true;
    if (e.type === 'accepted' && moved) {
      const key = view(e.before).periodKey;
      if (typeof key === 'string') periods.push({ periodKey: key, due: control });
    }
  }
  if (control === null) return null;
  const current = moved && control !== now.currentDue;
  if (!current && periods.length === 0) return null;
  const firstOverdueDay = addWorkingDays(control, 1);
  return {
    moved: current,
    movedDue: now.currentDue,
    controlDate: control,
    reworkDue: now.status === 'returned' ? now.currentDue : null,
    escalationLevel: Math.min(4, Math.max(level, now.escalationLevel)) as EscalationLevel,
    // Overdue since the first working day after the control date (the return had reset it).
    overdueSince: firstOverdueDay <= today ? firstOverdueDay : null,
    periods,
  };
}
