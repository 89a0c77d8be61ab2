import type { FieldIssue } from '../errors.ts';
import { isWorkingDay, nextWorkingDay, precedingWorkingDay } from '../calendar/index.ts';
import { isLocalDate, type LocalDate } from '../local-date.ts';
import { isPeriodKey, parsePeriod } from './period.ts';
import { parseMinVotes, parseThreshold } from './rules.ts';
import { CHANNELS, CHECK_KINDS, type Channel, type CheckKind } from './types.ts';

/**
 * Validation of the service-quality forms. Pure: the web hands over the posted fields and gets either the
 * clean values or every problem by field (shown next to the field, with a 422).
 */

export type { FieldIssue } from '../errors.ts';
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldIssue[] };

export type FormData = Record<string, string | string[] | undefined>;

const one = (f: FormData, k: string): string => {
  const v = f[k];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};
const many = (f: FormData, k: string): string[] => {
  const v = f[k];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => x.trim()).filter(Boolean);
};
const checked = (f: FormData, k: string) => ['1', 'on', 'true'].includes(one(f, k));

class Collector {
  errors: FieldIssue[] = [];
  add(field: string, key: string, params?: FieldIssue['params']) {
    if (!this.errors.some((e) => e.field === field))
      this.errors.push({ field, key, ...(params ? { params } : {}) });
  }
  text(f: FormData, field: string, max: number, required = true): string {
    const v = one(f, field);
    if (!v && required) this.add(field, 'error.field.required');
    else if (v.length > max) this.add(field, 'error.field.tooLong', { max });
    return v;
  }
  id(f: FormData, field: string, required = true): number | null {
    const v = one(f, field);
    if (!v) {
      if (required) this.add(field, 'error.field.required');
      return null;
    }
    const n = /^\d{1,9}$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n <= 0) {
      this.add(field, 'error.svc.choose');
      return null;
    }
    return n;
  }
  ids(f: FormData, field: string): number[] {
    const out: number[] = [];
    for (const v of many(f, field)) {
      if (!/^\d{1,9}$/.test(v)) this.add(field, 'error.svc.choose');
      else out.push(Number(v));
    }
    return [...new Set(out)];
  }
  number(
    f: FormData,
    field: string,
    min: number,
    max: number,
    opts: { required?: boolean; integer?: boolean } = {},
  ) {
    const raw = one(f, field).replace(/\s/g, '').replace(',', '.');
    if (raw === '') {
      if (opts.required) this.add(field, 'error.field.required');
      return null;
    }
    const n = Number(raw);
    if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(raw) || !Number.isFinite(n)) {
      this.add(field, 'error.svc.number');
      return null;
    }
    if (opts.integer && !Number.isInteger(n)) {
      this.add(field, 'error.svc.integer');
      return null;
    }
    if (n < min || n > max) {
      this.add(field, 'error.svc.range', { min, max });
      return null;
    }
    return n;
  }
  date(f: FormData, field: string, required = true): LocalDate | null {
    const v = one(f, field);
    if (!v) {
      if (required) this.add(field, 'error.field.required');
      return null;
    }
    if (!isLocalDate(v)) {
      this.add(field, 'error.field.date');
      return null;
    }
    return v;
  }
  /** A deadline: not in the past; a non-working day moves to the preceding working day. */
  deadline(f: FormData, field: string, today: LocalDate): LocalDate | null {
    const d = this.date(f, field);
    if (d === null) return null;
    if (d < today) {
      this.add(field, 'error.date.past');
      return null;
    }
    const wd = isWorkingDay(d) ? d : precedingWorkingDay(d);
    return wd < today ? nextWorkingDay(today) : wd;
  }
  result<T>(value: T): FormResult<T> {
    return this.errors.length ? { ok: false, errors: this.errors } : { ok: true, value };
  }
}

export const SERVICE_LEVELS = ['regional', 'federal', 'municipal'] as const;

export interface ServiceForm {
  code: string;
  title_ru: string;
  title_en: string | null;
  agency_id: number;
  curator_user_id: number | null;
  level: (typeof SERVICE_LEVELS)[number];
  electronic: boolean;
  proactive: boolean;
  socially_significant: boolean;
  channels: Channel[];
  lifeSituationIds: number[];
  /** The rating direction or regional sphere (its code; checked against the table by the app layer). */
  direction: string | null;
}

/** Codes like "MTSR-001": letters, digits, dot, dash, slash, underscore. */
const CODE = /^[\p{L}\p{N}][\p{L}\p{N}._/-]{0,63}$/u;

