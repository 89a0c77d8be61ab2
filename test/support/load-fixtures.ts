import type { Server } from 'node:http';
import type { Worker } from '@temporalio/worker';
import { itemStateFromRow } from '../../db/control-items.ts';
import pino from 'pino';
import { connect, startChangeFeed, type Database, type Db } from '../../db/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { hashPassword } from '../../web/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { type TemporalHandle } from '../../app/temporal.ts';
import { dueIn } from './item-ui-fixtures.ts';
import { createTestDatabase, type TestDatabase } from './pg.ts';
import { connectDevServer, createTestWorker } from './temporal.ts';
import { startTestApp } from './web.ts';

/**
 * The whole stack as production wires it, for load: the web app has its own pool of the production
 * default size (10), separate from the worker's, so the test measures the app and not a starved pool.
 */
export async function startLoadStack() {
  const [tdb, temporal] = await Promise.all([createTestDatabase(), connectDevServer()]);
  const worker: Worker = await createTestWorker({
    connection: temporal.nativeConnection,
    taskQueue: temporal.taskQueue,
    deps: { db: tdb.db, publicUrl: 'http://shtab.test' },
  });
  const running = worker.run();
  const webDb: Database = await connect({ databaseUrl: tdb.url });
  // As runWeb wires Postgres; LOAD_CHANGE_FEED=0 reads session and version per request (decisions §28).
  const changeFeed =
    process.env.LOAD_CHANGE_FEED === '0'
      ? undefined
      : startChangeFeed({ databaseUrl: tdb.url, log: pino({ level: 'silent' }) });
  const web = await startTestApp({
    db: webDb.db,
    temporal: temporal.handle,
    ...(changeFeed ? { changeFeed } : {}),
  });
  // The virtual users share this process's event loop with the server; under 200 of them the loop lags
  // by seconds, so the client reuses a keep-alive connection the server's 5 s idle timer has just closed
  // (ECONNRESET, the known keep-alive race; browsers retry it silently). Idle connections outlive the
  // run instead, as behind a reverse proxy with upstream keep-alive.
  (web.server as Server).keepAliveTimeout = 10 * 60_000;
  return {
    tdb: tdb as TestDatabase,
    db: tdb.db,
    temporal,
    web,
    async close() {
      await web.close();
      await changeFeed?.close();
      await webDb.close();
      worker.shutdown();
      await running;
      await temporal.close();
      await tdb.drop();
    },
  };
}

/** Runs `fn` over `xs` with at most `n` in flight. */
export async function pool<T, R>(xs: T[], n: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, xs.length) }, async () => {
      while (next < xs.length) {
        const i = next++;
        out[i] = await fn(xs[i]!, i);
      }
    }),
  );
  return out;
}

export interface LoadUser {
  login: string;
  agencyId: number;
  /** Items only this virtual user acts on: no two users race for the same item. */
  ownItems: number[];
  /** Other items of the same agency the user browses. */
  agencyItems: number[];
}

/**
 * A programme for load: `agencies` agencies, `users` agency executors spread over them, each with
 * `itemsPerUser` items of their own under control (running workflows), plus `extraItems` more items per
 * agency so lists and dashboards are not trivially small.
 */
export async function seedLoad(
  db: Db,
  temporal: TemporalHandle,
  o: { agencies: number; users: number; itemsPerUser: number; extraItems: number; password: string },
): Promise<LoadUser[]> {
  const hash = await hashPassword(o.password);
  const agencies = await db
    .insertInto('agency')
    .values(
      Array.from({ length: o.agencies }, (_, i) => ({
        code: `LOAD${i + 1}`,
        title_ru: `Министерство нагрузки ${i + 1}`,
        title_en: `Load ministry ${i + 1}`,
        short_ru: `Мин. ${i + 1}`,
      })),
    )
    .returning('id')
    .execute();
  const users = await db
    .insertInto('app_user')
    .values(
      Array.from({ length: o.users }, (_, i) => ({
        login: `vu${i}`,
        display_name: `Исполнитель ${i}`,
        email: `vu${i}@example.test`,
        password_hash: hash,
        role: 'agency_executor' as const,
        agency_id: agencies[i % o.agencies]!.id,
      })),
    )
    .returning(['login', 'agency_id'])
    .execute();

  const specs = [
    ...users.flatMap((u, ui) =>
      Array.from({ length: o.itemsPerUser }, (_, k) => ({ owner: ui, agencyId: u.agency_id!, k })),
    ),
    ...agencies.flatMap((a) =>
      Array.from({ length: o.extraItems }, (_, k) => ({ owner: -1, agencyId: a.id, k })),
    ),
  ];
  const rows = await db
    .insertInto('control_item')
    .values(
      specs.map((s, i) => {
        const due = dueIn(20 + (i % 60));
        return {
          kind: 'measure' as const,
          title_ru: `Мероприятие нагрузки ${i + 1}`,
          number: `${Math.floor(i / 10) + 1}.${(i % 10) + 1}`,
          agency_id: s.agencyId,
          co_agency_ids: [],
          require_co_parts: false,
          original_due: due,
          current_due: due,
        };
      }),
    )
    .returningAll()
    .execute();
  await pool(rows, 16, (row) => startControlItem(temporal, itemStateFromRow(row), DEFAULT_CHASE_POLICY));

  return users.map((u, ui) => ({
    login: u.login,
    agencyId: u.agency_id!,
    ownItems: rows.filter((_, i) => specs[i]!.owner === ui).map((r) => r.id),
    agencyItems: rows.filter((r) => r.agency_id === u.agency_id).map((r) => r.id),
  }));
}

/** Nearest-rank percentile of a sample, in the sample's unit (one definition for tests and benches). */
export { percentile } from './reliability-fixtures.ts';
