import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { formatLocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { controlItemWorkflowId } from '../../workflows/definitions.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { dueIn, startWebStack, textOf, type WebStack } from '../support/item-ui-fixtures.ts';
import { WebClient } from '../support/web.ts';

// «Снять с контроля» and «вернуть на контроль» through the real app on the dev server: the working group
// reopens an accepted item after its workflow has completed (Update-with-Start: the same workflow id runs
// again from the row), the executor sees the rework due date, reports again, and it is accepted again.
describe('«вернуть на контроль» through the web', () => {
  let s: WebStack;
  let wg: WebClient;
  let exec: WebClient;
  let agencyId: number;

  beforeAll(async () => {
    s = await startWebStack();
    const password_hash = await hashPassword('pw');
    agencyId = (await insertAgency(s.db)).id;
    const wgUser = await insertUser(s.db, 'working_group', null, { password_hash });
    const execUser = await insertUser(s.db, 'agency_executor', agencyId, { password_hash });
    wg = new WebClient(s.web.url);
    await wg.login(wgUser.login, 'pw');
    exec = new WebClient(s.web.url);
    await exec.login(execUser.login, 'pw');
  });
  afterAll(async () => {
    await s?.close();
  });

  const row = (id: number) =>
    s.db.selectFrom('control_item').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('reopens an accepted item whose workflow has completed; control restarts under the same workflow id', async () => {
    const due = dueIn(30);
    const { row: item, state } = await insertItem(s.db, { agencyId, due, title: 'Реестр получателей' });
    // No reopen window: the workflow completes on acceptance, as every accepted item's does once its
    // window has passed.
    const first = await startControlItem(s.temporal.handle, state, {
      ...DEFAULT_CHASE_POLICY,
      reopenWindowWorkingDays: 0,
    });
    const submit = (text: string) =>
      exec.post(`/items/${item.id}/submit`, { eventId: randomUUID(), part: '0', text }, { htmx: true });
    expect((await submit('Реестр опубликован')).status).toBe(200);
    const accepted = await wg.post(
      `/items/${item.id}/review`,
      { eventId: randomUUID(), outcome: 'accept', confirm: '1' },
      { htmx: true },
    );
    expect(accepted.status).toBe(200);
    expect(textOf(accepted.text)).toContain('Вернуть на контроль');
    expect(await first.result()).toMatchObject({ status: 'done' });

    // Only the working group may, and only with a reason.
    const byExec = await exec.post(
      `/items/${item.id}/reopen`,
      { eventId: randomUUID(), reason: 'Хочу ещё' },
      { htmx: true },
    );
    expect(byExec.status).toBe(403);
    const noReason = await wg.post(
      `/items/${item.id}/reopen`,
      { eventId: randomUUID(), reason: ' ' },
      { htmx: true },
    );
    expect(noReason.status).toBe(422);
    expect(noReason.text).toMatch(
      /id="reopen-reason-error"[^>]*>(?:<span class="sr-only">Ошибка: <\/span>)?Заполните поле/,
    );

    const reopened = await wg.post(
      `/items/${item.id}/reopen`,
      { eventId: randomUUID(), reason: 'Реестр не открывается по ссылке' },
      { htmx: true },
    );
    expect(reopened.status).toBe(200);
    const text = textOf(reopened.text);
    expect(text).toContain('На доработке');
    expect(text).toContain(`Контрольный срок ${formatLocalDate(due, 'ru')}`);
    expect(text).toContain(`Срок доработки ${formatLocalDate(due, 'ru')} — контрольный срок не переносится`);
    expect(text).toContain('Возвращено на контроль');
    expect(text).toContain('Причина: Реестр не открывается по ссылке');
    expect(await row(item.id)).toMatchObject({
      status: 'returned',
      current_due: due,
      rework_due: due,
      accepted_at: null,
      closed_at: null,
      review_round: 1,
    });
    // The same workflow id, a new run started from the row.
    const handle = s.temporal.client.workflow.getHandle(
      controlItemWorkflowId(item.id, s.temporal.workflowIdPrefix),
    );
    const d = await handle.describe();
    expect(d.status.name).toBe('RUNNING');
    expect(d.runId).not.toBe(first.firstExecutionRunId);

    // The executor sees the rework due date and reports again; accepted again.
    const execPage = textOf((await exec.get(`/items/${item.id}`)).text);
    expect(execPage).toContain(`Срок доработки ${formatLocalDate(due, 'ru')}`);
    expect((await submit('Ссылка исправлена')).status).toBe(200);
    const again = await wg.post(
      `/items/${item.id}/review`,
      { eventId: randomUUID(), outcome: 'accept', confirm: '1' },
      { htmx: true },
    );
    expect(again.status).toBe(200);
    expect(await row(item.id)).toMatchObject({ status: 'done', rework_due: null });
    const events = await s.db
      .selectFrom('event')
      .select('type')
      .where('control_item_id', '=', item.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['submitted', 'accepted', 'reopened', 'submitted', 'accepted']);
    // This run has the default reopen window: it is still there for another reopen.
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test done');
  });
});
