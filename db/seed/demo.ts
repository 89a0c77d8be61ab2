import type { Transaction } from 'kysely';
import {
  addWorkingDays,
  isWorkingDay,
  precedingWorkingDay,
  workingDaysBetween,
} from '../../domain/calendar/index.ts';
import {
  dueForPeriod,
  periodEndOf,
  periodKeyOf,
  type ItemStatus,
  type Recurrence,
} from '../../domain/control-item/index.ts';
import { addDays, localTimeToInstant, type LocalDate } from '../../domain/local-date.ts';
import type { Db } from '../connect.ts';
import type { DB } from '../schema/index.ts';
import { CO_AGENCIES, LEAD_AGENCY, MEASURE_TEMPLATES, PROGRAMME_MEASURES } from './catalog/measures.ts';
import { PEOPLE, POSITIONS } from './catalog/people.ts';
import { AGENCY_SHORT_RU, EXTRA_AGENCIES, SERVICES } from './catalog/services.ts';
import { INDICATORS, TARGET_STATES } from './catalog/life-situations.ts';
import { createRandom, type Random } from './random.ts';
import { seedFeedback } from './feedback.ts';
import reference from './reference.json' with { type: 'json' };

/** The 6 federal pilots and 5 regional life situations of the Novosibirsk programme (README of the facts). */
export const PROGRAMME_LIFE_SITUATIONS = [
  'FLS-IZHS',
  'FLS-HUNT',
  'FLS-MEATMILK',
  'FLS-LARGEFAM',
  'FLS-DOCS',
  'FLS-RELOC',
  'RLS-NSO-EXTRACURR',
  'RLS-NSO-MKD',
  'RLS-NSO-DISAB',
  'RLS-NSO-KINDER',
  'RLS-NSO-POOR',
];

export interface DemoLogin {
  login: string;
  role: string;
  agency?: string;
  name: string;
}

export interface SeedSummary {
  agencies: number;
  users: number;
  lifeSituations: number;
  services: number;
  improvements: number;
  scores: number;
  items: number;
  overdue: number;
  /** Citizens' reviews and the curator cases they opened (issue 16). */
  reviews: number;
  cases: number;
  logins: DemoLogin[];
  password: string;
}

export interface SeedOptions {
  today: LocalDate;
  /** Hash of the shared demo password (argon2, made by the caller). */
  passwordHash: string;
  password: string;
  utcOffsetMinutes: number;
  seed?: number;
}

type Trx = Transaction<DB>;

/** Which target-state figure each indicator tracks. */
const INDICATOR_FIELD: Record<string, 'termDays' | 'visits' | 'shareOnline' | 'avgRating'> = {
  TERM_DAYS: 'termDays',
  VISITS: 'visits',
  SHARE_ONLINE: 'shareOnline',
  SATISFACTION: 'avgRating',
};

/**
 * Deadline windows (days from today) by the measure's place in a life situation's sequence: the target
 * state is described first, the optimisation plan next, checks follow, IT and regulation changes last.
 */
const PHASE_WINDOWS: [number, number][] = [
  [-230, -120],
  [-140, -30],
  [-50, 60],
  [20, 210],
];

const at = (d: LocalDate, minutes: number, offset: number) =>
  new Date(localTimeToInstant(d, minutes, offset));

/** Completed quarters before `today`, oldest first. */
export function lastQuarters(today: LocalDate, n: number): string[] {
  const out: string[] = [];
  let end = addDays(periodEndOf(today, 'quarterly'), 0);
  // the quarter containing today is not complete yet
  end = addDays(periodEndOf(addDays(end, -100), 'quarterly'), 0);
  for (let i = 0; i < n; i++) {
    out.unshift(periodKeyOf(end, 'quarterly'));
    end = periodEndOf(addDays(end, -95), 'quarterly');
  }
  return out;
}

