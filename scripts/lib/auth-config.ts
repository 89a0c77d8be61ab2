import { existsSync } from 'node:fs';
import { z } from 'zod';
import {
  createLdapDirectory,
  createOidcClient,
  DEFAULT_AUTH_SETTINGS,
  DIRECTORY_PRESETS,
  type AuthRuntime,
  type AuthSettings,
  type DirectoryKind,
  type LdapSettings,
  type OidcSettings,
} from '../../app/auth/index.ts';
import { StartupError } from '../../domain/startup-error.ts';
import type { Logger } from './log.ts';

// Single sign-on and account settings from the environment (README, .env.example). Secrets (the client
// secret, the service account's password) are kept out of every log line (log.ts redacts them too).

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodTypeAny>(t: T) => z.preprocess(emptyAsUndefined, t.optional());
const flag = z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0'));
const count = (d: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(max).default(d));
const positive = (d: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(max).default(d));

const Env = z.object({
  OIDC_ISSUER: opt(z.string().url()),
  OIDC_CLIENT_ID: opt(z.string()),
  OIDC_CLIENT_SECRET: opt(z.string().min(8, 'must be at least 8 characters')),
  OIDC_SCOPES: z.preprocess(emptyAsUndefined, z.string().default('openid profile email')),
  OIDC_USERNAME_CLAIM: z.preprocess(emptyAsUndefined, z.string().default('preferred_username')),
  OIDC_DISPLAY_NAME: z.preprocess(emptyAsUndefined, z.string().max(60).default('единую учётную запись')),
  OIDC_ALLOW_HTTP: flag,
  LDAP_URL: opt(
    z.string().regex(/^ldaps?:\/\/[^/]+\/?$/, 'must be ldap://host[:port] or ldaps://host[:port]'),
  ),
  LDAP_KIND: z.preprocess(
    (v) => (v === 'ald' || v === 'aldpro' ? 'freeipa' : emptyAsUndefined(v)),
    z.enum(['openldap', 'freeipa', 'ad']).default('openldap'),
  ),
  LDAP_BIND_DN: opt(z.string()),
  LDAP_BIND_PASSWORD: opt(z.string()),
  LDAP_USER_BASE: opt(z.string()),
  LDAP_USER_FILTER: opt(z.string().includes('{login}', { message: 'must contain {login}' })),
  LDAP_USER_DN_TEMPLATE: opt(z.string().includes('{login}', { message: 'must contain {login}' })),
  LDAP_ACTIVE_FILTER: z.preprocess((v) => v, z.string().optional()),
  LDAP_GROUP_BASE: z.preprocess((v) => v, z.string().optional()),
  LDAP_GROUP_FILTER: z.preprocess((v) => v, z.string().optional()),
  LDAP_LOGIN_ATTRIBUTE: opt(z.string()),
  LDAP_NAME_ATTRIBUTE: opt(z.string()),
  LDAP_MAIL_ATTRIBUTE: z.preprocess(emptyAsUndefined, z.string().default('mail')),
  LDAP_EXTRA_ATTRIBUTES: z.preprocess(emptyAsUndefined, z.string().default('')),
  LDAP_STARTTLS: flag,
  LDAP_TLS_CA_FILE: opt(z.string().refine(existsSync, 'file does not exist')),
  LDAP_TLS_INSECURE: flag,
  LDAP_TIMEOUT_MS: positive(5000, 60_000),
  SSO_RECHECK_SECONDS: count(DEFAULT_AUTH_SETTINGS.recheckSeconds, 86_400),
  LOGIN_MAX_FAILURES: positive(DEFAULT_AUTH_SETTINGS.lockout.maxFailures, 100),
  LOGIN_LOCK_MINUTES: positive(DEFAULT_AUTH_SETTINGS.lockout.lockMinutes, 10_080),
  LOGIN_MAX_FAILURES_PER_ADDRESS: positive(DEFAULT_AUTH_SETTINGS.addressMaxFailures, 10_000),
  INVITE_HOURS: positive(DEFAULT_AUTH_SETTINGS.inviteHours, 720),
});

export interface AuthConfig {
  oidc: OidcSettings | null;
  ldap: LdapSettings | null;
  settings: AuthSettings;
}

const fail = (what: string, fix: string): never => {
  throw new StartupError(`invalid configuration: ${what}`, fix);
};

