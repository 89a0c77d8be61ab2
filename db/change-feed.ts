import pg from 'pg';
import type { Logger } from 'pino';

// A web process may answer from memory — the data version and the sessions it read last — only while it is
// sure nothing changed since. Postgres tells it: every transaction that changes what pages show, and every
// sign-out, sends a notice on commit (migration 0008). The feed turns notices into an epoch that moves on
// every one of them, on this process's own writes (it does not wait for its own notice) and whenever the
// listening connection is lost, so a lost notice can only mean "read from the database again", never a
// stale page. What is known is tagged with the epoch it was read in and used only while the epoch stands.

export interface ChangeFeed {
  /** Moves whenever something may have changed that this process has not read yet. */
  epoch(): number;
  /** Listening: what was read in the current epoch is current. False before connecting and after a loss. */
  live(): boolean;
  /** This process has just written: forget what was known (its next reads go to the database). */
  invalidate(): void;
  close(): Promise<void>;
}

export const CHANGE_CHANNEL = 'shtab_change';

export function startChangeFeed(o: {
  databaseUrl: string;
  log: Logger;
  /** Waits between reconnection attempts, growing to the last one. */
  retryMs?: number[];
  /** How often the listening connection proves it is alive (a query answered within half of it). */
  heartbeatMs?: number;
  /** Postgres application_name of the listening connection (pg_stat_activity). */
  applicationName?: string;
}): ChangeFeed {
  const retryMs = o.retryMs ?? [100, 500, 1000, 2000, 5000];
  const heartbeatMs = o.heartbeatMs ?? 10_000;
  let heartbeat: NodeJS.Timeout | null = null;
  let epoch = 0;
  let listening = false;
  let closed = false;
  let client: pg.Client | null = null;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;

  // Only the current connection's troubles count: an old one ending late must not drop its successor.
  const lost = (c: pg.Client, why: unknown) => {
    if (client !== c) return;
    client = null;
    listening = false;
    epoch++;
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
    c.removeAllListeners('notification');
    c.end().catch(() => {});
    if (closed) return;
    if (attempt === 0)
      o.log.warn(
        { err: why instanceof Error ? why.message : String(why) },
        'change feed lost: pages are read from the database until it is back',
      );
    const wait = retryMs[Math.min(attempt++, retryMs.length - 1)]!;
    timer = setTimeout(connect, wait);
    timer.unref();
  };

  async function connect() {
    timer = null;
    if (closed) return;
    // An idle connection can die without a word (a NAT or firewall forgetting it): notices would stop while
    // the feed still looked live. TCP keep-alive and a regular query that must be answered catch that.
    const c = new pg.Client({
      connectionString: o.databaseUrl,
      application_name: o.applicationName ?? 'shtab-change-feed',
      keepAlive: true,
      query_timeout: Math.max(1000, heartbeatMs / 2),
    });
    client = c;
    // A listening connection that errors must not take the process down: it is only an optimisation.
    c.on('error', (e) => lost(c, e));
    c.on('end', () => lost(c, 'connection ended'));
    c.on('notification', () => void epoch++);
    try {
      await c.connect();
      await c.query(`listen ${CHANGE_CHANNEL}`);
    } catch (e) {
      lost(c, e);
      return;
    }
    if (client !== c) return;
    // Whatever committed while nobody listened is unknown: a new epoch.
    epoch++;
    listening = true;
    heartbeat = setInterval(() => void c.query('select 1').catch((e: unknown) => lost(c, e)), heartbeatMs);
    heartbeat.unref();
    if (attempt > 0) o.log.info('change feed back');
    attempt = 0;
  }

  void connect();
  return {
    epoch: () => epoch,
    live: () => listening,
    invalidate: () => void epoch++,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (heartbeat) clearInterval(heartbeat);
      listening = false;
      epoch++;
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => {});
        await c.end().catch(() => {});
      }
    },
  };
}
