import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../domain/control-item/index.ts';
import { addDays } from '../../domain/local-date.ts';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { controlItemWorkflowId } from '../../workflows/definitions.ts';
import { insertItem, insertUser } from '../support/fixtures.ts';
import { OFFSET, seedImportReferences, todayLocal, workingOnOrAfter } from '../support/import-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

// The control date through the JSON API (issue 12): an extension granted with another date than asked, a
// return that sets a rework due date and leaves the control date, and «вернуть на контроль» on an item whose
// workflow has completed (Update-with-Start).
describe('JSON API: control dates', () => {
  let stack: TestStack;
  let refs: Awaited<ReturnType<typeof seedImportReferences>>;
  const tokens: Record<'exec' | 'wg', string> = { exec: '', wg: '' };
  const today = todayLocal();
  const due = workingOnOrAfter(addDays(today, 30));

  beforeAll(async () => {
    stack = await startTestStack({
      publicUrl: 'http://t',
      deps: { utcOffsetMinutes: OFFSET },
      app: { policy: resolvePolicy(null, OFFSET) },
    });
    const { db } = stack.tdb;
    refs = await seedImportReferences(db);
    const admin = await insertUser(db, 'admin', null);
    for (const [k, role, agency] of [
      ['exec', 'agency_executor', refs.agency('MTSR')],
      ['wg', 'working_group', null],
    ] as const) {
      const u = await insertUser(db, role, agency);
      tokens[k] = (
        await createApiToken(db, { name: k, subject: { userId: u.id }, createdBy: admin.id })
      ).token;
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function call(who: 'exec' | 'wg', path: string, json?: unknown) {
    const res = await fetch(`${stack.web.url}/api/v1${path}`, {
      method: json === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('grants another date, keeps the control date on a return, and reopens a completed item', async () => {
    const { row, state } = await insertItem(stack.tdb.db, { agencyId: refs.agency('MTSR'), due });
    const first = await startControlItem(stack.temporal.handle, state, {
      ...resolvePolicy(null, OFFSET),
      reopenWindowWorkingDays: 0,
    });
    const id = row.id;
    const asked = workingOnOrAfter(addDays(due, 40));
    const granted = workingOnOrAfter(addDays(due, 20));
    expect(
      (await call('exec', `/items/${id}/extension-request`, { requestedDue: asked, reason: 'Ждём Минюст' }))
        .status,
    ).toBe(200);
    const decided = await call('wg', `/items/${id}/extension-decision`, {
      approve: true,
      grantedDue: granted,
    });
    expect(decided.status).toBe(200);
    expect(decided.body.item).toMatchObject({ currentDue: granted, originalDue: due });

    expect((await call('exec', `/items/${id}/submit`, { text: 'Отчёт' })).status).toBe(200);
    const returned = await call('wg', `/items/${id}/review`, { outcome: 'return', reason: 'Нет подписи' });
    expect(returned.status).toBe(200);
    expect(returned.body.item).toMatchObject({
      status: 'returned',
      currentDue: granted,
      reworkDue: granted, // the 5-working-day window ends before the control date: due on it
      lateness: { state: 'none', workingDays: 0, unit: 'working_days' },
    });

    expect((await call('exec', `/items/${id}/submit`, { text: 'Отчёт с подписью' })).status).toBe(200);
    const accepted = await call('wg', `/items/${id}/review`, { outcome: 'accept' });
    expect(accepted.body.item).toMatchObject({ status: 'done', actions: ['reopen'] });
    expect((await first.result()).status).toBe('done');

    expect((await call('exec', `/items/${id}/reopen`, { reason: 'Хочу ещё' })).status).toBe(403);
    const reopened = await call('wg', `/items/${id}/reopen`, { reason: 'Приказ не опубликован' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.item).toMatchObject({ status: 'returned', currentDue: granted, reworkDue: granted });
    const d = await stack.temporal.client.workflow
      .getHandle(controlItemWorkflowId(id, stack.temporal.workflowIdPrefix))
      .describe();
    expect(d.status.name).toBe('RUNNING');
    expect(d.runId).not.toBe(first.firstExecutionRunId);
    await stack.temporal.client.workflow.getHandle(d.workflowId).terminate('test done');
  });
});
