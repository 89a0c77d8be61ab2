import type { Transaction } from 'kysely';
import { addWorkingDays, isWorkingDay, precedingWorkingDay } from '../../domain/calendar/index.ts';
import {
  assembleDigest,
  DEFAULT_CHECK_IN_POLICY,
  DEFAULT_MEETING_SLOT,
  instructionTitle,
  type DigestInput,
} from '../../domain/check-in/index.ts';
import { isOverdue } from '../../domain/control-item/index.ts';
import { addDays, isoWeekday, localTimeToInstant, type LocalDate } from '../../domain/local-date.ts';
import type { ControlItemUpdate, DB } from '../schema/index.ts';
import { digestEventsIn, digestRowsAt, itemAt, levelOf, type SeededItem } from './past-timeline.ts';

// The demo's past (issue 13): three weekly meetings with their status requests, notes, digests and
// minutes; about ten instructions — given at those meetings, from the red list, by the working group on
// the first deputy governor's behalf — some done on time, some late, some open, two assigned inside an
// agency (one reported late to its head and waiting for the head's sign-off); a measure's report waiting
// for sign-off; comments; mystery-shopping and timing checks with findings. Everything is dated relative
// to `today` on the working-day calendar (a meeting Friday that is a holiday is recorded as skipped), so
// the first start always shows the whole loop.

type Trx = Transaction<DB>;

interface User {
  id: number;
  login: string;
  role: string;
  agency_id: number | null;
  display_name: string;
}

export interface PastContext {
  today: LocalDate;
  utcOffsetMinutes: number;
  roadmapId: number;
  agencies: Map<string, number>;
  users: User[];
  /** The roadmap's measures as seeded, with their history. */
  measures: SeededItem[];
}

const NOTES = [
  'Проект документа на согласовании в юридическом отделе, заключение ожидаем до конца недели.',
  'Работы идут по графику, отчёт будет представлен в срок.',
  'Направлен запрос в Минфин о финансировании, ответ ожидаем в течение недели.',
  'Проект приказа подготовлен и направлен на подпись руководителю.',
  'Сервис на тестировании в ЕПГУ, замечания оператора устраняются.',
];

