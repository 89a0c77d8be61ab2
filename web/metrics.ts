import { timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { sql } from 'kysely';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Db } from '../db/index.ts';
import { overdueSql } from '../db/read-models/items.ts';
import { instantToLocalDate } from '../domain/local-date.ts';
import type { AppEnv } from './env.ts';

/**
 * Gauges read from the database at scrape time, so every web instance reports the same numbers: items by
 * kind and status, overdue items, chases sent (audit events), the notification outbox and import jobs.
 * Worker-process counters (failed activity attempts) join in when the worker runs in this process.
 */
export function createMetricsRegistry(o: { db: Db; utcOffsetMinutes: number; extra?: Registry[] }): Registry {
  const { db } = o;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const today = () => instantToLocalDate(Date.now(), o.utcOffsetMinutes);

  new Gauge({
    name: 'shtab_items',
    help: 'Controlled items by kind and status',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('control_item')
        .select(['kind', 'status', sql<number>`count(*)::int`.as('n')])
        .groupBy(['kind', 'status'])
        .execute();
      this.reset();
      for (const r of rows) this.set({ kind: r.kind, status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'shtab_items_overdue',
    help: 'Open items past their deadline (waiting on the executor), by kind and escalation level',
    labelNames: ['kind', 'escalation_level'] as const,
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('control_item as i')
        .select(['i.kind', 'i.escalation_level', sql<number>`count(*)::int`.as('n')])
        .where(overdueSql(today()))
        .groupBy(['i.kind', 'i.escalation_level'])
        .execute();
      this.reset();
      for (const r of rows) this.set({ kind: r.kind, escalation_level: String(r.escalation_level) }, r.n);
    },
  });
  new Gauge({
    name: 'shtab_chases_sent',
    help: 'Chases the item workflows have sent so far (reminder, overdue, escalation, repeat), from the audit trail',
    labelNames: ['type'] as const,
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('event')
        .select([sql<string>`substr(type, 7)`.as('type'), sql<number>`count(*)::int`.as('n')])
        .where('type', 'like', 'chase.%')
        .groupBy('type')
        .execute();
      this.reset();
      for (const t of ['reminder', 'overdue', 'escalation', 'repeat']) this.set({ type: t }, 0);
      for (const r of rows) this.set({ type: r.type }, r.n);
    },
  });
  new Gauge({
    name: 'shtab_notifications',
    help: 'Notification outbox: sent, pending, failed (last attempt failed, not sent), inbox_only (no email)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const r = await db
        .selectFrom('notification')
        .select([
          sql<number>`count(*) filter (where sent_at is not null)::int`.as('sent'),
          sql<number>`count(*) filter (where sent_at is null and recipient_email is not null and last_error is null)::int`.as(
            'pending',
          ),
          sql<number>`count(*) filter (where sent_at is null and last_error is not null)::int`.as('failed'),
          sql<number>`count(*) filter (where recipient_email is null)::int`.as('inbox_only'),
        ])
        .executeTakeFirstOrThrow();
      for (const [state, n] of Object.entries(r)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'shtab_import_jobs',
    help: 'Import jobs by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('import_job')
        .select(['status', sql<number>`count(*)::int`.as('n')])
        .groupBy('status')
        .execute();
      this.reset();
      for (const s of ['queued', 'running', 'failed', 'done']) this.set({ status: s }, 0);
      for (const r of rows) this.set({ status: r.status }, r.n);
    },
  });
  return o.extra?.length ? Registry.merge([registry, ...o.extra]) : registry;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function isLoopback(c: Context): boolean {
  // A proxied request (any forwarding header) is never "local", whatever the socket says.
  if (c.req.header('x-forwarded-for') || c.req.header('forwarded') || c.req.header('x-real-ip')) return false;
  try {
    const a = getConnInfo(c).remote.address ?? '';
    return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
  } catch {
    return false;
  }
}

/**
 * Who may scrape: with METRICS_TOKEN set, requests bearing it (from anywhere); without it, only direct
 * loopback connections (a Prometheus on the same host or a sidecar).
 */
export function metricsAllowed(c: Context, token: string | undefined): boolean {
  if (token) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    return !!m && sameSecret(m[1]!, token);
  }
  return isLoopback(c);
}

export function metricsHandler(registry: Registry, token: string | undefined) {
  return async (c: Context<AppEnv>) => {
    if (!metricsAllowed(c, token)) {
      return c.text(
        'metrics: not allowed (set METRICS_TOKEN and send it as a bearer token)\n',
        token ? 401 : 403,
      );
    }
    // prom-client writes a sample with no observations yet (the event-loop lag right after start) as
    // `Nan`; the exposition format spells it `NaN`, and strict scrapers reject the other spelling.
    const body = (await registry.metrics()).replace(/ Nan$/gm, ' NaN');
    return c.body(body, 200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
  };
}
