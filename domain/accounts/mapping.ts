import { isAgencyRole, ROLES, type Role } from '../roles.ts';

// Claims → role / agency: the rules an admin keeps for people who sign in through the OpenID provider or
// the LDAP directory. Rules are ordered; the first rule that matches and names a role gives the role, the
// first that matches and names an agency gives the agency (so one rule per group can set the role and one
// per department the agency, without a rule for every pair).

export type ClaimSource = 'any' | 'oidc' | 'ldap';
export const CLAIM_SOURCES: readonly ClaimSource[] = ['any', 'oidc', 'ldap'];

export interface SsoRule {
  id: number;
  source: ClaimSource;
  /** A claim name (OpenID) or attribute / `groups` (LDAP); a dot walks into objects: `realm_access.roles`. */
  claim: string;
  /** Compared without regard to case with the claim's value, or with each element of a list. */
  value: string;
  role: Role | null;
  agencyId: number | null;
}

/** What a directory said about a person: claim name → value(s). */
export type Claims = Record<string, unknown>;

function walk(claims: Claims, path: string): unknown {
  if (path in claims) return claims[path];
  let at: unknown = claims;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** A claim's values as strings (lists flattened one level; objects and empty values ignored). */
export function claimValues(claims: Claims, path: string): string[] {
  const v = walk(claims, path);
  const list = Array.isArray(v) ? v : [v];
  return list
    .filter((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')
    .map(String);
}

export const ruleMatches = (rule: SsoRule, from: 'oidc' | 'ldap', claims: Claims) =>
  (rule.source === 'any' || rule.source === from) &&
  claimValues(claims, rule.claim).some((v) => v.toLowerCase() === rule.value.toLowerCase());

export interface MappingResult {
  role: Role | null;
  agencyId: number | null;
  /** Ids of the rules that decided the role and the agency (shown in the audit trail). */
  roleRule: number | null;
  agencyRule: number | null;
}

export function resolveMapping(
  rules: readonly SsoRule[],
  from: 'oidc' | 'ldap',
  claims: Claims,
): MappingResult {
  const out: MappingResult = { role: null, agencyId: null, roleRule: null, agencyRule: null };
  for (const r of rules) {
    if (!ruleMatches(r, from, claims)) continue;
    if (r.role && out.role === null) {
      out.role = r.role;
      out.roleRule = r.id;
    }
    if (r.agencyId !== null && out.agencyId === null) {
      out.agencyId = r.agencyId;
      out.agencyRule = r.id;
    }
  }
  return out;
}

export type AccountRoleOutcome =
  { ok: true; role: Role; agencyId: number | null } | { ok: false; reason: 'noRole' | 'noAgency' };

/**
 * The role and agency a directory sign-in leaves an account with. The directory's answer wins where a rule
 * matched; an existing account keeps what the admin gave it otherwise; a new account needs a role from
 * the rules. An agency role without an agency is refused (the database would refuse it too).
 */
export function accountRole(
  existing: { role: Role; agencyId: number | null } | null,
  mapped: MappingResult,
): AccountRoleOutcome {
  const role = mapped.role ?? existing?.role ?? null;
  if (!role) return { ok: false, reason: 'noRole' };
  if (!isAgencyRole(role)) return { ok: true, role, agencyId: null };
  // A mapped agency applies; else the account's own, but only while it stays an agency account.
  const agencyId = mapped.agencyId ?? (existing && isAgencyRole(existing.role) ? existing.agencyId : null);
  if (agencyId === null) return { ok: false, reason: 'noAgency' };
  return { ok: true, role, agencyId };
}

export interface RuleInput {
  source?: string | undefined;
  claim?: string | undefined;
  value?: string | undefined;
  role?: string | undefined;
  agencyId?: string | number | null | undefined;
}

export type RuleField = 'source' | 'claim' | 'value' | 'role' | 'agencyId';

/** Problems of one rule by field, as message keys (error.sso.*); empty when it is fine. */
export function ruleProblems(
  input: RuleInput,
  agencyExists: (id: number) => boolean,
): { rule: Omit<SsoRule, 'id'> | null; problems: Partial<Record<RuleField, string>> } {
  const problems: Partial<Record<RuleField, string>> = {};
  const source = (input.source ?? 'any').trim();
  if (!(CLAIM_SOURCES as readonly string[]).includes(source)) problems.source = 'error.sso.source';
  const claim = (input.claim ?? '').trim();
  if (!claim) problems.claim = 'error.field.required';
  else if (claim.length > 200 || !/^[^\s\p{Cc}]+$/u.test(claim)) problems.claim = 'error.sso.claim';
  const value = (input.value ?? '').trim();
  if (!value) problems.value = 'error.field.required';
  else if (value.length > 500 || /\p{Cc}/u.test(value)) problems.value = 'error.sso.value';
  const roleText = (input.role ?? '').trim();
  let role: Role | null = null;
  if (roleText) {
    if ((ROLES as readonly string[]).includes(roleText)) role = roleText as Role;
    else problems.role = 'error.sso.role';
  }
  const agencyText = String(input.agencyId ?? '').trim();
  let agencyId: number | null = null;
  if (agencyText) {
    const n = /^\d{1,9}$/.test(agencyText) ? Number(agencyText) : 0;
    if (n > 0 && agencyExists(n)) agencyId = n;
    else problems.agencyId = 'error.sso.agency';
  }
  if (!problems.role && !problems.agencyId) {
    if (role === null && agencyId === null) problems.role = 'error.sso.nothingGranted';
    else if (role !== null && agencyId !== null && !isAgencyRole(role))
      problems.agencyId = 'error.sso.agencyForRole';
  }
  if (Object.keys(problems).length > 0) return { rule: null, problems };
  return { rule: { source: source as ClaimSource, claim, value, role, agencyId }, problems };
}