export function loadAuthConfig(env: NodeJS.ProcessEnv): AuthConfig {
  const r = Env.safeParse(env);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    fail(
      `${issue.path.join('.')} ${issue.message}`,
      'fix the variable in your environment or .env (see .env.example)',
    );
  }
  const e = r.data!;
  let oidc: OidcSettings | null = null;
  if (e.OIDC_ISSUER) {
    if (!e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET)
      fail(
        'OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
        'register Shtab as a confidential client at the provider',
      );
    if (e.OIDC_ISSUER.startsWith('http://') && e.OIDC_ALLOW_HTTP !== '1')
      fail(
        'OIDC_ISSUER is plain http',
        'use the provider’s https address, or OIDC_ALLOW_HTTP=1 on a closed network',
      );
    oidc = {
      issuer: e.OIDC_ISSUER.replace(/\/$/, ''),
      clientId: e.OIDC_CLIENT_ID!,
      clientSecret: e.OIDC_CLIENT_SECRET!,
      scopes: e.OIDC_SCOPES,
      usernameClaim: e.OIDC_USERNAME_CLAIM,
      displayName: e.OIDC_DISPLAY_NAME,
      allowHttp: e.OIDC_ALLOW_HTTP === '1',
      timeoutSeconds: 10,
    };
  }
  let ldap: LdapSettings | null = null;
  if (e.LDAP_URL) {
    if (!e.LDAP_BIND_DN && !e.LDAP_USER_DN_TEMPLATE)
      fail(
        'LDAP_URL needs LDAP_BIND_DN (search-then-bind) or LDAP_USER_DN_TEMPLATE (direct bind)',
        'see README',
      );
    if (e.LDAP_BIND_DN && (!e.LDAP_USER_BASE || e.LDAP_BIND_PASSWORD === undefined))
      fail('LDAP_BIND_DN needs LDAP_BIND_PASSWORD and LDAP_USER_BASE', 'see README');
    const kind = e.LDAP_KIND as DirectoryKind;
    const preset = DIRECTORY_PRESETS[kind];
    ldap = {
      kind,
      url: e.LDAP_URL.replace(/\/$/, ''),
      startTls: e.LDAP_STARTTLS === '1',
      caFile: e.LDAP_TLS_CA_FILE,
      tlsInsecure: e.LDAP_TLS_INSECURE === '1',
      bindDn: e.LDAP_BIND_DN,
      bindPassword: e.LDAP_BIND_PASSWORD,
      userBase: e.LDAP_USER_BASE ?? '',
      userFilter: e.LDAP_USER_FILTER ?? preset.userFilter,
      userDnTemplate: e.LDAP_USER_DN_TEMPLATE,
      activeFilter: e.LDAP_ACTIVE_FILTER ?? preset.activeFilter,
      loginAttribute: e.LDAP_LOGIN_ATTRIBUTE ?? preset.loginAttribute,
      nameAttribute: e.LDAP_NAME_ATTRIBUTE ?? preset.nameAttribute,
      mailAttribute: e.LDAP_MAIL_ATTRIBUTE,
      groupBase: e.LDAP_GROUP_BASE,
      groupFilter: e.LDAP_GROUP_FILTER ?? preset.groupFilter,
      extraAttributes: e.LDAP_EXTRA_ATTRIBUTES.split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      timeoutMs: e.LDAP_TIMEOUT_MS,
    };
  }
  return {
    oidc,
    ldap,
    settings: {
      lockout: {
        maxFailures: e.LOGIN_MAX_FAILURES,
        lockMinutes: e.LOGIN_LOCK_MINUTES,
        windowMinutes: e.LOGIN_LOCK_MINUTES,
      },
      addressMaxFailures: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      recheckSeconds: e.SSO_RECHECK_SECONDS,
      inviteHours: e.INVITE_HOURS,
    },
  };
}

const loopback = (url: string) => /^ldaps?:\/\/(127\.|localhost|\[::1\])/.test(url);

/** The clients the web process uses, with a warning for each weak spot of the configuration. */
export function createAuthRuntime(c: AuthConfig, log: Logger): AuthRuntime {
  if (c.ldap) {
    const l = c.ldap;
    if (!l.bindDn)
      log.warn(
        'LDAP without a service account (LDAP_BIND_DN): sessions are not re-checked, a disabled account keeps its open sessions',
      );
    if (l.tlsInsecure) log.warn('LDAP_TLS_INSECURE=1: the directory’s certificate is not checked');
    if (l.url.startsWith('ldap://') && !l.startTls && !loopback(l.url))
      log.warn('LDAP over plain ldap:// without LDAP_STARTTLS: passwords cross the network unencrypted');
    log.info({ url: l.url, kind: l.kind, bindDn: l.bindDn ?? null }, 'LDAP sign-in on');
  }
  if (c.oidc) log.info({ issuer: c.oidc.issuer, clientId: c.oidc.clientId }, 'OpenID Connect sign-in on');
  return {
    oidc: c.oidc ? createOidcClient(c.oidc) : null,
    ldap: c.ldap ? createLdapDirectory(c.ldap) : null,
    settings: c.settings,
  };
}
