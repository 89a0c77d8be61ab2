import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChaseHandle, ensureCheckChaseSchedule } from '../../app/feedback/index.ts';
import { addDays } from '../../domain/local-date.ts';
import { hashPassword } from '../../web/index.ts';
import { insertUser } from '../support/fixtures.ts';
import { feedbackWorld } from '../support/feedback-fixtures.ts';
import { regionToday } from '../support/item-ui-fixtures.ts';
import { insertLifeSituation, insertService } from '../support/services-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

// Mystery shopping as a plan: a quarter's checks for a group of services, assigned to checkers in turn,
// and the daily Temporal Schedule that chases the overdue ones (tested with trigger() on the dev server).
describe('mystery-shopping plan', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('plans a group’s quarter, and the Schedule chases overdue checks once a week', async () => {
    const db = stack.tdb.db;
    const w = await feedbackWorld(db);
    const hash = await hashPassword('pw');
    await db.updateTable('app_user').set({ password_hash: hash }).execute();
    const checker2 = await insertUser(db, 'working_group', null, { password_hash: hash });
    const ls = await insertLifeSituation(db);
    const extra = await insertService(db, { agencyId: w.agency.id });
    await db
      .insertInto('service_life_situation')
      .values([
        { service_id: w.service.id, life_situation_id: ls.id },
        { service_id: extra.id, life_situation_id: ls.id },
      ])
      .execute();
    const today = regionToday();
    const quarter = `${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
    const wg = new WebClient(stack.web.url);
    await wg.login(w.wg.login, 'pw');
    await wg.get('/citizens/plan');
    expect((await wg.post('/citizens/plan', { quarter, group: `ls:${ls.id}` })).status).toBe(422); // no checkers
    const ok = await wg.post('/citizens/plan', { quarter, group: `ls:${ls.id}`, checkers: String(w.wg.id) });
    expect(ok.status).toBe(303);
    // Planned once: the same group again adds nothing.
    expect(
      (await wg.post('/citizens/plan', { quarter, group: `ls:${ls.id}`, checkers: String(checker2.id) }))
        .status,
    ).toBe(303);
    const plan = await db
      .selectFrom('service_check')
      .selectAll()
      .where('plan_quarter', '=', quarter)
      .execute();
    expect(plan).toHaveLength(2);
    expect(plan.every((p) => p.inspector_user_id === w.wg.id && p.kind === 'mystery_shopping')).toBe(true);
    const page = await wg.get(`/citizens/plan?quarter=${quarter}`);
    expect(page.text).toContain('План контрольных закупок');

    // One planned check is overdue; the Schedule's run reminds its checker (and the working group) once.
    await db
      .updateTable('service_check')
      .set({ scheduled_on: addDays(today, -3) })
      .where('id', '=', plan[0]!.id)
      .execute();
    await ensureCheckChaseSchedule(stack.temporal.handle, {
      timeZone: 'Asia/Novosibirsk',
      utcOffsetMinutes: 420,
    });
    const handle = checkChaseHandle(stack.temporal.handle);
    expect((await handle.describe()).policies.catchupWindow).toBe(86_400_000);
    const notices = () =>
      db
        .selectFrom('notification')
        .select(['recipient_user_id'])
        .where('kind', '=', 'check_overdue')
        .orderBy('recipient_user_id')
        .execute();
    await handle.trigger();
    await expect.poll(notices).toEqual([{ recipient_user_id: w.wg.id }, { recipient_user_id: checker2.id }]);
    await handle.trigger();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await notices()).toHaveLength(2);
    await handle.delete();
  });
});
