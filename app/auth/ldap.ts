import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Client, Filter, InvalidCredentialsError, type Entry } from 'ldapts';
import type { Claims } from '../../domain/accounts/index.ts';

// LDAP bind for Active Directory, ALD Pro / FreeIPA and OpenLDAP with ldapts. Search-then-bind: a service
// account finds the person's entry by login (only an active one), then a second connection binds as that
// entry with the password typed; groups come from memberOf or a group search. Without a service account the
// DN is built from a template and the person's own bind reads their entry. Every value put into a filter
// or a DN is escaped (RFC 4515 / RFC 4514).

export type DirectoryKind = 'openldap' | 'freeipa' | 'ad';

export interface LdapSettings {
  kind: DirectoryKind;
  /** ldap://host:389 or ldaps://host:636 */
  url: string;
  startTls: boolean;
  /** PEM file of the CA that signed the directory's certificate; the system CAs otherwise. */
  caFile?: string | undefined;
  /** Accept any certificate (testing only; warned at start). */
  tlsInsecure: boolean;
  /** The service account; when unset, bind directly with userDnTemplate (no re-check possible). */
  bindDn?: string | undefined;
  bindPassword?: string | undefined;
  userBase: string;
  /** `{login}` is replaced by the escaped login. */
  userFilter: string;
  /** e.g. `uid={login},ou=people,dc=region,dc=ru` (direct bind mode). */
  userDnTemplate?: string | undefined;
  /** Only entries matching this are active (a disabled account is not found). Empty: all are. */
  activeFilter: string;
  loginAttribute: string;
  nameAttribute: string;
  mailAttribute: string;
  /** Where groups are searched, with `{dn}` (escaped) and `{login}`; empty filter: memberOf only. */
  groupBase?: string | undefined;
  groupFilter: string;
  /** More attributes of the entry to offer to the mapping rules as claims (e.g. department). */
  extraAttributes: string[];
  timeoutMs: number;
}

/** Per kind of directory: what an integrator would otherwise have to look up. Each can be overridden. */
export const DIRECTORY_PRESETS: Record<
  DirectoryKind,
  Pick<LdapSettings, 'userFilter' | 'activeFilter' | 'loginAttribute' | 'nameAttribute' | 'groupFilter'>
> = {
  openldap: {
    userFilter: '(&(objectClass=inetOrgPerson)(uid={login}))',
    // slapo-ppolicy: a locked account carries pwdAccountLockedTime.
    activeFilter: '(!(pwdAccountLockedTime=*))',
    loginAttribute: 'uid',
    nameAttribute: 'cn',
    groupFilter:
      '(|(&(objectClass=groupOfNames)(member={dn}))(&(objectClass=groupOfUniqueNames)(uniqueMember={dn})))',
  },
  // FreeIPA and ALD Pro (built on FreeIPA): memberOf is maintained, disabled accounts have nsAccountLock.
  freeipa: {
    userFilter: '(&(objectClass=posixAccount)(uid={login}))',
    activeFilter: '(!(nsAccountLock=TRUE))',
    loginAttribute: 'uid',
    nameAttribute: 'cn',
    groupFilter: '',
  },
  ad: {
    userFilter: '(&(objectCategory=person)(objectClass=user)(sAMAccountName={login}))',
    // userAccountControl bit 2: ACCOUNTDISABLE.
    activeFilter: '(!(userAccountControl:1.2.840.113556.1.4.803:=2))',
    loginAttribute: 'sAMAccountName',
    nameAttribute: 'displayName',
    // Nested groups too (LDAP_MATCHING_RULE_IN_CHAIN).
    groupFilter: '(&(objectClass=group)(member:1.2.840.113556.1.4.1941:={dn}))',
  },
};

export interface DirectoryEntry {
  dn: string;
  login: string;
  displayName: string;
  email: string | null;
  /** `groups` (each group's DN and its cn), `dn`, the login attribute, mail and the extra attributes. */
  claims: Claims;
}

export type DirectoryAnswer =
  | { ok: true; entry: DirectoryEntry }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'unreachable'; detail: string };

/** Typed logins like `REGION\ivanov` are the same person as `ivanov`. */
export const directoryLogin = (typed: string) => typed.trim().replace(/^[^\\]*\\/, '');

/** RFC 4514: a value inside a DN. */
export function escapeDnValue(v: string): string {
  return v
    .replace(/[\\,+"<>;=\0]/g, (c) => (c === '\0' ? '\\00' : `\\${c}`))
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(login|dn)\}/g, (_, k: string) => values[k] ?? '');

const first = (v: Entry[string] | undefined): string | null => {
  const x = Array.isArray(v) ? v[0] : v;
  return x === undefined ? null : Buffer.isBuffer(x) ? x.toString('utf8') : String(x);
};
const all = (v: Entry[string] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) =>
    Buffer.isBuffer(x) ? x.toString('utf8') : String(x),
  );

/** The first RDN's value of a DN (`cn=shtab-executors,ou=groups,…` → `shtab-executors`). */
export function rdnValue(dn: string): string {
  const m = /^[^=]+=((?:\\.|[^,\\])*)/.exec(dn);
  return m ? m[1]!.replace(/\\(.)/g, '$1').trim() : dn;
}

const isUnreachable = (e: unknown) => !(e instanceof InvalidCredentialsError) && e instanceof Error;

