import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { controlItemWorkflowId, startControlItem, updateItem } from '../../app/control-items/index.ts';
import { composeDigest } from '../../db/read-models/index.ts';
import { addWorkingDays } from '../../domain/calendar/index.ts';
import { DEFAULT_CHECK_IN_POLICY } from '../../domain/check-in/index.ts';
import { DEFAULT_CHASE_POLICY, type ItemState } from '../../domain/control-item/index.ts';
import { hashPassword } from '../../web/index.ts';
import { assignmentWorkflowId } from '../../workflows/assignment-definitions.ts';
import { startWorkUpdate, submitUpdate } from '../../workflows/definitions.ts';
import { insertRoadmap } from '../support/check-in-fixtures.ts';
import { actorOf, insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { regionToday } from '../support/item-ui-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

type User = Awaited<ReturnType<typeof insertUser>>;

/**
 * The people's day through the web app on a real worker and Temporal (issue 13): each role's home, the
 * leadership's instruction loop, an assignment inside an agency and the head's sign-off, comments, the
 * working group's queue (next in queue, bulk accept, bulk remind) and the threshold of extensions the
 * leadership decides.
 */
describe("the people's day", () => {
  let stack: TestStack;
  let db: TestStack['tdb']['db'];
  const u: Record<string, User> = {};
  const clients: Record<string, WebClient> = {};
  let agencyA: number;
  let agencyB: number;
  let roadmapId: number;
  /** Items of agency A: one to assign, one long overdue, three reports under review, one for an extension. */
  const it_: Record<string, number> = {};
  const today = regionToday();
  const wd = (n: number) => addWorkingDays(today, n);

  const start = async (v: Parameters<typeof insertItem>[1]) => {
    const { row, state } = await insertItem(db, v);
    await startControlItem(stack.temporal.handle, state, DEFAULT_CHASE_POLICY);
    return row.id;
  };
  const row = (id: number) =>
    db.selectFrom('control_item').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const inbox = async (userId: number, kind: string) =>
    db
      .selectFrom('notification')
      .select(['control_item_id', 'subject'])
      .where('recipient_user_id', '=', userId)
      .where('kind', '=', kind)
      .execute();
  const key = () => randomUUID();

  beforeAll(async () => {
    stack = await startTestStack({ workerStartsWorkflows: true });
    db = stack.tdb.db;
    const hash = await hashPassword('pw');
    agencyA = (await insertAgency(db)).id;
    agencyB = (await insertAgency(db)).id;
    const make = async (name: string, role: User['role'], agencyId: number | null) => {
      u[name] = await insertUser(db, role, agencyId, {
        login: `p-${name}-${process.pid}`,
        password_hash: hash,
      });
      clients[name] = new WebClient(stack.web.url);
      await clients[name]!.login(u[name]!.login, 'pw');
    };
    await make('exec', 'agency_executor', agencyA);
    await make('exec2', 'agency_executor', agencyA);
    await make('head', 'agency_head', agencyA);
    await make('headB', 'agency_head', agencyB);
    await make('execB', 'agency_executor', agencyB);
    await make('wg', 'working_group', null);
    await make('lead', 'leadership', null);
    await make('lead2', 'leadership', null);
    await make('observer', 'observer', null);
    const rm = await insertRoadmap(db);
    roadmapId = rm.id;
    // The roadmap's rule: executors' reports reach the working group only after their head signed them.
    await db.updateTable('roadmap').set({ head_signoff_required: true }).where('id', '=', rm.id).execute();

    it_.assign = await start({ agencyId: agencyA, due: wd(20), roadmapId, title: 'Поручаемое мероприятие' });
    it_.overdue = await start({ agencyId: agencyA, due: wd(-8), roadmapId, title: 'Давно просроченное' });
    for (const n of [1, 2, 3]) {
      it_[`report${n}`] = await start({ agencyId: agencyA, due: wd(10 + n), roadmapId, title: `Отчёт ${n}` });
      // The head reports itself: no sign-off needed, straight to the working group.
      await updateItem(stack.temporal.handle, it_[`report${n}`]!, submitUpdate, {
        actor: actorOf(u.head!),
        eventId: key(),
        text: `Отчёт ${n}`,
        links: [],
        attachmentIds: [],
        part: false,
      });
    }
    it_.longer = await start({ agencyId: agencyA, due: wd(5), roadmapId, title: 'Нужно больше времени' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lands each role on its own first screen; the dashboard stays at /dashboard', async () => {
    // The overdue item climbs the ladder at once (its steps are all due): the head and the leadership see it.
    await expect.poll(async () => (await row(it_.overdue!)).escalation_level).toBe(4);
    const exec = (await clients.exec!.get('/')).text;
    expect(exec).toContain('Моя неделя');
    expect(exec).toMatch(/id="week-overdue"[\s\S]*Давно просроченное/);
    expect(exec).toContain('Поручаемое мероприятие');
    const head = (await clients.head!.get('/')).text;
    expect(head).toContain('Эскалировано вам');
    expect(head).toMatch(/id="head-escalated"[\s\S]*Давно просроченное/);
    expect(head).toContain(`action="/items/${it_.assign}/assign"`);
    const wg = (await clients.wg!.get('/')).text;
    expect(wg).toContain('Очередь на рассмотрение');
    // The review queue's count in the menu.
    expect(wg).toMatch(/href="\/review"[^>]*>[^<]*<span class="count">3/);
    const lead = (await clients.lead!.get('/')).text;
    expect(lead).toContain('Красный список');
    expect(lead).toContain(`/instructions/new?source=${it_.overdue}`);
    const observer = (await clients.observer!.get('/')).text;
    expect(observer).toContain('Ход реализации программы');
    expect((await clients.exec!.get('/dashboard')).text).toContain('Ход реализации программы');
  });

  it('gives an instruction from a red-list row; its author sees it, reviews its report; agencies cannot edit it', async () => {
    const form = await clients.lead!.get(`/instructions/new?source=${it_.overdue}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Давно просроченное');
    // Every problem at once, nothing stored.
    const before = await db
      .selectFrom('control_item')
      .select('id')
      .where('kind', '=', 'instruction')
      .execute();
    const bad = await clients.lead!.post('/instructions', {
      eventId: key(),
      text: '',
      due: today,
      sourceItemId: String(it_.overdue),
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Срок должен быть позже сегодняшнего дня');
    expect(bad.text).toContain('error-summary');
    expect(
      await db.selectFrom('control_item').select('id').where('kind', '=', 'instruction').execute(),
    ).toHaveLength(before.length);
    const given = await clients.lead!.post('/instructions', {
      eventId: key(),
      text: 'Устранить отставание и доложить о новом сроке',
      agencyId: String(agencyA),
      coAgencyIds: [String(agencyB)],
      due: wd(7),
      specialControl: '1',
      sourceItemId: String(it_.overdue),
    });
    expect(given.status).toBe(303);
    const id = Number(/\/items\/(\d+)/.exec(given.headers.get('location')!)![1]);
    const instr = await row(id);
    expect(instr).toMatchObject({
      kind: 'instruction',
      author_user_id: u.lead!.id,
      given_by_user_id: u.lead!.id,
      source_item_id: it_.overdue,
      roadmap_id: roadmapId,
      special_control: true,
      co_agency_ids: [agencyB],
    });
    await expect.poll(async () => (await inbox(u.head!.id, 'instruction_given')).length).toBe(1);
    expect(await inbox(u.headB!.id, 'instruction_given')).toHaveLength(1);
    const workflow = stack.temporal.handle.client.workflow.getHandle(
      controlItemWorkflowId(id, stack.temporal.handle.workflowIdPrefix),
    );
    expect((await workflow.describe()).status.name).toBe('RUNNING');
    expect((await clients.lead!.get('/')).text).toMatch(/id="lead-mine"[\s\S]*Устранить отставание/);

    // The working group on the leadership's behalf: it must say whose instruction it is.
    const noAuthor = await clients.wg!.post('/instructions', {
      eventId: key(),
      text: 'Представить график',
      agencyId: String(agencyA),
      due: wd(9),
    });
    expect(noAuthor.status).toBe(422);
    const behalf = await clients.wg!.post('/instructions', {
      eventId: key(),
      text: 'Представить график работ',
      agencyId: String(agencyA),
      due: wd(9),
      authorUserId: String(u.lead!.id),
    });
    expect(behalf.status).toBe(303);
    const behalfId = Number(/\/items\/(\d+)/.exec(behalf.headers.get('location')!)![1]);
    expect(await row(behalfId)).toMatchObject({ author_user_id: u.lead!.id, given_by_user_id: u.wg!.id });
    expect((await clients.lead!.get('/')).text).toContain('внесено рабочей группой');
    for (const who of ['exec', 'head', 'observer'])
      expect((await clients[who]!.post('/instructions', { eventId: key(), text: 'x' })).status).toBe(403);

    // Agencies never edit a leadership instruction.
    for (const who of ['exec', 'head']) {
      for (const [path, form] of [
        ['cancel', { reason: 'x', confirm: '1' }],
        ['reassign', { agencyId: String(agencyB), reason: 'x' }],
      ] as const)
        expect((await clients[who]!.post(`/items/${id}/${path}`, { eventId: key(), ...form })).status).toBe(
          403,
        );
    }

    // The head's own report goes straight to review; its author accepts it, another member may not.
    await updateItem(stack.temporal.handle, id, startWorkUpdate, { actor: actorOf(u.exec!), eventId: key() });
    const report = await clients.head!.post(`/items/${id}/submit`, {
      eventId: key(),
      text: 'Отставание устранено',
    });
    expect(report.status).toBe(303);
    expect((await row(id)).status).toBe('submitted');
    expect((await clients.lead!.get('/')).text).toMatch(/id="lead-reports"[\s\S]*Устранить отставание/);
    const other = await clients.lead2!.post(`/items/${id}/review`, {
      eventId: key(),
      outcome: 'accept',
      confirm: '1',
    });
    expect(other.status).toBe(403);
    const accepted = await clients.lead!.post(`/items/${id}/review`, {
      eventId: key(),
      outcome: 'accept',
      confirm: '1',
    });
    expect(accepted.status).toBe(303);
    expect((await row(id)).status).toBe('done');

    // The next digest opens with it and says it is done.
    const ci = await db
      .insertInto('check_in')
      .values({ roadmap_id: roadmapId, meeting_at: new Date(Date.now() + 86_400_000), status: 'collecting' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const digest = await composeDigest(db, {
      checkInId: ci.id,
      at: Date.now(),
      late: false,
      policy: { ...DEFAULT_CHECK_IN_POLICY, utcOffsetMinutes: DEFAULT_CHASE_POLICY.utcOffsetMinutes },
    });
    const listed = digest.instructions.find((i) => i.id === id);
    expect(listed).toMatchObject({ status: 'done', fromPrevious: true, specialControl: true });
    // The meeting page shows it in the agenda before the meeting.
    const agenda = (await clients.lead!.get(`/check-ins/${ci.id}`)).text;
    expect(agenda).toContain('Повестка совещания');
    expect(agenda).toContain('Устранить отставание');
  });

  it('lets the head assign an executor with an internal deadline, and sign off their report', async () => {
    const id = it_.assign!;
    const assign = (client: WebClient, form: Record<string, string>) =>
      client.post(`/items/${id}/assign`, { eventId: key(), internalDue: wd(5), note: '', ...form });
    expect((await assign(clients.headB!, { assigneeUserId: String(u.execB!.id) })).status).toBe(403);
    expect((await assign(clients.exec!, { assigneeUserId: String(u.exec!.id) })).status).toBe(403);
    expect((await assign(clients.head!, { assigneeUserId: String(u.execB!.id) })).status).toBe(422);
    expect(
      (await assign(clients.head!, { assigneeUserId: String(u.exec!.id), internalDue: wd(40) })).status,
    ).toBe(422);
    expect(
      await db.selectFrom('assignment').select('id').where('control_item_id', '=', id).execute(),
    ).toEqual([]);

    const ok = await assign(clients.head!, { assigneeUserId: String(u.exec!.id), back: '/' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/');
    const a = await db
      .selectFrom('assignment')
      .selectAll()
      .where('control_item_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(a).toMatchObject({ status: 'open', assignee_user_id: u.exec!.id, internal_due: wd(5) });
    expect((await row(id)).executor_user_id).toBe(u.exec!.id);
    expect(await inbox(u.exec!.id, 'assigned')).toHaveLength(1);
    const aw = stack.temporal.handle.client.workflow.getHandle(
      assignmentWorkflowId(a.id, stack.temporal.handle.workflowIdPrefix),
    );
    expect((await aw.describe()).status.name).toBe('RUNNING');
    expect((await clients.head!.get('/')).text).toMatch(/id="head-load"[\s\S]*внутренний срок/);

    // The executor's report goes to the head (the roadmap's rule); the assignment is reported.
    const sent = await clients.exec!.post(`/items/${id}/submit`, { eventId: key(), text: 'Проект готов' });
    expect(sent.status).toBe(303);
    const waiting = await row(id);
    expect(waiting).toMatchObject({ status: 'in_progress', signoff_pending: true });
    expect(
      (await db.selectFrom('assignment').select('status').where('id', '=', a.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('reported');
    await expect.poll(async () => (await aw.describe()).status.name).toBe('COMPLETED');
    expect(await inbox(u.head!.id, 'signoff_requested')).toHaveLength(1);
    expect((await clients.head!.get('/')).text).toMatch(/id="head-signoff"[\s\S]*Поручаемое мероприятие/);
    expect((await clients.wg!.get('/review')).text).not.toContain('Поручаемое мероприятие');
    // Only the head signs; a return needs a reason.
    expect(
      (await clients.exec!.post(`/items/${id}/signoff`, { eventId: key(), outcome: 'approve' })).status,
    ).toBe(403);
    expect(
      (await clients.headB!.post(`/items/${id}/signoff`, { eventId: key(), outcome: 'approve' })).status,
    ).toBe(403);
    expect(
      (await clients.head!.post(`/items/${id}/signoff`, { eventId: key(), outcome: 'return' })).status,
    ).toBe(422);
    const back = await clients.head!.post(`/items/${id}/signoff`, {
      eventId: key(),
      outcome: 'return',
      reason: 'Приложите расчёт',
    });
    expect(back.status).toBe(303);
    expect(await row(id)).toMatchObject({ status: 'in_progress', signoff_pending: false, review_round: 0 });
    expect(await inbox(u.exec!.id, 'signoff_returned')).toHaveLength(1);
    await clients.exec!.post(`/items/${id}/submit`, { eventId: key(), text: 'Проект с расчётом' });
    const signed = await clients.head!.post(`/items/${id}/signoff`, {
      eventId: key(),
      outcome: 'approve',
      back: '/',
    });
    expect(signed.status).toBe(303);
    expect(await row(id)).toMatchObject({ status: 'submitted', signoff_pending: false });
    expect(await inbox(u.wg!.id, 'submitted')).toEqual(
      expect.arrayContaining([expect.objectContaining({ control_item_id: id })]),
    );
    const subs = await db
      .selectFrom('submission')
      .select(['body', 'signoff_status', 'signoff_by'])
      .where('control_item_id', '=', id)
      .orderBy('id')
      .execute();
    expect(subs).toEqual([
      { body: 'Проект готов', signoff_status: 'returned', signoff_by: u.head!.id },
      { body: 'Проект с расчётом', signoff_status: 'signed', signoff_by: u.head!.id },
    ]);
  });

  it('keeps a comment thread per item and tells its participants; others may not write', async () => {
    const id = it_.longer!;
    expect(
      (await clients.execB!.post(`/items/${id}/comments`, { eventId: key(), body: 'Чужое' })).status,
    ).toBe(403);
    expect(
      (await clients.observer!.post(`/items/${id}/comments`, { eventId: key(), body: 'Мнение' })).status,
    ).toBe(403);
    expect((await clients.exec!.post(`/items/${id}/comments`, { eventId: key(), body: '   ' })).status).toBe(
      422,
    );
    const first = await clients.exec!.post(`/items/${id}/comments`, {
      eventId: key(),
      body: 'Ждём ответа Минфина',
    });
    expect(first.status).toBe(303);
    expect(await inbox(u.head!.id, 'comment')).toHaveLength(1);
    expect(await inbox(u.exec!.id, 'comment')).toHaveLength(0);
    await clients.wg!.post(`/items/${id}/comments`, { eventId: key(), body: 'Прошу указать срок ответа' });
    // The executor wrote earlier, the working group now: the executor and the head hear of it.
    expect(await inbox(u.exec!.id, 'comment')).toHaveLength(1);
    expect(await inbox(u.head!.id, 'comment')).toHaveLength(2);
    const page = (await clients.head!.get(`/items/${id}`)).text;
    expect(page.indexOf('Ждём ответа Минфина')).toBeLessThan(page.indexOf('Прошу указать срок ответа'));
  });

  it('reviews next in queue, accepts several at once, and reminds overdue executors once a day', async () => {
    const [r1, r2, r3] = [it_.report1!, it_.report2!, it_.report3!];
    const queue = (await clients.wg!.get('/review')).text;
    expect(queue).toContain('Просрочка на момент отчёта');
    // In queue mode the page says where the report stands: the queue's order is the home's.
    const waiting = await db
      .selectFrom('control_item')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow();
    const ids = [...queue.matchAll(/href="\/items\/(\d+)\?queue=1"/g)].map((m) => Number(m[1]));
    const at = ids.indexOf(r1) + 1;
    expect(at).toBeGreaterThan(0);
    expect((await clients.wg!.get(`/items/${r1}?queue=1`)).text).toContain(
      `<strong>Отчёт ${at} из ${waiting.n}. </strong>`,
    );
    // A decision in queue mode opens the next report.
    const next = await clients.wg!.post(`/items/${r1}/review`, {
      eventId: key(),
      outcome: 'accept',
      confirm: '1',
      queue: '1',
    });
    expect(next.status).toBe(303);
    expect(next.headers.get('location')).toMatch(/^\/items\/\d+\?queue=1$/);
    expect((await row(r1)).status).toBe('done');
    const bulk = await clients.wg!.post('/review/accept', {
      eventId: key(),
      itemIds: [String(r2), String(r3), String(r1)],
      back: '/review',
    });
    expect(bulk.status).toBe(303);
    expect((await row(r2)).status).toBe('done');
    expect((await row(r3)).status).toBe('done');
    // The head may not bulk-accept.
    expect(
      (await clients.head!.post('/review/accept', { eventId: key(), itemIds: [String(r2)] })).status,
    ).toBe(403);

    const remind = () =>
      clients.wg!.post('/review/remind', { eventId: key(), itemIds: [String(it_.overdue)], back: '/' });
    expect((await remind()).status).toBe(303);
    expect(await inbox(u.exec!.id, 'manual_reminder')).toHaveLength(1);
    expect(await inbox(u.head!.id, 'manual_reminder')).toHaveLength(1);
    await remind();
    expect(await inbox(u.exec!.id, 'manual_reminder')).toHaveLength(1);
  });

  it('puts long extension requests before the leadership, who may decide them', async () => {
    const id = it_.longer!;
    await updateItem(stack.temporal.handle, id, startWorkUpdate, {
      actor: actorOf(u.exec2!),
      eventId: key(),
    });
    const asked = await clients.exec!.post(`/items/${id}/extension`, {
      eventId: key(),
      requestedDue: wd(60),
      reason: 'Ждём закон',
    });
    expect(asked.status).toBe(303);
    expect((await clients.lead!.get('/')).text).toMatch(/id="lead-extensions"[\s\S]*Нужно больше времени/);
    // Below the threshold it is the working group's alone.
    expect((await clients.wg!.post('/review/threshold', { threshold: '0' })).status).toBe(422);
    expect((await clients.wg!.post('/review/threshold', { threshold: '100' })).status).toBe(303);
    expect((await clients.lead!.get('/')).text).not.toContain('id="lead-extensions"');
    const decided = await clients.lead!.post(`/items/${id}/extension/decision`, {
      eventId: key(),
      decision: 'approve',
    });
    expect(decided.status).toBe(303);
    const r = await row(id);
    expect(r.current_due).toBe(wd(60) as string);
    expect((r as unknown as ItemState).pendingExtension).toBeUndefined();
  });
});
