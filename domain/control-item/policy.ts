import { addWorkingDays } from '../calendar/index.ts';
import { localTimeToInstant, type LocalDate } from '../local-date.ts';
import type { ChaseType, EscalationLevel, ItemState } from './types.ts';

/**
 * How an item is chased. Data, not code: a roadmap default, overridable per item, and tests pass short
 * or time-skipped ones. All offsets are Russian working days.
 */
export interface ChasePolicy {
  /** Region's fixed UTC offset (Russia has no DST), e.g. 420 for Novosibirsk. */
  utcOffsetMinutes: number;
  /** Local minute of day at which chases go out, e.g. 540 = 09:00. */
  notifyAtMinute: number;
  /** Reminders this many working days before the deadline (0 = on the day). */
  reminderWorkingDaysBefore: number[];
  /**
   * Reminders while an item is back for rework (a short window, by default 5 working days): the day before
   * is enough. Absent → the regular reminders (policies of workflows started before this field existed).
   */
  reworkReminderWorkingDaysBefore?: number[];
  /**
   * Ladder after the deadline. afterWorkingDays counts from the first overdue working day, so the default
   * tells the executor on day 0, the agency head 1 working day later, the working group after 3 and puts
   * the item on the leadership red list after 5.
   */
  escalation: { level: Exclude<EscalationLevel, 0>; afterWorkingDays: number }[];
  /** While overdue, after the last ladder step, chase again every N working days (0 = never). */
  repeatEveryWorkingDays: number;
  /** Default time given for rework after a return. */
  reworkWorkingDays: number;
  /**
   * Reminders before each period's due date of a recurring report (people who report every month need
   * no countdown): one, by default 5 working days before. The ladder runs only once a period is overdue.
   * Absent → the regular reminders (policies of workflows started before this field existed).
   */
  recurringReminderWorkingDaysBefore?: number[];
  /**
   * After acceptance the workflow stays open this many working days for «вернуть на контроль», then
   * completes (a later reopen starts it again from the row). Absent → the default.
   */
  reopenWindowWorkingDays?: number;
}

export const DEFAULT_CHASE_POLICY: ChasePolicy = {
  utcOffsetMinutes: 7 * 60,
  notifyAtMinute: 9 * 60,
  reminderWorkingDaysBefore: [10, 5, 1, 0],
  reworkReminderWorkingDaysBefore: [1],
  escalation: [
    { level: 1, afterWorkingDays: 0 },
    { level: 2, afterWorkingDays: 1 },
    { level: 3, afterWorkingDays: 3 },
    { level: 4, afterWorkingDays: 5 },
  ],
  repeatEveryWorkingDays: 5,
  reworkWorkingDays: 5,
  recurringReminderWorkingDaysBefore: [5],
  reopenWindowWorkingDays: 20,
};

export interface ChaseStep {
  /** Stable within one due date: "r10", "esc1", "rep3". */
  key: string;
  at: number;
  date: LocalDate;
  type: ChaseType;
  /** Working days before the deadline (reminders) or ladder level (escalation). */
  offset?: number;
  level?: EscalationLevel;
  /** The date a reminder counts down to when it is not the control date (the rework due date). */
  due?: LocalDate;
  /** Steps collapsed into this one (collapseDueLadder): the first overdue day they stood for. */
  overdueFrom?: LocalDate;
}

export interface ChasePlan {
  /** The step to act on next (now if its time has passed). */
  next: ChaseStep | null;
  /** Reminders overtaken by a later one already due: mark done without sending anything. */
  superseded: string[];
}

/** The reminder offsets that apply to the item now. */
export function reminderOffsets(s: ItemState, policy: ChasePolicy): number[] {
  if (s.status === 'returned' && policy.reworkReminderWorkingDaysBefore)
    return policy.reworkReminderWorkingDaysBefore;
  if (s.recurrence && policy.recurringReminderWorkingDaysBefore)
    return policy.recurringReminderWorkingDaysBefore;
  return policy.reminderWorkingDaysBefore;
}

/** The rework window the executor works to, when there is one (returned or reopened, not yet resubmitted). */
export function reworkWindow(s: ItemState): LocalDate | null {
  return s.status === 'returned' && s.reworkDue ? s.reworkDue : null;
}

/** Chasing pauses while the ball is in the project office's court. */
export function isChasingPaused(s: ItemState): boolean {
  return s.status === 'submitted' || s.pendingExtension !== null;
}

function maxRepeatDone(done: string[]): number {
  let max = 0;
  for (const k of done) if (k.startsWith('rep')) max = Math.max(max, Number(k.slice(3)));
  return max;
}

export interface PlanOptions {
  /**
   * Ladder steps (and repeats) already due at once — an item that arrives late (an import of past-due
   * measures), a long outage — collapse into one notice: the highest level due, to everyone the skipped
   * levels would have told. Workflows set it behind a patch (PATCHES.collapseDueLadder); without it each
   * step is acted on in order, minutes apart, as before.
   */
  collapseDueLadder?: boolean;
}

