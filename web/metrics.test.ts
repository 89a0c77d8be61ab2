import { Hono } from 'hono';
import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { metricsHandler } from './metrics.ts';

describe('metricsHandler', () => {
  it('spells a sample with no value yet as NaN, as the exposition format does', async () => {
    const registry = new Registry();
    new Gauge({ name: 'lag_seconds', help: 'no observation yet', registers: [registry] }).set(NaN);
    const app = new Hono().get('/metrics', metricsHandler(registry, 'secret'));
    const res = await app.request('/metrics', { headers: { Authorization: 'Bearer secret' } });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('\nlag_seconds NaN\n');
    expect(body).not.toMatch(/ Nan$/m);
  });

  it('refuses a scrape without the token', async () => {
    const app = new Hono().get('/metrics', metricsHandler(new Registry(), 'secret'));
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { Authorization: 'Bearer other' } })).status).toBe(401);
  });
});
