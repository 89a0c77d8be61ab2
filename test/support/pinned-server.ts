import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { createCast } from './control-item-fixtures.ts';
import type { ScenarioContext } from './control-item-scenarios.ts';
import { createTestWorker } from './temporal.ts';
import { createPinnedTimeSkippingEnv } from './time-skipping.ts';

/**
 * A time-skipping server whose clock starts at `startAt`, with a worker (the real activities on `db`) and
 * a fresh cast of agencies and people, for the duration of `body`: what the lifecycle scenarios run on.
 */
export async function onPinnedServer<T>(
  db: Db,
  startAt: number,
  body: (ctx: ScenarioContext) => Promise<T>,
): Promise<T> {
  const env = await createPinnedTimeSkippingEnv(startAt);
  try {
    const taskQueue = `scenario-${randomUUID()}`;
    const worker = await createTestWorker({
      connection: env.nativeConnection,
      taskQueue,
      deps: { db, publicUrl: 'https://shtab.example.ru' },
    });
    const cast = await createCast(db);
    return await worker.runUntil(body({ env, db, cast, temporal: { client: env.client, taskQueue } }));
  } finally {
    await env.teardown();
  }
}