export function parseServiceForm(f: FormData): FormResult<ServiceForm> {
  const c = new Collector();
  const code = c.text(f, 'code', 64);
  if (code && !CODE.test(code)) c.add('code', 'error.svc.code');
  const title_ru = c.text(f, 'title_ru', 1000);
  const title_en = c.text(f, 'title_en', 1000, false);
  const agency_id = c.id(f, 'agency_id');
  const curator_user_id = c.id(f, 'curator_user_id', false);
  const level = one(f, 'level') || 'regional';
  if (!(SERVICE_LEVELS as readonly string[]).includes(level)) c.add('level', 'error.svc.choose');
  const channels = many(f, 'channels');
  if (channels.some((ch) => !(CHANNELS as readonly string[]).includes(ch)))
    c.add('channels', 'error.svc.choose');
  const lifeSituationIds = c.ids(f, 'lifeSituationIds');
  const direction = one(f, 'direction');
  if (direction && !/^[A-Z][A-Z0-9-]{0,31}$/.test(direction)) c.add('direction', 'error.svc.choose');
  return c.result({
    code,
    title_ru,
    title_en: title_en || null,
    agency_id: agency_id ?? 0,
    curator_user_id,
    level: level as ServiceForm['level'],
    electronic: checked(f, 'electronic'),
    proactive: checked(f, 'proactive'),
    socially_significant: checked(f, 'socially_significant'),
    channels: [...new Set(channels)] as Channel[],
    lifeSituationIds,
    direction: direction || null,
  });
}

export interface SelectionForm {
  period: string;
  serviceIds: number[];
  target: number;
  planDue: LocalDate;
  implementationDue: LocalDate;
}

export function parseSelectionForm(f: FormData, today: LocalDate): FormResult<SelectionForm> {
  const c = new Collector();
  const period = parsePeriod(one(f, 'period'));
  if (!period) c.add('period', 'error.svc.period');
  const serviceIds = c.ids(f, 'service');
  if (serviceIds.length === 0) c.add('service', 'error.svc.selectServices');
  const target = c.number(f, 'target', 1, 5, { required: true });
  const planDue = c.deadline(f, 'planDue', today);
  const implementationDue = c.deadline(f, 'implementationDue', today);
  if (planDue && implementationDue && implementationDue <= planDue)
    c.add('implementationDue', 'error.svc.implementationAfterPlan');
  return c.result({
    period: period ?? '',
    serviceIds,
    target: target === null ? 0 : Math.round(target * 100) / 100,
    planDue: planDue ?? '',
    implementationDue: implementationDue ?? '',
  });
}

export interface SettingsForm {
  threshold: number;
  /** Minimum votes for a score to count; a form without the field keeps the default (1). */
  minVotes: number;
  basePeriod: string | null;
}

export function parseSettingsForm(f: FormData): FormResult<SettingsForm> {
  const c = new Collector();
  const threshold = parseThreshold(one(f, 'threshold'));
  if (threshold === null) c.add('threshold', 'error.svc.range', { min: 1, max: 5 });
  const rawVotes = one(f, 'minVotes');
  const minVotes = rawVotes === '' ? 1 : parseMinVotes(rawVotes);
  if (minVotes === null) c.add('minVotes', 'error.svc.range', { min: 1, max: 100000 });
  const raw = one(f, 'basePeriod');
  const basePeriod = raw ? parsePeriod(raw) : null;
  if (raw && !basePeriod) c.add('basePeriod', 'error.svc.period');
  return c.result({ threshold: threshold ?? 0, minVotes: minVotes ?? 1, basePeriod });
}

export interface ScheduleCheckForm {
  kind: CheckKind;
  scheduledOn: LocalDate;
  channel: Channel | null;
  inspectorUserId: number | null;
}

export function parseScheduleCheckForm(f: FormData): FormResult<ScheduleCheckForm> {
  const c = new Collector();
  const kind = one(f, 'kind');
  if (!(CHECK_KINDS as readonly string[]).includes(kind)) c.add('kind', 'error.svc.choose');
  const scheduledOn = c.date(f, 'scheduledOn');
  const channel = one(f, 'channel');
  if (channel && !(CHANNELS as readonly string[]).includes(channel)) c.add('channel', 'error.svc.choose');
  const inspectorUserId = c.id(f, 'inspectorUserId', false);
  return c.result({
    kind: kind as CheckKind,
    scheduledOn: scheduledOn ?? '',
    channel: (channel || null) as Channel | null,
    inspectorUserId,
  });
}

export interface FindingsForm {
  performedOn: LocalDate;
  steps: number | null;
  minutes: number | null;
  documentsAsked: number | null;
  documentsNote: string | null;
  issues: string | null;
}

