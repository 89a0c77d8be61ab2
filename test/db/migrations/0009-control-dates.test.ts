import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/index.ts';
import { migrations } from '../../../db/migrations/index.ts';
import { insertAgency } from '../../support/fixtures.ts';
import { migratedDatabaseOn } from '../../support/pg.ts';

// Migration 0009 on rows the code before it wrote: a return moved the deadline (current_due) and reset the
// escalation; the audit events kept both sides. Down to 0008, old rows in, up again — on Postgres and PGlite.
describe.each(['pg', 'pglite'] as const)('migration 0009 (control dates) on %s', (kind) => {
  let database: Database;
  const migrator = () =>
    new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });

  beforeAll(async () => {
    database = await migratedDatabaseOn(kind);
    // Down to the last migration before 0009 (later ones, if any, go down first).
    const down = await migrator().migrateTo('0008-change-notices');
    expect(down.error).toBeUndefined();
    expect(down.results?.at(-1)).toMatchObject({ migrationName: '0009-control-dates', direction: 'Down' });
  });
  afterAll(async () => {
    await database?.close();
  });

  const view = (status: string, currentDue: string, escalationLevel = 0, periodKey?: string) =>
    JSON.stringify({ status, currentDue, escalationLevel, ...(periodKey ? { periodKey } : {}) });

  /** An item and its audit trail as the old persistTransition / recordChase wrote them. */
  async function oldItem(v: {
    agencyId: number;
    status: string;
    due: string;
    escalation?: number;
    recurrence?: 'quarterly';
    periodKey?: string;
    events: [type: string, before: string, after: string, at: string][];
  }) {
    const { db } = database;
    const item = await db
      .insertInto('control_item')
      .values({
        kind: 'measure',
        title_ru: 'Мероприятие',
        agency_id: v.agencyId,
        status: v.status as never,
        original_due: '2026-06-30',
        current_due: v.due,
        escalation_level: v.escalation ?? 0,
        recurrence: v.recurrence ?? null,
        period_key: v.periodKey ?? null,
        recurrence_until: v.recurrence ? '2027-12-31' : null,
        recurrence_due_days: v.recurrence ? 5 : null,
        ...(v.status === 'done' ? { accepted_at: new Date('2026-12-09T08:00:00Z') } : {}),
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    let n = 0;
    for (const [type, before, after, at] of v.events) {
      await db
        .insertInto('event')
        .values({
          event_key: `old:${item.id}:${++n}`,
          control_item_id: item.id,
          type,
          at: new Date(at),
          before,
          after,
          data: '{}',
        })
        .execute();
    }
    return item.id;
  }

  it('gives items back the control date a return moved, keeps the moved date as the rework due date', async () => {
    const { db } = database;
    const a = await insertAgency(db, `M9${kind}`);
    // Item 4.1 of the issue: due 30 June 2026, red list, returned on 4 December, moved to 11 December.
    const ladder: [string, string, string, string][] = [
      [
        'chase.overdue',
        view('in_progress', '2026-06-30'),
        view('in_progress', '2026-06-30', 1),
        '2026-07-01T02:00:00Z',
      ],
      [
        'chase.escalation',
        view('in_progress', '2026-06-30', 3),
        view('in_progress', '2026-06-30', 4),
        '2026-07-08T02:00:00Z',
      ],
      [
        'submitted',
        view('in_progress', '2026-06-30', 4),
        view('submitted', '2026-06-30', 4),
        '2026-12-03T05:00:00Z',
      ],
      [
        'returned',
        view('submitted', '2026-06-30', 4),
        view('returned', '2026-12-11', 0),
        '2026-12-04T05:00:00Z',
      ],
    ];
    const open = await oldItem({ agencyId: a.id, status: 'returned', due: '2026-12-11', events: ladder });
    const accepted = await oldItem({
      agencyId: a.id,
      status: 'done',
      due: '2026-12-11',
      events: [
        ...ladder,
        [
          'submitted',
          view('returned', '2026-12-11'),
          view('submitted', '2026-12-11'),
          '2026-12-08T05:00:00Z',
        ],
        ['accepted', view('submitted', '2026-12-11'), view('done', '2026-12-11'), '2026-12-09T08:00:00Z'],
      ],
    });
    // Moved by a return, then extended: the extension's date stands.
    const extended = await oldItem({
      agencyId: a.id,
      status: 'in_progress',
      due: '2027-02-26',
      events: [
        ...ladder,
        [
          'extension_approved',
          view('returned', '2026-12-11'),
          view('returned', '2027-02-26'),
          '2026-12-05T05:00:00Z',
        ],
      ],
    });
    // A recurring report whose first quarter was accepted against the moved date.
    const recurring = await oldItem({
      agencyId: a.id,
      status: 'in_progress',
      due: '2027-01-15',
      recurrence: 'quarterly',
      periodKey: '2026-Q4',
      events: [
        [
          'returned',
          view('submitted', '2026-10-07', 2, '2026-Q3'),
          view('returned', '2026-10-14', 0, '2026-Q3'),
          '2026-10-07T05:00:00Z',
        ],
        [
          'period_closed',
          view('submitted', '2026-10-14', 0, '2026-Q3'),
          view('assigned', '2027-01-15', 0, '2026-Q4'),
          '2026-10-13T05:00:00Z',
        ],
      ],
    });
    await db
      .insertInto('item_period')
      .values({
        control_item_id: recurring,
        period_key: '2026-Q3',
        due: '2026-10-14',
        review_rounds: 1,
        accepted_at: new Date('2026-10-13T05:00:00Z'),
      })
      .execute();

    const up = await migrator().migrateToLatest();
    expect(up.error).toBeUndefined();

    const rows = await db
      .selectFrom('control_item')
      .select(['id', 'current_due', 'rework_due', 'escalation_level', 'overdue_since'])
      .where('id', 'in', [open, accepted, extended, recurring])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      {
        id: open,
        current_due: '2026-06-30',
        rework_due: '2026-12-11',
        escalation_level: 4,
        overdue_since: '2026-07-01',
      },
      {
        id: accepted,
        current_due: '2026-06-30',
        rework_due: null,
        escalation_level: 4,
        overdue_since: '2026-07-01',
      },
      { id: extended, current_due: '2027-02-26', rework_due: null, escalation_level: 0, overdue_since: null },
      {
        id: recurring,
        current_due: '2027-01-15',
        rework_due: null,
        escalation_level: 0,
        overdue_since: null,
      },
    ]);
    expect(
      await db
        .selectFrom('item_period')
        .select(['period_key', 'due'])
        .where('control_item_id', '=', recurring)
        .execute(),
    ).toEqual([{ period_key: '2026-Q3', due: '2026-10-07' }]);
    // The open one waits for its workflow (reconciliation sends the Update); the closed one is done, with
    // its audit line written here.
    const restores = await db
      .selectFrom('control_date_restore')
      .select(['control_item_id', 'moved_due', 'control_date', 'rework_due', 'escalation_level', 'outcome'])
      .orderBy('control_item_id')
      .execute();
    expect(restores).toEqual([
      {
        control_item_id: open,
        moved_due: '2026-12-11',
        control_date: '2026-06-30',
        rework_due: '2026-12-11',
        escalation_level: 4,
        outcome: null,
      },
      {
        control_item_id: accepted,
        moved_due: '2026-12-11',
        control_date: '2026-06-30',
        rework_due: null,
        escalation_level: 4,
        outcome: 'closed',
      },
    ]);
    const restoredEvents = await db
      .selectFrom('event')
      .select(['control_item_id', 'event_key'])
      .where('type', '=', 'control_date_restored')
      .execute();
    expect(restoredEvents).toEqual([
      { control_item_id: accepted, event_key: `control-date-restored:${accepted}` },
    ]);

    // And back: down puts the moved dates where they were.
    const down = await migrator().migrateTo('0008-change-notices');
    expect(down.error).toBeUndefined();
    const back = await db
      .selectFrom('control_item')
      .select(['id', 'current_due'])
      .where('id', 'in', [open, accepted])
      .orderBy('id')
      .execute();
    expect(back.map((r) => r.current_due)).toEqual(['2026-12-11', '2026-12-11']);
    expect((await migrator().migrateToLatest()).error).toBeUndefined();
  });
});
