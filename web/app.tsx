import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { jsxRenderer } from 'hono/jsx-renderer';
import { ShtabError } from '../domain/errors.ts';
import { createReadCache } from '../db/read-cache.ts';
import { reviewCount, unreadCount } from '../db/read-models/index.ts';
import { isProjectOffice } from '../domain/roles.ts';
import {
  createLoginLimiter,
  createSessionLoader,
  csrfMiddleware,
  isHtmx,
  requireUser,
  sessionMiddleware,
} from './auth/index.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { isDependencyUnavailable } from './unavailable.ts';
import { translator } from './i18n/index.ts';
import { apiRoutes } from './api/index.ts';
import { createMetricsRegistry, metricsHandler } from './metrics.ts';
import { apiTokenRoutes } from './routes/api-tokens.tsx';
import { authRoutes } from './routes/auth.tsx';
import { accountRoutes } from './routes/account.tsx';
import { adminAccountRoutes } from './routes/admin-accounts.tsx';
import { adminSsoRoutes } from './routes/admin-sso.tsx';
import { adminAgencyRoutes } from './routes/admin/agencies.tsx';
import { adminAuditRoutes } from './routes/admin/audit.tsx';
import { adminCalendarRoutes } from './routes/admin/calendar.tsx';
import { adminCommitteeRoutes } from './routes/admin/committee.tsx';
import { adminCuratorRoutes } from './routes/admin/curators.tsx';
import { adminOnboardingRoutes } from './routes/admin/onboarding.tsx';
import { adminProgrammeRoutes } from './routes/admin/programme.tsx';
import { inviteRoutes } from './routes/invite.tsx';
import { oidcRoutes } from './routes/oidc.tsx';
import { confirmSession, DEFAULT_AUTH_SETTINGS } from '../app/auth/index.ts';
import type { LoadedSession } from './auth/sessions.ts';
import { checkInRoutes } from './routes/check-ins/index.tsx';
import { dashboardRoutes } from './routes/dashboard.tsx';
import { homeRoutes } from './routes/home.tsx';
import { instructionRoutes } from './routes/instructions.tsx';
import { itemPeopleRoutes } from './routes/item-people.tsx';
import { agencyRoutes } from './routes/agencies.tsx';
import { exportRoutes } from './routes/exports.tsx';
import { importRoutes } from './routes/imports.tsx';
import { attachmentRoutes } from './routes/attachments.tsx';
import { inboxRoutes } from './routes/inbox.tsx';
import { itemRoutes, UPLOAD_PATH } from './routes/items.tsx';
import { lifeSituationRoutes } from './routes/life-situations.tsx';
import { roadmapListRoutes } from './routes/roadmap-list.tsx';
import { taskRoutes } from './routes/tasks.tsx';
import { MAX_FILES, megabytes } from './uploads.ts';
import { lifeSituationServiceRoutes } from './routes/life-situation-services.tsx';
import { serviceRoutes } from './routes/services/index.ts';
import { publicFeedbackRoutes } from './routes/public-feedback.tsx';
import { caseRoutes } from './routes/cases.tsx';
import { citizenRoutes } from './routes/citizens.tsx';
import { principleRoutes } from './routes/principles.tsx';
import { ratingRoutes } from './routes/rating.tsx';
import { mysteryPlanRoutes } from './routes/mystery-plan.tsx';
import { Layout } from './views/layout.tsx';
import { FlashRegion } from './views/flash.tsx';
import { flashMiddleware } from './flash.ts';
import { rejectNulInForms } from './form-guard.ts';
import { securityHeaders } from './security-headers.ts';
import { primitiveHtml } from './fast-html.ts';
import { cachedPageHits, createPageCache, pageCacheMiddleware } from './page-cache.ts';

const require = createRequire(import.meta.url);
const HTMX = readFileSync(require.resolve('htmx.org/dist/htmx.min.js'));
const CSS = readFileSync(new URL('./static/app.css', import.meta.url));

