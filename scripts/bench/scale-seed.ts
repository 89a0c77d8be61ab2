import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { addWorkingDays, precedingWorkingDay } from '../../domain/calendar/index.ts';
import { ITEM_STATUSES, type ItemStatus } from '../../domain/control-item/index.ts';
import { addDays, type LocalDate } from '../../domain/local-date.ts';
import { createRandom } from '../../db/seed/random.ts';

export interface ScaleSize {
  agencies: number;
  lifeSituations: number;
  services: number;
  items: number;
}

export const FULL_SCALE: ScaleSize = { agencies: 200, lifeSituations: 40, services: 20_000, items: 100_000 };
export const QUICK_SCALE: ScaleSize = { agencies: 50, lifeSituations: 10, services: 2_000, items: 10_000 };

const CHUNK = 1_000;

const minDate = (a: LocalDate, b: LocalDate) => (a < b ? a : b);

async function chunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * A deterministic large region: agencies with a head and an executor each, life situations, services with
 * four quarters of scores (each linked to a life situation), items spread ±1 year around `today` in every
 * status with their audit trail (started, chases, submissions, returns, acceptance), submissions, and the
 * in-app notifications those events produce (chases to the agency's executor, reports to the working
 * group, whose inbox therefore holds one notice per report — `bench.wg`). Rows only: no workflows
 * (benchmarks start those when they need them).
 */
