import { addWorkingDays } from '../calendar/index.ts';
import type { ItemKind, ItemStatus } from '../control-item/index.ts';
import {
  isOverdue as isItemOverdue,
  LATENESS_UNIT,
  overdueWorkingDays,
  WAITING_ON_EXECUTOR,
} from '../control-item/lateness.ts';
import { addDays, instantToLocalDate, type LocalDate } from '../local-date.ts';

// The weekly digest: an immutable snapshot stored with the check-in (check_in.digest). Everything a page,
// an email or an export shows comes from here, never from live data, so last week's digest stays last
// week's. Assembly is pure: read models fetch rows, assembleDigest() counts, sorts and ranks.

export const DIGEST_VERSION = 1;

export interface DigestItem {
  id: number;
  number: string | null;
  kind: ItemKind;
  titleRu: string;
  titleEn: string | null;
  agencyId: number;
  due: LocalDate;
  status: ItemStatus;
}

export interface DigestAgency {
  id: number;
  code: string;
  nameRu: string;
  nameEn: string;
}

export interface DigestTotals {
  /** Items of the roadmap, cancelled ones excluded. */
  total: number;
  done: number;
  /** Not done (assigned, in progress, under review, returned). */
  open: number;
  /** Open, waiting on the executor, past the deadline. */
  overdue: number;
  /** Open, not overdue, due within policy.atRiskWorkingDays working days, waiting on the executor. */
  atRisk: number;
  /** Reports under review by the working group. */
  submitted: number;
}

export interface LeagueRow {
  agencyId: number;
  rank: number;
  total: number;
  done: number;
  doneOnTime: number;
  open: number;
  overdue: number;
  /** Share of items on track: open and not overdue, or done on time (null without items). */
  onTrackRate: number | null;
  notesRequested: number;
  notesGiven: number;
}

export interface LifeSituationRow {
  id: number;
  code: string;
  titleRu: string;
  titleEn: string;
  total: number;
  done: number;
  overdue: number;
}

export interface KpiSeries {
  indicatorId: number;
  lifeSituationId: number;
  code: string;
  titleRu: string;
  titleEn: string;
  unit: string;
  higherIsBetter: boolean;
  points: { period: string; plan: number | null; actual: number | null }[];
}

export interface DigestInstruction extends DigestItem {
  checkInId: number;
  specialControl: boolean;
  /** Given at the previous check-in ("what I asked for last week"); otherwise an older one under special control. */
  fromPrevious: boolean;
  overdue: boolean;
}

export interface DigestNote {
  itemId: number;
  number: string | null;
  titleRu: string;
  titleEn: string | null;
  agencyId: number;
  author: string | null;
  body: string;
}

export interface DigestRequest {
  agencyId: number;
  itemIds: number[];
  answeredAt: string | null;
  answeredBy: string | null;
  chasedAt: string | null;
}

/** What worries citizens at digest time (issue 16); absent from digests built before it. */
export interface DigestCitizens {
  period: string;
  votes: number;
  remarks: number;
  topics: {
    code: string;
    titleRu: string;
    titleEn: string;
    count: number;
    share: number;
    trend: number | null;
  }[];
  cases: { open: number; overdue: number; answered: number; fixed: number };
}

export interface DigestSnapshot {
  version: typeof DIGEST_VERSION;
  checkInId: number;
  roadmapId: number;
  previousCheckInId: number | null;
  meetingAt: string;
  meetingDate: LocalDate;
  generatedAt: string;
  today: LocalDate;
  /** Changes are counted from here: the previous digest, or a week before the meeting for the first one. */
  since: string;
  /** Built after the meeting time (backfill or outage): no status notes were asked for. */
  late: boolean;
  agencies: DigestAgency[];
  totals: DigestTotals;
  instructions: DigestInstruction[];
  changes: {
    closed: DigestItem[];
    newlyOverdue: DigestItem[];
    extensions: (DigestItem & { previousDue: LocalDate; newDue: LocalDate })[];
    rework: (DigestItem & { reason: string | null })[];
  };
  /** daysOverdue in working days (lateness.ts); snapshots without `latenessUnit` counted calendar days. */
  redList: (DigestItem & { escalationLevel: number; daysOverdue: number })[];
  latenessUnit?: typeof LATENESS_UNIT;
  upcoming: DigestItem[];
  league: LeagueRow[];
  lifeSituations: LifeSituationRow[];
  kpis: KpiSeries[];
  notes: DigestNote[];
  requests: DigestRequest[];
  citizens?: DigestCitizens;
}

