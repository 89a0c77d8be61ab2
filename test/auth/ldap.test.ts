import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRule } from '../../app/auth/index.ts';
import { SYSTEM_ACTOR } from '../../domain/roles.ts';
import { hashPassword } from '../../web/index.ts';
import { createPageCache } from '../../web/page-cache.ts';
import { insertAgency, insertUser } from '../support/fixtures.ts';
import { LDAP_SUFFIX, startSlapd, type Slapd } from '../support/slapd.ts';
import { authFromEnv, ldapEnv } from '../support/sso.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

// LDAP bind against a real OpenLDAP (Debian slapd, started here): search-then-bind with a service account,
// direct bind by DN template, LDAPS with a CA file, groups → role / agency through the admin's rules, the
// re-check that ends a locked account's session at its next request (through the whole-page cache and
// the change feed), lockout, and what happens while the directory does not answer.

const PASSWORD = 'Пароль-каталога-1';
const people = [
  {
    uid: 'petrov',
    name: 'Пётр Петров',
    password: PASSWORD,
    mail: 'petrov@region.test',
    groups: ['shtab-exec'],
    department: 'МТСР',
  },
  { uid: 'sidorova', name: 'Анна Сидорова', password: PASSWORD, groups: ['shtab-exec'], department: 'МТСР' },
  { uid: 'orlov', name: 'Олег Орлов', password: PASSWORD, groups: ['shtab-exec'], department: 'МТСР' },
  { uid: 'nobody', name: 'Нет Ролей', password: PASSWORD, groups: ['other'] },
  { uid: 'local', name: 'Локальный Дубль', password: PASSWORD, groups: ['shtab-exec'] },
  { uid: 'wg', name: 'Вера Группова', password: PASSWORD, groups: ['shtab-wg'] },
];

