import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import pino from 'pino';
import type { Registry } from 'prom-client';
import type { ChangeFeed, Db } from '../../db/index.ts';
import { DEFAULT_CHASE_POLICY, type ChasePolicy } from '../../domain/control-item/index.ts';
import { createApp } from '../../web/index.ts';
import type { PageCache } from '../../web/page-cache.ts';
import type { AuthRuntime } from '../../app/auth/index.ts';
import type { TallyFolder } from '../../app/feedback/index.ts';
import type { TemporalHandle } from '../../app/temporal.ts';

/** The real web app on a loopback port. */
export async function startTestApp(o: {
  db: Db;
  temporal: TemporalHandle;
  policy?: ChasePolicy;
  timeZone?: string;
  metricsToken?: string;
  workerMetrics?: Registry;
  pageCache?: PageCache;
  changeFeed?: ChangeFeed;
  /** Single sign-on and account settings (test/support/sso.ts builds them from env-style variables). */
  auth?: AuthRuntime;
  mailEnabled?: boolean;
  /** Client addresses from X-Forwarded-For (as behind a proxy): tests of per-address limits. */
  trustProxy?: boolean;
  /** The public review form's limits (web/routes/public-feedback.tsx); tests shorten the time trap. */
  publicForm?: { minAgeMs?: number; perAddress?: number; perService?: number };
  /** Folds reviews into the tallies after their intake, as runWeb does (app/feedback/fold.ts). */
  feedbackFolder?: TallyFolder;
}) {
  const server = createAdaptorServer({
    // The env carries the socket (getConnInfo): client addresses as in production.
    fetch: (req: Request, env: unknown) => app.fetch(req, env as never),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const app = createApp({
    db: o.db,
    temporal: o.temporal,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    policy: o.policy ?? DEFAULT_CHASE_POLICY,
    config: {
      publicUrl: url,
      timeZone: o.timeZone ?? 'Asia/Novosibirsk',
      uploadMaxBytes: 5 * 1024 * 1024,
      secureCookies: false,
      ...(o.metricsToken ? { metricsToken: o.metricsToken } : {}),
      ...(o.mailEnabled ? { mailEnabled: true } : {}),
      ...(o.trustProxy ? { trustProxy: true } : {}),
      ...(o.publicForm ? { publicForm: o.publicForm } : {}),
    },
    ...(o.auth ? { auth: o.auth } : {}),
    ...(o.workerMetrics ? { workerMetrics: o.workerMetrics } : {}),
    ...(o.pageCache ? { pageCache: o.pageCache } : {}),
    ...(o.changeFeed ? { changeFeed: o.changeFeed } : {}),
    ...(o.feedbackFolder ? { feedbackFolder: o.feedbackFolder } : {}),
  });
  return {
    url,
    app,
    server,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const CLOSED_UNDER_US = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * fetch, resent once when a kept-alive connection turns out closed before any answer came: what browsers
 * do. After refusing an oversized body (413) the server reads and drops the rest of it for a while, then
 * closes the connection (@hono/node-server's drain); a client that has meanwhile reused that connection
 * for its next request sees it closed under it. Bodies here are strings, forms or bytes: safe to resend.
 */
async function fetchLikeABrowser(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    const code = ((e as Error).cause as { code?: string } | undefined)?.code;
    if (!code || !CLOSED_UNDER_US.has(code)) throw e;
    return fetch(url, init);
  }
}

const field = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;

/** A browser-like HTTP client: cookie jar, CSRF token picked from the last page, same-origin headers. */
export class WebClient {
  private cookies = new Map<string, string>();
  csrf: string | null = null;
  /** `origin`: the app's public address when `base` is one process behind a balancer (CSRF checks it). */
  constructor(
    readonly base: string,
    readonly origin = base,
  ) {}

  private store(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || v === '') this.cookies.delete(k!);
      else this.cookies.set(k!, v!);
    }
  }

  async request(path: string, init: RequestInit & { htmx?: boolean } = {}) {
    const headers = new Headers(init.headers);
    headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    if (init.method && init.method !== 'GET') headers.set('origin', this.origin);
    if (init.htmx) {
      headers.set('HX-Request', 'true');
      if (this.csrf) headers.set('X-CSRF-Token', this.csrf);
    }
    const res = await fetchLikeABrowser(this.base + path, { ...init, headers, redirect: 'manual' });
    this.store(res);
    const text = await res.text();
    const token = field(text, '_csrf');
    if (token) this.csrf = token;
    return { status: res.status, text, headers: res.headers };
  }

  /** A GET whose body is not text (downloads): the raw response. */
  async download(path: string) {
    const headers = new Headers({ cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') });
    const res = await fetch(this.base + path, { headers, redirect: 'manual' });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  }

  /** A cookie the client currently holds. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** The same browser (cookies, CSRF token) talking to another address. */
  via(base: string): WebClient {
    const c = new WebClient(base, this.origin);
    c.cookies = new Map(this.cookies);
    c.csrf = this.csrf;
    return c;
  }

  get(path: string, htmx = false) {
    return this.request(path, { htmx });
  }

  /** Form post; `_csrf` is added unless given. A list value repeats its field (checkboxes). */
  post(path: string, form: Record<string, string | string[]>, opts: { htmx?: boolean } = {}) {
    const body = new URLSearchParams(opts.htmx ? {} : { _csrf: this.csrf ?? '' });
    for (const [k, v] of Object.entries(form)) {
      body.delete(k);
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    }
    return this.request(path, { method: 'POST', body, htmx: opts.htmx ?? false });
  }

  /** A form post as a browser makes it: a redirect after the action (PRG) is followed to its page. */
  async submit(path: string, form: Record<string, string | string[]>) {
    const res = await this.post(path, form);
    const to = res.headers.get('location');
    if (res.status !== 303 || !to) return res;
    return this.get(to.startsWith('http') ? to.slice(this.base.length) : to);
  }

  async login(login: string, password: string) {
    await this.get('/login');
    const res = await this.post('/login', { login, password });
    if (res.status !== 303) throw new Error(`login ${login} failed: ${res.status}`);
    await this.get('/');
    return res;
  }

  /** The value of a hidden input on a page. */
  static field = field;
}
