import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.ts';
import { createReadCache, type ReadCache } from '../../db/read-cache.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { migratedDatabaseOn } from '../support/pg.ts';

/**
 * Tables whose writes do not bump read_version, and why. Every other table must carry the trigger: a table
 * added later fails the first test until it is put in migration 0006's list (or a later migration's) or
 * here with a reason.
 */
const READ_VERSION_EXEMPT: Record<string, string> = {
  session: 'written on every sign-in and activity; no cached read shows sessions',
  attachment:
    'uploads are linked in the same transaction as their submission (which bumps); unlinked ones show nowhere',
  import_job: 'job progress is polled uncached; the rows an import writes bump on their own tables',
  api_token: 'shown only on the uncached admin page',
  account_login: 'sign-in bookkeeping, written on every attempt; shown only on uncached account pages',
  account_invite: 'shown only on the uncached admin account page',
  sso_rule: 'shown only on the uncached admin page; read at sign-in',
  control_date_restore:
    "migration 0009's one-off corrections for running workflows; no page reads it (the workflow's Update bumps the item)",
  read_version: 'the counter itself',
  notification:
    "moves its recipient's notice_version (migration 0017): the badge and the inbox are one person's",
  notice_version: "the unread badge's counter itself, per user",
  feedback:
    'written only by the feedback intake, whose transaction also writes a feedback_batch row (which bumps)',
  feedback_month: 'the intake’s tallies: its feedback_batch row bumps once per transaction',
  feedback_area_month: 'the intake’s tallies: its feedback_batch row bumps once per transaction',
  feedback_topic_month: 'the intake’s tallies: its feedback_batch row bumps once per transaction',
  feedback_area_topic_month: 'the intake’s tallies: its feedback_batch row bumps once per transaction',
  // Issue 17's programme figures (migration 0015): derived from items and events in the writing transaction,
  // whose own tables bump; the keeper's daily rebuild is for a new day, and today is part of every key.
  agg_group: 'kept figures: written with the item or event that bumps, in the same transaction',
  agg_burnup: 'kept figures: written with the item or event that bumps, in the same transaction',
  agg_agency_events: 'kept figures: written with the item or event that bumps, in the same transaction',
  agg_group_delta: "a transaction's staged figures, applied and emptied at its commit",
  agg_burnup_delta: "a transaction's staged figures, applied and emptied at its commit",
  agg_event_delta: "a transaction's staged figures, applied and emptied at its commit",
  agg_anchor: 'the day the figures are kept for; cached reads are keyed by today already',
  work_day: 'the working-day ordinals the figures count with, rebuilt with the anchor',
  kysely_migration: "the migrator's own",
  kysely_migration_lock: "the migrator's own",
};

