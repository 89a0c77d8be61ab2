import { describe, expect, it } from 'vitest';
import { StartupError } from '../../domain/startup-error.ts';
import { loadAuthConfig } from './auth-config.ts';

describe('single sign-on settings', () => {
  it('is off unless configured, with the documented defaults', () => {
    const c = loadAuthConfig({});
    expect(c.oidc).toBeNull();
    expect(c.ldap).toBeNull();
    expect(c.settings).toEqual({
      lockout: { maxFailures: 5, lockMinutes: 15, windowMinutes: 15 },
      addressMaxFailures: 30,
      recheckSeconds: 60,
      inviteHours: 72,
    });
  });

  it('takes a directory kind’s preset and lets each filter be overridden (ALD Pro is FreeIPA)', () => {
    const base = {
      LDAP_URL: 'ldaps://dc1.region.ru',
      LDAP_BIND_DN: 'uid=shtab,cn=sysaccounts,cn=etc,dc=region,dc=ru',
      LDAP_BIND_PASSWORD: 'pw',
      LDAP_USER_BASE: 'cn=users,cn=accounts,dc=region,dc=ru',
    };
    const ald = loadAuthConfig({ ...base, LDAP_KIND: 'ald' }).ldap!;
    expect(ald.kind).toBe('freeipa');
    expect(ald.activeFilter).toBe('(!(nsAccountLock=TRUE))');
    const ad = loadAuthConfig({ ...base, LDAP_KIND: 'ad', LDAP_ACTIVE_FILTER: '' }).ldap!;
    expect(ad.userFilter).toContain('sAMAccountName={login}');
    expect(ad.activeFilter).toBe('');
  });

  it('refuses incomplete or unsafe settings at start, naming the variable', () => {
    const bad = (env: Record<string, string>, text: RegExp) => {
      expect(() => loadAuthConfig(env)).toThrow(StartupError);
      expect(() => loadAuthConfig(env)).toThrow(text);
    };
    bad({ OIDC_ISSUER: 'https://sso.region.ru/realms/r' }, /OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/);
    bad(
      {
        OIDC_ISSUER: 'http://sso.region.ru/realms/r',
        OIDC_CLIENT_ID: 'c',
        OIDC_CLIENT_SECRET: 'long-enough',
      },
      /plain http/,
    );
    bad({ LDAP_URL: 'ldap://dc1' }, /LDAP_BIND_DN .* or LDAP_USER_DN_TEMPLATE/);
    bad({ LDAP_URL: 'http://dc1' }, /LDAP_URL/);
    bad(
      { LDAP_URL: 'ldap://dc1', LDAP_USER_DN_TEMPLATE: 'uid=x,dc=r' },
      /LDAP_USER_DN_TEMPLATE must contain \{login\}/,
    );
    bad({ SSO_RECHECK_SECONDS: '-1' }, /SSO_RECHECK_SECONDS/);
    bad({ LOGIN_MAX_FAILURES: '0' }, /LOGIN_MAX_FAILURES/);
  });
});