export async function seedPast(trx: Trx, o: PastContext) {
  const off = o.utcOffsetMinutes;
  const at = (d: LocalDate, minute: number) => new Date(localTimeToInstant(d, minute, off));
  const user = (login: string) => o.users.find((u) => u.login === login)!;
  const agency = (code: string) => o.agencies.get(code)!;
  const execOf = (agencyId: number) =>
    o.users.find((u) => u.role === 'agency_executor' && u.agency_id === agencyId)!;
  const headOf = (agencyId: number) =>
    o.users.find((u) => u.role === 'agency_head' && u.agency_id === agencyId)!;
  const fzg = user('fzg');
  const rg = user('rg');
  const yesterday = precedingWorkingDay(addDays(o.today, -1));
  /** A day of the story, never after the last working day before today and never before `lo`. */
  const past = (d: LocalDate, lo?: LocalDate) => {
    const x = d < o.today ? d : yesterday;
    return lo && x < lo ? lo : x;
  };
  const ref = (i: { id: number; number: string | null }) => (i.number ? `№ ${i.number}` : `#${i.id}`);

  // ---- The meetings: the last three held Fridays at 10:00 before today (a holiday Friday is skipped).
  const slot = DEFAULT_MEETING_SLOT;
  const fridays: { date: LocalDate; held: boolean }[] = [];
  for (let d = addDays(o.today, -1); fridays.filter((f) => f.held).length < 3; d = addDays(d, -1)) {
    if (isoWeekday(d) === slot.weekday) fridays.unshift({ date: d, held: isWorkingDay(d) });
  }
  const held = fridays.filter((f) => f.held).map((f) => f.date);
  const [m1, m2, m3] = held as [LocalDate, LocalDate, LocalDate];
  for (const f of fridays.filter((x) => !x.held)) {
    const c = await trx
      .insertInto('check_in')
      .values({ roadmap_id: o.roadmapId, meeting_at: at(f.date, slot.minute), status: 'skipped' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('event')
      .values({
        event_key: `seed-check-in-${c.id}:skipped`,
        check_in_id: c.id,
        type: 'check_in.skipped',
        at: at(f.date, slot.minute),
        data: JSON.stringify({ reason: 'holiday' }),
      })
      .execute();
  }

  // ---- Instructions: rows with their own history (the same events the workflow would have written).
  const instructions: SeededItem[] = [];
  /** Which meeting each instruction was given at. */
  const instructionMeeting = new Map<number, number>();
  const special = new Set<number>();
  interface Given {
    text: string;
    agency: string;
    co?: string[];
    due: LocalDate;
    created: Date;
    checkInId?: number | null;
    sourceItemId?: number | null;
    author: User | null;
    givenBy: User;
    specialControl?: boolean;
  }
  async function instruction(g: Given) {
    const agencyId = agency(g.agency);
    const exec = execOf(agencyId);
    const row = await trx
      .insertInto('control_item')
      .values({
        kind: 'instruction',
        roadmap_id: o.roadmapId,
        title_ru: instructionTitle(g.text),
        description: g.text,
        agency_id: agencyId,
        co_agency_ids: (g.co ?? []).map(agency),
        executor_user_id: exec.id,
        check_in_id: g.checkInId ?? null,
        source_item_id: g.sourceItemId ?? null,
        author_user_id: g.author?.id ?? null,
        given_by_user_id: g.givenBy.id,
        special_control: g.specialControl ?? false,
        original_due: g.due,
        current_due: g.due,
        created_at: g.created,
      })
      .returning(['id', 'number', 'title_ru'])
      .executeTakeFirstOrThrow();
    if (g.specialControl) special.add(row.id);
    const item: SeededItem = {
      id: row.id,
      number: null,
      kind: 'instruction',
      title_ru: row.title_ru,
      title_en: null,
      agency_id: agencyId,
      life_situation_id: null,
      originalDue: g.due,
      due: g.due,
      created: g.created,
      events: [],
    };
    instructions.push(item);
    let n = 0;
    const ev = async (type: string, when: Date, actor: number | null, data: Record<string, unknown> = {}) => {
      item.events.push({ type, at: when, data });
      await trx
        .insertInto('event')
        .values({
          event_key: `seed-instr:${row.id}:${++n}`,
          control_item_id: row.id,
          check_in_id: type === 'created' ? (g.checkInId ?? null) : null,
          type,
          actor_user_id: actor,
          at: when,
          data: JSON.stringify(data),
        })
        .execute();
    };
    await ev(g.checkInId ? 'created' : 'instruction_given', g.created, g.givenBy.id, {
      authorUserId: g.author?.id ?? null,
      onBehalf: g.author !== null && g.givenBy.id !== g.author.id,
      ...(g.checkInId ? { checkInId: g.checkInId } : {}),
      ...(g.sourceItemId ? { sourceItemId: g.sourceItemId } : {}),
      specialControl: g.specialControl ?? false,
    });
    let round = 0;
    const story = {
      row,
      item,
      exec,
      head: headOf(agencyId),
      /** Work starts the morning of `d`, or half an hour after the instruction when given that day. */
      started: (d: LocalDate) => {
        const morning = at(d, 9 * 60 + 30);
        const soon = new Date(g.created.getTime() + 30 * 60_000);
        return ev('started', morning > soon ? morning : soon, exec.id);
      },
      /** A report (by the executor, or the head's own); `reviewer` decides it on `decided`. */
      report: async (d: LocalDate, by: User, text: string, decided?: { on: LocalDate; by: User }) => {
        const when = at(d, 16 * 60);
        round++;
        await trx
          .insertInto('submission')
          .values({
            control_item_id: row.id,
            event_key: `seed-instr-sub:${row.id}:${round}`,
            round,
            agency_id: agencyId,
            author_user_id: by.id,
            body: text,
            links: JSON.stringify([]),
            submitted_at: when,
            outcome: decided ? 'accepted' : null,
            reviewer_user_id: decided?.by.id ?? null,
            reviewed_at: decided ? at(decided.on, 11 * 60) : null,
          })
          .execute();
        await ev('submitted', when, by.id);
        if (decided) await ev('accepted', at(decided.on, 11 * 60), decided.by.id);
      },
      /** The ladder's steps a control date passed by `until` (as the workflow would have recorded them). */
      chased: async (until: LocalDate) => {
        const level = levelOf(g.due, until);
        const steps: [number, number][] = [
          [1, 1],
          [2, 2],
          [3, 4],
          [4, 6],
        ];
        for (const [lvl, after] of steps)
          if (level >= lvl)
            await ev(
              lvl === 1 ? 'chase.overdue' : 'chase.escalation',
              at(addWorkingDays(g.due, after), 9 * 60),
              null,
              {
                key: `esc${lvl}`,
                level: lvl,
              },
            );
        return level;
      },
    };
    return story;
  }

  /** The item row after its story: status, escalation, acceptance, as the workflow would have left it. */
  async function settle(s: Awaited<ReturnType<typeof instruction>>, extra: ControlItemUpdate = {}) {
    const now = itemAt(s.item, at(o.today, 0), off);
    const overdue = isOverdue({ status: now.status, currentDue: now.due }, o.today);
    const acceptedEvent = s.item.events.find((e) => e.type === 'accepted');
    await trx
      .updateTable('control_item')
      .set({
        status: now.status,
        escalation_level: now.level,
        overdue_since: overdue ? addWorkingDays(now.due, 1) : null,
        chases_sent: s.item.events.filter((e) => e.type.startsWith('chase.')).length,
        accepted_at: acceptedEvent?.at ?? null,
        closed_at: acceptedEvent?.at ?? null,
        review_round: 0,
        ...extra,
      })
      .where('id', '=', s.row.id)
      .execute();
  }

  // I0: before the first meeting, from the red list; done on time and accepted by its author.
  const red0 = o.measures.find((m) => m.agency_id === agency('MZ')) ?? o.measures[0]!;
  const i0 = await instruction({
    text: 'Представить справку о причинах снижения оценок услуг в поликлиниках и план их повышения',
    agency: 'MZ',
    due: addWorkingDays(m1, -1),
    created: at(addWorkingDays(m1, -4), 12 * 60),
    sourceItemId: red0.id,
    author: fzg,
    givenBy: fzg,
  });
  await i0.started(addWorkingDays(m1, -3));
  await i0.report(
    addWorkingDays(m1, -2),
    i0.head,
    'Справка и план представлены, план утверждён приказом министерства.',
    {
      on: addWorkingDays(m1, -1),
      by: fzg,
    },
  );
  await settle(i0);

  // ---- Week by week: requests before each meeting, the digest at it, the minutes after it.
  let previous: { id: number; at: Date } | null = null;
  const meetingIds: number[] = [];
  const decisionsOf: Record<
    number,
    { text: string; item?: SeededItem; special?: boolean; due?: LocalDate }[]
  > = {};
  const lifeSituations = await trx
    .selectFrom('life_situation')
    .select(['id', 'code', 'title_ru', 'title_en'])
    .execute();
  const kpis = await trx
    .selectFrom('indicator as k')
    .innerJoin('indicator_value as v', 'v.indicator_id', 'k.id')
    .select([
      'k.id as indicator_id',
      'k.life_situation_id',
      'k.code',
      'k.title_ru',
      'k.title_en',
      'k.unit',
      'k.higher_is_better',
      'v.period',
      'v.plan',
      'v.actual',
    ])
    .orderBy('k.id')
    .orderBy('v.period')
    .execute();
  const allAgencies = await trx
    .selectFrom('agency')
    .select(['id', 'code', 'short_ru', 'title_ru', 'title_en'])
    .execute();

  for (const [k, m] of held.entries()) {
    const meetingAt = at(m, slot.minute);
    const ci = await trx
      .insertInto('check_in')
      .values({
        roadmap_id: o.roadmapId,
        meeting_at: meetingAt,
        status: 'closed',
        created_at: at(addWorkingDays(m, -5), slot.minute),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    meetingIds.push(ci.id);

    // Status requests two working days before, one chase of the silent on the eve; most agencies answer.
    const requestAt = at(addWorkingDays(m, -DEFAULT_CHECK_IN_POLICY.requestWorkingDaysBefore), 10 * 60);
    const eveAt = at(addWorkingDays(m, -1), 10 * 60);
    const all = [...o.measures, ...instructions];
    const waiting = digestRowsAt(all, requestAt, off).filter((r) =>
      ['assigned', 'in_progress', 'returned'].includes(r.status),
    );
    const byAgency = new Map<number, number[]>();
    for (const r of waiting) byAgency.set(r.agency_id, [...(byAgency.get(r.agency_id) ?? []), r.id]);
    const requests: DigestInput['requests'] = [];
    const notes: DigestInput['notes'] = [];
    let a = 0;
    for (const [agencyId, itemIds] of [...byAgency.entries()].sort((x, y) => x[0] - y[0])) {
      const silent = (a++ + k) % 4 === 3;
      const exec = execOf(agencyId);
      const answeredAt = silent ? null : at(addWorkingDays(m, -1), 15 * 60);
      await trx
        .insertInto('status_request')
        .values({
          check_in_id: ci.id,
          agency_id: agencyId,
          item_ids: itemIds,
          requested_at: requestAt,
          chased_at: silent ? eveAt : null,
          answered_at: answeredAt,
          answered_by: silent ? null : exec.id,
        })
        .execute();
      requests.push({
        agency_id: agencyId,
        item_ids: itemIds,
        answered_at: answeredAt,
        answered_by: silent ? null : exec.display_name,
        chased_at: silent ? eveAt : null,
      });
      if (silent) continue;
      for (const [j, itemId] of itemIds.entries()) {
        const body = NOTES[(itemId + k + j) % NOTES.length]!;
        await trx
          .insertInto('status_note')
          .values({
            check_in_id: ci.id,
            control_item_id: itemId,
            agency_id: agencyId,
            author_user_id: exec.id,
            body,
            created_at: answeredAt!,
          })
          .execute();
        const it = all.find((x) => x.id === itemId)!;
        notes.push({
          item_id: itemId,
          number: it.number,
          title_ru: it.title_ru,
          title_en: it.title_en,
          agency_id: agencyId,
          author: exec.display_name,
          body,
        });
      }
    }

    // The digest as the meeting saw it.
    const since = previous?.at ?? new Date(meetingAt.getTime() - 7 * 86_400_000);
    const rows = digestRowsAt(all, meetingAt, off);
    const measureRows = rows.filter((r) => r.kind === 'measure');
    const open = (i: SeededItem) => !['done', 'cancelled'].includes(itemAt(i, meetingAt, off).status);
    const closedSince = (i: SeededItem) =>
      i.events.some(
        (e) => (e.type === 'accepted' || e.type === 'cancelled') && e.at > since && e.at <= meetingAt,
      );
    const digest = assembleDigest({
      checkInId: ci.id,
      roadmapId: o.roadmapId,
      previousCheckInId: previous?.id ?? null,
      meetingAt: meetingAt.getTime(),
      generatedAt: meetingAt.getTime(),
      since: since.getTime(),
      late: false,
      utcOffsetMinutes: off,
      atRiskWorkingDays: DEFAULT_CHECK_IN_POLICY.atRiskWorkingDays,
      upcomingDays: DEFAULT_CHECK_IN_POLICY.upcomingDays,
      items: rows,
      agencies: allAgencies,
      events: digestEventsIn(all, since, meetingAt),
      instructions: instructions
        .filter((i) => i.created <= meetingAt)
        .filter((i) => {
          const given = i.created > since || instructionMeeting.get(i.id) === previous?.id;
          return given || (special.has(i.id) && (open(i) || closedSince(i)));
        })
        .map((i) => ({
          item_id: i.id,
          check_in_id: instructionMeeting.get(i.id) ?? null,
          special_control: special.has(i.id),
          given_since: i.created > since || instructionMeeting.get(i.id) === previous?.id,
        })),
      notes,
      requests,
      lifeSituations: lifeSituations.map((l) => {
        const mine = measureRows.filter(
          (r) => o.measures.find((x) => x.id === r.id)?.life_situation_id === l.id,
        );
        return {
          ...l,
          total: mine.filter((r) => r.status !== 'cancelled').length,
          done: mine.filter((r) => r.status === 'done').length,
          overdue: mine.filter((r) => isOverdue({ status: r.status, currentDue: r.current_due }, m)).length,
        };
      }),
      kpis,
    });
    await trx
      .updateTable('check_in')
      .set({ digest: JSON.stringify(digest), digest_at: meetingAt })
      .where('id', '=', ci.id)
      .execute();
    await trx
      .insertInto('event')
      .values({
        event_key: `check-in-${ci.id}:digest`,
        check_in_id: ci.id,
        type: 'check_in.digest_built',
        at: meetingAt,
        data: JSON.stringify({ seeded: true }),
      })
      .execute();

    // The minutes, recorded after the meeting; their instructions are put under control.
    const story = await meetingInstructions(k, m, ci.id);
    decisionsOf[ci.id] = story;
    const minutesAt = at(m, 15 * 60);
    const minutesText = MINUTES[k]!;
    await trx.updateTable('check_in').set({ minutes: minutesText }).where('id', '=', ci.id).execute();
    for (const [seq, d] of story.entries()) {
      await trx
        .insertInto('check_in_decision')
        .values({
          check_in_id: ci.id,
          seq: seq + 1,
          text: d.text,
          agency_id: d.item?.agency_id ?? null,
          co_agency_ids: [],
          due: d.item ? d.due! : null,
          special_control: d.special ?? false,
          control_item_id: d.item?.id ?? null,
          created_by: rg.id,
          created_at: minutesAt,
        })
        .execute();
    }
    await trx
      .insertInto('event')
      .values({
        event_key: `seed-check-in-${ci.id}:minutes`,
        check_in_id: ci.id,
        type: 'check_in.minutes_recorded',
        actor_user_id: rg.id,
        at: minutesAt,
        data: JSON.stringify({
          decisions: story.length,
          instructions: story.filter((d) => d.item).map((d) => d.item!.id),
        }),
      })
      .execute();
    previous = { id: ci.id, at: meetingAt };
  }

  /** The instructions of meeting k (0, 1, 2) with their stories up to today. */
  async function meetingInstructions(k: number, m: LocalDate, checkInId: number) {
    const created = at(m, 15 * 60);
    const given = (g: Omit<Given, 'created' | 'checkInId' | 'author' | 'givenBy'>) =>
      instruction({ ...g, created, checkInId, author: null, givenBy: rg });
    const out: { text: string; item?: SeededItem; special?: boolean; due?: LocalDate }[] = [];
    const add = async (
      s: Awaited<ReturnType<typeof instruction>>,
      text: string,
      due: LocalDate,
      sp = false,
    ) => {
      instructionMeeting.set(s.row.id, checkInId);
      out.push({ text, item: s.item, due, special: sp });
    };
    if (k === 0) {
      out.push({ text: 'Принять к сведению информацию рабочей группы о ходе реализации дорожной карты.' });
      // I1: done on time.
      const t1 =
        'Обеспечить подачу заявления на статус многодетной семьи через Госуслуги без посещения МФЦ; доложить о готовности сервиса';
      const d1 = addWorkingDays(m, 8);
      const i1 = await given({ text: t1, agency: 'MTSR', co: ['MFC'], due: d1 });
      await i1.started(past(addWorkingDays(m, 1)));
      await i1.report(
        past(addWorkingDays(m, 6)),
        i1.exec,
        'Сервис запущен в промышленную эксплуатацию, заявления принимаются через ЕПГУ.',
        {
          on: past(addWorkingDays(m, 7)),
          by: rg,
        },
      );
      await settle(i1);
      await add(i1, t1, d1);
      // I2: done late.
      const t2 =
        'Представить план перевода региональных услуг в электронный вид на 2027 год с указанием ответственных';
      const d2 = addWorkingDays(m, 3);
      const i2 = await given({ text: t2, agency: 'MCR', due: d2 });
      await i2.started(past(addWorkingDays(m, 1)));
      await i2.chased(past(addWorkingDays(m, 7)));
      await i2.report(
        past(addWorkingDays(m, 7)),
        i2.head,
        'План перевода услуг согласован с ведомствами и представлен.',
        {
          on: past(addWorkingDays(m, 8)),
          by: rg,
        },
      );
      await settle(i2);
      await add(i2, t2, d2);
      // I3: under special control, open.
      const t3 =
        'Еженедельно докладывать о сокращении очередей в МФЦ и времени ожидания в зонах обслуживания';
      const d3 = addWorkingDays(o.today, 15);
      const i3 = await given({ text: t3, agency: 'MFC', due: d3, specialControl: true });
      await i3.started(past(addWorkingDays(m, 1)));
      await settle(i3);
      await add(i3, t3, d3, true);
    }
    if (k === 1) {
      // I4: done on time.
      const t4 =
        'Провести совещание с муниципалитетами по срокам зачисления в детские сады и доложить о результатах';
      const d4 = addWorkingDays(m, 4);
      const i4 = await given({ text: t4, agency: 'MO', due: d4 });
      await i4.started(past(addWorkingDays(m, 1)));
      await i4.report(
        past(addWorkingDays(m, 3)),
        i4.head,
        'Совещание проведено, согласован единый график зачисления.',
        {
          on: past(addWorkingDays(m, 4)),
          by: rg,
        },
      );
      await settle(i4);
      await add(i4, t4, d4);
      // I5: overdue, nobody reported: on the red list.
      const t5 =
        'Разработать порядок проактивного уведомления застройщиков о выдаче разрешений на строительство ИЖС';
      const d5 = past(addWorkingDays(m, 3));
      const i5 = await given({ text: t5, agency: 'MS', due: d5 });
      await i5.started(past(addWorkingDays(m, 1)));
      await i5.chased(o.today);
      await settle(i5);
      await add(i5, t5, d5);
      await comment(
        i5.item,
        i5.exec,
        at(past(addWorkingDays(m, 4)), 12 * 60),
        'Проект порядка на согласовании в Минцифры, ответ ожидаем до конца недели.',
      );
      await comment(
        i5.item,
        fzg,
        at(past(addWorkingDays(m, 5)), 9 * 60 + 40),
        'Прошу ускорить согласование и доложить о новом сроке.',
      );
      // I6: the head assigned it inside the agency; the executor reported late and it waits for the head's sign-off.
      const t6 = 'Подготовить предложения по упрощению назначения ежемесячной выплаты на ребёнка-инвалида';
      const d6 = addWorkingDays(o.today, 6);
      const i6 = await given({ text: t6, agency: 'MTSR', due: d6 });
      const assignedOn = past(addWorkingDays(m, 1));
      const internalDue = past(addWorkingDays(m, 3), assignedOn);
      const reportedOn = past(addWorkingDays(m, 5), assignedOn);
      await assign(i6, assignedOn, internalDue, 'Подготовьте проект с расчётом численности получателей.', {
        reportedOn,
      });
      await i6.started(assignedOn);
      await reportToHead(
        i6,
        reportedOn,
        'Предложения подготовлены: сокращение перечня документов с 7 до 3, назначение по данным СФР.',
      );
      await settle(i6, { signoff_pending: true, executor_user_id: i6.exec.id });
      await add(i6, t6, d6);
      out.push({
        text: 'Рабочей группе подготовить к следующему совещанию рейтинг ведомств по своевременности отчётов.',
      });
    }
    if (k === 2) {
      // I7: assigned inside the agency, open, internal deadline ahead.
      const t7 =
        'Актуализировать перечень документов для статуса малоимущей семьи, исключив получаемые через СМЭВ';
      const d7 = addWorkingDays(o.today, 10);
      const i7 = await given({ text: t7, agency: 'MTSR', co: ['MFC'], due: d7 });
      const internal = addWorkingDays(o.today, 3);
      await assign(i7, past(m), internal, 'Согласуйте перечень с МФЦ до внутреннего срока.', {});
      await settle(i7, { executor_user_id: i7.exec.id });
      await add(i7, t7, d7);
      // I8: reported by the head; its author (the first deputy governor) has it to accept.
      const t8 = 'Подготовить информацию о сроках выдачи повторных свидетельств о браке через Госуслуги';
      const d8 = addWorkingDays(o.today, 5);
      const i8 = await instruction({
        text: t8,
        agency: 'ZAGS',
        due: d8,
        created,
        checkInId,
        author: fzg,
        givenBy: rg,
      });
      await i8.started(past(m));
      await i8.report(
        past(m),
        i8.head,
        'Срок выдачи повторного свидетельства через ЕПГУ — 1 рабочий день; статистика за квартал прилагается.',
      );
      await settle(i8);
      await add(i8, t8, d8);
      out.push({ text: 'Одобрить предложения рабочей группы по формату еженедельной сводки.' });
    }
    return out;
  }

  async function assign(
    s: Awaited<ReturnType<typeof instruction>>,
    on: LocalDate,
    internalDue: LocalDate,
    note: string,
    o2: { reportedOn?: LocalDate },
  ) {
    const when = new Date(Math.max(at(on, 11 * 60).getTime(), s.item.created.getTime() + 60 * 60_000));
    const a = await trx
      .insertInto('assignment')
      .values({
        control_item_id: s.row.id,
        agency_id: s.item.agency_id,
        assignee_user_id: s.exec.id,
        assigned_by: s.head.id,
        internal_due: internalDue,
        note,
        status: o2.reportedOn ? 'reported' : 'open',
        event_key: `seed-assignment:${s.row.id}`,
        created_at: when,
        closed_at: o2.reportedOn ? at(o2.reportedOn, 16 * 60) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('event')
      .values({
        event_key: `seed-assignment:${s.row.id}`,
        control_item_id: s.row.id,
        type: 'assignment.created',
        actor_user_id: s.head.id,
        at: when,
        data: JSON.stringify({
          assignmentId: a.id,
          assigneeUserId: s.exec.id,
          assignee: s.exec.display_name,
          internalDue,
          note,
        }),
      })
      .execute();
    if (o2.reportedOn)
      await trx
        .insertInto('event')
        .values({
          event_key: `assignment-${a.id}:reported`,
          control_item_id: s.row.id,
          type: 'assignment.reported',
          at: at(o2.reportedOn, 16 * 60),
          data: JSON.stringify({ assignmentId: a.id }),
        })
        .execute();
  }

  /** An executor's report waiting for the head's sign-off (the roadmap's rule). */
  async function reportToHead(
    s: { row: { id: number }; item: SeededItem; exec: User },
    on: LocalDate,
    text: string,
  ) {
    const when = at(on, 16 * 60);
    await trx
      .insertInto('submission')
      .values({
        control_item_id: s.row.id,
        event_key: `seed-signoff:${s.row.id}`,
        round: 1,
        agency_id: s.item.agency_id,
        author_user_id: s.exec.id,
        body: text,
        links: JSON.stringify([]),
        submitted_at: when,
        signoff_status: 'pending',
      })
      .execute();
    s.item.events.push({ type: 'signoff_requested', at: when, data: {} });
    await trx
      .insertInto('event')
      .values({
        event_key: `seed-signoff:${s.row.id}`,
        control_item_id: s.row.id,
        type: 'signoff_requested',
        actor_user_id: s.exec.id,
        at: when,
        data: JSON.stringify({ text }),
      })
      .execute();
  }

  async function comment(item: SeededItem, by: User, when: Date, body: string) {
    const key = `seed-comment:${item.id}:${when.getTime()}`;
    await trx
      .insertInto('item_comment')
      .values({ control_item_id: item.id, author_user_id: by.id, event_key: key, body, created_at: when })
      .execute();
    await trx
      .insertInto('event')
      .values({
        event_key: key,
        control_item_id: item.id,
        type: 'comment.added',
        actor_user_id: by.id,
        at: when,
        data: '{}',
      })
      .execute();
  }
  // ---- This week, after the last meeting: two instructions from the red list, one entered by the working
  // group on the first deputy governor's behalf (under special control).
  const after = (minute: number) => {
    const a1 = at(m3, minute);
    const a2 = at(yesterday, minute);
    return a1 > a2 ? a1 : a2;
  };
  const red = o.measures
    .map((m) => ({ m, now: itemAt(m, at(o.today, 0), off) }))
    .filter((x) => isOverdue({ status: x.now.status, currentDue: x.now.due }, o.today) && x.now.level >= 4)
    .sort((a, b) => (a.now.due < b.now.due ? -1 : a.now.due > b.now.due ? 1 : a.m.id - b.m.id));
  const red1 = red[0]?.m ?? o.measures[0]!;
  const red2 = red.find((x) => x.m.agency_id !== red1.agency_id)?.m ?? red[1]?.m ?? o.measures[1]!;
  const code = (id: number) => [...o.agencies.entries()].find(([, v]) => v === id)![0];
  const i9 = await instruction({
    text: `Устранить отставание по мероприятию ${ref(red1)} и доложить о новом сроке с обоснованием`,
    agency: code(red1.agency_id),
    due: addWorkingDays(o.today, 10),
    created: after(12 * 60),
    sourceItemId: red1.id,
    author: fzg,
    givenBy: fzg,
  });
  await settle(i9);
  const i10 = await instruction({
    text: `Обеспечить завершение мероприятия ${ref(red2)}; представить график работ с промежуточными точками контроля`,
    agency: code(red2.agency_id),
    due: addWorkingDays(o.today, 7),
    created: after(17 * 60),
    sourceItemId: red2.id,
    author: fzg,
    givenBy: rg,
    specialControl: true,
  });
  await settle(i10);

  // ---- A measure's report waiting for the head's sign-off (the roadmap's rule is on in the demo).
  await trx
    .updateTable('roadmap')
    .set({ head_signoff_required: true })
    .where('id', '=', o.roadmapId)
    .execute();
  const mtsr = agency('MTSR');
  const waitingMeasure = o.measures.find((m) => {
    const now = itemAt(m, at(o.today, 0), off);
    return m.agency_id === mtsr && now.status === 'in_progress' && now.due > o.today;
  });
  if (waitingMeasure) {
    const exec = execOf(mtsr);
    await reportToHead(
      { row: { id: waitingMeasure.id }, item: waitingMeasure, exec },
      yesterday,
      'Проект регламента подготовлен и согласован с МФЦ, направляю на подпись.',
    );
    await trx
      .updateTable('control_item')
      .set({ signoff_pending: true, executor_user_id: exec.id })
      .where('id', '=', waitingMeasure.id)
      .execute();
    await comment(
      waitingMeasure,
      exec,
      at(yesterday, 16 * 60 + 5),
      'Отчёт направлен на подпись, прошу рассмотреть до конца недели.',
    );
  }

  // ---- Mystery shopping and time-and-motion checks with findings; one finding opened a remediation item.
  const checks = await seedChecks(trx, { ...o, at, past, m2, m3, yesterday, execOf, rg });
  return { meetings: held, instructions, checks };
}

/** Two checks done with findings (one with its remediation item under control) and one planned. */
async function seedChecks(
  trx: Trx,
  c: PastContext & {
    at: (d: LocalDate, minute: number) => Date;
    past: (d: LocalDate, lo?: LocalDate) => LocalDate;
    m2: LocalDate;
    m3: LocalDate;
    yesterday: LocalDate;
    execOf: (agencyId: number) => User;
    rg: User;
  },
) {
  const mfc = c.agencies.get('MFC')!;
  const services = await trx
    .selectFrom('service')
    .select(['id', 'title_ru', 'agency_id', 'curator_user_id'])
    .where('agency_id', 'in', [mfc, c.agencies.get('MTSR')!])
    .orderBy('id')
    .limit(3)
    .execute();
  if (services.length < 2) return 0;
  const [s1, s2, s3] = services as [
    (typeof services)[0],
    (typeof services)[0],
    (typeof services)[0] | undefined,
  ];
  const shopOn = c.past(addWorkingDays(c.m2, 1));
  const shop = await trx
    .insertInto('service_check')
    .values({
      service_id: s1.id,
      kind: 'mystery_shopping',
      channel: 'mfc',
      scheduled_on: shopOn,
      inspector_user_id: c.rg.id,
      status: 'done',
      performed_on: shopOn,
      steps: 7,
      minutes: 95,
      documents_asked: 6,
      documents_note: 'Запрошены справка о составе семьи и выписка из ЕГРН, доступные по СМЭВ',
      issues:
        'Оператор запросил справки, которые ведомство получает само; ожидание в очереди 40 минут; о результате заявителя не уведомили.',
      created_by: c.rg.id,
      created_at: c.at(addWorkingDays(shopOn, -5), 10 * 60),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const due = addWorkingDays(c.today, 15);
  const exec = s1.curator_user_id ?? c.execOf(s1.agency_id).id;
  const remediation = await trx
    .insertInto('control_item')
    .values({
      kind: 'remediation',
      title_ru: `Устранение замечаний по итогам контрольной закупки услуги «${s1.title_ru}»`,
      title_en: 'Remediation after the mystery shopping of the service',
      description: 'Исключить запрос справок, получаемых по СМЭВ; сократить ожидание в очереди до 15 минут.',
      deliverable: 'Отчёт об устранении замечаний',
      agency_id: s1.agency_id,
      executor_user_id: exec,
      service_id: s1.id,
      status: 'in_progress',
      original_due: due,
      current_due: due,
      created_at: c.at(addWorkingDays(shopOn, 1), 12 * 60),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('service_check')
    .set({ remediation_item_id: remediation.id })
    .where('id', '=', shop.id)
    .execute();
  await trx
    .insertInto('event')
    .values([
      {
        event_key: `service-check-${shop.id}:remediation`,
        control_item_id: remediation.id,
        type: 'created',
        actor_user_id: c.rg.id,
        at: c.at(addWorkingDays(shopOn, 1), 12 * 60),
        data: JSON.stringify({ checkId: shop.id, serviceId: s1.id }),
      },
      {
        event_key: `seed-remediation:${remediation.id}:started`,
        control_item_id: remediation.id,
        type: 'started',
        actor_user_id: exec,
        at: c.at(c.past(addWorkingDays(shopOn, 2)), 10 * 60),
        data: '{}',
      },
    ])
    .execute();
  const timingOn = c.past(addWorkingDays(c.m3, -2));
  await trx
    .insertInto('service_check')
    .values({
      service_id: s2.id,
      kind: 'timing',
      channel: 'mfc',
      scheduled_on: timingOn,
      inspector_user_id: c.rg.id,
      status: 'done',
      performed_on: timingOn,
      steps: 5,
      minutes: 48,
      documents_asked: 3,
      issues:
        'Приём заявления занял 48 минут при нормативе 15: данные вводятся дважды, в МФЦ и в ведомственной системе.',
      created_by: c.rg.id,
      created_at: c.at(addWorkingDays(timingOn, -5), 10 * 60),
    })
    .execute();
  if (s3)
    await trx
      .insertInto('service_check')
      .values({
        service_id: s3.id,
        kind: 'mystery_shopping',
        channel: 'epgu',
        scheduled_on: addWorkingDays(c.today, 5),
        inspector_user_id: c.rg.id,
        created_by: c.rg.id,
        created_at: c.at(c.yesterday, 10 * 60),
      })
      .execute();
  return s3 ? 3 : 2;
}

const MINUTES = [
  'Рассмотрен ход реализации дорожной карты. Отмечено отставание по описаниям целевого состояния жизненных ситуаций.',
  'Заслушаны ведомства с просроченными мероприятиями. Рабочей группе поручено усилить контроль сроков.',
  'Рассмотрены итоги контрольной закупки в МФЦ и предложения по сокращению перечня документов.',
];
