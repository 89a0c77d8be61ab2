import { isAgencyRole, ROLES, type Role } from '../roles.ts';
import { optionalText, requiredText, type Problems } from './fields.ts';

export const AUTH_SOURCES = ['local', 'ldap', 'oidc'] as const;
export type AuthSourceInput = (typeof AUTH_SOURCES)[number];

/** A person as the admin creates or edits them. */
export interface PersonInput {
  login: string;
  displayName: string;
  email: string | null;
  role: Role;
  agencyId: number | null;
  position: string | null;
  locale: 'ru' | 'en';
  /** How they sign in; only at creation (afterwards the account page changes it, with its effects). */
  authSource: AuthSourceInput;
}

/** Logins as directories spell them: letters, digits and . _ - @ (no spaces, no domain prefix). */
export const LOGIN = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{1,63}$/u;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

export function personProblems(u: PersonInput): Problems {
  const p: Problems = [];
  if (u.login.trim() === '') p.push({ field: 'login', key: 'error.field.required' });
  else if (!LOGIN.test(u.login)) p.push({ field: 'login', key: 'error.person.login' });
  requiredText(p, 'displayName', u.displayName, 200);
  if (u.email && !EMAIL.test(u.email)) p.push({ field: 'email', key: 'error.person.email' });
  if (!(ROLES as readonly string[]).includes(u.role)) p.push({ field: 'role', key: 'error.field.choice' });
  else if (isAgencyRole(u.role) && u.agencyId === null)
    p.push({ field: 'agencyId', key: 'error.person.agencyRequired' });
  optionalText(p, 'position', u.position, 300);
  if (u.locale !== 'ru' && u.locale !== 'en') p.push({ field: 'locale', key: 'error.field.choice' });
  if (!(AUTH_SOURCES as readonly string[]).includes(u.authSource))
    p.push({ field: 'authSource', key: 'error.field.choice' });
  return p;
}

/** Only agency roles belong to an agency (the database says so too). */
export const agencyOfRole = (role: Role, agencyId: number | null) => (isAgencyRole(role) ? agencyId : null);

const ROLE_WORDS: Record<Role, string[]> = {
  admin: ['администратор', 'admin', 'administrator'],
  working_group: ['рабочая группа', 'проектный офис', 'working group'],
  leadership: ['руководство', 'первый заместитель губернатора', 'leadership'],
  agency_head: ['руководитель ведомства', 'руководитель', 'agency head', 'head'],
  agency_executor: ['исполнитель ведомства', 'исполнитель', 'agency executor', 'executor'],
  observer: ['наблюдатель', 'observer'],
};

/** A role as written in a file: its code or its usual name; null when unknown. */
export function parseRole(v: string): Role | null {
  const t = v.trim().toLowerCase().replace(/ё/g, 'е');
  for (const r of ROLES) if (t === r || ROLE_WORDS[r].includes(t)) return r;
  return null;
}

const SOURCE_WORDS: Record<AuthSourceInput, string[]> = {
  local: ['', 'пароль', 'пароль штаба', 'локальный', 'password'],
  ldap: ['каталог', 'ldap', 'ad', 'active directory', 'ald', 'freeipa', 'directory'],
  oidc: ['единый вход', 'sso', 'openid', 'keycloak', 'oidc'],
};

export function parseAuthSource(v: string): AuthSourceInput | null {
  const t = v.trim().toLowerCase().replace(/ё/g, 'е');
  for (const s of AUTH_SOURCES) if (t === s || SOURCE_WORDS[s].includes(t)) return s;
  return null;
}
