import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WebClient } from '../support/web.ts';
import { percentile, pool, seedLoad, startLoadStack, type LoadUser } from '../support/load-fixtures.ts';

// 200 virtual users browse and act on the real app (Postgres, Temporal dev server, a worker) over loopback
// for LOAD_SECONDS. Each user acts only on items of their own (of their own agency), so no two requests
// race for the same item: any 4xx/5xx is a defect, not an expected twin conflict. Timings are printed,
// not asserted.
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const USERS = Number(process.env.LOAD_USERS ?? 200);
const ITEMS_PER_USER = 2;
const PASSWORD = 'load-pass-1';

type Op = 'dashboard' | 'list' | 'item' | 'inbox' | 'start' | 'submit';

interface Sample {
  op: Op;
  ms: number;
}
interface Failure {
  op: Op;
  path: string;
  status?: number;
  error?: string;
  body?: string;
}

describe(`load: ${USERS} virtual users for ${SECONDS} s`, () => {
  let stack: Awaited<ReturnType<typeof startLoadStack>>;
  let users: LoadUser[];
  let clients: WebClient[];

  beforeAll(async () => {
    stack = await startLoadStack();
    users = await seedLoad(stack.db, stack.temporal.handle, {
      agencies: 5,
      users: USERS,
      itemsPerUser: ITEMS_PER_USER,
      extraItems: 40,
      password: PASSWORD,
    });
    // Sign in first (session cookie + CSRF token), outside the measured window: argon2 is meant to be slow.
    clients = await pool(users, 8, async (u) => {
      const c = new WebClient(stack.web.url);
      await c.login(u.login, PASSWORD);
      return c;
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('serves every request without an error and persists every submission exactly once', async () => {
    const samples: Sample[] = [];
    const failures: Failure[] = [];
    /** item id → the event id of the submission the app acknowledged. */
    const submitted = new Map<number, string>();
    const started = new Set<number>();
    const end = Date.now() + SECONDS * 1000;

    async function timed(op: Op, path: string, run: () => ReturnType<WebClient['request']>) {
      const t0 = performance.now();
      try {
        const res = await run();
        samples.push({ op, ms: performance.now() - t0 });
        if (res.status >= 400 || (op !== 'start' && op !== 'submit' && res.status !== 200)) {
          failures.push({ op, path, status: res.status, body: res.text.slice(0, 300) });
          return false;
        }
        return true;
      } catch (e) {
        failures.push({ op, path, error: String((e as Error).cause ?? e) });
        return false;
      }
    }

    async function virtualUser(u: LoadUser, c: WebClient, seed: number) {
      const rnd = fc.sample(fc.nat({ max: 1_000_000 }), { seed, numRuns: 10_000 });
      let r = 0;
      const pick = <T>(xs: T[]) => xs[rnd[r++ % rnd.length]! % xs.length]!;
      const todo = [...u.ownItems];
      // Past the deadline a user still finishes its first item (start + submit, POSTs only), so every
      // user's submission is checked even when an overloaded machine makes 60 s too short for that.
      const firstDone = () => todo.length < u.ownItems.length;
      for (let step = 0; Date.now() < end || (!firstDone() && todo.length > 0); step++) {
        if ((step % 2 === 1 || Date.now() >= end) && todo.length > 0) {
          const id = todo[0]!;
          if (!started.has(id)) {
            const eventId = `vu-start-${id}`;
            if (
              await timed('start', `/items/${id}/start`, () =>
                c.post(`/items/${id}/start`, { eventId }, { htmx: true }),
              )
            )
              started.add(id);
            else todo.shift(); // a failed item is left alone; the failure is reported
          } else {
            const eventId = `vu-submit-${id}`;
            const ok = await timed('submit', `/items/${id}/submit`, () =>
              c.post(
                `/items/${id}/submit`,
                { eventId, text: `Отчёт по мероприятию ${id}: исполнено`, part: '0' },
                { htmx: true },
              ),
            );
            if (ok) submitted.set(id, eventId);
            todo.shift();
          }
          continue;
        }
        const kind = pick(['dashboard', 'list', 'item', 'item', 'inbox'] as const);
        const path =
          kind === 'dashboard'
            ? '/'
            : kind === 'list'
              ? pick(['/items', '/items?page=2'])
              : kind === 'inbox'
                ? '/inbox'
                : `/items/${pick(step % 2 ? u.ownItems : u.agencyItems)}`;
        await timed(kind, path, () => c.get(path));
      }
    }

    const seed = Number(process.env.LOAD_SEED ?? 7);
    const t0 = performance.now();
    await Promise.all(users.map((u, i) => virtualUser(u, clients[i]!, seed + i)));
    const elapsed = (performance.now() - t0) / 1000;

    const all = samples.map((s) => s.ms).sort((a, b) => a - b);
    const row = (label: string, ms: number[]) =>
      `${label.padEnd(10)} n=${String(ms.length).padStart(6)}  p50=${percentile(ms, 50).toFixed(1)} ms  p99=${percentile(ms, 99).toFixed(1)} ms  max=${(ms.at(-1) ?? NaN).toFixed(1)} ms`;
    const lines = [
      `load: ${USERS} users, ${elapsed.toFixed(1)} s, ${samples.length} requests, ${(samples.length / elapsed).toFixed(1)} req/s, ${failures.length} failures`,
      row('all', all),
      ...(['dashboard', 'list', 'item', 'inbox', 'start', 'submit'] as const).map((op) =>
        row(
          op,
          samples
            .filter((s) => s.op === op)
            .map((s) => s.ms)
            .sort((a, b) => a - b),
        ),
      ),
      `actions: ${started.size} started, ${submitted.size} submitted`,
    ];
    console.log(lines.join('\n'));

    expect(failures.slice(0, 10)).toEqual([]);
    expect(failures).toHaveLength(0);
    // The run did real work: every user got at least one item through start and submit.
    expect(submitted.size).toBeGreaterThanOrEqual(users.length);

    // Every acknowledged submission is stored exactly once (one submission row, one event), and nothing is
    // stored for an item whose submission was never sent.
    const own = users.flatMap((u) => u.ownItems);
    const subs = await stack.db
      .selectFrom('submission')
      .select(['control_item_id'])
      .where('control_item_id', 'in', own)
      .execute();
    const perItem = new Map<number, number>();
    for (const s of subs) perItem.set(s.control_item_id, (perItem.get(s.control_item_id) ?? 0) + 1);
    for (const id of own)
      expect(perItem.get(id) ?? 0, `submissions of item ${id}`).toBe(submitted.has(id) ? 1 : 0);
    const events = await stack.db
      .selectFrom('event')
      .select(['event_key', 'control_item_id'])
      .where('event_key', 'in', [...submitted.values()])
      .execute();
    expect(events).toHaveLength(submitted.size);
    const statuses = await stack.db
      .selectFrom('control_item')
      .select(['id', 'status'])
      .where('id', 'in', [...submitted.keys()])
      .execute();
    expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(['submitted']));
  });
});
