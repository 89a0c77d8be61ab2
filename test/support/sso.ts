import pino from 'pino';
import type { AuthRuntime } from '../../app/auth/index.ts';
import { createAuthRuntime, loadAuthConfig } from '../../scripts/lib/auth-config.ts';
import { LDAP_SERVICE_DN, LDAP_SERVICE_PASSWORD, LDAP_SUFFIX, type Slapd } from './slapd.ts';
import type { WebClient } from './web.ts';

/** The app's single sign-on exactly as production builds it: from environment variables. */
export function authFromEnv(env: Record<string, string>): AuthRuntime {
  return createAuthRuntime(loadAuthConfig(env), pino({ level: 'silent' }));
}

/** Search-then-bind against the test slapd, as an integrator would configure an OpenLDAP directory. */
export const ldapEnv = (slapd: Slapd, extra: Record<string, string> = {}): Record<string, string> => ({
  LDAP_URL: slapd.url,
  LDAP_KIND: 'openldap',
  LDAP_BIND_DN: LDAP_SERVICE_DN,
  LDAP_BIND_PASSWORD: LDAP_SERVICE_PASSWORD,
  LDAP_USER_BASE: `ou=people,${LDAP_SUFFIX}`,
  LDAP_GROUP_BASE: `ou=groups,${LDAP_SUFFIX}`,
  LDAP_EXTRA_ATTRIBUTES: 'departmentNumber',
  LDAP_TIMEOUT_MS: '1500',
  ...extra,
});

/** A browser's cookies for one host (the provider's), enough to walk its login form with fetch. */
class Jar {
  private cookies = new Map<string, string>();
  header = () => [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  store(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  }
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/**
 * Signs in through Keycloak's real login form without a browser: Shtab's start sends the client to the
 * provider, the form is posted with the person's credentials, and the provider's redirect is followed
 * back to Shtab's callback. Returns the callback's answer (a 303 home, or Shtab's refusal page).
 */
export async function signInThroughProvider(
  client: WebClient,
  username: string,
  password: string,
  next = '/',
) {
  const start = await client.get(`/auth/oidc/start?next=${encodeURIComponent(next)}`);
  if (start.status !== 303) throw new Error(`start: ${start.status} ${start.text.slice(0, 300)}`);
  const jar = new Jar();
  const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  jar.store(authorize);
  const page = await authorize.text();
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(page)?.[1];
  if (!action) throw new Error(`no Keycloak login form: ${authorize.status} ${page.slice(0, 300)}`);
  const posted = await fetch(unescapeHtml(action), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, credentialId: '' }),
  });
  const back = posted.headers.get('location');
  if (posted.status !== 302 || !back)
    return { status: posted.status, text: await posted.text(), headers: posted.headers, provider: true };
  const url = new URL(back);
  const res = await client.get(url.pathname + url.search);
  return { ...res, provider: false };
}