// The read cache's counter on node-postgres and PGlite: same triggers, same answers.
describe.each(['pg', 'pglite'] as const)('read_version on %s', (kind) => {
  let database: Database;
  let cache: ReadCache;

  beforeAll(async () => {
    database = await migratedDatabaseOn(kind);
    cache = createReadCache(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('every table either bumps the version on writes or is exempt for a stated reason', async () => {
    const tables = await sql<{ name: string }>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p') order by 1`.execute(database.db);
    const versioned = await sql<{ name: string }>`
      select distinct t.tgrelid::regclass::text as name from pg_trigger t
      where t.tgname like '%\\_read\\_version' and t.tgdeferrable and t.tginitdeferred`.execute(database.db);
    const have = new Set(versioned.rows.map((r) => r.name));
    const uncovered = tables.rows
      .map((r) => r.name)
      .filter((t) => !have.has(t) && !(t in READ_VERSION_EXEMPT));
    expect(uncovered).toEqual([]);
    // And the exempt list names only real, untriggered tables.
    const names = new Set(tables.rows.map((r) => r.name));
    expect(Object.keys(READ_VERSION_EXEMPT).filter((t) => !names.has(t) || have.has(t))).toEqual([]);
  });

  it('a transaction bumps its kind of data once, when it commits; a rollback or a read does not', async () => {
    const { db } = database;
    const v0 = await cache.version();
    await db.selectFrom('agency').selectAll().execute();
    expect(await cache.version()).toEqual(v0);

    await db.transaction().execute(async (trx) => {
      const a = await insertAgency(trx);
      const b = await insertAgency(trx);
      await trx.updateTable('agency').set({ short_ru: 'x' }).where('id', 'in', [a.id, b.id]).execute();
      // PGlite has one connection: a read from outside would wait for this transaction.
      if (kind === 'pg') expect(await cache.version()).toEqual(v0);
    });
    // Agencies are reference data: only that counter moves.
    expect(await cache.version()).toEqual({ ...v0, reference: v0.reference + 1n });

    await expect(
      db.transaction().execute(async (trx) => {
        await insertAgency(trx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await cache.version()).toEqual({ ...v0, reference: v0.reference + 1n });
  });

  it('a transaction writing several kinds moves each of them once, and nothing else', async () => {
    const { db } = database;
    const agency = await insertAgency(db);
    const v0 = await cache.version();
    await db.transaction().execute(async (trx) => {
      await insertItem(trx, { agencyId: agency.id, due: '2030-01-10', number: `rc-${kind}-1` });
      await insertItem(trx, { agencyId: agency.id, due: '2030-01-10', number: `rc-${kind}-2` });
      await trx.updateTable('agency').set({ short_en: 'y' }).where('id', '=', agency.id).execute();
    });
    expect(await cache.version()).toEqual({
      ...v0,
      items: v0.items + 1n,
      reference: v0.reference + 1n,
    });
  });

  it("a notice moves its recipient's counter only: other people's pages and every cached read stay", async () => {
    const { db } = database;
    // A write to an exempt table (sessions) leaves everything alone.
    const [user, other] = [
      await insertUser(db, 'working_group', null),
      await insertUser(db, 'working_group', null),
    ];
    const notices = async (id: number) =>
      (
        await db
          .selectFrom('notice_version')
          .select(sql<string>`v::text`.as('v'))
          .where('user_id', '=', id)
          .executeTakeFirst()
      )?.v ?? '0';
    const v1 = await cache.version();
    await db
      .insertInto('session')
      .values({
        id: `rc-${kind}`,
        user_id: user.id,
        csrf_token: 'x',
        expires_at: new Date(Date.now() + 60_000),
      })
      .execute();
    expect(await cache.version()).toEqual(v1);
    const notice = (key: string) => ({
      idempotency_key: key,
      recipient_user_id: user.id,
      kind: 'reminder' as const,
      subject: 's',
      body_text: 'b',
    });
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('notification')
        .values(notice(`rc-${kind}-a`))
        .execute();
      await trx
        .insertInto('notification')
        .values(notice(`rc-${kind}-b`))
        .execute();
    });
    expect(await cache.version()).toEqual(v1);
    expect([await notices(user.id), await notices(other.id)]).toEqual(['1', '0']);
    // Read: the badge changes, so the counter moves again.
    await db
      .updateTable('notification')
      .set({ read_at: new Date() })
      .where('recipient_user_id', '=', user.id)
      .execute();
    expect([await notices(user.id), await notices(other.id)]).toEqual(['2', '0']);
  });

  it('keeps a read while only kinds of data it does not read change', async () => {
    const { db } = database;
    let computed = 0;
    const agencies = () =>
      cache.get(
        'agency-count',
        async () => {
          computed++;
          const r = await db
            .selectFrom('agency')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow();
          return Number(r.n);
        },
        undefined,
        ['reference'],
      );
    const agency = await insertAgency(db);
    const before = await agencies();
    expect(computed).toBe(1);
    await insertItem(db, { agencyId: agency.id, due: '2030-01-10', number: `rc-${kind}-3` });
    expect(await agencies()).toBe(before);
    expect(computed).toBe(1);
    await insertAgency(db);
    expect(await agencies()).toBe(before + 1);
    expect(computed).toBe(2);
  });

  it('serves a result until a write commits, then computes it again', async () => {
    const { db } = database;
    let computed = 0;
    const count = () =>
      cache.get('agencies', async () => {
        computed++;
        const r = await db
          .selectFrom('agency')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return Number(r.n);
      });
    const before = await count();
    // Concurrent readers at one version share one computation.
    expect(await Promise.all([count(), count(), count()])).toEqual([before, before, before]);
    expect(computed).toBe(1);

    await insertAgency(db);
    expect(await count()).toBe(before + 1);
    expect(computed).toBe(2);
    await db.deleteFrom('agency').where('short_ru', '=', 'x').execute();
    expect(await count()).toBe(before + 1 - 2);
    expect(computed).toBe(3);
  });

  it('forgets a failed computation instead of serving the failure', async () => {
    await expect(cache.get('fails', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('fails', async () => 'ok')).toBe('ok');
  });
});