export async function seedScale(
  db: Db,
  size: ScaleSize,
  today: LocalDate,
  opts: { passwordHash?: string; dueRange?: [number, number]; history?: boolean } = {},
) {
  const history = opts.history ?? true;
  const passwordHash = opts.passwordHash ?? 'x';
  const [dueMin, dueMax] = opts.dueRange ?? [-365, 365];
  const r = createRandom(7);
  const agencies = await db
    .insertInto('agency')
    .values(
      Array.from({ length: size.agencies }, (_, i) => ({
        code: `A${i}`,
        title_ru: `Министерство № ${i} Тестовой области`,
        title_en: `Ministry no. ${i}`,
        short_ru: `Мин-во № ${i}`,
      })),
    )
    .returning('id')
    .execute();
  const agencyIds = agencies.map((a) => a.id);
  const users = await db
    .insertInto('app_user')
    .values([
      {
        login: 'bench.wg',
        display_name: 'Рабочая группа',
        password_hash: passwordHash,
        role: 'working_group',
        agency_id: null,
      },
      {
        login: 'bench.lead',
        display_name: 'Руководство',
        password_hash: passwordHash,
        role: 'leadership',
        agency_id: null,
      },
      ...agencyIds.flatMap((id, i) => [
        {
          login: `bench.h${i}`,
          display_name: `Руководитель ${i}`,
          password_hash: passwordHash,
          role: 'agency_head' as const,
          agency_id: id,
        },
        {
          login: `bench.e${i}`,
          display_name: `Исполнитель ${i}`,
          password_hash: passwordHash,
          role: 'agency_executor' as const,
          agency_id: id,
        },
      ]),
    ])
    .returning(['id', 'role', 'agency_id'])
    .execute();
  const execOf = new Map(users.filter((u) => u.role === 'agency_executor').map((u) => [u.agency_id!, u.id]));
  const ls = await db
    .insertInto('life_situation')
    .values(
      Array.from({ length: size.lifeSituations }, (_, i) => ({
        code: `LS${i}`,
        title_ru: `Жизненная ситуация № ${i}`,
        title_en: `Life situation ${i}`,
        level: i % 3 === 0 ? ('regional' as const) : ('federal' as const),
        sort: i,
      })),
    )
    .returning('id')
    .execute();
  const lsIds = ls.map((l) => l.id);

  const services = Array.from({ length: size.services }, (_, i) => ({
    code: `S${i}`,
    title_ru: `Государственная услуга № ${i}`,
    agency_id: agencyIds[i % agencyIds.length]!,
    curator_user_id: execOf.get(agencyIds[i % agencyIds.length]!) ?? null,
    electronic: r.chance(0.7),
  }));
  const serviceIds: number[] = [];
  await chunked(services, async (c) =>
    serviceIds.push(...(await db.insertInto('service').values(c).returning('id').execute()).map((x) => x.id)),
  );
  const quarters = ['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3'];
  const scores = serviceIds.flatMap((id) => {
    const base = r.chance(0.3) ? null : 2.8 + r.next() * 2.2;
    return quarters.map((period) => ({
      service_id: id,
      period,
      avg_score: base === null ? null : Math.min(5, Math.round((base + (r.next() - 0.45) * 0.3) * 100) / 100),
      votes: base === null ? 0 : r.int(5, 3000),
    }));
  });
  await chunked(scores, (c) => db.insertInto('service_score').values(c).execute());
  await chunked(
    serviceIds.map((id, i) => ({ service_id: id, life_situation_id: lsIds[i % lsIds.length]! })),
    (c) => db.insertInto('service_life_situation').values(c).execute(),
  );

  const statuses: ItemStatus[] = [...ITEM_STATUSES];
  const items = Array.from({ length: size.items }, (_, i) => {
    const due = precedingWorkingDay(addDays(today, r.int(dueMin, dueMax)));
    const past = due < today;
    const status: ItemStatus = past
      ? r.weighted({ done: 70, in_progress: 12, returned: 5, submitted: 8, assigned: 3, cancelled: 2 })
      : r.pick(statuses.filter((s) => s !== 'cancelled'));
    const agency = agencyIds[i % agencyIds.length]!;
    const overdue = past && ['assigned', 'in_progress', 'returned'].includes(status);
    return {
      kind: 'measure' as const,
      number: String(i + 1),
      title_ru: `Мероприятие № ${i + 1}: внедрение стандарта клиентоцентричности`,
      agency_id: agency,
      co_agency_ids: r.chance(0.2) ? [agencyIds[(i + 7) % agencyIds.length]!] : [],
      executor_user_id: execOf.get(agency) ?? null,
      life_situation_id: lsIds[i % lsIds.length]!,
      status,
      original_due: due,
      current_due: due,
      review_round: status === 'returned' ? 1 : 0,
      escalation_level: overdue ? r.int(1, 4) : 0,
      overdue_since: overdue ? addWorkingDays(due, 1) : null,
      chases_sent: overdue ? r.int(1, 8) : r.int(0, 3),
      // Most are accepted on time; about one in six a few days late.
      accepted_at:
        status === 'done'
          ? new Date(
              `${minDate(addDays(due, r.chance(0.17) ? r.int(1, 20) : -r.int(0, 10)), addDays(today, -1))}T08:00:00Z`,
            )
          : null,
      created_at: new Date(`${addDays(due, -r.int(60, 420))}T02:00:00Z`),
    };
  });
  const itemIds: number[] = [];
  await chunked(items, async (c) =>
    itemIds.push(
      ...(await db.insertInto('control_item').values(c).returning('id').execute()).map((x) => x.id),
    ),
  );
  const wg = users.find((u) => u.role === 'working_group')!.id;
  const events: {
    event_key: string;
    control_item_id: number;
    type: string;
    at: Date;
    actor_user_id: number | null;
  }[] = [];
  const notes: {
    idempotency_key: string;
    recipient_user_id: number;
    control_item_id: number;
    kind: string;
    subject: string;
    body_text: string;
    created_at: Date;
    read_at: Date | null;
  }[] = [];
  const subs: {
    control_item_id: number;
    event_key: string;
    round: number;
    agency_id: number;
    body: string;
    submitted_at: Date;
    outcome: 'accepted' | 'returned' | null;
  }[] = [];
  const now = Date.now();
  const at = (d: LocalDate, hour: number) => new Date(`${d}T${String(hour).padStart(2, '0')}:00:00Z`);
  const notify = (id: number, key: string, to: number | null, kind: string, when: Date) => {
    if (!history || to === null || when.getTime() > now) return;
    notes.push({
      idempotency_key: `${key}:${to}`,
      recipient_user_id: to,
      control_item_id: id,
      kind,
      subject: `Мероприятие № ${id}: ${kind}`,
      body_text: `Уведомление по мероприятию № ${id}.\n\nОткрыть в Штабе: /items/${id}`,
      created_at: when,
      // Older notices have been read; the last fortnight's mostly not.
      read_at:
        now - when.getTime() > 14 * 86_400_000 || r.chance(0.5) ? new Date(when.getTime() + 3_600_000) : null,
    });
  };
  itemIds.forEach((id, i) => {
    const it = items[i]!;
    if (it.status === 'assigned' && !history) return;
    const start = addDays(it.original_due, -r.int(20, 60));
    if (it.status !== 'assigned') {
      events.push({
        event_key: `scale:${id}`,
        control_item_id: id,
        type: 'started',
        at: at(start, 3),
        actor_user_id: it.executor_user_id,
      });
    }
    if (!history) return;
    // Chases: reminders before the deadline, then the overdue ladder for overdue items.
    for (let k = 0; k < it.chases_sent; k++) {
      const overdue = it.overdue_since !== null && k > 0;
      const type = overdue
        ? k === 1
          ? 'chase.overdue'
          : k < 5
            ? 'chase.escalation'
            : 'chase.repeat'
        : 'chase.reminder';
      const when = at(
        overdue ? addWorkingDays(it.current_due, k) : addWorkingDays(it.current_due, -10 + 4 * k),
        2,
      );
      if (when.getTime() > now) break;
      events.push({
        event_key: `scale-c${k}:${id}`,
        control_item_id: id,
        type,
        at: when,
        actor_user_id: null,
      });
      notify(id, `scale-c${k}:${id}`, it.executor_user_id, type.slice(6), when);
    }
    const rounds =
      it.status === 'returned'
        ? 1
        : it.status === 'done' || it.status === 'submitted'
          ? 1 + (r.chance(0.15) ? 1 : 0)
          : 0;
    for (let round = 1; round <= rounds; round++) {
      const last = round === rounds;
      const submitted =
        it.status === 'done' && last
          ? new Date(it.accepted_at!.getTime() - 86_400_000)
          : at(minDate(addDays(it.original_due, -5 + round), addDays(today, -1)), 6);
      const key = `scale-s${round}:${id}`;
      const outcome =
        !last || it.status === 'returned' ? 'returned' : it.status === 'done' ? 'accepted' : null;
      subs.push({
        control_item_id: id,
        event_key: key,
        round,
        agency_id: it.agency_id,
        body: 'Отчёт',
        submitted_at: submitted,
        outcome,
      });
      events.push({
        event_key: key,
        control_item_id: id,
        type: 'submitted',
        at: submitted,
        actor_user_id: it.executor_user_id,
      });
      notify(id, key, wg, 'submitted', submitted);
      if (outcome) {
        const reviewed = new Date(submitted.getTime() + 4 * 3_600_000);
        const type = outcome === 'accepted' ? 'accepted' : 'returned';
        events.push({
          event_key: `scale-r${round}:${id}`,
          control_item_id: id,
          type,
          at: reviewed,
          actor_user_id: wg,
        });
        notify(id, `scale-r${round}:${id}`, it.executor_user_id, type, reviewed);
      }
    }
  });
  await chunked(events, (c) => db.insertInto('event').values(c).execute());
  await chunked(subs, (c) => db.insertInto('submission').values(c).execute());
  await chunked(notes, (c) => db.insertInto('notification').values(c).execute());
  await sql`analyze`.execute(db);
  return {
    agencyIds,
    lsIds,
    serviceIds,
    itemIds,
    rows:
      agencies.length +
      users.length +
      ls.length +
      services.length +
      scores.length +
      items.length +
      events.length +
      subs.length +
      notes.length,
  };
}
