import { addWorkingDays, countWorkingDays } from '../calendar/index.ts';
import { lateness, type Lateness } from '../control-item/lateness.ts';
import type { ItemStatus } from '../control-item/types.ts';
import { localTimeToInstant, type LocalDate } from '../local-date.ts';

// Подчинённое поручение: the agency head gives an item to one of the agency's executors with an internal
// deadline (внутренний срок). Its own small workflow chases the internal deadline; its lateness is the
// head's business and never enters the programme's figures (docs/decisions.md §43).

export type AssignmentStatus = 'open' | 'reported' | 'closed' | 'superseded';

/** How an internal deadline is chased. Data, like the item's chase policy; offsets in working days. */
export interface AssignmentPolicy {
  utcOffsetMinutes: number;
  notifyAtMinute: number;
  /** Reminders to the assignee this many working days before the internal deadline (0 = on the day). */
  reminderWorkingDaysBefore: number[];
  /** After the first working day past it (assignee and head told), again every N working days. */
  repeatEveryWorkingDays: number;
}

export const DEFAULT_ASSIGNMENT_POLICY: Omit<AssignmentPolicy, 'utcOffsetMinutes' | 'notifyAtMinute'> = {
  reminderWorkingDaysBefore: [1],
  repeatEveryWorkingDays: 3,
};

/** What the assignment's workflow holds: the internal deadline and the chase steps done for it. */
export interface AssignmentChaseState {
  internalDue: LocalDate;
  chasesDone: string[];
}

export interface AssignmentStep {
  /** r1, late, rep2 … */
  key: string;
  at: number;
  date: LocalDate;
  type: 'reminder' | 'overdue' | 'repeat';
  /** Reminders: working days left until the internal deadline. */
  daysLeft?: number;
}

export interface AssignmentPlan {
  next: AssignmentStep | null;
  /** Steps overtaken by a later one already due: marked done without a notice. */
  superseded: string[];
}

/**
 * The next chase step of an internal deadline: the latest reminder already due (earlier ones are
 * superseded), the overdue notice on the first working day after it, then a repeat every N working days
 * (missed repeats collapse into the latest). Deterministic: the workflow runs it.
 */
export function planAssignmentChase(
  s: AssignmentChaseState,
  p: AssignmentPolicy,
  now: number,
): AssignmentPlan {
  const at = (d: LocalDate) => localTimeToInstant(d, p.notifyAtMinute, p.utcOffsetMinutes);
  const done = new Set(s.chasesDone);
  const firstLate = addWorkingDays(s.internalDue, 1);
  const reminders = [...p.reminderWorkingDaysBefore]
    .sort((a, b) => b - a)
    .map((n) => {
      const date = addWorkingDays(s.internalDue, -n);
      return { key: `r${n}`, at: at(date), date, type: 'reminder' as const, daysLeft: n };
    })
    .filter((r) => !done.has(r.key));
  if (now < at(firstLate)) {
    const due = reminders.filter((r) => r.at <= now);
    const next = due.at(-1) ?? reminders[0] ?? null;
    return {
      next: next ?? { key: 'late', at: at(firstLate), date: firstLate, type: 'overdue' },
      superseded: due.slice(0, -1).map((r) => r.key),
    };
  }
  const superseded = reminders.map((r) => r.key);
  if (!done.has('late'))
    return { next: { key: 'late', at: at(firstLate), date: firstLate, type: 'overdue' }, superseded };
  if (p.repeatEveryWorkingDays <= 0) return { next: null, superseded };
  let k = 0;
  for (const key of done) if (key.startsWith('rep')) k = Math.max(k, Number(key.slice(3)));
  // The latest repeat already due, or the next one to come.
  let n = k + 1;
  while (at(addWorkingDays(firstLate, (n + 1) * p.repeatEveryWorkingDays)) <= now) n++;
  const date = addWorkingDays(firstLate, n * p.repeatEveryWorkingDays);
  return { next: { key: `rep${n}`, at: at(date), date, type: 'repeat' }, superseded };
}

/** The state after acting on a step: it and the superseded ones are done. */
export const chased = (
  s: AssignmentChaseState,
  step: AssignmentStep,
  superseded: string[],
): AssignmentChaseState => ({
  ...s,
  chasesDone: [...s.chasesDone.filter((k) => !k.startsWith('rep')), ...superseded, step.key],
});

/**
 * Whether an open assignment is over, from its item: the agency reported (to the working group, or to the
 * head for a sign-off), the item closed, or it went to another agency. null: still open.
 */
export function assignmentOutcome(
  item: { status: ItemStatus; agencyId: number; signoffPending?: boolean },
  assignment: { agencyId: number },
): 'reported' | 'closed' | null {
  if (item.agencyId !== assignment.agencyId || item.status === 'cancelled') return 'closed';
  if (item.status === 'submitted' || item.status === 'done' || item.signoffPending) return 'reported';
  return null;
}

/**
 * The internal deadline's lateness, by the one lateness function: open and past it is overdue; reported
 * after it is late. Closed or superseded assignments (nobody reported on them) have none.
 */
export function assignmentLateness(
  a: { status: AssignmentStatus; internalDue: LocalDate; closedOn: LocalDate | null },
  today: LocalDate,
): Lateness {
  if (a.status === 'open') return lateness({ status: 'in_progress', currentDue: a.internalDue }, today);
  if (a.status === 'reported')
    return lateness({ status: 'done', currentDue: a.internalDue, accepted: a.closedOn }, today);
  return { state: 'none', workingDays: 0 };
}

/** Working days left until the internal deadline (0 on the day, negative once past). */
export const daysToInternalDue = (internalDue: LocalDate, today: LocalDate) =>
  internalDue >= today ? countWorkingDays(today, internalDue) : -countWorkingDays(internalDue, today);

/**
 * The internal deadline a head is offered: two working days before the control date (time to sign the
 * report off), never before today; a week from today once the control date has passed.
 */
export function suggestInternalDue(controlDate: LocalDate, today: LocalDate): LocalDate {
  if (controlDate < today) return addWorkingDays(today, 5);
  const d = addWorkingDays(controlDate, -2);
  return d < today ? controlDate : d;
}
