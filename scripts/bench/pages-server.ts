// The web app as `npm run web` builds it, plus one trivial route, in a process of its own: the pages
// benchmark's load generator runs in the parent, so the two do not share an event loop. The trivial route
// is the baseline: same process, same Node HTTP server, no middleware, no database.
//   DATABASE_URL=… npx tsx scripts/bench/pages-server.ts   → prints {"port": n} on stdout
// BENCH_READ_CACHE=0 serves every page without the read cache (db/read-cache.ts), BENCH_PAGE_CACHE=0 without
// the whole-page cache (web/page-cache.ts), for before/after figures.
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Client } from '@temporalio/client';
import { Hono } from 'hono';
import pino from 'pino';
import { startAggregatesKeeper } from '../../db/aggregates.ts';
import { connect, startChangeFeed } from '../../db/index.ts';
import { noReadCache } from '../../db/read-cache.ts';
import { resolvePolicy } from '../../domain/control-item/index.ts';
import { utcOffsetMinutesOf } from '../../domain/time-zone.ts';
import { startTallyFolder } from '../../app/feedback/index.ts';
import { createApp } from '../../web/index.ts';
import { createPageCache } from '../../web/page-cache.ts';

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL');
  const timeZone = 'Asia/Novosibirsk';
  const database = await connect({ databaseUrl: url });
  // Pages never call Temporal on GET; a lazy client never connects.
  const temporal = { client: new Client(), taskQueue: 'bench', workflowIdPrefix: 'bench-' };
  const log = pino({ level: 'warn' });
  // As runWeb does for Postgres; BENCH_CHANGE_FEED=0 reads session and version per request, as before §29.
  const changeFeed =
    process.env.BENCH_CHANGE_FEED === '0' ? undefined : startChangeFeed({ databaseUrl: url, log });
  // As runWeb does; BENCH_FEEDBACK_FOLD=0 folds each intake before it answers (no folder), for comparison.
  const feedbackFolder =
    process.env.BENCH_FEEDBACK_FOLD === '0' ? undefined : startTallyFolder({ db: database.db, log });
  const app = createApp({
    db: database.db,
    temporal,
    log,
    policy: resolvePolicy(null, utcOffsetMinutesOf(timeZone)),
    config: {
      publicUrl: 'http://127.0.0.1',
      timeZone,
      uploadMaxBytes: 10 * 1024 * 1024,
      secureCookies: false,
      trustProxy: false,
    },
    ...(process.env.BENCH_READ_CACHE === '0' ? { readCache: noReadCache } : {}),
    ...(process.env.BENCH_PAGE_CACHE === '0' ? { pageCache: createPageCache({ maxBytes: 0 }) } : {}),
    ...(changeFeed ? { changeFeed } : {}),
    ...(feedbackFolder ? { feedbackFolder } : {}),
  });
  // As runWeb does: the programme's figures kept for today (docs/decisions.md §44); BENCH_KEPT_FIGURES=0
  // leaves them unkept, so every page recomputes them from the items (before §44). Ready before the port
  // is announced: a bench must not time the first rebuild.
  if (process.env.BENCH_KEPT_FIGURES !== '0') {
    const keeper = startAggregatesKeeper({
      db: database.db,
      log,
      timeZone,
      utcOffsetMinutes: utcOffsetMinutesOf(timeZone),
    });
    await keeper.ready;
  }
  const trivial = new Hono().get('/__bench/trivial', (c) => c.text('ok'));
  // Requests go straight to one app or the other, as node-server hands them over (a Hono app in front
  // would build a full WHATWG Request for every page and slow the pages down, not the baseline).
  const server = createAdaptorServer({
    fetch: (req: Request, env: unknown) =>
      req.url.endsWith('/__bench/trivial') ? trivial.fetch(req) : app.fetch(req, env as never),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + '\n');
  const stop = () => server.close(() => void database.close().then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