// ---- Inputs: rows as the read models return them -------------------------------------------------------

export interface DigestItemRow {
  id: number;
  number: string | null;
  kind: ItemKind;
  title_ru: string;
  title_en: string | null;
  agency_id: number;
  status: ItemStatus;
  current_due: LocalDate;
  escalation_level: number;
  /** Accepted by the deadline, by the region's calendar (done items only). */
  done_on_time: boolean;
}

export interface DigestEventRow {
  item_id: number;
  type: 'accepted' | 'returned' | 'extension_approved';
  at: Date;
  /** Due dates before and after the event (audit views of the transition). */
  before_due: LocalDate | null;
  after_due: LocalDate | null;
  reason: string | null;
}

export interface DigestInput {
  checkInId: number;
  roadmapId: number;
  previousCheckInId: number | null;
  meetingAt: number;
  generatedAt: number;
  since: number;
  late: boolean;
  utcOffsetMinutes: number;
  atRiskWorkingDays: number;
  upcomingDays: number;
  items: DigestItemRow[];
  agencies: { id: number; code: string; short_ru: string | null; title_ru: string; title_en: string }[];
  events: DigestEventRow[];
  instructions: { item_id: number; check_in_id: number; special_control: boolean }[];
  notes: {
    item_id: number;
    number: string | null;
    title_ru: string;
    title_en: string | null;
    agency_id: number;
    author: string | null;
    body: string;
  }[];
  requests: {
    agency_id: number;
    item_ids: number[];
    answered_at: Date | null;
    answered_by: string | null;
    chased_at: Date | null;
  }[];
  lifeSituations: {
    id: number;
    code: string;
    title_ru: string;
    title_en: string;
    total: number;
    done: number;
    overdue: number;
  }[];
  kpis: {
    indicator_id: number;
    life_situation_id: number;
    code: string;
    title_ru: string;
    title_en: string;
    unit: string;
    higher_is_better: boolean;
    period: string;
    plan: number | null;
    actual: number | null;
  }[];
  /** How many latest periods of each KPI to keep. */
  kpiPeriods?: number;
  /** The citizens' voice section, as the read model gives it. */
  citizens?: DigestCitizens;
}

/** The same rule as db/read-models/items.ts overdueSql: open, waiting on the executor, past the deadline. */
export const isOverdue = (r: { status: ItemStatus; current_due: LocalDate }, today: LocalDate) =>
  isItemOverdue({ status: r.status, currentDue: r.current_due }, today);

const toItem = (r: DigestItemRow): DigestItem => ({
  id: r.id,
  number: r.number,
  kind: r.kind,
  titleRu: r.title_ru,
  titleEn: r.title_en,
  agencyId: r.agency_id,
  due: r.current_due,
  status: r.status,
});

const byDueThenId = (a: DigestItem, b: DigestItem) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.id - b.id);

