import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../env.ts';
import {
  createSession,
  destroySession,
  hashPassword,
  SESSION_COOKIE,
  verifyPassword,
  type LoginLimiter,
} from '../auth/index.ts';
import { LANG_COOKIE } from '../auth/middleware.ts';
import { isLocale } from '../i18n/index.ts';
import { clientAddress } from '../context.ts';

// Unknown logins are checked against this hash too, so the answer takes as long as for a real user and
// timing does not tell which logins exist.
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword('not-a-password'));

/** Only same-site relative paths: `next=//evil.example` and `javascript:` are ignored. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

function LoginForm({
  error,
  login,
  next,
  csrf,
  t,
}: {
  error?: string;
  login?: string;
  next: string;
  csrf: string;
  t: AppEnv['Variables']['t'];
}) {
  return (
    <section class="card narrow">
      <h1>{t('auth.loginTitle')}</h1>
      {error && (
        <p class="alert" role="alert" id="login-error">
          {error}
        </p>
      )}
      <form method="post" action="/login">
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="next" value={next} />
        <label for="login">{t('auth.loginField')}</label>
        <input
          id="login"
          name="login"
          autocomplete="username"
          required
          value={login ?? ''}
          aria-describedby={error ? 'login-error' : undefined}
        />
        <label for="password">{t('auth.passwordField')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">{t('auth.submit')}</button>
      </form>
    </section>
  );
}

export function authRoutes(limiter: LoginLimiter) {
  const app = new Hono<AppEnv>();

  app.get('/login', (c) => {
    if (c.var.user) return c.redirect(safeNext(c.req.query('next')), 303);
    return c.render(
      <LoginForm next={safeNext(c.req.query('next'))} csrf={c.var.csrfToken ?? ''} t={c.var.t} />,
      {
        title: c.var.t('auth.loginTitle'),
      },
    );
  });

  app.post('/login', async (c) => {
    const { db, config, log } = c.var.deps;
    const t = c.var.t;
    const body = await c.req.parseBody();
    const login = String(body.login ?? '')
      .trim()
      .slice(0, 100);
    const password = String(body.password ?? '');
    const next = safeNext(body.next);
    const ip = clientAddress(c);
    const keys = [`ip:${ip}`, `login:${login.toLowerCase()}`];
    const render = (error: string, status: 401 | 429) => {
      c.status(status);
      return c.render(
        <LoginForm error={error} login={login} next={next} csrf={c.var.csrfToken ?? ''} t={t} />,
        {
          title: t('auth.loginTitle'),
        },
      );
    };

    const wait = limiter.retryAfterMs(keys);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return render(t('auth.rateLimited', { minutes: Math.ceil(wait / 60_000) }), 429);
    }
    const user = await db
      .selectFrom('app_user')
      .select(['id', 'password_hash', 'disabled'])
      .where('login', '=', login)
      .executeTakeFirst();
    const matches = await verifyPassword(user?.password_hash ?? (await dummy()), password);
    // A disabled account is refused like a wrong password: no hint that the login exists.
    const ok = user !== undefined && !user.disabled && matches;
    if (!ok) {
      limiter.fail(keys);
      log.info({ login, ip }, 'failed login');
      return render(t('auth.invalid'), 401);
    }
    limiter.succeed(keys);
    const session = await createSession(db, user.id, getCookie(c, SESSION_COOKIE));
    setCookie(c, SESSION_COOKIE, session.cookieValue, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: config.secureCookies,
      path: '/',
      maxAge: session.maxAgeSeconds,
    });
    return c.redirect(next, 303);
  });

  app.post('/logout', async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) await destroySession(c.var.deps.db, cookie);
    deleteCookie(c, SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: c.var.deps.config.secureCookies,
    });
    return c.redirect('/login', 303);
  });

  app.get('/lang/:locale', (c) => {
    const locale = c.req.param('locale');
    if (isLocale(locale)) {
      setCookie(c, LANG_COOKIE, locale, {
        path: '/',
        sameSite: 'Lax',
        maxAge: 365 * 86400,
        secure: c.var.deps.config.secureCookies,
      });
    }
    return c.redirect(safeNext(c.req.query('back')), 303);
  });

  return app;
}
