import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLines, itemRow, outboxLines } from '../support/control-item-fixtures.ts';
import { arrivesLate, withdrawnBeforeReview, type Scenario } from '../support/control-item-scenarios.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { onPinnedServer } from '../support/pinned-server.ts';

// Issue 14: an item that arrives already late gets one notice, not one per ladder step; an agency takes
// back a report or an extension request before a decision. Time-skipping server with a pinned clock, the
// real activities, real Postgres. Dates: see test/workflows/control-item-year.test.ts (due Tue 11 May 2027:
// esc1 12 May, esc2 13 May, esc3 17 May, esc4 19 May, repeats every 5 working days after esc4).

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

const play = (scenario: Scenario) =>
  onPinnedServer(tdb.db, scenario.startAt, async (ctx) => ({ ...(await scenario.run(ctx)), cast: ctx.cast }));

describe('chasing and withdrawals (issue 14)', () => {
  it('an item put under control six working days late: one escalation to everyone the ladder would tell', async () => {
    const { itemId, cast } = await play(arrivesLate);
    expect(await auditLines(tdb.db, itemId)).toEqual([
      // Everything from r10 to esc4 was due on arrival: one step, the highest level.
      '2027-05-20 10:00 chase.escalation esc4',
      '2027-05-26 09:00 chase.repeat rep1',
      '2027-06-02 09:00 chase.repeat rep2',
      '2027-06-09 09:00 chase.repeat rep3',
      '2027-06-10 12:00 cancelled',
    ]);
    expect(await itemRow(tdb.db, itemId)).toMatchObject({ escalation_level: 4, overdue_since: '2027-05-12' });
    const escalation = (await outboxLines(tdb.db, itemId)).filter((l) => l.startsWith('escalation'));
    // The executor (esc1), the agency head (esc2) and the working group (esc3) hear it once, in one notice.
    for (const u of [cast.execA, cast.headA, cast.wg1, cast.wg2])
      expect(escalation).toContain(`escalation → ${u.login}`);
    expect(new Set(escalation).size).toBe(escalation.length);
    const kinds = new Set((await outboxLines(tdb.db, itemId)).map((l) => l.split(' → ')[0]));
    expect([...kinds].sort()).toEqual(['cancelled', 'escalation', 'repeat']);
  });

  it('a report and an extension request taken back before a decision; the next report is accepted', async () => {
    const { itemId, cast } = await play(withdrawnBeforeReview);
    expect(await auditLines(tdb.db, itemId)).toEqual([
      '2027-04-23 09:00 chase.reminder r10',
      '2027-04-27 12:00 submitted',
      '2027-04-27 15:00 submission_withdrawn',
      '2027-04-28 10:00 extension_requested',
      '2027-04-28 16:00 extension_withdrawn',
      '2027-04-30 09:00 chase.reminder r5',
      '2027-05-06 12:00 submitted',
      '2027-05-07 11:00 accepted',
    ]);
    const subs = await tdb.db
      .selectFrom('submission')
      .select(['round', 'body', 'outcome', 'review_reason'])
      .where('control_item_id', '=', itemId)
      .orderBy('id')
      .execute();
    expect(subs).toEqual([
      {
        round: 1,
        body: 'Отчёт без приложения',
        outcome: 'withdrawn',
        review_reason: 'Забыли приложить приказ',
      },
      { round: 1, body: 'Отчёт с приказом', outcome: 'accepted', review_reason: null },
    ]);
    expect(
      await tdb.db
        .selectFrom('extension_request')
        .select(['status', 'decision_note', 'decided_by'])
        .where('control_item_id', '=', itemId)
        .execute(),
    ).toEqual([{ status: 'withdrawn', decision_note: 'Успеваем в срок', decided_by: cast.headA.id }]);
    const outbox = await outboxLines(tdb.db, itemId);
    expect(outbox).toContain(`submission_withdrawn → ${cast.wg1.login}`);
    expect(outbox).toContain(`extension_withdrawn → ${cast.wg2.login}`);
    expect(await itemRow(tdb.db, itemId)).toMatchObject({ status: 'done', review_round: 0 });
  });
});