export function assembleDigest(input: DigestInput): DigestSnapshot {
  const today = instantToLocalDate(input.generatedAt, input.utcOffsetMinutes);
  const sinceDate = instantToLocalDate(input.since, input.utcOffsetMinutes);
  const items = input.items.filter((r) => r.status !== 'cancelled');
  const byId = new Map(input.items.map((r) => [r.id, r]));
  const atRiskUntil = addWorkingDays(today, input.atRiskWorkingDays);
  const upcomingUntil = addDays(today, input.upcomingDays);
  const overdue = items.filter((r) => isOverdue(r, today));
  const open = items.filter((r) => r.status !== 'done');

  const totals: DigestTotals = {
    total: items.length,
    done: items.length - open.length,
    open: open.length,
    overdue: overdue.length,
    atRisk: open.filter(
      (r) => WAITING_ON_EXECUTOR.includes(r.status) && r.current_due >= today && r.current_due <= atRiskUntil,
    ).length,
    submitted: open.filter((r) => r.status === 'submitted').length,
  };

  // Changes since the previous digest, from the audit trail.
  const eventsOf = (type: DigestEventRow['type']) =>
    input.events
      .filter((e) => e.type === type && e.at.getTime() > input.since && e.at.getTime() <= input.generatedAt)
      .filter((e) => byId.has(e.item_id))
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.item_id - b.item_id);
  // Closed = accepted since and still done (an item reopened by a later decision is not news).
  const closed: DigestItem[] = [];
  for (const e of eventsOf('accepted')) {
    const r = byId.get(e.item_id)!;
    if (r.status === 'done' && !closed.some((c) => c.id === r.id)) closed.push(toItem(r));
  }
  const extensions = eventsOf('extension_approved').map((e) => ({
    ...toItem(byId.get(e.item_id)!),
    previousDue: e.before_due ?? byId.get(e.item_id)!.current_due,
    newDue: e.after_due ?? byId.get(e.item_id)!.current_due,
  }));
  const rework = eventsOf('returned').map((e) => ({ ...toItem(byId.get(e.item_id)!), reason: e.reason }));
  // Overdue now, not yet overdue on the day of the previous digest: the deadline fell on or after that day.
  const newlyOverdue = overdue
    .filter((r) => r.current_due >= sinceDate)
    .map(toItem)
    .sort(byDueThenId);

  const redList = overdue
    .map((r) => ({
      ...toItem(r),
      escalationLevel: r.escalation_level,
      daysOverdue: overdueWorkingDays({ status: r.status, currentDue: r.current_due }, today),
    }))
    .sort((a, b) => b.escalationLevel - a.escalationLevel || b.daysOverdue - a.daysOverdue || a.id - b.id);

  const upcoming = open
    .filter((r) => r.current_due >= today && r.current_due <= upcomingUntil)
    .map(toItem)
    .sort(byDueThenId);

  const instructions: DigestInstruction[] = input.instructions
    .filter((i) => byId.has(i.item_id))
    .map((i) => {
      const r = byId.get(i.item_id)!;
      return {
        ...toItem(r),
        checkInId: i.check_in_id,
        specialControl: i.special_control,
        fromPrevious: i.check_in_id === input.previousCheckInId,
        overdue: isOverdue(r, today),
      };
    })
    .sort((a, b) => Number(b.fromPrevious) - Number(a.fromPrevious) || byDueThenId(a, b));

  // League table of responsible agencies.
  const requested = new Map<number, Set<number>>();
  for (const q of input.requests) requested.set(q.agency_id, new Set(q.item_ids));
  const noted = new Set(input.notes.map((n) => n.item_id));
  const agg = new Map<number, LeagueRow>();
  for (const r of items) {
    const row =
      agg.get(r.agency_id) ??
      ({
        agencyId: r.agency_id,
        rank: 0,
        total: 0,
        done: 0,
        doneOnTime: 0,
        open: 0,
        overdue: 0,
        onTrackRate: null,
        notesRequested: requested.get(r.agency_id)?.size ?? 0,
        notesGiven: [...(requested.get(r.agency_id) ?? [])].filter((id) => noted.has(id)).length,
      } satisfies LeagueRow);
    row.total++;
    if (r.status === 'done') {
      row.done++;
      if (r.done_on_time) row.doneOnTime++;
    } else row.open++;
    if (isOverdue(r, today)) row.overdue++;
    agg.set(r.agency_id, row);
  }
  const league = [...agg.values()].map((row) => ({
    ...row,
    onTrackRate: row.total ? (row.open - row.overdue + row.doneOnTime) / row.total : null,
  }));
  const codeOf = new Map(input.agencies.map((a) => [a.id, a.code]));
  league.sort(
    (a, b) =>
      (b.onTrackRate ?? -1) - (a.onTrackRate ?? -1) ||
      a.overdue - b.overdue ||
      (codeOf.get(a.agencyId) ?? '').localeCompare(codeOf.get(b.agencyId) ?? ''),
  );
  league.forEach((row, i) => (row.rank = i + 1));

  const kpiPeriods = input.kpiPeriods ?? 4;
  const series = new Map<number, KpiSeries>();
  for (const k of [...input.kpis].sort(
    (a, b) => a.indicator_id - b.indicator_id || a.period.localeCompare(b.period),
  )) {
    const s =
      series.get(k.indicator_id) ??
      ({
        indicatorId: k.indicator_id,
        lifeSituationId: k.life_situation_id,
        code: k.code,
        titleRu: k.title_ru,
        titleEn: k.title_en,
        unit: k.unit,
        higherIsBetter: k.higher_is_better,
        points: [],
      } satisfies KpiSeries);
    s.points.push({ period: k.period, plan: k.plan, actual: k.actual });
    series.set(k.indicator_id, s);
  }
  for (const s of series.values()) s.points = s.points.slice(-kpiPeriods);

  const agencyIds = new Set<number>([
    ...items.map((r) => r.agency_id),
    ...input.requests.map((q) => q.agency_id),
    ...input.notes.map((n) => n.agency_id),
  ]);

  return {
    version: DIGEST_VERSION,
    checkInId: input.checkInId,
    roadmapId: input.roadmapId,
    previousCheckInId: input.previousCheckInId,
    meetingAt: new Date(input.meetingAt).toISOString(),
    meetingDate: instantToLocalDate(input.meetingAt, input.utcOffsetMinutes),
    generatedAt: new Date(input.generatedAt).toISOString(),
    today,
    since: new Date(input.since).toISOString(),
    late: input.late,
    agencies: input.agencies
      .filter((a) => agencyIds.has(a.id))
      .map((a) => ({ id: a.id, code: a.code, nameRu: a.short_ru ?? a.title_ru, nameEn: a.title_en }))
      .sort((a, b) => a.id - b.id),
    totals,
    instructions,
    changes: { closed, newlyOverdue, extensions, rework },
    redList,
    latenessUnit: LATENESS_UNIT,
    upcoming,
    league,
    lifeSituations: input.lifeSituations
      .filter((l) => l.total > 0)
      .map((l) => ({
        id: l.id,
        code: l.code,
        titleRu: l.title_ru,
        titleEn: l.title_en,
        total: l.total,
        done: l.done,
        overdue: l.overdue,
      })),
    kpis: [...series.values()],
    notes: [...input.notes]
      .sort((a, b) => a.agency_id - b.agency_id || a.item_id - b.item_id)
      .map((n) => ({
        itemId: n.item_id,
        number: n.number,
        titleRu: n.title_ru,
        titleEn: n.title_en,
        agencyId: n.agency_id,
        author: n.author,
        body: n.body,
      })),
    requests: [...input.requests]
      .sort((a, b) => a.agency_id - b.agency_id)
      .map((q) => ({
        agencyId: q.agency_id,
        itemIds: [...q.item_ids].sort((a, b) => a - b),
        answeredAt: q.answered_at?.toISOString() ?? null,
        answeredBy: q.answered_by,
        chasedAt: q.chased_at?.toISOString() ?? null,
      })),
    ...(input.citizens ? { citizens: input.citizens } : {}),
  };
}

/** Headline numbers for emails, lists and the workflow's result. */
export function digestSummary(d: DigestSnapshot) {
  const fromPrevious = d.instructions.filter((i) => i.fromPrevious);
  return {
    total: d.totals.total,
    done: d.totals.done,
    overdue: d.totals.overdue,
    atRisk: d.totals.atRisk,
    closed: d.changes.closed.length,
    newlyOverdue: d.changes.newlyOverdue.length,
    redList: d.redList.length,
    upcoming: d.upcoming.length,
    instructionsAsked: fromPrevious.length,
    instructionsDone: fromPrevious.filter((i) => i.status === 'done').length,
    notes: d.notes.length,
  };
}
export type DigestSummary = ReturnType<typeof digestSummary>;
