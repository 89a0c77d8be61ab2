import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { directorySignIn, OidcError, type OidcFlow } from '../../app/auth/index.ts';
import { notFound } from '../../domain/errors.ts';
import { authDeps, openSession } from '../auth/open-session.ts';
import type { AppEnv } from '../env.ts';
import { refusal, renderLogin, safeNext } from './auth.tsx';

// Sign-in through the OpenID provider: /auth/oidc/start sends the browser there with a fresh state, nonce
// and PKCE verifier, kept in a short-lived httpOnly cookie scoped to these paths; /auth/oidc/callback
// checks the answer against them (app/auth/oidc.ts), matches or creates the account and opens a session.

const FLOW_COOKIE = 'shtab_oidc';
export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';

function readFlow(raw: string | undefined): OidcFlow | null {
  if (!raw) return null;
  try {
    const f = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<OidcFlow>;
    return typeof f.state === 'string' && typeof f.nonce === 'string' && typeof f.verifier === 'string'
      ? { state: f.state, nonce: f.nonce, verifier: f.verifier, next: safeNext(f.next) }
      : null;
  } catch {
    return null;
  }
}

function provider(c: Context<AppEnv>) {
  const oidc = c.var.deps.auth?.oidc;
  if (!oidc) throw notFound('error.notFound', 'no OpenID provider is configured');
  return oidc;
}

export function oidcRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/auth/oidc/start', async (c) => {
    const oidc = provider(c);
    const { publicUrl, secureCookies } = c.var.deps.config;
    const next = safeNext(c.req.query('next'));
    try {
      const { url, flow } = await oidc.start(publicUrl + OIDC_CALLBACK_PATH, next);
      setCookie(c, FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
        httpOnly: true,
        // The provider sends the browser back with a top-level GET: Lax cookies come along.
        sameSite: 'Lax',
        secure: secureCookies,
        path: '/auth/oidc',
        maxAge: 600,
      });
      return c.redirect(url.href, 303);
    } catch (e) {
      if (!(e instanceof OidcError)) throw e;
      c.var.deps.log.warn({ err: e.message }, 'OpenID provider unreachable');
      return renderLogin(c, { status: 503, error: c.var.t('auth.providerUnavailable'), next });
    }
  });

  app.get(OIDC_CALLBACK_PATH, async (c) => {
    const oidc = provider(c);
    const { publicUrl, secureCookies } = c.var.deps.config;
    const t = c.var.t;
    const flow = readFlow(getCookie(c, FLOW_COOKIE));
    deleteCookie(c, FLOW_COOKIE, {
      path: '/auth/oidc',
      httpOnly: true,
      sameSite: 'Lax',
      secure: secureCookies,
    });
    if (!flow) return renderLogin(c, { status: 400, error: t('auth.oidcExpired') });
    // The redirect URI as registered at the provider, whatever address this process was reached by.
    const here = new URL(c.req.url);
    const callbackUrl = new URL(publicUrl + OIDC_CALLBACK_PATH + here.search);
    let identity;
    try {
      identity = await oidc.finish(callbackUrl, flow);
    } catch (e) {
      if (!(e instanceof OidcError)) throw e;
      const f = e.failure;
      c.var.deps.log.warn(
        { kind: f.kind, detail: 'error' in f ? f.error : f.detail },
        'OpenID sign-in failed',
      );
      const error =
        f.kind === 'refused'
          ? t('auth.providerRefused')
          : f.kind === 'unreachable'
            ? t('auth.providerUnavailable')
            : t('auth.oidcInvalid');
      const status = f.kind === 'refused' ? 401 : f.kind === 'unreachable' ? 503 : 400;
      return renderLogin(c, { status, error, next: flow.next });
    }
    const result = await directorySignIn(authDeps(c), { source: 'oidc', ...identity });
    if (!result.ok) {
      c.var.deps.log.info({ reason: result.reason, login: identity.login }, 'OpenID sign-in refused');
      const r = refusal(c, result, identity.login);
      return renderLogin(c, { status: r.status, error: r.error, next: flow.next });
    }
    await openSession(c, result.userId, { via: 'oidc', sealedRefreshToken: identity.sealedRefreshToken });
    return c.redirect(flow.next, 303);
  });

  return app;
}
