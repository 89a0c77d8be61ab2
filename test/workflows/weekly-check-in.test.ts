import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveStatusNotes } from '../../db/check-ins.ts';
import { itemStateFromRow } from '../../db/control-items.ts';
import type { Db } from '../../db/index.ts';
import { addWorkingDays, precedingWorkingDay } from '../../domain/calendar/index.ts';
import {
  DEFAULT_CHECK_IN_POLICY,
  diffDigests,
  type DecisionInput,
  type DigestSnapshot,
} from '../../domain/check-in/index.ts';
import { DEFAULT_CHASE_POLICY, type ItemKind, type ItemStatus } from '../../domain/control-item/index.ts';
import { addDays, instantToLocalDate, type LocalDate } from '../../domain/local-date.ts';
import { recordMinutesUpdate, type WeeklyCheckInInput } from '../../workflows/check-in-definitions.ts';
import { recordCheckInMinutes } from '../../app/check-ins/index.ts';
import type { ShtabError } from '../../domain/errors.ts';
import { startControlItem, updateItem } from '../../app/control-items/index.ts';
import { type TemporalHandle } from '../../app/temporal.ts';
import {
  decideExtensionUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  startWorkUpdate,
  submitUpdate,
} from '../../workflows/definitions.ts';
import { weeklyCheckIn } from '../../workflows/weekly-check-in.ts';
import {
  cleanMeetingDate,
  digestBySql,
  digestNumbers,
  insertLifeSituation,
  insertRoadmap,
  localAt,
} from '../support/check-in-fixtures.ts';
import { actorOf, insertAgency, insertUser } from '../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { recordFixture } from '../support/histories.ts';
import { createTestWorker, createTimeSkippingEnv } from '../support/temporal.ts';

const OFF = 7 * 60;
const POLICY = { ...DEFAULT_CHECK_IN_POLICY, utcOffsetMinutes: OFF };
const CHASE = { ...DEFAULT_CHASE_POLICY, utcOffsetMinutes: OFF };
const SLOT = { weekday: 5, minute: 600 }; // Friday 10:00

