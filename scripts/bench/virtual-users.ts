import { percentile } from '../../test/support/reliability-fixtures.ts';
import type { WebClient } from '../../test/support/web.ts';

// Virtual users for the cluster's mixed-load benchmark: people in their roles, each with a browser
// session, who open pages, swap htmx fragments and now and then act on their items.

export type Role = 'executor' | 'head' | 'working_group' | 'leadership';

export interface Sample {
  kind: string;
  /** page, fragment (htmx partial), write (an item action) */
  type: 'page' | 'fragment' | 'write';
  ms: number;
  status: number | string;
}

export interface VirtualUser {
  role: Role;
  client: WebClient;
  agencyId: number;
  /** Items of the user's agency they act on (executors: in progress, a deadline far enough ahead). */
  own: { id: number; due: string }[];
}

export interface Targets {
  lifeSituationId: number;
  /** Any item ids of an agency, for page views. */
  itemsOf: (agencyId: number) => number[];
  /** Submitted items awaiting review (reviews take from it; submissions add to it). */
  reviewQueue: number[];
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** A weighted choice: [[weight, value], …]. */
function weighted<T>(rand: () => number, options: [number, T][]): T {
  const total = options.reduce((n, [w]) => n + w, 0);
  let x = rand() * total;
  for (const [w, v] of options) if ((x -= w) < 0) return v;
  return options.at(-1)![1];
}

const FRAGMENT = (target: string) => ({
  'HX-Request': 'true',
  'HX-Request-Type': 'partial',
  'HX-Target': `#${target}`,
});
const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };

/** The share of each role's steps that are writes (overall about 5 % for the mix of roles below). */
export const WRITE_SHARE: Record<Role, number> = {
  executor: 0.06,
  head: 0,
  working_group: 0.1,
  leadership: 0,
};

/**
 * One step of a virtual user: what people in this role open or do most. Returns the sample, or null when
 * the chosen write had nothing to act on (then the user opens a page instead).
 */
export async function step(u: VirtualUser, t: Targets, rand: () => number, seq: number): Promise<Sample> {
  const timed = async (kind: string, type: Sample['type'], run: () => Promise<{ status: number }>) => {
    const t0 = performance.now();
    try {
      const r = await run();
      return { kind, type, ms: performance.now() - t0, status: r.status };
    } catch (e) {
      const code = ((e as Error).cause as { code?: string } | undefined)?.code ?? (e as Error).message;
      return { kind, type, ms: performance.now() - t0, status: String(code) };
    }
  };
  const page = (kind: string, path: string) =>
    timed(kind, 'page', () => u.client.request(path, { headers: BROWSER }));
  const fragment = (kind: string, path: string, target: string) =>
    timed(kind, 'fragment', () => u.client.request(path, { headers: { ...BROWSER, ...FRAGMENT(target) } }));
  const agencyItems = t.itemsOf(u.agencyId);
  const league = '/agencies?sort=overdue&dir=desc';

  if (rand() < WRITE_SHARE[u.role]) {
    if (u.role === 'executor' && u.own.length) {
      const item = u.own.shift()!;
      if (rand() < 0.75) {
        const s = await timed('submit', 'write', () =>
          u.client.post(
            `/items/${item.id}/submit`,
            {
              eventId: `mix-s-${item.id}-${seq}`,
              text: `Отчёт об исполнении мероприятия ${item.id}`,
              part: '0',
            },
            { htmx: true },
          ),
        );
        if (s.status === 200) t.reviewQueue.push(item.id);
        return s;
      }
      const due = new Date(`${item.due}T00:00:00Z`);
      due.setUTCDate(due.getUTCDate() + 30);
      return timed('extension request', 'write', () =>
        u.client.post(
          `/items/${item.id}/extension`,
          {
            eventId: `mix-x-${item.id}-${seq}`,
            requestedDue: due.toISOString().slice(0, 10),
            reason: 'Поставщик сдвинул срок поставки оборудования',
          },
          { htmx: true },
        ),
      );
    }
    if (u.role === 'working_group' && t.reviewQueue.length) {
      const id = t.reviewQueue.shift()!;
      const accept = rand() < 0.7;
      return timed(accept ? 'review: accept' : 'review: return', 'write', () =>
        u.client.post(
          `/items/${id}/review`,
          {
            eventId: `mix-r-${id}-${seq}`,
            outcome: accept ? 'accept' : 'return',
            ...(accept ? { confirm: '1' } : { reason: 'Приложите подтверждающие документы' }),
          },
          { htmx: true },
        ),
      );
    }
  }

  switch (u.role) {
    case 'executor':
      return weighted<() => Promise<Sample>>(rand, [
        [20, () => page('dashboard', '/dashboard')],
        [15, () => page('inbox', '/inbox')],
        [
          25,
          () =>
            page('item page', `/items/${pick(rand, u.own.length ? u.own.map((i) => i.id) : agencyItems)}`),
        ],
        [15, () => page('roadmap list', `/items?agency=${u.agencyId}`)],
        [
          15,
          () =>
            fragment(
              'roadmap list (fragment)',
              `/items?agency=${u.agencyId}&status=overdue`,
              'roadmap-results',
            ),
        ],
        [10, () => page('agency page', `/agencies/${u.agencyId}`)],
      ])();
    case 'head':
      return weighted<() => Promise<Sample>>(rand, [
        [25, () => page('dashboard', '/dashboard')],
        [20, () => page('agency page', `/agencies/${u.agencyId}`)],
        [15, () => page('inbox', '/inbox')],
        [20, () => page('item page', `/items/${pick(rand, agencyItems)}`)],
        [
          20,
          () =>
            fragment('roadmap list (fragment)', `/items?agency=${u.agencyId}&status=open`, 'roadmap-results'),
        ],
      ])();
    case 'working_group':
      return weighted<() => Promise<Sample>>(rand, [
        [25, () => page('dashboard', '/dashboard')],
        [20, () => page('roadmap list', '/items?status=submitted')],
        [15, () => page('inbox', '/inbox')],
        [15, () => page('league table', league)],
        [
          15,
          () => page('item page', `/items/${pick(rand, t.reviewQueue.length ? t.reviewQueue : agencyItems)}`),
        ],
        [10, () => fragment('league table (fragment)', league, 'league')],
      ])();
    case 'leadership':
      return weighted<() => Promise<Sample>>(rand, [
        [35, () => page('dashboard', '/dashboard')],
        [25, () => page('league table', league)],
        [20, () => page('life-situation page', `/life-situations/${t.lifeSituationId}`)],
        [20, () => fragment('league table (fragment)', league, 'league')],
      ])();
  }
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

export function summarize(samples: Sample[]): Summary {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    n: ms.length,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: ms.at(-1) ?? NaN,
    errors: samples.filter((s) => s.status !== 200).length,
  };
}

export const fmtSummary = (label: string, s: Summary) =>
  `${label.padEnd(28)} n=${String(s.n).padStart(6)}  p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  max ${s.max.toFixed(0)} ms` +
  (s.errors ? `  ${s.errors} errors` : '');