/** Bands of the Aug 2025 Gosuslugi rating distribution (reference facts), as weights. */
function scoreBand(r: Random): number | null {
  const d = reference.gosuslugi_rating_distribution_2025_08;
  const band = r.weighted({
    five: d.exactly_5,
    high: d['4_5_to_5'],
    mid: d['4_to_4_5'],
    low: d.below_4,
    none: d.no_rating,
  });
  switch (band) {
    case 'five':
      return 5;
    case 'high':
      return 4.5 + r.int(0, 49) / 100;
    case 'mid':
      return 4 + r.int(0, 49) / 100;
    case 'low':
      return 2.8 + r.int(0, 119) / 100;
    case 'none':
      return null;
  }
}

async function insertAgencies(trx: Trx) {
  const rows = [
    ...reference.agencies
      .filter((a) => a.code !== 'MRG') // the working group is a role, not an executing agency
      .map((a) => ({
        code: a.code,
        title_ru: a.title_ru,
        title_en: a.title_en,
        short_ru: AGENCY_SHORT_RU[a.code] ?? null,
      })),
    ...EXTRA_AGENCIES.map((a) => ({
      code: a.code,
      title_ru: a.title_ru,
      title_en: a.title_en,
      short_ru: a.short_ru,
    })),
  ];
  const inserted = await trx.insertInto('agency').values(rows).returning(['id', 'code']).execute();
  return new Map(inserted.map((a) => [a.code, a.id]));
}

async function insertUsers(trx: Trx, agencies: Map<string, number>, passwordHash: string) {
  let p = 0;
  const person = () => {
    const x = PEOPLE[p++ % PEOPLE.length]!;
    return `${x.last} ${x.first} ${x.middle}`;
  };
  type NewUser = {
    login: string;
    role: DB['app_user']['role'];
    agency: string | null;
    position: string;
    locale?: 'ru' | 'en';
  };
  const list: NewUser[] = [
    { login: 'admin', role: 'admin', agency: null, position: POSITIONS.admin },
    { login: 'fzg', role: 'leadership', agency: null, position: POSITIONS.leadership },
    { login: 'rg', role: 'working_group', agency: null, position: POSITIONS.working_group },
    { login: 'rg2', role: 'working_group', agency: null, position: POSITIONS.working_group },
    { login: 'observer', role: 'observer', agency: null, position: 'Observer', locale: 'en' },
  ];
  for (const code of agencies.keys()) {
    list.push({
      login: `${code.toLowerCase()}.head`,
      role: 'agency_head',
      agency: code,
      position: POSITIONS.head,
    });
    list.push({
      login: `${code.toLowerCase()}.exec`,
      role: 'agency_executor',
      agency: code,
      position: POSITIONS.executor,
    });
  }
  const rows = list.map((u) => ({
    login: u.login,
    display_name: person(),
    email: `${u.login}@shtab.demo`,
    password_hash: passwordHash,
    role: u.role,
    agency_id: u.agency ? agencies.get(u.agency)! : null,
    position: u.position,
    locale: u.locale ?? 'ru',
  }));
  const inserted = await trx
    .insertInto('app_user')
    .values(rows)
    .returning(['id', 'login', 'role', 'agency_id', 'display_name'])
    .execute();
  return inserted;
}