export function createLdapDirectory(s: LdapSettings) {
  const tlsOptions: ConnectionOptions = {
    ...(s.caFile ? { ca: readFileSync(s.caFile) } : {}),
    rejectUnauthorized: !s.tlsInsecure,
  };
  const both = (filter: string) => (s.activeFilter ? `(&${filter}${s.activeFilter})` : filter);
  const attributes = [
    s.loginAttribute,
    s.nameAttribute,
    s.mailAttribute,
    'memberOf',
    'displayName',
    'cn',
    ...s.extraAttributes,
  ];

  async function connect(): Promise<Client> {
    // ldapts takes any tlsOptions as "connect with TLS": only ldaps:// gets them at connect time.
    const client = new Client({
      url: s.url,
      timeout: s.timeoutMs,
      connectTimeout: s.timeoutMs,
      ...(s.url.startsWith('ldaps://') ? { tlsOptions } : {}),
      strictDN: false,
    });
    if (s.startTls) await client.startTLS(tlsOptions);
    return client;
  }

  async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = await connect();
    try {
      return await fn(c);
    } finally {
      await c.unbind().catch(() => {});
    }
  }

  /** A refused service account is a configuration fault, never "wrong password" for the person. */
  async function serviceBind(c: Client) {
    try {
      await c.bind(s.bindDn!, s.bindPassword ?? '');
    } catch (e) {
      if (e instanceof InvalidCredentialsError) throw new Error('the service account bind was refused');
      throw e;
    }
  }

  async function findActive(c: Client, login: string): Promise<Entry[]> {
    const filter = both(fill(s.userFilter, { login: Filter.escape(login) }));
    const { searchEntries } = await c.search(s.userBase, { scope: 'sub', filter, attributes, sizeLimit: 2 });
    return searchEntries;
  }

  async function groupsOf(c: Client, entry: Entry, login: string): Promise<string[]> {
    const groups = all(entry.memberOf);
    if (s.groupFilter && s.groupBase !== '') {
      const filter = fill(s.groupFilter, { dn: Filter.escape(entry.dn), login: Filter.escape(login) });
      const { searchEntries } = await c.search(s.groupBase ?? s.userBase, {
        scope: 'sub',
        filter,
        attributes: ['cn'],
      });
      groups.push(...searchEntries.map((g) => g.dn));
    }
    return [...new Set(groups)];
  }

  function toEntry(e: Entry, typed: string, groups: string[]): DirectoryEntry {
    const claims: Claims = {
      dn: e.dn,
      groups: [...groups, ...groups.map(rdnValue)],
      memberOf: groups,
    };
    for (const a of attributes) if (e[a] !== undefined) claims[a] = all(e[a]);
    const login = first(e[s.loginAttribute]) ?? typed;
    return {
      dn: e.dn,
      login: login.slice(0, 100),
      displayName: (first(e.displayName) ?? first(e[s.nameAttribute]) ?? login).slice(0, 200),
      email: first(e[s.mailAttribute]),
      claims,
    };
  }

  return {
    kind: s.kind,
    /** Re-checks are possible only with a service account. */
    canRecheck: Boolean(s.bindDn),

    /** The person's entry when this login and password bind; never for an empty password. */
    async authenticate(typedLogin: string, password: string): Promise<DirectoryAnswer> {
      const login = directoryLogin(typedLogin);
      // An empty password would be an "unauthenticated bind", which servers accept as anonymous (RFC 4513).
      if (!login || !password) return { ok: false, reason: 'invalid' };
      try {
        if (s.bindDn) {
          return await withClient(async (service) => {
            await serviceBind(service);
            const found = await findActive(service, login);
            if (found.length !== 1) return { ok: false, reason: 'invalid' } as const;
            const entry = found[0]!;
            try {
              await withClient((person) => person.bind(entry.dn, password));
            } catch (e) {
              if (e instanceof InvalidCredentialsError) return { ok: false, reason: 'invalid' } as const;
              throw e;
            }
            return { ok: true, entry: toEntry(entry, login, await groupsOf(service, entry, login)) } as const;
          });
        }
        const dn = fill(s.userDnTemplate ?? '', { login: escapeDnValue(login) });
        return await withClient(async (person) => {
          try {
            await person.bind(dn, password);
          } catch (e) {
            if (e instanceof InvalidCredentialsError) return { ok: false, reason: 'invalid' } as const;
            throw e;
          }
          const filter = s.activeFilter || '(objectClass=*)';
          const { searchEntries } = await person.search(dn, { scope: 'base', filter, attributes });
          if (searchEntries.length !== 1) return { ok: false, reason: 'invalid' } as const;
          const entry = searchEntries[0]!;
          return { ok: true, entry: toEntry(entry, login, await groupsOf(person, entry, login)) } as const;
        });
      } catch (e) {
        if (isUnreachable(e)) return { ok: false, reason: 'unreachable', detail: (e as Error).message };
        return { ok: false, reason: 'invalid' };
      }
    },

    /** Is the account with this login still active in the directory (found by the service account)? */
    async recheck(login: string): Promise<{ active: boolean } | 'unreachable'> {
      if (!s.bindDn) return { active: true };
      try {
        return await withClient(async (service) => {
          await serviceBind(service);
          return { active: (await findActive(service, directoryLogin(login))).length === 1 };
        });
      } catch {
        return 'unreachable';
      }
    },
  };
}

export type LdapDirectory = ReturnType<typeof createLdapDirectory>;