export function parseFindingsForm(f: FormData, today: LocalDate): FormResult<FindingsForm> {
  const c = new Collector();
  const performedOn = c.date(f, 'performedOn');
  if (performedOn && performedOn > today) c.add('performedOn', 'error.svc.future');
  const steps = c.number(f, 'steps', 0, 1000, { integer: true });
  const minutes = c.number(f, 'minutes', 0, 100_000);
  const documentsAsked = c.number(f, 'documentsAsked', 0, 1000, { integer: true });
  const documentsNote = c.text(f, 'documentsNote', 4000, false);
  const issues = c.text(f, 'issues', 20_000, false);
  return c.result({
    performedOn: performedOn ?? '',
    steps,
    minutes: minutes === null ? null : Math.round(minutes * 10) / 10,
    documentsAsked,
    documentsNote: documentsNote || null,
    issues: issues || null,
  });
}

export interface RemediationForm {
  due: LocalDate;
  description: string;
}

export function parseRemediationForm(f: FormData, today: LocalDate): FormResult<RemediationForm> {
  const c = new Collector();
  const due = c.deadline(f, 'due', today);
  const description = c.text(f, 'description', 20_000);
  return c.result({ due: due ?? '', description });
}

export const TARGET_FIGURES = [
  'termDays',
  'visits',
  'documents',
  'applications',
  'shareOnline',
  'avgRating',
] as const;
export type TargetFigure = (typeof TARGET_FIGURES)[number];
const FIGURE_RANGE: Record<TargetFigure, [number, number, boolean]> = {
  termDays: [0, 3650, false],
  visits: [0, 100, true],
  documents: [0, 500, true],
  applications: [0, 500, true],
  shareOnline: [0, 100, false],
  avgRating: [1, 5, false],
};

export interface TargetStateForm {
  asIs: Partial<Record<TargetFigure, number>>;
  toBe: Partial<Record<TargetFigure, number>> & { eForm: boolean; proactive: boolean };
  asIsSteps: string[];
  scenarioSteps: string[];
  approvedBy: string | null;
  approvalDate: LocalDate | null;
}

const steps = (c: Collector, f: FormData, field: string) => {
  const lines = one(f, field)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > 50) c.add(field, 'error.svc.tooManySteps', { max: 50 });
  if (lines.some((l) => l.length > 1000)) c.add(field, 'error.field.tooLong', { max: 1000 });
  return lines;
};

/** Current vs target journey of a life situation (the 837-р template's figures and steps). */
export function parseTargetStateForm(f: FormData): FormResult<TargetStateForm> {
  const c = new Collector();
  const asIs: TargetStateForm['asIs'] = {};
  const toBe: TargetStateForm['toBe'] = {
    eForm: checked(f, 'toBe.eForm'),
    proactive: checked(f, 'toBe.proactive'),
  };
  for (const fig of TARGET_FIGURES) {
    const [min, max, integer] = FIGURE_RANGE[fig];
    const a = c.number(f, `asIs.${fig}`, min, max, { integer });
    const b = c.number(f, `toBe.${fig}`, min, max, { integer });
    if (a !== null) asIs[fig] = a;
    if (b !== null) toBe[fig] = b;
  }
  const asIsSteps = steps(c, f, 'asIsSteps');
  const scenarioSteps = steps(c, f, 'scenarioSteps');
  const approvedBy = c.text(f, 'approvedBy', 500, false);
  const approvalDate = c.date(f, 'approvalDate', false);
  return c.result({ asIs, toBe, asIsSteps, scenarioSteps, approvedBy: approvedBy || null, approvalDate });
}

export interface IndicatorValueForm {
  indicatorId: number;
  period: string;
  plan: number | null;
  actual: number | null;
}

export function parseIndicatorValueForm(f: FormData): FormResult<IndicatorValueForm> {
  const c = new Collector();
  const indicatorId = c.id(f, 'indicatorId');
  const rawPeriod = one(f, 'period');
  const period = rawPeriod ? parsePeriod(rawPeriod) : null;
  if (!rawPeriod) c.add('period', 'error.field.required');
  else if (!period || !isPeriodKey(period)) c.add('period', 'error.svc.period');
  const plan = c.number(f, 'plan', -1e9, 1e9);
  const actual = c.number(f, 'actual', -1e9, 1e9);
  if (plan === null && actual === null && !c.errors.some((e) => e.field === 'plan' || e.field === 'actual'))
    c.add('actual', 'error.svc.planOrActual');
  return c.result({ indicatorId: indicatorId ?? 0, period: period ?? '', plan, actual });
}
