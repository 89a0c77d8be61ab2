import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFeedback } from '../../app/feedback/index.ts';
import { serviceKpi } from '../../db/read-models/index.ts';
import { hashPassword } from '../../web/index.ts';
import { feedbackDeps, feedbackWorld } from '../support/feedback-fixtures.ts';
import { regionToday } from '../support/item-ui-fixtures.ts';
import { insertScore } from '../support/services-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

// Principles checks: a round per service with a grade per principle and a total, the low-graded list, and
// the KPI counting services low by citizens' score, by principles grade, or either.
describe('principles checks', () => {
  let stack: TestStack;
  let w: Awaited<ReturnType<typeof feedbackWorld>>;

  beforeAll(async () => {
    stack = await startTestStack();
    w = await feedbackWorld(stack.tdb.db);
    await stack.tdb.db
      .updateTable('app_user')
      .set({ password_hash: await hashPassword('pw') })
      .execute();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('records rounds, lists the low-graded, and lets the KPI count them', async () => {
    const db = stack.tdb.db;
    const principles = await db.selectFrom('principle').select(['id', 'code']).orderBy('sort').execute();
    expect(principles.map((p) => p.code)).toContain('P-PROACTIVE');
    const wg = new WebClient(stack.web.url);
    await wg.login(w.wg.login, 'pw');
    const page = await wg.get(`/citizens/principles/service/${w.service.id}`);
    expect(page.status).toBe(200);
    // Every principle needs a grade: one missing is a field error, nothing stored.
    const partial = Object.fromEntries(principles.slice(1).map((p) => [`grade.${p.id}`, '2']));
    const bad = await wg.post(`/citizens/principles/service/${w.service.id}`, {
      heldOn: '2025-03-15',
      ...partial,
    });
    expect(bad.status).toBe(422);
    expect(await db.selectFrom('principle_round').select('id').execute()).toHaveLength(0);
    const grades = Object.fromEntries(principles.map((p, i) => [`grade.${p.id}`, i % 2 ? '2' : '3']));
    expect(
      (await wg.post(`/citizens/principles/service/${w.service.id}`, { heldOn: '2025-03-15', ...grades }))
        .status,
    ).toBe(303);
    const round = await db.selectFrom('principle_round').selectAll().executeTakeFirstOrThrow();
    expect(round.total).toBe(2.5);
    const list = await wg.get('/citizens/principles');
    expect(list.text).toContain('Низкая оценка по принципам: 1');

    // The KPI: the service scores fine (4.6) in 2025-Q1 but grades low; a later round reaches the threshold.
    await insertScore(db, w.service.id, '2025-Q1', 4.6);
    await insertScore(db, w.service.id, '2025-Q2', 4.7);
    const ctx = { today: regionToday(), timeZone: 'Asia/Novosibirsk' };
    expect(await serviceKpi(db, ctx)).toMatchObject({ lowAtStart: 0 });
    expect(
      (await wg.post('/citizens/principles/settings', { lowThreshold: '3.5', basis: 'nonsense' })).status,
    ).toBe(422);
    expect(
      (await wg.post('/citizens/principles/settings', { lowThreshold: '3,5', basis: 'either' })).status,
    ).toBe(303);
    expect(await serviceKpi(db, ctx)).toMatchObject({ lowAtStart: 1, improved: 0 });
    const good = Object.fromEntries(principles.map((p) => [`grade.${p.id}`, '4']));
    expect(
      (await wg.post(`/citizens/principles/service/${w.service.id}`, { heldOn: '2025-05-20', ...good }))
        .status,
    ).toBe(303);
    expect(await serviceKpi(db, ctx)).toMatchObject({ lowAtStart: 1, improved: 1 });

    // The checklist is editable; it cannot be emptied.
    const off = Object.fromEntries(
      principles.flatMap((p) => [
        [`title_ru.${p.id}`, 'Принцип'],
        [`title_en.${p.id}`, 'Principle'],
      ]),
    );
    expect((await wg.post('/citizens/principles/checklist', off)).status).toBe(422);
    // Directions: a service carries one (set on its form); the rating shows it with the formula.
    const form = {
      code: w.service.code,
      title_ru: w.service.title_ru,
      agency_id: String(w.agency.id),
      level: 'regional',
    };
    await wg.get(`/services/${w.service.id}/edit`);
    expect((await wg.post(`/services/${w.service.id}`, { ...form, direction: 'NOPE' })).status).toBe(422);
    expect((await wg.post(`/services/${w.service.id}`, { ...form, direction: 'SOCPROT' })).status).toBe(303);
    const res = await ingestFeedback(feedbackDeps(db), {
      source: 'pos',
      items: [
        { sourceId: 'r1', serviceId: w.service.id, channel: 'pos', date: regionToday(), rating: 5 },
        { sourceId: 'r2', serviceId: w.service.id, channel: 'pos', date: regionToday(), rating: 3 },
      ],
    });
    expect(res.ok).toBe(true);
    const rating = await wg.get('/citizens/rating');
    expect(rating.status).toBe(200);
    expect(rating.text).toContain('Рейтинг = (0,5·S + 0,3·P + 0,2·M)');
    // S = (4 − 1) ÷ 4 × 100 = 75; P from the latest round (4.00) = 75; no measures: (0.5·75 + 0.3·75) ÷ 0.8 = 75.
    expect(rating.text).toMatch(
      /Сервисы социальной защиты<\/th>\s*<td class="num"[^>]*><strong>75<\/strong>/,
    );
    expect(rating.text).toContain('Целевые показатели 2030 года');

    const agency = new WebClient(stack.web.url);
    await agency.login(w.curator.login, 'pw');
    expect(
      (await agency.post(`/citizens/principles/service/${w.service.id}`, { heldOn: '2025-05-20', ...good }))
        .status,
    ).toBe(403);
  });
});
