import { describe, expect, it } from 'vitest';
import { accountRole, claimValues, resolveMapping, ruleProblems, type SsoRule } from './mapping.ts';

const rule = (id: number, r: Partial<SsoRule>): SsoRule => ({
  id,
  source: 'any',
  claim: 'groups',
  value: 'x',
  role: null,
  agencyId: null,
  ...r,
});

describe('claims → role / agency', () => {
  it('reads nested claims and lists, ignoring objects and empty values', () => {
    const claims = {
      groups: ['/shtab/exec', 7],
      realm_access: { roles: ['a', 'b'] },
      nested: { x: {} },
      n: null,
    };
    expect(claimValues(claims, 'groups')).toEqual(['/shtab/exec', '7']);
    expect(claimValues(claims, 'realm_access.roles')).toEqual(['a', 'b']);
    expect(claimValues(claims, 'nested.x')).toEqual([]);
    expect(claimValues(claims, 'n')).toEqual([]);
    expect(claimValues(claims, 'missing.deeper')).toEqual([]);
    // A claim whose own name has a dot (URL-style names) is found as it is.
    expect(claimValues({ 'https://r.ru/dept': 'МТСР' }, 'https://r.ru/dept')).toEqual(['МТСР']);
  });

  it('takes the role from the first matching rule with a role and the agency from the first with an agency', () => {
    const rules = [
      rule(1, { source: 'ldap', value: 'exec', role: 'agency_head' }),
      rule(2, { value: 'EXEC', role: 'agency_executor' }),
      rule(3, { claim: 'department', value: 'Минтруд', agencyId: 10 }),
      rule(4, { value: 'exec', role: 'observer', agencyId: 11 }),
    ];
    const claims = { groups: ['exec'], department: 'минтруд' };
    expect(resolveMapping(rules, 'oidc', claims)).toEqual({
      role: 'agency_executor',
      agencyId: 10,
      roleRule: 2,
      agencyRule: 3,
    });
    // The LDAP-only rule comes first for a directory sign-in.
    expect(resolveMapping(rules, 'ldap', claims).role).toBe('agency_head');
    expect(resolveMapping(rules, 'oidc', { groups: ['other'] })).toEqual({
      role: null,
      agencyId: null,
      roleRule: null,
      agencyRule: null,
    });
  });

  it('leaves an existing account its own role when no rule matches, and refuses a new one', () => {
    const none = { role: null, agencyId: null, roleRule: null, agencyRule: null };
    expect(accountRole(null, none)).toEqual({ ok: false, reason: 'noRole' });
    expect(accountRole({ role: 'working_group', agencyId: null }, none)).toEqual({
      ok: true,
      role: 'working_group',
      agencyId: null,
    });
    // An agency role needs an agency: mapped, else the account's own.
    const exec = { ...none, role: 'agency_executor' as const };
    expect(accountRole(null, exec)).toEqual({ ok: false, reason: 'noAgency' });
    expect(accountRole({ role: 'agency_head', agencyId: 4 }, exec)).toEqual({
      ok: true,
      role: 'agency_executor',
      agencyId: 4,
    });
    expect(accountRole({ role: 'observer', agencyId: null }, exec)).toEqual({
      ok: false,
      reason: 'noAgency',
    });
    // A role outside agencies drops the agency.
    expect(
      accountRole({ role: 'agency_head', agencyId: 4 }, { ...none, role: 'leadership', agencyId: 9 }),
    ).toEqual({ ok: true, role: 'leadership', agencyId: null });
  });

  it('checks a rule field by field', () => {
    const agencies = new Set([5]);
    const has = (id: number) => agencies.has(id);
    expect(
      ruleProblems({ source: 'oidc', claim: 'groups', value: '/a', role: 'agency_executor' }, has),
    ).toEqual({
      rule: { source: 'oidc', claim: 'groups', value: '/a', role: 'agency_executor', agencyId: null },
      problems: {},
    });
    expect(
      ruleProblems({ source: 'kerberos', claim: 'a b', value: '', role: 'root', agencyId: '99' }, has)
        .problems,
    ).toEqual({
      source: 'error.sso.source',
      claim: 'error.sso.claim',
      value: 'error.field.required',
      role: 'error.sso.role',
      agencyId: 'error.sso.agency',
    });
    expect(ruleProblems({ claim: 'g', value: 'v' }, has).problems).toEqual({
      role: 'error.sso.nothingGranted',
    });
    expect(ruleProblems({ claim: 'g', value: 'v', role: 'leadership', agencyId: 5 }, has).problems).toEqual({
      agencyId: 'error.sso.agencyForRole',
    });
    expect(ruleProblems({ claim: 'g', value: 'v\u0000', agencyId: '5' }, has).problems).toEqual({
      value: 'error.sso.value',
    });
  });
});