export async function isSeeded(db: Db): Promise<boolean> {
  return (await db.selectFrom('agency').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/**
 * A realistic Russian demo: agencies, people, the 11 life situations with target states and indicators,
 * 190 services with a Gosuslugi-like score spread, and a 60-measure roadmap whose deadlines sit around
 * `today` (some done, some overdue, some under review). One transaction: all or nothing.
 *
 * Lifecycle history is written directly here (events, submissions, extensions) because it is the
 * roadmap's past; from now on each item's workflow is its only writer.
 */
export async function seedDemo(db: Db, o: SeedOptions): Promise<SeedSummary> {
  const summary = await seedProgramme(db, o);
  // The citizens' voice (issue 16) goes through the feedback intake, after the register is committed.
  const fb = await seedFeedback(db, {
    today: o.today,
    utcOffsetMinutes: o.utcOffsetMinutes,
    seed: o.seed ?? 20240301,
  });
  return { ...summary, reviews: fb.reviews, cases: fb.cases };
}

async function seedProgramme(db: Db, o: SeedOptions): Promise<Omit<SeedSummary, 'reviews' | 'cases'>> {
  const r = createRandom(o.seed ?? 20240301);
  const off = o.utcOffsetMinutes;
  return db.transaction().execute(async (trx) => {
    const agencies = await insertAgencies(trx);
    const users = await insertUsers(trx, agencies, o.passwordHash);
    const execOf = new Map(
      users.filter((u) => u.role === 'agency_executor').map((u) => [u.agency_id!, u.id]),
    );
    const headOf = new Map(users.filter((u) => u.role === 'agency_head').map((u) => [u.agency_id!, u.id]));
    const wg = users.find((u) => u.login === 'rg')!;

    // Life situations, target states, indicators.
    const lsRows = reference.life_situations
      .filter((l) => PROGRAMME_LIFE_SITUATIONS.includes(l.code))
      .map((l) => {
        const ts = TARGET_STATES[l.code];
        return {
          code: l.code,
          title_ru: l.title_ru,
          title_en: l.title_en,
          level: l.level as 'federal' | 'regional',
          audience: l.audience,
          sort: PROGRAMME_LIFE_SITUATIONS.indexOf(l.code),
          target_state: ts ? JSON.stringify(ts) : null,
        };
      });
    const lsInserted = await trx
      .insertInto('life_situation')
      .values(lsRows)
      .returning(['id', 'code'])
      .execute();
    const lsId = new Map(lsInserted.map((l) => [l.code, l.id]));
    const quarters = lastQuarters(o.today, 4);
    for (const l of lsInserted) {
      const ts = TARGET_STATES[l.code];
      for (const ind of INDICATORS) {
        const inserted = await trx
          .insertInto('indicator')
          .values({
            life_situation_id: l.id,
            code: ind.code,
            title_ru: ind.title_ru,
            title_en: ind.title_en,
            unit: ind.unit,
            higher_is_better: ind.higherIsBetter,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const key = INDICATOR_FIELD[ind.code];
        const from = ts && key ? ts.asIs[key] : 0;
        const to = ts && key ? ts.toBe[key] : 0;
        const values = quarters.map((period, i) => {
          const plan = from + ((to - from) * (i + 1)) / (quarters.length + 2);
          const actual = plan + (to - from) * (r.next() - 0.6) * 0.2;
          const round = (x: number) => Math.round(x * 100) / 100;
          return { indicator_id: inserted.id, period, plan: round(plan), actual: round(actual) };
        });
        await trx.insertInto('indicator_value').values(values).execute();
      }
    }

    // Services and scores.
    const svcRows = SERVICES.map((s) => ({
      code: s.code,
      title_ru: s.title_ru,
      title_en: s.title_en,
      agency_id: agencies.get(s.agency)!,
      curator_user_id: execOf.get(agencies.get(s.agency)!) ?? null,
      level: 'regional',
      electronic: s.electronic,
      proactive: s.proactive,
      socially_significant: s.sociallySignificant,
      channels: s.channels,
    }));
    const svcInserted = await trx.insertInto('service').values(svcRows).returning(['id', 'code']).execute();
    const svcId = new Map(svcInserted.map((s) => [s.code, s.id]));
    const links = SERVICES.flatMap((s) =>
      s.lifeSituations
        .filter((c) => lsId.has(c))
        .map((c) => ({ service_id: svcId.get(s.code)!, life_situation_id: lsId.get(c)! })),
    );
    if (links.length) await trx.insertInto('service_life_situation').values(links).execute();
    const scores: { service_id: number; period: string; avg_score: number | null; votes: number }[] = [];
    for (const s of svcInserted) {
      let score = scoreBand(r);
      for (const period of quarters) {
        if (score !== null) {
          // Quarter to quarter drift; low scorers tend to improve a little once the programme works on them.
          const drift = (r.next() - 0.45) * (score < 4 ? 0.35 : 0.15);
          score = Math.min(5, Math.max(1.5, Math.round((score + drift) * 100) / 100));
        }
        scores.push({
          service_id: s.id,
          period,
          avg_score: score,
          votes: score === null ? 0 : r.int(12, 2400),
        });
      }
    }
    for (let i = 0; i < scores.length; i += 500)
      await trx
        .insertInto('service_score')
        .values(scores.slice(i, i + 500))
        .execute();

    // Improvements of services that were low-scoring at the KPI's base period (the earliest quarter): some
    // already closed as improved by a later score, some waiting for the next score, some being planned.
    // Planned ones have no stage items yet: their serviceImprovement workflow opens them.
    const seriesOf = new Map<number, { period: string; avg: number | null; votes: number }[]>();
    for (const sc of scores) {
      seriesOf.set(sc.service_id, [
        ...(seriesOf.get(sc.service_id) ?? []),
        { period: sc.period, avg: sc.avg_score, votes: sc.votes },
      ]);
    }
    const svcMeta = new Map(svcInserted.map((s, i) => [s.id, SERVICES[i]!]));
    let improvementCount = 0;
    for (const [serviceId, series] of seriesOf) {
      const base = series[0]!;
      if (base.avg === null || base.votes === 0 || base.avg >= 4) continue;
      const meta = svcMeta.get(serviceId)!;
      const agencyId = agencies.get(meta.agency)!;
      const better = series.slice(1).find((x) => x.avg !== null && x.avg >= 4);
      const kind =
        better && r.chance(0.55)
          ? 'improved'
          : r.chance(0.35)
            ? 'awaiting_score'
            : r.chance(0.5)
              ? 'planning'
              : null;
      if (!kind) continue;
      improvementCount++;
      const planDue = precedingWorkingDay(
        addDays(o.today, kind === 'planning' ? r.int(20, 60) : -r.int(150, 250)),
      );
      const implDue = precedingWorkingDay(addDays(planDue, 90));
      let planItem: number | null = null;
      let implItem: number | null = null;
      if (kind !== 'planning') {
        const stageItem = async (title: string, due: LocalDate) =>
          (
            await trx
              .insertInto('control_item')
              .values({
                kind: 'service_improvement',
                title_ru: `${title} «${meta.title_ru}»`,
                title_en: null,
                deliverable: title.startsWith('План')
                  ? 'План мероприятий по повышению качества услуги'
                  : 'Отчёт о реализации плана',
                agency_id: agencyId,
                service_id: serviceId,
                executor_user_id: execOf.get(agencyId) ?? null,
                status: 'done',
                original_due: due,
                current_due: due,
                accepted_at: at(addWorkingDays(due, -2), 15 * 60, off),
                closed_at: at(addWorkingDays(due, -2), 15 * 60, off),
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id;
        const stageItemWithHistory = async (title: string, due: LocalDate) => {
          const id = await stageItem(title, due);
          const exec = execOf.get(agencyId) ?? null;
          const submitted = addWorkingDays(due, -4);
          await trx
            .insertInto('submission')
            .values({
              control_item_id: id,
              event_key: `seed-sub:${id}:1`,
              round: 1,
              agency_id: agencyId,
              author_user_id: exec,
              body: `${title}: документ подготовлен и согласован.`,
              links: JSON.stringify([]),
              submitted_at: at(submitted, 11 * 60, off),
              outcome: 'accepted',
              reviewer_user_id: wg.id,
              reviewed_at: at(addWorkingDays(due, -2), 15 * 60, off),
            })
            .execute();
          await trx
            .insertInto('event')
            .values([
              {
                event_key: `seed:${id}:1`,
                control_item_id: id,
                type: 'submitted',
                actor_user_id: exec,
                at: at(submitted, 11 * 60, off),
                data: '{}',
              },
              {
                event_key: `seed:${id}:2`,
                control_item_id: id,
                type: 'accepted',
                actor_user_id: wg.id,
                at: at(addWorkingDays(due, -2), 15 * 60, off),
                data: '{}',
              },
            ])
            .execute();
          return id;
        };
        planItem = await stageItemWithHistory('План улучшения услуги', planDue);
        implItem = await stageItemWithHistory('Реализация плана улучшения услуги', implDue);
      }
      await trx
        .insertInto('service_improvement')
        .values({
          service_id: serviceId,
          period_selected: base.period,
          baseline_avg: base.avg,
          target_avg: 4,
          status: kind,
          plan_due: planDue,
          implementation_due: implDue,
          plan_item_id: planItem,
          implementation_item_id: implItem,
          measure_after_period:
            kind === 'planning' ? null : kind === 'improved' ? base.period : quarters.at(-1)!,
          improved_period: kind === 'improved' ? better!.period : null,
          improved_avg: kind === 'improved' ? better!.avg : null,
          improved_at: kind === 'improved' ? at(addDays(o.today, -r.int(10, 60)), 12 * 60, off) : null,
          selected_by: wg.id,
        })
        .execute();
    }

    // The roadmap.
    const roadmap = await trx
      .insertInto('roadmap')
      .values({
        code: 'NSO-CC',
        title_ru:
          'План мероприятий («дорожная карта») по внедрению стандарта клиентоцентричности в Новосибирской области',
        title_en: 'Roadmap for implementing the client-centricity standard in Novosibirsk oblast',
        act: 'распоряжение Правительства Новосибирской области (демонстрационные данные)',
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    interface Plan {
      phase: number | null;
      number: string;
      title_ru: string;
      title_en: string;
      deliverable: string;
      type: string;
      agency: string;
      co: string[];
      ls: string | null;
      recurrence?: Recurrence;
    }
    const plans: Plan[] = [];
    PROGRAMME_LIFE_SITUATIONS.forEach((code, i) => {
      const ls = reference.life_situations.find((l) => l.code === code)!;
      MEASURE_TEMPLATES.forEach((tpl, j) => {
        plans.push({
          phase: j,
          number: `${i + 1}.${j + 1}`,
          title_ru: tpl.title_ru.replace('{ls}', `«${ls.title_ru}»`),
          title_en: tpl.title_en.replace('{ls}', `“${ls.title_en}”`),
          deliverable: tpl.deliverable_ru,
          type: tpl.type,
          agency: LEAD_AGENCY[code]!,
          co: CO_AGENCIES[code] ?? [],
          ls: code,
          ...(tpl.recurrence ? { recurrence: tpl.recurrence } : {}),
        });
      });
    });
    PROGRAMME_MEASURES.forEach((m, j) =>
      plans.push({
        phase: null,
        number: `${PROGRAMME_LIFE_SITUATIONS.length + 1}.${j + 1}`,
        title_ru: m.title_ru,
        title_en: m.title_en,
        deliverable: m.deliverable_ru,
        type: m.type,
        agency: m.agency,
        co: [],
        ls: null,
        ...(m.recurrence ? { recurrence: m.recurrence } : {}),
      }),
    );

    let overdueCount = 0;
    const approved = addDays(o.today, -300);
    for (const p of plans) {
      const agencyId = agencies.get(p.agency)!;
      const coIds = p.co.map((c) => agencies.get(c)!).filter((x) => x !== undefined && x !== agencyId);
      let recurrence: { key: string; until: LocalDate; dueDays: number } | null = null;
      let due: LocalDate;
      if (p.recurrence) {
        // The current period's report: due a few working days after the period ends.
        const dueDays = p.recurrence === 'monthly' ? 3 : 5;
        const periodStart = p.recurrence === 'monthly' ? addDays(o.today, -31) : addDays(o.today, -92);
        const periodEnd = periodEndOf(periodStart, p.recurrence);
        due = dueForPeriod(periodEnd, dueDays);
        recurrence = {
          key: periodKeyOf(periodStart, p.recurrence),
          until: periodEndOf(addDays(o.today, 400), 'yearly'),
          dueDays,
        };
      } else {
        // Deadlines from eight months ago to seven months ahead, clustered at month and quarter ends.
        const [lo, hi] = p.phase === null ? [-240, 200] : PHASE_WINDOWS[p.phase % PHASE_WINDOWS.length]!;
        const spread = r.int(lo, hi);
        const raw = addDays(o.today, spread);
        const monthEnd = periodEndOf(raw, r.chance(0.4) ? 'quarterly' : 'monthly');
        due = precedingWorkingDay(r.chance(0.7) ? monthEnd : raw);
      }

      // Pick a lifecycle consistent with the deadline.
      const wdLate = workingDaysBetween(due, o.today);
      let status: ItemStatus;
      if (wdLate > 3)
        status = r.weighted({ done: 62, in_progress: 14, returned: 8, assigned: 4, submitted: 12 });
      else if (wdLate > -10)
        status = r.weighted({ in_progress: 45, submitted: 25, done: 12, returned: 12, assigned: 6 });
      else status = r.weighted({ assigned: 35, in_progress: 48, submitted: 6, returned: 5, done: 6 });
      if (recurrence && status === 'done') status = 'in_progress';

      const extensionApproved = status !== 'assigned' && r.chance(0.15);
      const originalDue = extensionApproved ? precedingWorkingDay(addWorkingDays(due, -r.int(5, 25))) : due;
      const rounds =
        status === 'returned'
          ? r.int(1, 2)
          : status === 'done' || status === 'submitted'
            ? r.chance(0.25)
              ? 1
              : 0
            : 0;
      const open = status !== 'done';
      const overdue = open && status !== 'submitted' && wdLate >= 1;
      const escalation = overdue ? (wdLate >= 6 ? 4 : wdLate >= 4 ? 3 : wdLate >= 2 ? 2 : 1) : 0;
      if (overdue) overdueCount++;

      // Timeline dates (all before today).
      const clamp = (d: LocalDate) => (d > o.today ? o.today : d < approved ? approved : d);
      const startDate = clamp(addDays(approved, r.int(3, 40)));
      const acceptedDate =
        status === 'done'
          ? clamp(r.chance(0.8) ? addWorkingDays(due, -r.int(0, 8)) : addWorkingDays(due, r.int(1, 12)))
          : null;

      const item = await trx
        .insertInto('control_item')
        .values({
          kind: 'measure',
          roadmap_id: roadmap.id,
          number: p.number,
          title_ru: p.title_ru,
          title_en: p.title_en,
          deliverable: p.deliverable,
          measure_type: p.type,
          life_situation_id: p.ls ? lsId.get(p.ls)! : null,
          agency_id: agencyId,
          co_agency_ids: coIds,
          executor_user_id: execOf.get(agencyId) ?? null,
          status,
          original_due: originalDue,
          current_due: due,
          recurrence: p.recurrence ?? null,
          period_key: recurrence?.key ?? null,
          recurrence_until: recurrence?.until ?? null,
          recurrence_due_days: recurrence?.dueDays ?? null,
          review_round: rounds,
          // The last return gave the default rework window, which ended before the control date: due on it.
          rework_due: status === 'returned' ? due : null,
          escalation_level: escalation,
          overdue_since: overdue ? addWorkingDays(due, 1) : null,
          chases_sent: overdue ? escalation : 0,
          accepted_at: acceptedDate ? at(acceptedDate, 15 * 60, off) : null,
          closed_at: acceptedDate ? at(acceptedDate, 15 * 60, off) : null,
          created_at: at(approved, 10 * 60, off),
        })
        .returning('id')
        .executeTakeFirstOrThrow();

      // Its history.
      let n = 0;
      const ev = async (
        type: string,
        d: LocalDate,
        actor: number | null,
        data: Record<string, unknown> = {},
      ) => {
        await trx
          .insertInto('event')
          .values({
            event_key: `seed:${item.id}:${++n}`,
            control_item_id: item.id,
            type,
            actor_user_id: actor,
            at: at(d, 9 * 60 + n * 7, off),
            data: JSON.stringify(data),
          })
          .execute();
      };
      const exec = execOf.get(agencyId) ?? null;
      const sub = async (
        d: LocalDate,
        round: number,
        outcome: 'accepted' | 'returned' | null,
        reason?: string,
      ) => {
        await trx
          .insertInto('submission')
          .values({
            control_item_id: item.id,
            event_key: `seed-sub:${item.id}:${round}`,
            round,
            agency_id: agencyId,
            author_user_id: exec,
            body: `${p.deliverable}: подготовлен проект документа, направлен на рассмотрение рабочей группы (итерация ${round}).`,
            links: JSON.stringify([]),
            submitted_at: at(d, 11 * 60, off),
            outcome,
            review_reason: reason ?? null,
            reviewer_user_id: outcome ? wg.id : null,
            reviewed_at: outcome ? at(addWorkingDays(d, 2), 16 * 60, off) : null,
          })
          .execute();
      };

      if (status !== 'assigned') await ev('started', startDate, exec);
      if (extensionApproved) {
        const reqDate = clamp(addWorkingDays(originalDue, -3));
        await trx
          .insertInto('extension_request')
          .values({
            control_item_id: item.id,
            event_key: `seed-ext:${item.id}`,
            requested_by: headOf.get(agencyId) ?? null,
            previous_due: originalDue,
            requested_due: due,
            reason: 'Требуется межведомственное согласование проекта документа',
            status: 'approved',
            decided_by: wg.id,
            decided_at: at(clamp(addWorkingDays(reqDate, 1)), 14 * 60, off),
            created_at: at(reqDate, 10 * 60, off),
          })
          .execute();
        await ev('extension_requested', reqDate, headOf.get(agencyId) ?? null, {
          requestedDue: due,
          reason: 'Требуется межведомственное согласование проекта документа',
        });
        await ev('extension_approved', clamp(addWorkingDays(reqDate, 1)), wg.id, {});
      }
      for (let round = 1; round <= rounds; round++) {
        const d = clamp(addWorkingDays(due, -6 * (rounds - round + 2)));
        await sub(d, round, 'returned', 'Не приложен проект нормативного акта; уточните сроки этапов');
        await ev('submitted', d, exec);
        await ev('returned', clamp(addWorkingDays(d, 2)), wg.id, {
          reason: 'Не приложен проект нормативного акта; уточните сроки этапов',
        });
      }
      if (status === 'submitted') {
        const d = clamp(addWorkingDays(o.today, -r.int(1, 4)));
        await sub(d, rounds + 1, null);
        await ev('submitted', d, exec);
      }
      if (status === 'done' && acceptedDate) {
        const d = clamp(addWorkingDays(acceptedDate, -2));
        await sub(d, rounds + 1, 'accepted');
        await ev('submitted', d, exec);
        await ev('accepted', acceptedDate, wg.id);
      }
      if (overdue) {
        await ev('chase.overdue', clamp(addWorkingDays(due, 1)), null, { key: 'esc1', level: 1 });
        for (const [lvl, after] of [
          [2, 1],
          [3, 3],
          [4, 5],
        ] as const) {
          if (escalation >= lvl)
            await ev('chase.escalation', clamp(addWorkingDays(due, 1 + after)), null, {
              key: `esc${lvl}`,
              level: lvl,
            });
        }
      }
      // A few open items wait for an extension decision right now.
      if (open && status !== 'submitted' && !extensionApproved && r.chance(0.08)) {
        const requested = precedingWorkingDay(addDays(due > o.today ? due : o.today, r.int(20, 60)));
        if (isWorkingDay(requested) && requested > due) {
          await trx
            .insertInto('extension_request')
            .values({
              control_item_id: item.id,
              event_key: `seed-ext-pending:${item.id}`,
              requested_by: headOf.get(agencyId) ?? null,
              previous_due: due,
              requested_due: requested,
              reason: 'Изменение федерального законодательства, требуется доработка проекта',
              created_at: at(clamp(addWorkingDays(o.today, -1)), 10 * 60, off),
            })
            .execute();
          await ev('extension_requested', clamp(addWorkingDays(o.today, -1)), headOf.get(agencyId) ?? null, {
            requestedDue: requested,
            reason: 'Изменение федерального законодательства, требуется доработка проекта',
          });
        }
      }
    }

    const logins: DemoLogin[] = users
      .filter((u) =>
        ['admin', 'fzg', 'rg', 'observer', 'mtsr.head', 'mtsr.exec', 'mo.exec'].includes(u.login),
      )
      .map((u) => ({ login: u.login, role: u.role, name: u.display_name }));
    return {
      agencies: agencies.size,
      users: users.length,
      lifeSituations: lsInserted.length,
      services: svcInserted.length,
      improvements: improvementCount,
      scores: scores.length,
      items: plans.length,
      overdue: overdueCount,
      logins,
      password: o.password,
    };
  });
}
