import type { ChasePolicy } from '../control-item/policy.ts';
import type { LocalDate } from '../local-date.ts';
import { code, optionalDate, optionalText, requiredText, type Problems } from './fields.ts';

// The programme's own reference data, kept by the working group: life situations and roadmaps.

export interface LifeSituationInput {
  code: string;
  titleRu: string;
  titleEn: string | null;
  level: 'federal' | 'regional';
  periodFrom: LocalDate | null;
  periodTo: LocalDate | null;
}

export function lifeSituationProblems(l: LifeSituationInput): Problems {
  const p: Problems = [];
  code(p, 'code', l.code);
  requiredText(p, 'titleRu', l.titleRu, 500);
  optionalText(p, 'titleEn', l.titleEn, 500);
  if (l.level !== 'federal' && l.level !== 'regional') p.push({ field: 'level', key: 'error.field.choice' });
  optionalDate(p, 'periodFrom', l.periodFrom);
  optionalDate(p, 'periodTo', l.periodTo);
  if (l.periodFrom && l.periodTo && l.periodFrom > l.periodTo)
    p.push({ field: 'periodTo', key: 'error.reference.periodOrder' });
  return p;
}

/**
 * A roadmap's chase policy as the working group sets it, all in working days: reminders before the
 * control date, before a rework due date and before each period of a recurring report; the escalation
 * ladder after the control date (executor, agency head, working group, leadership); repeat chasers.
 */
export interface RoadmapPolicyInput {
  reminders: number[];
  reworkReminders: number[];
  recurringReminders: number[];
  /** Working days after the control date for ladder levels 1…4. */
  ladder: [number, number, number, number];
  repeatEvery: number;
  reworkDays: number;
}

export interface RoadmapInput {
  code: string;
  titleRu: string;
  titleEn: string | null;
  /** The approving act («Распоряжение Правительства НСО от … № …»). */
  act: string | null;
  horizon: LocalDate | null;
  headSignoffRequired: boolean;
  /** null → the region's default policy. */
  policy: RoadmapPolicyInput | null;
}

export const POLICY_LIMITS = { offset: 60, offsets: 8, ladder: 120, repeat: 60, rework: 60 } as const;

function offsets(p: Problems, field: string, xs: number[], required: boolean) {
  if (required && xs.length === 0) p.push({ field, key: 'error.field.required' });
  else if (xs.length > POLICY_LIMITS.offsets)
    p.push({ field, key: 'error.reference.tooMany', params: { max: POLICY_LIMITS.offsets } });
  else if (xs.some((x) => !Number.isInteger(x) || x < 0 || x > POLICY_LIMITS.offset))
    p.push({ field, key: 'error.field.range', params: { min: 0, max: POLICY_LIMITS.offset } });
}

const whole = (p: Problems, field: string, x: number, min: number, max: number) => {
  if (!Number.isInteger(x) || x < min || x > max)
    p.push({ field, key: 'error.field.range', params: { min, max } });
};

export function roadmapPolicyProblems(x: RoadmapPolicyInput): Problems {
  const p: Problems = [];
  offsets(p, 'reminders', x.reminders, true);
  offsets(p, 'reworkReminders', x.reworkReminders, false);
  offsets(p, 'recurringReminders', x.recurringReminders, false);
  if (x.ladder.length !== 4) p.push({ field: 'ladder', key: 'error.reference.ladder' });
  else {
    x.ladder.forEach((d, i) => whole(p, `ladder${i + 1}`, d, 0, POLICY_LIMITS.ladder));
    // Each level is reached no earlier than the one below it.
    if (x.ladder.every((d) => Number.isInteger(d)) && x.ladder.some((d, i) => i > 0 && d < x.ladder[i - 1]!))
      p.push({ field: 'ladder', key: 'error.reference.ladder' });
  }
  whole(p, 'repeatEvery', x.repeatEvery, 0, POLICY_LIMITS.repeat);
  whole(p, 'reworkDays', x.reworkDays, 1, POLICY_LIMITS.rework);
  return p;
}

export function roadmapProblems(r: RoadmapInput): Problems {
  const p: Problems = [];
  code(p, 'code', r.code);
  requiredText(p, 'titleRu', r.titleRu, 500);
  optionalText(p, 'titleEn', r.titleEn, 500);
  optionalText(p, 'act', r.act, 1000);
  optionalDate(p, 'horizon', r.horizon);
  if (r.policy) p.push(...roadmapPolicyProblems(r.policy));
  return p;
}

const sortedDesc = (xs: number[]) => [...new Set(xs)].sort((a, b) => b - a);

/** The policy as the roadmap row stores it (the fields the region's policy lets a roadmap override). */
export function policyToStored(x: RoadmapPolicyInput): Partial<ChasePolicy> & Record<string, unknown> {
  return {
    reminderWorkingDaysBefore: sortedDesc(x.reminders),
    reworkReminderWorkingDaysBefore: sortedDesc(x.reworkReminders),
    recurringReminderWorkingDaysBefore: sortedDesc(x.recurringReminders),
    escalation: x.ladder.map((afterWorkingDays, i) => ({
      level: (i + 1) as 1 | 2 | 3 | 4,
      afterWorkingDays,
    })),
    repeatEveryWorkingDays: x.repeatEvery,
    reworkWorkingDays: x.reworkDays,
  };
}

/** The form's view of a stored (or the region's) policy. */
export function policyFromStored(
  own: Record<string, unknown> | null,
  base: ChasePolicy & { recurringReminderWorkingDaysBefore?: number[] },
): RoadmapPolicyInput {
  const p = { ...base, ...(own ?? {}) } as ChasePolicy & { recurringReminderWorkingDaysBefore?: number[] };
  const ladder = [1, 2, 3, 4].map(
    (l) => p.escalation.find((e) => e.level === l)?.afterWorkingDays ?? 0,
  ) as RoadmapPolicyInput['ladder'];
  return {
    reminders: p.reminderWorkingDaysBefore,
    reworkReminders: p.reworkReminderWorkingDaysBefore ?? [],
    recurringReminders: p.recurringReminderWorkingDaysBefore ?? [],
    ladder,
    repeatEvery: p.repeatEveryWorkingDays,
    reworkDays: p.reworkWorkingDays,
  };
}