export function planChase(s: ItemState, policy: ChasePolicy, now: number, opts: PlanOptions = {}): ChasePlan {
  const none: ChasePlan = { next: null, superseded: [] };
  if (s.status === 'done' || s.status === 'cancelled' || isChasingPaused(s)) return none;
  const rework = reworkWindow(s);
  if (rework) return planRework(s, policy, now, rework, opts);
  const at = (d: LocalDate) => localTimeToInstant(d, policy.notifyAtMinute, policy.utcOffsetMinutes);
  const done = new Set(s.chasesDone);
  const due = s.currentDue;

  const firstOverdueDay = addWorkingDays(due, 1);
  const overdueFrom = at(firstOverdueDay);

  const reminders: ChaseStep[] = [...reminderOffsets(s, policy)]
    .sort((a, b) => b - a)
    .map((offset) => {
      const date = addWorkingDays(due, -offset);
      return { key: `r${offset}`, at: at(date), date, type: 'reminder' as const, offset };
    })
    .filter((st) => !done.has(st.key));
  if (now >= overdueFrom) {
    // Past the deadline reminders are moot; drop them without a word.
    if (reminders.length > 0) {
      const rest = planChase(
        { ...s, chasesDone: [...s.chasesDone, ...reminders.map((r) => r.key)] },
        policy,
        now,
        opts,
      );
      return { next: rest.next, superseded: [...reminders.map((r) => r.key), ...rest.superseded] };
    }
  } else {
    // Of the reminders already due, only the latest is worth sending (a late start or a long outage).
    const dueReminders = reminders.filter((r) => r.at <= now);
    const superseded = dueReminders.slice(0, -1).map((r) => r.key);
    const firstReminder = dueReminders.at(-1) ?? reminders[0];
    if (firstReminder) return { next: firstReminder, superseded };
  }

  return ladderPlan(s, policy, now, done, firstOverdueDay, at, opts);
}

/**
 * The escalation ladder against the control date, then the repeat chasers. Ladder steps are each acted
 * on, in order, even when late: each tells different people. Levels the item already reached (state
 * rebuilt from the database, or kept through a return for rework) are not repeated.
 */
function ladderPlan(
  s: ItemState,
  policy: ChasePolicy,
  now: number,
  done: Set<string>,
  firstOverdueDay: LocalDate,
  at: (d: LocalDate) => number,
  opts: PlanOptions = {},
): ChasePlan {
  const none: ChasePlan = { next: null, superseded: [] };
  if (opts.collapseDueLadder) {
    const collapsed = collapsedLadder(s, policy, now, done, firstOverdueDay, at);
    if (collapsed) return collapsed;
  }
  for (const step of [...policy.escalation].sort((a, b) => a.level - b.level)) {
    const key = `esc${step.level}`;
    if (done.has(key) || step.level <= s.escalationLevel) continue;
    const date = addWorkingDays(firstOverdueDay, step.afterWorkingDays);
    return {
      next: { key, at: at(date), date, type: step.level === 1 ? 'overdue' : 'escalation', level: step.level },
      superseded: [],
    };
  }

  if (policy.repeatEveryWorkingDays <= 0) return none;
  const lastLadder = Math.max(0, ...policy.escalation.map((e) => e.afterWorkingDays));
  const ladderEnd = addWorkingDays(firstOverdueDay, lastLadder);
  // Repeats already due collapse into one: skip to the latest k whose time has passed.
  let k = maxRepeatDone(s.chasesDone) + 1;
  let date = addWorkingDays(ladderEnd, k * policy.repeatEveryWorkingDays);
  for (;;) {
    const nextDate = addWorkingDays(ladderEnd, (k + 1) * policy.repeatEveryWorkingDays);
    if (at(nextDate) > now) break;
    k++;
    date = nextDate;
  }
  return { next: { key: `rep${k}`, at: at(date), date, type: 'repeat' }, superseded: [] };
}

/**
 * The ladder steps due by `now` as one step: the highest level due, the lower ones (and the repeats that
 * fell due after the ladder) superseded — acted on without a notice of their own; the notice of the one
 * step goes to everyone they would have told (activities/control-item recordChase). null when at most one
 * step is due and no repeat: nothing to collapse.
 */
function collapsedLadder(
  s: ItemState,
  policy: ChasePolicy,
  now: number,
  done: Set<string>,
  firstOverdueDay: LocalDate,
  at: (d: LocalDate) => number,
): ChasePlan | null {
  const due: ChaseStep[] = [];
  for (const step of [...policy.escalation].sort((a, b) => a.level - b.level)) {
    const key = `esc${step.level}`;
    if (done.has(key) || step.level <= s.escalationLevel) continue;
    const date = addWorkingDays(firstOverdueDay, step.afterWorkingDays);
    if (at(date) > now) break;
    due.push({
      key,
      at: at(date),
      date,
      type: step.level === 1 ? 'overdue' : 'escalation',
      level: step.level,
    });
  }
  const top = due.at(-1);
  if (!top) return null;
  // Repeats that fell due after the last ladder step: the one notice covers them too.
  let repeat: string | null = null;
  if (policy.repeatEveryWorkingDays > 0) {
    const lastLadder = Math.max(0, ...policy.escalation.map((e) => e.afterWorkingDays));
    const ladderEnd = addWorkingDays(firstOverdueDay, lastLadder);
    let k = maxRepeatDone(s.chasesDone);
    while (at(addWorkingDays(ladderEnd, (k + 1) * policy.repeatEveryWorkingDays)) <= now) k++;
    if (k > maxRepeatDone(s.chasesDone)) repeat = `rep${k}`;
  }
  if (due.length === 1 && !repeat) return null;
  return {
    next: { ...top, overdueFrom: due[0]!.date },
    superseded: [...due.slice(0, -1).map((d) => d.key), ...(repeat ? [repeat] : [])],
  };
}

