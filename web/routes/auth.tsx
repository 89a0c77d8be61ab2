import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { signInWithPassword, type SignInResult } from '../../app/auth/index.ts';
import type { AppEnv } from '../env.ts';
import { destroySession, SESSION_COOKIE, type LoginLimiter } from '../auth/index.ts';
import { LANG_COOKIE } from '../auth/middleware.ts';
import { authDeps, openSession } from '../auth/open-session.ts';
import { isLocale } from '../i18n/index.ts';
import { clientAddress } from '../context.ts';
import { formSchema, parseForm, readForm, secret, text } from '../forms.ts';
import { LoginForm } from '../views/login-form.tsx';

/** Only same-site relative paths: `next=//evil.example` and `javascript:` are ignored. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

const signInForm = formSchema({
  login: text().transform((v) => v.trim().slice(0, 100)),
  password: secret(),
  next: text().transform(safeNext),
});

/** Why a person was sent to the sign-in page (`?ended=…`). */
const NOTICES: Record<string, string> = {
  directory: 'auth.endedByDirectory',
  password: 'auth.passwordChanged',
};

/** The sign-in page with an optional refusal, in the given status. */
export function renderLogin(
  c: Context<AppEnv>,
  o: { status?: 200 | 400 | 401 | 403 | 409 | 429 | 503; error?: string; login?: string; next?: string } = {},
) {
  const auth = c.var.deps.auth;
  const notice = NOTICES[c.req.query('ended') ?? ''];
  c.status(o.status ?? 200);
  return c.render(
    <LoginForm
      t={c.var.t}
      csrf={c.var.csrfToken ?? ''}
      next={o.next ?? safeNext(c.req.query('next'))}
      login={o.login ?? ''}
      error={o.error}
      notice={notice ? c.var.t(notice) : undefined}
      providerName={auth?.oidc?.displayName}
      directory={Boolean(auth?.ldap)}
    />,
    { title: c.var.t('auth.loginTitle') },
  );
}

/** A refused sign-in as the person reads it, and its status. */
export function refusal(
  c: Context<AppEnv>,
  r: Exclude<SignInResult, { ok: true }>,
  login: string,
): { status: 401 | 403 | 409 | 429 | 503; error: string } {
  const t = c.var.t;
  switch (r.reason) {
    case 'invalid':
      return { status: 401, error: t('auth.invalid') };
    case 'locked':
      return {
        status: 429,
        error: t('auth.locked', {
          max: c.var.deps.auth?.settings.lockout.maxFailures ?? 5,
          minutes: r.minutes,
        }),
      };
    case 'directoryUnavailable':
      return { status: 503, error: t('auth.directoryUnavailable') };
    case 'noRole':
      return { status: 403, error: t('auth.noRole') };
    case 'noAgency':
      return { status: 403, error: t('auth.noAgency') };
    case 'loginTaken':
      return { status: 409, error: t('auth.loginTaken', { login }) };
    case 'disabled':
      return { status: 403, error: t('auth.disabled') };
  }
}

/**
 * Sign-in, sign-out and the language switch. Two limits guard the form: the per-account lockout (in the
 * database, app/auth) and per address (in memory, `addresses`). Logins that name no account are limited in
 * memory (`unknownLogins`) the way accounts are locked, so the answers do not tell which logins exist.
 */
export function authRoutes(limits: { addresses: LoginLimiter; unknownLogins: LoginLimiter }) {
  const app = new Hono<AppEnv>();

  app.get('/login', (c) => {
    if (c.var.user) return c.redirect(safeNext(c.req.query('next')), 303);
    return renderLogin(c);
  });

  app.post('/login', async (c) => {
    const { log, auth } = c.var.deps;
    const t = c.var.t;
    const { login, password, next } = parseForm((await readForm(c)).values, signInForm);
    const ip = clientAddress(c);
    const addressKey = [`ip:${ip}`];
    const loginKey = [`login:${login.toLowerCase()}`];
    const waitAddress = limits.addresses.retryAfterMs(addressKey);
    const waitLogin = limits.unknownLogins.retryAfterMs(loginKey);
    if (waitAddress > 0 || waitLogin > 0) {
      const wait = Math.max(waitAddress, waitLogin);
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      const minutes = Math.ceil(wait / 60_000);
      const error =
        waitAddress > 0
          ? t('auth.rateLimited', { minutes })
          : t('auth.locked', { max: auth?.settings.lockout.maxFailures ?? 5, minutes });
      return renderLogin(c, { status: 429, error, login, next });
    }
    const result = await signInWithPassword(authDeps(c), { login, password, ip });
    if (!result.ok) {
      if (result.reason === 'invalid' || result.reason === 'locked') limits.addresses.fail(addressKey);
      if (result.reason === 'invalid' && !result.known) limits.unknownLogins.fail(loginKey);
      if (result.reason === 'invalid') log.info({ login, ip }, 'failed login');
      const r = refusal(c, result, login);
      if (r.status === 429 && result.reason === 'locked')
        c.header('Retry-After', String(result.minutes * 60));
      return renderLogin(c, { status: r.status, error: r.error, login, next });
    }
    limits.unknownLogins.succeed(loginKey);
    await openSession(c, result.userId, { via: result.via });
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
