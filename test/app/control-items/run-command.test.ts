import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../app/api-tokens/index.ts';
import { startControlItem } from '../../../app/control-items/index.ts';
import { precedingWorkingDay } from '../../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../../domain/control-item/index.ts';
import { addDays, instantToLocalDate } from '../../../domain/local-date.ts';
import { hashPassword } from '../../../web/index.ts';
import { insertAgency, insertItem, insertUser } from '../../support/fixtures.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { WebClient } from '../../support/web.ts';

// Command integrity through the one action pipeline (app/control-items runItemCommand), on the web and
// the API: permission before status, and an idempotency key that belongs to one item, action and actor.
describe('item commands: permission first, one key per item, action and actor', () => {
  let stack: TestStack;
  let db: TestStack['tdb']['db'];
  let mtsr: { id: number };
  let mz: { id: number };
  const tokens: Record<string, string> = {};
  const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
  const due = precedingWorkingDay(addDays(today, 50));

  beforeAll(async () => {
    stack = await startTestStack();
    db = stack.tdb.db;
    const hash = await hashPassword('pw');
    mtsr = await insertAgency(db, 'MTSR');
    mz = await insertAgency(db, 'MZ');
    const admin = await insertUser(db, 'admin', null);
    const users = {
      exec: await insertUser(db, 'agency_executor', mtsr.id, { login: 'mtsr.exec', password_hash: hash }),
      head: await insertUser(db, 'agency_head', mtsr.id, { login: 'mtsr.head', password_hash: hash }),
      obs: await insertUser(db, 'observer', null, { login: 'obs', password_hash: hash }),
    };
    for (const [name, u] of Object.entries(users)) {
      tokens[name] = (
        await createApiToken(db, { name, subject: { userId: u.id }, createdBy: admin.id })
      ).token;
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function newItem(agencyId: number) {
    const { row, state } = await insertItem(db, { agencyId, due });
    await startControlItem(stack.temporal.handle, state, DEFAULT_CHASE_POLICY);
    return row.id;
  }
  const item = (id: number) =>
    db
      .selectFrom('control_item')
      .select(['status', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const events = (key: string) =>
    db.selectFrom('event').select(['control_item_id', 'type']).where('event_key', '=', key).execute();
  async function login(name: string) {
    const c = new WebClient(stack.web.url);
    await c.login(name, 'pw');
    return c;
  }
  const api = (token: string, path: string, o: { json?: unknown; key?: string } = {}) =>
    fetch(`${stack.web.url}/api/v1${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(o.key ? { 'idempotency-key': o.key } : {}),
      },
      body: JSON.stringify(o.json ?? {}),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));

  it('web: a form key reused on another item, action or by another user is a 409 with a message', async () => {
    const own = await newItem(mtsr.id);
    const second = await newItem(mtsr.id);
    const foreign = await newItem(mz.id);
    const exec = await login('mtsr.exec');
    const key = 'form-key-0000000001';

    expect((await exec.post(`/items/${own}/start`, { eventId: key })).status).toBe(303);
    expect(await item(own)).toEqual({ status: 'in_progress', version: 1 });

    // The same post again (a double click, a retried request): harmless, acts once.
    expect((await exec.post(`/items/${own}/start`, { eventId: key })).status).toBe(303);
    expect((await exec.post(`/items/${own}/start`, { eventId: key }, { htmx: true })).status).toBe(200);
    expect(await events(key)).toEqual([{ control_item_id: own, type: 'started' }]);

    // The same key on another item of the agency: refused, with the message on the page, nothing done.
    const other = await exec.post(`/items/${second}/start`, { eventId: key }, { htmx: true });
    expect(other.status).toBe(409);
    expect(other.text).toContain('Эта форма уже была отправлена для другого действия или мероприятия');
    expect(await item(second)).toEqual({ status: 'assigned', version: 0 });

    // … or on the same item for another action.
    const submit = await exec.post(`/items/${own}/submit`, { eventId: key, text: 'Отчёт', part: '0' });
    expect(submit.status).toBe(409);
    expect(submit.text).toContain('Эта форма уже была отправлена');
    expect(await item(own)).toEqual({ status: 'in_progress', version: 1 });

    // … or by another user of the same agency, who could start the item themselves.
    const head = await login('mtsr.head');
    expect((await head.post(`/items/${second}/start`, { eventId: key })).status).toBe(409);
    expect(await item(second)).toEqual({ status: 'assigned', version: 0 });

    // The case reported: the key of an own submit, posted to cancel another agency's item. That user may
    // never cancel it: refused as forbidden first (it used to answer 303 as if it had worked).
    const cancel = await exec.post(`/items/${foreign}/cancel`, { eventId: key, reason: 'x', confirm: '1' });
    expect(cancel.status).toBe(403);
    expect(await item(foreign)).toEqual({ status: 'assigned', version: 0 });
    expect(await events(key)).toEqual([{ control_item_id: own, type: 'started' }]);
  });

  it('API: the same Idempotency-Key repeats harmlessly, on another item or action it is a 409', async () => {
    const first = await newItem(mtsr.id);
    const second = await newItem(mtsr.id);
    const key = 'api-key-000000001';
    const started = await api(tokens.exec!, `/items/${first}/start`, { key });
    expect([started.status, started.body.item.status]).toEqual([200, 'in_progress']);
    const again = await api(tokens.exec!, `/items/${first}/start`, { key });
    expect([again.status, again.body.item.status, again.body.item.version]).toEqual([200, 'in_progress', 1]);

    const reused = await api(tokens.exec!, `/items/${second}/start`, { key });
    expect(reused.status).toBe(409);
    expect(reused.body.error).toMatchObject({
      code: 'conflict',
      key: 'error.api.idempotencyKeyReused',
      field: 'Idempotency-Key',
    });
    expect(reused.body.error.message).toContain('Idempotency-Key');
    const otherAction = await api(tokens.exec!, `/items/${first}/submit`, { key, json: { text: 'Отчёт' } });
    expect(otherAction.status).toBe(409);
    expect(await item(second)).toEqual({ status: 'assigned', version: 0 });
    expect(await item(first)).toEqual({ status: 'in_progress', version: 1 });
    // Keys are per token: another token's same key is its own action.
    const head = await api(tokens.head!, `/items/${second}/start`, { key });
    expect([head.status, head.body.item.status]).toEqual([200, 'in_progress']);
  });

  it('API: permission before status — an observer’s start is 403 whatever the status, the agency’s 409', async () => {
    const id = await newItem(mtsr.id);
    expect((await api(tokens.exec!, `/items/${id}/start`)).status).toBe(200);
    // The item is in progress: starting it is "not now" for its agency, "never" for an observer.
    const observer = await api(tokens.obs!, `/items/${id}/start`);
    expect(observer.status).toBe(403);
    expect(observer.body.error.code).toBe('forbidden');
    const own = await api(tokens.exec!, `/items/${id}/start`);
    expect(own.status).toBe(409);
    expect(own.body.error.key).toBe('error.transition.notInStatus');
    expect((await api(tokens.obs!, `/items/${id}/cancel`, { json: { reason: 'x' } })).status).toBe(403);
    expect(await item(id)).toEqual({ status: 'in_progress', version: 1 });
  });
});