const STATUS: Record<ShtabError['code'], 403 | 404 | 409 | 422 | 503> = {
  validation: 422,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

function ErrorView({ message, c }: { message: string; c: Context<AppEnv> }) {
  return (
    <section class="error" role="alert">
      <h1>{c.get('t')('error.title')}</h1>
      <p>{message}</p>
      <p>
        <a href="/">{c.get('t')('error.back')}</a>
      </p>
    </section>
  );
}

/** The whole web app from its dependencies. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const authSettings = deps.auth?.settings ?? DEFAULT_AUTH_SETTINGS;
  const lockWindow = authSettings.lockout.windowMinutes * 60_000;
  const limits = {
    addresses: createLoginLimiter({ maxFailures: authSettings.addressMaxFailures, windowMs: lockWindow }),
    unknownLogins: createLoginLimiter({
      maxFailures: authSettings.lockout.maxFailures,
      windowMs: authSettings.lockout.lockMinutes * 60_000,
    }),
  };
  const readCache = deps.readCache ?? createReadCache(deps.db);
  const sessionLoader = createSessionLoader(deps.db, deps.changeFeed, {
    recheckMs: authSettings.recheckSeconds * 1000,
  });
  const authDeps = {
    db: deps.db,
    log: deps.log,
    auth: deps.auth ?? { oidc: null, ldap: null, settings: authSettings },
  };
  // Directory and provider sessions are confirmed at their first request after each interval.
  const recheck = (s: LoadedSession) =>
    confirmSession(authDeps, {
      sessionId: s.sessionId,
      userId: s.user.id,
      login: s.user.login,
      via: s.directory!.via,
    });
  const pageCache = deps.pageCache ?? createPageCache();

  app.use(
    '*',
    cachedPageHits({
      cache: pageCache,
      loader: sessionLoader,
      utcOffsetMinutes: deps.policy.utcOffsetMinutes,
    }),
  );
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('readCache', readCache);
    c.set('dataVersion', null);
    c.set('noticeVersion', null);
    c.set('freshIdsLater', false);
    c.set('requestId', c.req.header('x-request-id')?.slice(0, 64) ?? randomUUID());
    // Defaults for requests that fail before the session middleware runs.
    c.set('locale', 'ru');
    c.set('t', translator('ru'));
    c.set('user', null);
    c.set('csrfToken', null);
    c.set('unread', null);
    c.set('reviewCount', null);
    primitiveHtml(c);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    try {
      await next();
    } finally {
      // Whatever this request wrote shows in this process's next response, without waiting for its notice.
      deps.changeFeed?.invalidate();
    }
  });
  app.use('*', securityHeaders);

  app.get('/static/htmx.min.js', (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(HTMX, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  app.get('/static/app.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  app.get('/healthz', async (c) => {
    const checks: Record<string, string> = {};
    try {
      await deps.db.selectFrom('agency').select('id').limit(1).execute();
      checks.db = 'ok';
    } catch (e) {
      checks.db = (e as Error).message;
    }
    try {
      await deps.temporal.client.workflowService.getSystemInfo({});
      checks.temporal = 'ok';
    } catch (e) {
      checks.temporal = (e as Error).message;
    }
    const ok = Object.values(checks).every((v) => v === 'ok');
    return c.json({ ok, ...checks }, ok ? 200 : 503);
  });

  // Machine endpoints, before sessions and CSRF: they authenticate by bearer token only, so a browser's
  // cookie never reaches them (nothing to forge) and their errors are JSON / plain text.
  const metrics = createMetricsRegistry({
    db: deps.db,
    utcOffsetMinutes: deps.policy.utcOffsetMinutes,
    extra: deps.workerMetrics ? [deps.workerMetrics] : [],
  });
  app.get('/metrics', metricsHandler(metrics, deps.config.metricsToken));
  app.use('/api/*', bodyLimit({ maxSize: deps.config.uploadMaxBytes + 1024 * 1024 }));
  app.route('/api/v1', apiRoutes());
  app.all('/api/*', (c) => c.json({ error: { code: 'not_found', message: 'no such API endpoint' } }, 404));

  // The citizen's review page (issue 16): public, sessionless, with its own guards (rate limits, form
  // token, honeypot, body limit); before the session middleware so it never sets a cookie.
  app.route('/feedback', publicFeedbackRoutes());

  app.use(
    '*',
    sessionMiddleware({ loader: sessionLoader, secureCookies: deps.config.secureCookies, recheck }),
  );
  // Bodies are capped before anything reads them (the CSRF check parses forms). Signed-in users posting a
  // report get room for MAX_FILES files; each file's own limit is checked next to the field (422).
  const tooLarge = (maxSize: number) => (c: Context<AppEnv>) => {
    const message = c.get('t')('error.upload.requestTooBig', { mb: megabytes(maxSize) });
    if (isHtmx(c)) {
      // Upload forms keep an empty #upload-error next to their file input for this message.
      if (UPLOAD_PATH.test(c.req.path)) {
        c.header('HX-Retarget', '#upload-error');
        c.header('HX-Reswap', 'innerHTML');
        return c.html(<>{message}</>, 413);
      }
      return c.html(<ErrorView message={message} c={c} />, 413);
    }
    const page = Layout({ title: message, children: <ErrorView message={message} c={c} /> }, c);
    return c.html('<!DOCTYPE html>' + String(page), 413);
  };
  const formLimit = deps.config.uploadMaxBytes + 1024 * 1024;
  const uploadLimit = MAX_FILES * deps.config.uploadMaxBytes + 1024 * 1024;
  const limitForms = bodyLimit({ maxSize: formLimit, onError: tooLarge(formLimit) });
  const limitUploads = bodyLimit({ maxSize: uploadLimit, onError: tooLarge(uploadLimit) });
  app.use('*', (c, next) =>
    // A GET has no body; the limiter's check for one would build a full WHATWG Request (slow path).
    c.req.method === 'GET' || c.req.method === 'HEAD'
      ? next()
      : c.get('user') && c.req.method === 'POST' && UPLOAD_PATH.test(c.req.path)
        ? limitUploads(c, next)
        : limitForms(c, next),
  );
  app.use('*', csrfMiddleware({ publicUrl: deps.config.publicUrl }));
  app.use('*', rejectNulInForms);
  app.use(
    '*',
    jsxRenderer(({ children, title, section }, c) =>
      Layout({ children, title, section }, c as Context<AppEnv>),
    ),
  );
  app.use(
    '*',
    flashMiddleware({
      secureCookies: deps.config.secureCookies,
      render: (c, oob) => String(<FlashRegion flash={c.get('flash')} t={c.get('t')} oob={oob} />),
    }),
  );

  app.route('/', authRoutes(limits));
  app.route('/', oidcRoutes());
  app.route('/', inviteRoutes());
  app.use('*', requireUser());
  app.use('*', pageCacheMiddleware({ cache: pageCache, utcOffsetMinutes: deps.policy.utcOffsetMinutes }));
  app.use('*', async (c, next) => {
    // The header's unread badge (and the working group's review queue count): indexed counts per full
    // page (also a page a plain post renders).
    const user = c.get('user');
    if (!isHtmx(c) && user) {
      const [unread, queue] = await Promise.all([
        unreadCount(deps.db, user.id),
        isProjectOffice(user.role) ? reviewCount(deps.db) : null,
      ]);
      c.set('unread', unread);
      c.set('reviewCount', queue);
    }
    await next();
  });
  app.route('/', homeRoutes());
  app.route('/', dashboardRoutes());
  app.route('/items', roadmapListRoutes());
  app.route('/items', itemRoutes());
  app.route('/items', itemPeopleRoutes());
  app.route('/instructions', instructionRoutes());
  app.route('/', taskRoutes());
  app.route('/inbox', inboxRoutes());
  app.route('/attachments', attachmentRoutes());
  app.route('/services', serviceRoutes());
  app.route('/life-situations', lifeSituationServiceRoutes());
  app.route('/life-situations', lifeSituationRoutes());
  app.route('/agencies', agencyRoutes());
  app.route('/check-ins', checkInRoutes());
  app.route('/imports', importRoutes());
  app.route('/exports', exportRoutes());
  app.route('/account', accountRoutes());
  app.route('/admin', adminAccountRoutes());
  app.route('/admin', adminSsoRoutes());
  app.route('/admin', apiTokenRoutes());
  app.route('/citizens/principles', principleRoutes());
  app.route('/citizens/rating', ratingRoutes());
  app.route('/citizens/plan', mysteryPlanRoutes());
  app.route('/citizens', citizenRoutes());
  app.route('/cases', caseRoutes());
  app.route('/admin', adminAgencyRoutes());
  app.route('/admin', adminOnboardingRoutes());
  app.route('/admin', adminProgrammeRoutes());
  app.route('/admin', adminCuratorRoutes());
  app.route('/admin', adminCommitteeRoutes());
  app.route('/admin', adminCalendarRoutes());
  app.route('/admin', adminAuditRoutes());

  app.notFound((c) => {
    const msg = c.get('t')('error.notFound');
    if (isHtmx(c)) return c.html(<ErrorView message={msg} c={c} />, 404);
    c.status(404);
    return c.render(<ErrorView message={msg} c={c} />, { title: msg });
  });

  // The one place errors become HTTP: domain errors by code, anything else is a 500 with a request id.
  app.onError((err, c) => {
    let status: number;
    let message: string;
    if (err instanceof ShtabError) {
      status = STATUS[err.code];
      message = c.get('t')(err.detail.key, err.detail.params);
      if (status >= 500)
        deps.log.warn({ err: err.message, requestId: c.get('requestId') }, 'dependency unavailable');
    } else if (isDependencyUnavailable(err)) {
      // Postgres or Temporal down or restarting: a 503 to retry, not an internal error.
      status = 503;
      message = c.get('t')('error.unavailable');
      deps.log.warn({ err: err.message, requestId: c.get('requestId') }, 'dependency unavailable');
    } else {
      status = 500;
      message = c.get('t')('error.internal', { requestId: c.get('requestId') });
      deps.log.error({ err, requestId: c.get('requestId'), path: c.req.path }, 'unhandled error');
    }
    if (status === 503) c.header('Retry-After', '5');
    if (isHtmx(c)) return c.html(<ErrorView message={message} c={c} />, status as 500);
    const page = Layout({ title: message, children: <ErrorView message={message} c={c} /> }, c);
    return c.html('<!DOCTYPE html>' + String(page), status as 500);
  });

  return app;
}