describe('LDAP sign-in (slapd)', () => {
  let slapd: Slapd;
  let stack: TestStack;
  let agencyId: number;
  const pageCache = createPageCache();

  const count = async (table: 'app_user' | 'session' | 'event', where?: [string, string]) => {
    let q = stack.tdb.db.selectFrom(table as 'app_user').select((eb) => eb.fn.countAll<number>().as('n'));
    if (where) q = q.where(where[0] as 'login', '=', where[1]);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  beforeAll(async () => {
    slapd = await startSlapd({ people });
    stack = await startTestStack({
      changeFeed: true,
      app: {
        pageCache,
        auth: authFromEnv({ ...ldapEnv(slapd), SSO_RECHECK_SECONDS: '0', LOGIN_MAX_FAILURES: '3' }),
      },
    });
    const db = stack.tdb.db;
    agencyId = (await insertAgency(db, 'MTSR')).id;
    // Role from the group, agency from the department: two rules, not one per pair.
    await addRule(db, SYSTEM_ACTOR, {
      source: 'ldap',
      claim: 'groups',
      value: 'shtab-exec',
      role: 'agency_executor',
    });
    await addRule(db, SYSTEM_ACTOR, {
      source: 'ldap',
      claim: 'departmentNumber',
      value: 'мтср',
      agencyId: String(agencyId),
    });
    await addRule(db, SYSTEM_ACTOR, {
      source: 'any',
      claim: 'groups',
      value: `cn=shtab-wg,ou=groups,${LDAP_SUFFIX}`,
      role: 'working_group',
    });
    await insertUser(db, 'observer', null, {
      login: 'local',
      password_hash: await hashPassword('local-password-1'),
    });
  });
  afterAll(async () => {
    await stack?.close();
    await slapd?.stop();
  });

  it('creates the account at the first directory sign-in, with the role and agency the rules give', async () => {
    const client = new WebClient(stack.web.url);
    await client.login('petrov', PASSWORD);
    const me = await client.get('/account');
    expect(me.status).toBe(200);
    expect(me.text).toContain('Пётр Петров');
    expect(me.text).toContain('Каталог организации (LDAP)');
    const u = await stack.tdb.db
      .selectFrom('app_user as u')
      .innerJoin('account_login as l', 'l.user_id', 'u.id')
      .select(['u.role', 'u.agency_id', 'u.auth_source', 'u.password_hash', 'u.email', 'l.last_sign_in_via'])
      .where('u.login', '=', 'petrov')
      .executeTakeFirstOrThrow();
    expect(u).toEqual({
      role: 'agency_executor',
      agency_id: agencyId,
      auth_source: 'ldap',
      password_hash: null,
      email: 'petrov@region.test',
      last_sign_in_via: 'ldap',
    });
    const audit = await stack.tdb.db
      .selectFrom('event')
      .select(['type', 'after'])
      .where('type', '=', 'account.provisioned')
      .execute();
    expect(audit).toEqual([
      {
        type: 'account.provisioned',
        after: { login: 'petrov', role: 'agency_executor', agencyId, via: 'ldap' },
      },
    ]);
    // The same person again (any case, DOMAIN\login): the same account.
    await new WebClient(stack.web.url).login('REGION\\Petrov', PASSWORD);
    expect(await count('app_user', ['login', 'petrov'])).toBe(1);
  });

  it('matches a group by its DN too, and refuses a person no rule gives a role, storing nothing', async () => {
    await new WebClient(stack.web.url).login('wg', PASSWORD);
    const wg = await stack.tdb.db
      .selectFrom('app_user')
      .select(['role', 'agency_id'])
      .where('login', '=', 'wg')
      .executeTakeFirstOrThrow();
    expect(wg).toEqual({ role: 'working_group', agency_id: null });

    const users = await count('app_user');
    const client = new WebClient(stack.web.url);
    await client.get('/login');
    const res = await client.post('/login', { login: 'nobody', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.text).toContain('не назначена роль');
    expect(await count('app_user')).toBe(users);
  });

  it('refuses wrong and empty passwords and filter injection; a local account of the same login stays local', async () => {
    const client = new WebClient(stack.web.url);
    await client.get('/login');
    for (const [login, password] of [
      ['sidorova', 'wrong'],
      ['sidorova', ''],
      ['*)(uid=*', PASSWORD],
      ['*', PASSWORD],
      // The directory's password does not open the local account that has the same login.
      ['local', PASSWORD],
    ]) {
      const res = await client.post('/login', { login: login!, password: password! });
      expect(res.status, `${login}`).toBe(401);
      expect(res.text).toContain('Неверный логин или пароль');
    }
    const ok = await new WebClient(stack.web.url).login('local', 'local-password-1');
    expect(ok.status).toBe(303);
    expect(await count('app_user', ['login', 'sidorova'])).toBe(0);
  });

  it('locks a directory account after repeated failures until the admin unlocks it', async () => {
    await new WebClient(stack.web.url).login('orlov', PASSWORD);
    const client = new WebClient(stack.web.url);
    await client.get('/login');
    for (let i = 0; i < 3; i++)
      expect((await client.post('/login', { login: 'orlov', password: 'nope' })).status).toBe(401);
    const locked = await client.post('/login', { login: 'orlov', password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('заблокирована после 3 неудачных попыток');
    const admin = new WebClient(stack.web.url);
    await insertUser(stack.tdb.db, 'admin', null, {
      login: 'ldap-admin',
      password_hash: await hashPassword('admin-password-1'),
    });
    await admin.login('ldap-admin', 'admin-password-1');
    const orlov = await stack.tdb.db
      .selectFrom('app_user')
      .select('id')
      .where('login', '=', 'orlov')
      .executeTakeFirstOrThrow();
    expect((await admin.get(`/admin/accounts/${orlov.id}`)).text).toContain('Заблокирована до');
    expect((await admin.post(`/admin/accounts/${orlov.id}/unlock`, {})).status).toBe(303);
    expect((await client.post('/login', { login: 'orlov', password: PASSWORD })).status).toBe(303);
  });

  it('ends the session of an account locked in the directory at its next request, cached page or not', async () => {
    const client = new WebClient(stack.web.url);
    await client.login('petrov', PASSWORD);
    // The agency page twice: the second answer comes from the whole-page cache.
    expect((await client.get('/agencies')).status).toBe(200);
    const hits = pageCache.stats().hits;
    expect((await client.get('/agencies')).status).toBe(200);
    expect(pageCache.stats().hits).toBe(hits + 1);
    const sessions = await count('session');
    slapd.lock('petrov');
    const res = await client.get('/agencies');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?ended=directory&next=%2Fagencies');
    const login = await client.get(res.headers.get('location')!);
    expect(login.text).toContain('Сеанс завершён');
    // Ended for good: the row is gone and the next request is anonymous.
    expect(await count('session')).toBe(sessions - 1);
    expect((await client.get('/agencies')).headers.get('location')).toBe('/login?next=%2Fagencies');
    const ended = await stack.tdb.db
      .selectFrom('event')
      .select('data')
      .where('type', '=', 'account.session.ended')
      .execute();
    expect(ended.map((e) => e.data)).toEqual([expect.objectContaining({ via: 'ldap', reason: 'directory' })]);
    // A locked account cannot sign in again either.
    await client.get('/login');
    expect((await client.post('/login', { login: 'petrov', password: PASSWORD })).status).toBe(401);
    slapd.unlock('petrov');
    expect((await client.post('/login', { login: 'petrov', password: PASSWORD })).status).toBe(303);
  });

  it('keeps sessions and says so at sign-in while the directory does not answer', async () => {
    const client = new WebClient(stack.web.url);
    await client.login('wg', PASSWORD);
    slapd.pause();
    try {
      // The re-check cannot reach the directory: the session stays (logged), the page is served.
      expect((await client.get('/')).status).toBe(200);
      const other = new WebClient(stack.web.url);
      await other.get('/login');
      const res = await other.post('/login', { login: 'sidorova', password: PASSWORD });
      expect(res.status).toBe(503);
      expect(res.text).toContain('Каталог учётных записей сейчас недоступен');
    } finally {
      slapd.resume();
    }
    expect((await client.get('/')).status).toBe(200);
  });
});

describe('LDAP connection options (slapd)', () => {
  let slapd: Slapd;
  let stack: TestStack;
  const signIn = async (env: Record<string, string>) => {
    await stack.web.close();
    const { startTestApp } = await import('../support/web.ts');
    stack.web = await startTestApp({
      db: stack.tdb.db,
      temporal: stack.temporal.handle,
      auth: authFromEnv(env),
    });
    const client = new WebClient(stack.web.url);
    await client.get('/login');
    return client.post('/login', { login: 'petrov', password: PASSWORD });
  };

  beforeAll(async () => {
    slapd = await startSlapd({ people: people.slice(0, 1) });
    stack = await startTestStack();
    await addRule(stack.tdb.db, SYSTEM_ACTOR, { claim: 'groups', value: 'shtab-exec', role: 'observer' });
  });
  afterAll(async () => {
    await stack?.close();
    await slapd?.stop();
  });

  it('binds over LDAPS trusting the given CA, and refuses a certificate it cannot verify', async () => {
    expect(
      (await signIn(ldapEnv(slapd, { LDAP_URL: slapd.tlsUrl, LDAP_TLS_CA_FILE: slapd.caFile }))).status,
    ).toBe(303);
    // The system's CAs do not know the test CA: the directory counts as unreachable, not as a wrong password.
    const untrusted = await signIn(ldapEnv(slapd, { LDAP_URL: slapd.tlsUrl }));
    expect(untrusted.status).toBe(503);
  });

  it('binds with StartTLS, and directly by DN template without a service account', async () => {
    expect(
      (await signIn(ldapEnv(slapd, { LDAP_STARTTLS: '1', LDAP_TLS_CA_FILE: slapd.caFile }))).status,
    ).toBe(303);
    const direct = {
      LDAP_URL: slapd.url,
      LDAP_USER_DN_TEMPLATE: `uid={login},ou=people,${LDAP_SUFFIX}`,
      // The person may read only their own entry (slapd ACL): groups come from the group search.
      LDAP_GROUP_BASE: `ou=groups,${LDAP_SUFFIX}`,
    };
    expect((await signIn(direct)).status).toBe(303);
  });

  it('says a refused service account is a fault of the directory, not a wrong password', async () => {
    const res = await signIn(ldapEnv(slapd, { LDAP_BIND_PASSWORD: 'not-the-service-password' }));
    expect(res.status).toBe(503);
  });
});
