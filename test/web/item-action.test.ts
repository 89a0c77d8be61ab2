import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precedingWorkingDay } from '../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import type { TestDatabase } from '../support/pg.ts';
import { WebClient } from '../support/web.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

// web → Temporal Update → activity → Postgres → web, against the real dev server and Postgres.
describe('an item action through the web', () => {
  let tdb: TestDatabase;
  let temporal: TestStack['temporal'];
  let stack: TestStack;
  let web: TestStack['web'];

  beforeAll(async () => {
    stack = await startTestStack();
    ({ tdb, temporal, web } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('starts work and submits a report, and the page shows what the workflow persisted', async () => {
    const hash = await hashPassword('secret-1');
    const agency = await insertAgency(tdb.db);
    await insertUser(tdb.db, 'agency_executor', agency.id, { login: 'exec1', password_hash: hash });
    await insertUser(tdb.db, 'working_group', null, { login: 'wg1', password_hash: hash });
    const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
    const { row, state } = await insertItem(tdb.db, {
      agencyId: agency.id,
      due: precedingWorkingDay(addDays(today, 40)),
      title: 'Описание целевого состояния',
    });
    await startControlItem(temporal.handle, state, DEFAULT_CHASE_POLICY);

    const exec = new WebClient(web.url);
    await exec.login('exec1', 'secret-1');
    const page = await exec.get(`/items/${row.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Описание целевого состояния');
    expect(page.text).toContain('Взять в работу');

    // htmx post: CSRF header from the page, fragment back.
    const eventId = WebClient.field(page.text, 'eventId')!;
    const started = await exec.post(`/items/${row.id}/start`, { eventId }, { htmx: true });
    expect(started.status).toBe(200);
    expect(started.text).toContain('id="item-panel"');
    expect(started.text).not.toContain('<html');
    expect(started.text).toContain('В работе');
    const afterStart = await tdb.db
      .selectFrom('control_item')
      .select(['status', 'version'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(afterStart).toEqual({ status: 'in_progress', version: 1 });

    // Same action again (double click): idempotent by event id, nothing new persisted.
    const again = await exec.post(`/items/${row.id}/start`, { eventId }, { htmx: true });
    expect(again.status).toBe(200);
    expect(
      await tdb.db.selectFrom('event').select('id').where('control_item_id', '=', row.id).execute(),
    ).toHaveLength(1);

    // Validation error comes back as the panel with the message next to the field (422), nothing stored.
    const empty = await exec.post(
      `/items/${row.id}/submit`,
      { eventId: 'evt-empty-0001', text: '  ', part: '0' },
      { htmx: true },
    );
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Добавьте текст отчёта, ссылку или файл');
    expect(empty.text).toContain('id="submit-text-error"');
    expect(
      await tdb.db.selectFrom('submission').select('id').where('control_item_id', '=', row.id).execute(),
    ).toHaveLength(0);

    // Plain form post (no JS): PRG redirect, then the page shows the new status.
    const sub = await exec.post(`/items/${row.id}/submit`, {
      eventId: 'evt-submit-0001',
      text: 'Проект описания направлен',
      part: '0',
    });
    expect(sub.status).toBe(303);
    const after = await exec.get(`/items/${row.id}`);
    expect(after.text).toContain('На рассмотрении');
    expect(after.text).toContain('Проект описания направлен');

    // The agency user cannot review; a forged request is refused (403) before reaching the workflow.
    const forged = await exec.post(
      `/items/${row.id}/review`,
      { eventId: 'evt-forged-001', outcome: 'accept', confirm: '1' },
      { htmx: true },
    );
    expect(forged.status).toBe(403);

    const wg = new WebClient(web.url);
    await wg.login('wg1', 'secret-1');
    const accepted = await wg.post(
      `/items/${row.id}/review`,
      { eventId: 'evt-accept-001', outcome: 'accept', confirm: '1' },
      { htmx: true },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.text).toContain('Исполнено');
    const final = await tdb.db
      .selectFrom('control_item')
      .select(['status', 'accepted_at'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(final.status).toBe('done');
    expect(final.accepted_at).toBeInstanceOf(Date);
  });

  it('refuses posts without the CSRF token or from another origin', async () => {
    const c = new WebClient(web.url);
    await c.login('exec1', 'secret-1');
    const noToken = await c.request('/items/1/start', {
      method: 'POST',
      body: new URLSearchParams({ eventId: 'x' }),
    });
    expect(noToken.status).toBe(403);
    const res = await fetch(`${web.url}/logout`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${c.csrf}`,
    });
    expect(res.status).toBe(403);
  });
});