describe('weekly check-in: three consecutive weeks on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let tdb: TestDatabase;

  beforeAll(async () => {
    [env, tdb] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  });
  afterAll(async () => {
    await env?.teardown();
    await tdb?.drop();
  });

  it('asks, chases the silent, builds digests that match SQL, turns minutes into instructions', async () => {
    const db: Db = tdb.db;
    const taskQueue = `check-in-${randomUUID()}`;
    const prefix = `${taskQueue}-`;
    const t: TemporalHandle = { client: env.client, taskQueue, workflowIdPrefix: prefix };
    const at = (d: LocalDate, hhmm: string) => localAt(d, hhmm, OFF);
    const advanceTo = async (ms: number) => {
      const now = await env.currentTimeMs();
      if (ms > now) await env.sleep(ms - now);
    };
    const nowDate = async () => new Date(await env.currentTimeMs());

    // ---- The world: a roadmap, five agencies with a head and an executor each, the project office.
    const roadmap = await insertRoadmap(db);
    const agencies = [];
    for (let i = 0; i < 5; i++) agencies.push(await insertAgency(db)); // in order: ids ascending A…E
    const [A, B, C, D, E] = agencies;
    const people = new Map<
      number,
      { head: Awaited<ReturnType<typeof insertUser>>; exec: Awaited<ReturnType<typeof insertUser>> }
    >();
    for (const a of [A, B, C, D, E]) {
      people.set(a!.id, {
        head: await insertUser(db, 'agency_head', a!.id),
        exec: await insertUser(db, 'agency_executor', a!.id),
      });
    }
    const wg = await insertUser(db, 'working_group');
    const lead = await insertUser(db, 'leadership');
    const ls1 = await insertLifeSituation(db, `LS1-${taskQueue}`);
    const ls2 = await insertLifeSituation(db, `LS2-${taskQueue}`);

    const today0 = instantToLocalDate(await env.currentTimeMs(), OFF);
    // a1 is due ten days before F1 and escalated by working days since: those weeks must be clean too.
    const F1 = cleanMeetingDate(addDays(today0, 8), 5, 3, 2);
    const F2 = addDays(F1, 7);
    const F3 = addDays(F2, 7);
    const wdFrom = (d: LocalDate, n: number) => addWorkingDays(d, n);

    const item = async (
      agencyId: number,
      due: LocalDate,
      o: { status?: ItemStatus; kind?: ItemKind; ls?: number; title: string },
    ) => {
      const row = await db
        .insertInto('control_item')
        .values({
          kind: o.kind ?? 'measure',
          roadmap_id: roadmap.id,
          title_ru: o.title,
          agency_id: agencyId,
          life_situation_id: o.ls ?? null,
          status: o.status ?? 'in_progress',
          original_due: precedingWorkingDay(due),
          current_due: precedingWorkingDay(due),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await startControlItem(t, itemStateFromRow(row), CHASE);
      return row;
    };
    const actor = actorOf;
    const submit = (id: number, u: Awaited<ReturnType<typeof insertUser>>) =>
      updateItem(t, id, submitUpdate, {
        actor: actor(u),
        eventId: randomUUID(),
        text: 'Отчёт',
        links: [],
        attachmentIds: [],
        part: false,
      });
    const review = (id: number, outcome: 'accept' | 'return', reason?: string) =>
      updateItem(t, id, reviewUpdate, {
        actor: actor(wg),
        eventId: randomUUID(),
        outcome,
        ...(reason ? { reason } : {}),
      });
    const answer = async (
      checkInId: number,
      agencyId: number,
      u: Awaited<ReturnType<typeof insertUser>>,
      only?: number[],
    ) => {
      const r = await db
        .selectFrom('status_request')
        .select('item_ids')
        .where('check_in_id', '=', checkInId)
        .where('agency_id', '=', agencyId)
        .executeTakeFirstOrThrow();
      const ids = only ?? r.item_ids;
      return saveStatusNotes(db, {
        checkInId,
        agencyId,
        userId: u.id,
        notes: ids.map((id) => ({ itemId: id, body: `Статус по пункту ${id}: работа идёт по графику` })),
        at: await nowDate(),
      });
    };
    const requestsOf = async (checkInId: number) =>
      Object.fromEntries(
        (
          await db
            .selectFrom('status_request')
            .select(['agency_id', 'item_ids'])
            .where('check_in_id', '=', checkInId)
            .orderBy('agency_id')
            .execute()
        ).map((r) => [r.agency_id, [...r.item_ids].sort((x, y) => x - y)]),
      );
    const outbox = async (kindPrefix: string, keyPart: string) =>
      db
        .selectFrom('notification')
        .select(['recipient_user_id', 'idempotency_key', 'subject', 'body_text', 'body_html'])
        .where('kind', '=', kindPrefix)
        .where('idempotency_key', 'like', `${keyPart}%`)
        .orderBy('recipient_user_id')
        .execute();
    const recipientsOf = (...agencies: { id: number }[]) =>
      agencies.flatMap((a) => [people.get(a.id)!.head.id, people.get(a.id)!.exec.id]).sort((x, y) => x - y);
    const checkInOf = async (workflowId: string) =>
      db.selectFrom('check_in').selectAll().where('workflow_id', '=', workflowId).executeTakeFirstOrThrow();
    const crossCheck = async (d: DigestSnapshot) => {
      const bySql = await digestBySql(db, d, POLICY);
      expect(digestNumbers(d)).toEqual(bySql);
      return bySql;
    };
    const startRun = (week: number, scheduledAt: number) =>
      env.client.workflow.start(weeklyCheckIn, {
        taskQueue,
        workflowId: `${prefix}check-in-${roadmap.id}-w${week}`,
        args: [
          {
            roadmapId: roadmap.id,
            slot: SLOT,
            policy: POLICY,
            workflowIdPrefix: prefix,
            scheduledAt,
          } satisfies WeeklyCheckInInput,
        ],
      });
    const decision = (d: Partial<DecisionInput> & { text: string }): DecisionInput => ({
      agencyId: null,
      coAgencyIds: [],
      due: null,
      specialControl: false,
      ...d,
    });

    // ---- Items, each under its own controlItem workflow.
    const a1 = await item(A!.id, addDays(F1, -10), { title: 'a1 просрочено давно', ls: ls1.id });
    const a2 = await item(A!.id, wdFrom(F1, 3), {
      status: 'assigned',
      title: 'a2 срок на следующей неделе',
      ls: ls1.id,
    });
    const b1 = await item(B!.id, addDays(F1, 25), { title: 'b1 отчёт будет возвращён', ls: ls2.id });
    const b2 = await item(B!.id, wdFrom(F1, -3), { status: 'assigned', title: 'b2 просрочено', ls: ls2.id });
    const b3 = await item(B!.id, addDays(F1, 15), { title: 'b3 в работе' });
    const c1 = await item(C!.id, wdFrom(F1, 2), { title: 'c1 станет просроченным', ls: ls1.id });
    const c2 = await item(C!.id, addDays(F1, 30), { title: 'c2 продление срока', ls: ls2.id });
    const d1 = await item(D!.id, addDays(F1, 20), { title: 'd1 будет исполнено', ls: ls1.id });
    const d2 = await item(D!.id, addDays(F1, 20), { title: 'd2 на рассмотрении' });
    const e1 = await db
      .insertInto('control_item')
      .values({
        kind: 'measure',
        roadmap_id: roadmap.id,
        title_ru: 'e1 отменено',
        agency_id: E!.id,
        status: 'cancelled',
        original_due: F1,
        current_due: F1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const worker = await createTestWorker({
      connection: env.nativeConnection,
      taskQueue,
      deps: { db, publicUrl: 'http://shtab.test' },
    });
    await worker.runUntil(async () => {
      // ================= Week 1: the Schedule fires at the previous meeting slot, F1 − 7 days 10:00.
      await advanceTo(at(addDays(F1, -7), '10:00'));
      const run1 = await startRun(1, at(addDays(F1, -7), '10:00'));

      // Monday: agency D reports, the working group accepts; D's second report waits for review.
      await advanceTo(at(addDays(F1, -4), '12:00'));
      await submit(d1.id, people.get(D!.id)!.exec);
      await review(d1.id, 'accept');
      await submit(d2.id, people.get(D!.id)!.exec);
      await submit(b1.id, people.get(B!.id)!.exec);

      // Wednesday 10:00 (two working days before): requests to A, B, C — D waits on nobody, E has nothing open.
      await advanceTo(at(wdFrom(F1, -2), '10:01'));
      const ci1 = await checkInOf(run1.workflowId);
      expect(ci1.status).toBe('collecting');
      expect(ci1.meeting_at.getTime()).toBe(at(F1, '10:00'));
      expect(await requestsOf(ci1.id)).toEqual({
        [A!.id]: [a1.id, a2.id],
        [B!.id]: [b2.id, b3.id],
        [C!.id]: [c1.id, c2.id],
      });
      const requests1 = await outbox('checkin_request', `check-in-${ci1.id}:`);
      expect(requests1.map((r) => r.recipient_user_id)).toEqual(recipientsOf(A!, B!, C!));
      expect(requests1[0]!.body_text).toContain('статусную заметку');
      const invites = await outbox('checkin_invite', `check-in-${ci1.id}:`);
      expect(invites.map((r) => r.recipient_user_id).sort()).toEqual([wg.id, lead.id].sort());

      // A answers everything, B only one of its two items, C stays silent.
      await advanceTo(at(wdFrom(F1, -2), '12:00'));
      expect((await answer(ci1.id, A!.id, people.get(A!.id)!.exec)).answered).toBe(true);
      expect((await answer(ci1.id, B!.id, people.get(B!.id)!.exec, [b2.id])).answered).toBe(false);

      // The eve, 10:00: the silent (B with one item missing, C) are chased once; A is not.
      await advanceTo(at(wdFrom(F1, -1), '10:01'));
      const chase1 = await outbox('checkin_chase', `check-in-${ci1.id}:`);
      expect(chase1.map((r) => r.recipient_user_id)).toEqual(recipientsOf(B!, C!));
      expect(chase1.find((r) => r.recipient_user_id === people.get(B!.id)!.exec.id)!.body_text).toContain(
        'b3 в работе',
      );
      expect(chase1.find((r) => r.recipient_user_id === people.get(B!.id)!.exec.id)!.body_text).not.toContain(
        'b2 просрочено',
      );
      const req1 = await db
        .selectFrom('status_request')
        .selectAll()
        .where('check_in_id', '=', ci1.id)
        .orderBy('agency_id')
        .execute();
      expect(req1.map((r) => [r.agency_id, r.chased_at !== null, r.answered_by])).toEqual([
        [A!.id, false, people.get(A!.id)!.exec.id],
        [B!.id, true, null],
        [C!.id, true, null],
      ]);
      // C answers after the chase (its head, this time); C asks to extend c2.
      await advanceTo(at(wdFrom(F1, -1), '12:00'));
      expect((await answer(ci1.id, C!.id, people.get(C!.id)!.head)).answered).toBe(true);
      await updateItem(t, c2.id, requestExtensionUpdate, {
        actor: actor(people.get(C!.id)!.exec),
        eventId: randomUUID(),
        requestedDue: addDays(F1, 45),
        reason: 'Ждём поставщика',
      });

      // Friday 10:00: the digest.
      await advanceTo(at(F1, '10:01'));
      const held1 = await checkInOf(run1.workflowId);
      expect(held1.status).toBe('held');
      const digest1 = held1.digest as DigestSnapshot;
      // Built at the meeting time (workflow clock), as of then.
      expect(held1.digest_at!.getTime() - at(F1, '10:00')).toBeGreaterThanOrEqual(0);
      expect(held1.digest_at!.getTime() - at(F1, '10:00')).toBeLessThan(60_000);
      const sql1 = await crossCheck(digest1);
      expect(digest1.previousCheckInId).toBeNull();
      expect(sql1.closed).toEqual([d1.id]);
      expect(sql1.notes).toBe(5);
      expect(sql1.redList.map((r) => r[0])).toEqual(expect.arrayContaining([a1.id, b2.id]));
      expect(digest1.redList.find((r) => r.id === a1.id)!.escalationLevel).toBe(4);
      expect(digest1.instructions).toEqual([]);
      expect(digest1.league.find((l) => l.agencyId === E!.id)).toBeUndefined();
      expect(digest1.requests.find((r) => r.agencyId === C!.id)!.answeredBy).toBe(
        people.get(C!.id)!.head.display_name,
      );
      const mail1 = await outbox('checkin_digest', `check-in-${ci1.id}:`);
      expect(mail1.map((r) => r.recipient_user_id).sort()).toEqual([wg.id, lead.id].sort());
      expect(mail1[0]!.body_html).toContain(`/check-ins/${ci1.id}`);
      expect(mail1[0]!.body_text).toContain(`просрочено: ${digest1.totals.overdue}`);

      // Minutes: rejected when invalid or not from the working group, then recorded.
      const rejected = async (a: Parameters<typeof recordCheckInMinutes>[2]) => {
        try {
          await recordCheckInMinutes(t, run1.workflowId, a);
        } catch (e) {
          return e as ShtabError;
        }
        throw new Error('accepted');
      };
      const early = await rejected({
        actor: actor(wg),
        eventId: randomUUID(),
        minutes: { minutes: '', decisions: [decision({ text: 'x', agencyId: A!.id, due: F1 })] },
      });
      expect([early.code, early.detail.field, early.detail.key]).toEqual([
        'validation',
        'decisions.0.due',
        'error.checkIn.dueAfterMeeting',
      ]);
      const notWg = await rejected({
        actor: actor(people.get(A!.id)!.head),
        eventId: randomUUID(),
        minutes: { minutes: 'x', decisions: [] },
      });
      expect(notWg.code).toBe('forbidden');
      const unknownAgency = await rejected({
        actor: actor(wg),
        eventId: randomUUID(),
        minutes: {
          minutes: '',
          decisions: [decision({ text: 'x', agencyId: 999_999, due: addDays(F1, 9) })],
        },
      });
      expect([unknownAgency.code, unknownAgency.detail.field]).toEqual(['validation', 'decisions.0.agency']);
      expect(await db.selectFrom('check_in_decision').select('id').execute()).toEqual([]);
      const minutes1 = await run1.executeUpdate(recordMinutesUpdate, {
        args: [
          {
            actor: actor(wg),
            eventId: randomUUID(),
            minutes: {
              minutes: 'Заслушали доклады ведомств о ходе исполнения дорожной карты.',
              decisions: [
                decision({ text: 'Принять к сведению информацию ведомств' }),
                decision({ text: 'Представить уточнённый план-график', agencyId: A!.id, due: wdFrom(F1, 3) }),
                decision({
                  text: 'Согласовать проект регламента',
                  agencyId: C!.id,
                  coAgencyIds: [B!.id],
                  due: addDays(F1, 24),
                  specialControl: true,
                }),
              ],
            },
          },
        ],
      });
      expect(minutes1.itemIds).toHaveLength(2);
      const [i1, i2] = minutes1.itemIds as [number, number];
      const instr = await db
        .selectFrom('control_item')
        .selectAll()
        .where('id', 'in', minutes1.itemIds)
        .orderBy('id')
        .execute();
      expect(instr.map((r) => [r.kind, r.check_in_id, r.roadmap_id, r.agency_id, r.status])).toEqual([
        ['instruction', ci1.id, roadmap.id, A!.id, 'assigned'],
        ['instruction', ci1.id, roadmap.id, C!.id, 'assigned'],
      ]);
      expect(instr[1]!.co_agency_ids).toEqual([B!.id]);
      for (const id of minutes1.itemIds) {
        const desc = await env.client.workflow.getHandle(`${prefix}control-item-${id}`).describe();
        expect(desc.status.name).toBe('RUNNING');
      }
      expect(await run1.result()).toEqual({
        outcome: 'closed',
        checkInId: ci1.id,
        meetingDate: F1,
        itemIds: [i1, i2],
      });
      await recordFixture('weekly-check-in-week1', run1);
      const closed1 = await checkInOf(run1.workflowId);
      expect([closed1.status, closed1.minutes]).toEqual([
        'closed',
        'Заслушали доклады ведомств о ходе исполнения дорожной карты.',
      ]);
      expect(
        await db
          .selectFrom('check_in_decision')
          .select(['seq', 'control_item_id', 'special_control'])
          .where('check_in_id', '=', ci1.id)
          .orderBy('seq')
          .execute(),
      ).toEqual([
        { seq: 1, control_item_id: null, special_control: false },
        { seq: 2, control_item_id: i1, special_control: false },
        { seq: 3, control_item_id: i2, special_control: true },
      ]);
      const told = await outbox('checkin_instruction', '');
      expect(told.map((r) => r.recipient_user_id).sort()).toEqual(
        [...recipientsOf(A!, C!), people.get(B!.id)!.head.id].sort(),
      );

      // ================= Week 2: the Schedule fires at F1 10:00 for the F2 meeting.
      const run2 = await startRun(2, at(F1, '10:00'));
      await advanceTo(at(addDays(F2, -4), '12:00')); // Monday
      await review(b1.id, 'return', 'Нет приложений');
      await updateItem(t, i1, startWorkUpdate, {
        actor: actor(people.get(A!.id)!.exec),
        eventId: randomUUID(),
      });
      await submit(i1, people.get(A!.id)!.exec);
      await review(i1, 'accept');
      await updateItem(t, c2.id, decideExtensionUpdate, {
        actor: actor(wg),
        eventId: randomUUID(),
        approve: true,
      });

      await advanceTo(at(wdFrom(F2, -2), '10:01'));
      const ci2 = await checkInOf(run2.workflowId);
      expect(ci2.meeting_at.getTime()).toBe(at(F2, '10:00'));
      expect(await requestsOf(ci2.id)).toEqual({
        [A!.id]: [a1.id, a2.id],
        [B!.id]: [b1.id, b2.id, b3.id],
        [C!.id]: [c1.id, c2.id, i2],
      });
      await advanceTo(at(wdFrom(F2, -2), '12:00'));
      await answer(ci2.id, A!.id, people.get(A!.id)!.head);
      await answer(ci2.id, B!.id, people.get(B!.id)!.exec);
      await advanceTo(at(wdFrom(F2, -1), '10:01'));
      expect((await outbox('checkin_chase', `check-in-${ci2.id}:`)).map((r) => r.recipient_user_id)).toEqual(
        recipientsOf(C!),
      );

      await advanceTo(at(F2, '10:01'));
      const digest2 = (await checkInOf(run2.workflowId)).digest as DigestSnapshot;
      const sql2 = await crossCheck(digest2);
      expect(digest2.previousCheckInId).toBe(ci1.id);
      expect(digest2.since).toBe(digest1.generatedAt);
      // "What I asked for last week" comes first, with its status.
      expect(digest2.instructions.map((i) => [i.id, i.status, i.fromPrevious, i.specialControl])).toEqual([
        [i1, 'done', true, false],
        [i2, 'assigned', true, true],
      ]);
      expect(sql2.closed).toEqual([i1]);
      expect(sql2.rework).toEqual([b1.id]);
      expect(sql2.extensions).toEqual([c2.id]);
      expect(digest2.changes.extensions[0]).toMatchObject({
        previousDue: c2.current_due,
        newDue: precedingWorkingDay(addDays(F1, 45)),
      });
      expect(sql2.newlyOverdue).toEqual(expect.arrayContaining([c1.id, a2.id]));
      expect(sql2.notes).toBe(5);
      const diff = diffDigests(digest1, digest2);
      expect(diff.newOverdue.map((i) => i.id).sort()).toEqual([c1.id, a2.id].sort());
      expect(diff.closed.map((i) => i.id)).toEqual([i1]);
      expect(diff.counts.find((c) => c.key === 'done')).toMatchObject({ before: 1, after: 2, delta: 1 });
      const mail2 = await outbox('checkin_digest', `check-in-${ci2.id}:`);
      expect(mail2[0]!.body_text).toContain('Что поручалось на прошлой неделе');
      expect(mail2[0]!.body_text).toContain('Представить уточнённый план-график');

      const minutes2 = await run2.executeUpdate(recordMinutesUpdate, {
        args: [
          {
            actor: actor(wg),
            eventId: randomUUID(),
            minutes: {
              minutes: '',
              decisions: [
                decision({ text: 'Устранить замечания по b1', agencyId: B!.id, due: wdFrom(F2, 6) }),
              ],
            },
          },
        ],
      });
      const [i3] = minutes2.itemIds as [number];
      expect((await run2.result()).outcome).toBe('closed');
      await recordFixture('weekly-check-in-week2', run2);

      // ================= Week 3: everybody answers before the eve, nobody is chased.
      const run3 = await startRun(3, at(F2, '10:00'));
      await advanceTo(at(wdFrom(F3, -2), '12:00'));
      const ci3 = await checkInOf(run3.workflowId);
      for (const a of [A!, B!, C!]) await answer(ci3.id, a.id, people.get(a.id)!.exec);
      await advanceTo(at(F3, '10:01'));
      expect(await outbox('checkin_chase', `check-in-${ci3.id}:`)).toEqual([]);
      const chaseEvent = await db
        .selectFrom('event')
        .select('data')
        .where('event_key', '=', `check-in-${ci3.id}:chase`)
        .executeTakeFirstOrThrow();
      expect(chaseEvent.data).toEqual({ agencies: [] });
      const digest3 = (await checkInOf(run3.workflowId)).digest as DigestSnapshot;
      await crossCheck(digest3);
      // Last week's instruction first; the one under special control from two weeks ago is still reported.
      expect(digest3.instructions.map((i) => [i.id, i.fromPrevious, i.specialControl])).toEqual([
        [i3, true, false],
        [i2, false, true],
      ]);
      expect(digest3.instructions.find((i) => i.id === i1)).toBeUndefined();
      const minutes3 = await run3.executeUpdate(recordMinutesUpdate, {
        args: [
          {
            actor: actor(wg),
            eventId: randomUUID(),
            minutes: { minutes: 'Без новых поручений.', decisions: [] },
          },
        ],
      });
      expect(minutes3.itemIds).toEqual([]);
      expect((await run3.result()).outcome).toBe('closed');
      await recordFixture('weekly-check-in-week3', run3);

      // The snapshot is immutable: the database refuses to rewrite it.
      await expect(
        db
          .updateTable('check_in')
          .set({ digest: JSON.stringify({ forged: true }) })
          .where('id', '=', ci1.id)
          .execute(),
      ).rejects.toThrow(/immutable/);
      void e1;
    });
  });
});