/**
 * While the item is back for rework: reminders count down to the rework due date (keys `w<round>.<offset>`,
 * one set per round), and the ladder runs on against the control date, whichever comes first. A return
 * does not move the control date, so an item returned after it stays overdue and its ladder goes on from
 * the level reached.
 */
function planRework(
  s: ItemState,
  policy: ChasePolicy,
  now: number,
  reworkDue: LocalDate,
  opts: PlanOptions = {},
): ChasePlan {
  const at = (d: LocalDate) => localTimeToInstant(d, policy.notifyAtMinute, policy.utcOffsetMinutes);
  const done = new Set(s.chasesDone);
  const ladder = ladderPlan(s, policy, now, done, addWorkingDays(s.currentDue, 1), at, opts);
  const offsets = policy.reworkReminderWorkingDaysBefore ?? policy.reminderWorkingDaysBefore;
  const reminders: ChaseStep[] = [...offsets]
    .sort((a, b) => b - a)
    .map((offset) => {
      const date = addWorkingDays(reworkDue, -offset);
      const key = `w${s.reviewRound}.${offset}`;
      return { key, at: at(date), date, type: 'reminder' as const, offset, due: reworkDue };
    })
    .filter((st) => !done.has(st.key));
  let reminder: ChasePlan = { next: null, superseded: [] };
  if (now >= at(addWorkingDays(reworkDue, 1))) {
    // The rework window has passed: its reminders are moot.
    reminder = { next: null, superseded: reminders.map((r) => r.key) };
  } else {
    const dueReminders = reminders.filter((r) => r.at <= now);
    const next = dueReminders.at(-1) ?? reminders[0] ?? null;
    reminder = { next, superseded: dueReminders.slice(0, -1).map((r) => r.key) };
  }
  if (reminder.next && (!ladder.next || reminder.next.at <= ladder.next.at)) return reminder;
  return { next: ladder.next, superseded: reminder.next ? [] : reminder.superseded };
}

/**
 * Every chase step due by `now` marked done without sending anything: a transition's own notice covers
 * it. A return for rework or a reopen after the control date tells the executor and the agency head
 * that the item is back (and overdue); the ladder steps and the repeat already due are not sent again
 * minutes later, and the item keeps the escalation level they stand for.
 */
export function coverDueChases(s: ItemState, policy: ChasePolicy, now: number): ItemState {
  let x = s;
  for (let i = 0; i < 64; i++) {
    const p = planChase(x, policy, now);
    if (!p.next || p.next.at > now) {
      return p.superseded.length ? { ...x, chasesDone: [...x.chasesDone, ...p.superseded] } : x;
    }
    x = applyChase(x, p.next, p.superseded);
  }
  return x;
}

/**
 * After the deadline moves (return for rework, approved extension, next reporting period), the
 * transition's own notice already states the new date. Reminders planned on or before that day are
 * marked done, so the executor is not told "due in 5 working days" minutes after "returned, new
 * deadline …" — and the workflow spends no action on it.
 */
export function skipRemindersCoveredByNotice(s: ItemState, policy: ChasePolicy, today: LocalDate): ItemState {
  const covered = reminderOffsets(s, policy)
    .filter((offset) => addWorkingDays(s.currentDue, -offset) <= today)
    .map((offset) => `r${offset}`)
    .filter((key) => !s.chasesDone.includes(key));
  return covered.length ? { ...s, chasesDone: [...s.chasesDone, ...covered] } : s;
}

/** State after acting on a chase step (pure; the activity persists the same values). */
export function applyChase(s: ItemState, step: ChaseStep, superseded: string[] = []): ItemState {
  const chasesDone = [
    ...s.chasesDone.filter((k) => !(step.type === 'repeat' && k.startsWith('rep'))),
    ...superseded,
    step.key,
  ];
  if (step.type === 'reminder') return { ...s, chasesDone };
  return {
    ...s,
    chasesDone,
    escalationLevel:
      step.level !== undefined
        ? (Math.max(s.escalationLevel, step.level) as EscalationLevel)
        : s.escalationLevel,
    overdueSince: s.overdueSince ?? step.overdueFrom ?? step.date,
  };
}

/** Roadmap (or item) overrides on top of the default, in the region's offset. */
export function resolvePolicy(
  overrides: Partial<ChasePolicy> | null | undefined,
  utcOffsetMinutes: number,
): ChasePolicy {
  return { ...DEFAULT_CHASE_POLICY, ...(overrides ?? {}), utcOffsetMinutes };
}
