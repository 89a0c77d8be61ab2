import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, type Database } from '../../db/index.ts';
import { migrations } from '../../db/migrations/index.ts';
import { migratedDatabaseOn } from '../support/pg.ts';

// The same assertions against node-postgres and PGlite: the app must not care which one it runs on.
describe.each(['pg', 'pglite'] as const)('database on %s', (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await migratedDatabaseOn(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('has every migration applied and re-running is a no-op', async () => {
    const applied = await database.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    expect(applied.map((r) => (r as { name: string }).name)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(database.db)).toEqual([]);
  });

  it('returns the same JS types for count, int8, numeric, date, timestamptz, arrays, jsonb and bytea', async () => {
    const { db } = database;
    const agency = await db
      .insertInto('agency')
      .values({ code: `T${kind}`, title_ru: 'Тест', title_en: 'Test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const item = await db
      .insertInto('control_item')
      .values({
        kind: 'measure',
        title_ru: 'Мероприятие',
        agency_id: agency.id,
        co_agency_ids: [agency.id, 42],
        original_due: '2025-03-31',
        current_due: '2025-04-07',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(item.original_due).toBe('2025-03-31');
    expect(item.co_agency_ids).toEqual([agency.id, 42]);
    expect(item.created_at).toBeInstanceOf(Date);

    const ev = await db
      .insertInto('event')
      .values({
        event_key: `k-${kind}`,
        control_item_id: item.id,
        type: 't',
        at: new Date('2025-01-01T03:00:00Z'),
        data: JSON.stringify({ a: [1, 'x'] }),
      })
      .returning(['id', 'data', 'at'])
      .executeTakeFirstOrThrow();
    expect(typeof ev.id).toBe('number'); // bigserial
    expect(ev.data).toEqual({ a: [1, 'x'] });
    expect(ev.at.toISOString()).toBe('2025-01-01T03:00:00.000Z');

    const svc = await db
      .insertInto('service')
      .values({ code: `S${kind}`, title_ru: 'Услуга', agency_id: agency.id, channels: ['epgu', 'mfc'] })
      .returning(['id', 'channels'])
      .executeTakeFirstOrThrow();
    expect(svc.channels).toEqual(['epgu', 'mfc']);
    const score = await db
      .insertInto('service_score')
      .values({ service_id: svc.id, period: '2025-Q1', avg_score: 3.95, votes: 10 })
      .returning('avg_score')
      .executeTakeFirstOrThrow();
    expect(score.avg_score).toBe(3.95);

    const counts = await db
      .selectFrom('control_item')
      .select((eb) => [
        eb.fn.countAll().as('n'),
        sql<number>`sum(review_round)`.as('s'),
        sql<string>`max(current_due)`.as('d'),
      ])
      .executeTakeFirstOrThrow();
    expect(counts).toEqual({ n: 1, s: 0, d: '2025-04-07' });

    const bytes = new Uint8Array([0, 1, 2, 255]);
    const att = await db
      .insertInto('attachment')
      .values({
        filename: 'a.bin',
        mime: 'application/octet-stream',
        size_bytes: 4,
        sha256: 'x',
        content: bytes,
      })
      .returning('content')
      .executeTakeFirstOrThrow();
    expect([...att.content]).toEqual([0, 1, 2, 255]);
  });
});
