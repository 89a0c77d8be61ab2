import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRule } from '../../app/auth/index.ts';
import { SYSTEM_ACTOR } from '../../domain/roles.ts';
import { hashPassword } from '../../web/index.ts';
import { createPageCache } from '../../web/page-cache.ts';
import { insertAgency, insertUser } from '../support/fixtures.ts';
import { CLIENT_ID, startKeycloak, type Keycloak } from '../support/keycloak.ts';
import { authFromEnv, signInThroughProvider } from '../support/sso.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

// OpenID Connect against a real Keycloak (Maven Central distribution, started here): Authorization Code
// with PKCE through the provider's own login form, the groups claim → role / agency, accounts created or
// linked at the first sign-in, the refusals a person can meet, and the re-check that ends the session of
// a user disabled at the provider at their next request.

const SECRET = 'shtab-client-secret-for-tests';
const PASSWORD = 'Пароль-провайдера-1';
const user = (username: string, first: string, last: string, groups: string[]) => ({
  username,
  password: PASSWORD,
  firstName: first,
  lastName: last,
  email: `${username}@region.test`,
  groups,
});

describe('OpenID Connect sign-in (Keycloak)', () => {
  let kc: Keycloak;
  let stack: TestStack;
  let agencyId: number;
  const pageCache = createPageCache();

  beforeAll(async () => {
    kc = await startKeycloak();
    console.log(`[oidc] Keycloak started in ${kc.startMs} ms`);
    stack = await startTestStack({
      changeFeed: true,
      app: {
        pageCache,
        auth: authFromEnv({
          OIDC_ISSUER: kc.issuer,
          OIDC_CLIENT_ID: CLIENT_ID,
          OIDC_CLIENT_SECRET: SECRET,
          OIDC_ALLOW_HTTP: '1',
          OIDC_DISPLAY_NAME: 'Keycloak',
          SSO_RECHECK_SECONDS: '0',
        }),
      },
    });
    await kc.createRealm({
      clientSecret: SECRET,
      redirectUri: `${stack.web.url}/auth/oidc/callback`,
      groups: ['shtab-exec', 'shtab-observers', 'other'],
      users: [
        user('ivanova', 'Мария', 'Иванова', ['shtab-exec']),
        user('prepared', 'Павел', 'Подготовленный', []),
        user('localdup', 'Лев', 'Локальный', ['shtab-exec']),
        user('stranger', 'Сергей', 'Посторонний', ['other']),
        user('observer1', 'Ольга', 'Наблюдающая', ['shtab-observers']),
      ],
    });
    const db = stack.tdb.db;
    agencyId = (await insertAgency(db, 'MZDRAV')).id;
    await addRule(db, SYSTEM_ACTOR, {
      source: 'oidc',
      claim: 'groups',
      value: 'shtab-exec',
      role: 'agency_executor',
      agencyId: String(agencyId),
    });
    await addRule(db, SYSTEM_ACTOR, { claim: 'groups', value: 'shtab-observers', role: 'observer' });
    // Prepared by the admin for single sign-on before the person's first sign-in, with a role of its own.
    await insertUser(db, 'working_group', null, { login: 'prepared', password_hash: undefined });
    await db
      .updateTable('app_user')
      .set({ auth_source: 'oidc', password_hash: null })
      .where('login', '=', 'prepared')
      .execute();
    await insertUser(db, 'observer', null, {
      login: 'localdup',
      password_hash: await hashPassword('local-password-1'),
    });
  }, 400_000);
  afterAll(async () => {
    await stack?.close();
    await kc?.stop();
  });

  it('offers the provider on the sign-in page and signs a new person in through its login form', async () => {
    const client = new WebClient(stack.web.url);
    const page = await client.get('/login');
    expect(page.text).toContain('Войти через Keycloak');
    const res = await signInThroughProvider(client, 'ivanova', PASSWORD, '/agencies');
    expect(res.status).toBe(303);
    expect(res.headers?.get('location')).toBe('/agencies');
    const me = await client.get('/account');
    expect(me.text).toContain('Мария Иванова');
    expect(me.text).toContain('Единый вход (Keycloak)');
    const u = await stack.tdb.db
      .selectFrom('app_user')
      .select([
        'id',
        'role',
        'agency_id',
        'auth_source',
        'oidc_issuer',
        'oidc_subject',
        'password_hash',
        'email',
      ])
      .where('login', '=', 'ivanova')
      .executeTakeFirstOrThrow();
    expect(u).toMatchObject({
      role: 'agency_executor',
      agency_id: agencyId,
      auth_source: 'oidc',
      oidc_issuer: kc.issuer,
      password_hash: null,
      email: 'ivanova@region.test',
    });
    expect(u.oidc_subject).toMatch(/^[0-9a-f-]{36}$/);
    // The provider's refresh token is kept sealed, never as the provider issued it (a JWT).
    const s = await stack.tdb.db
      .selectFrom('session')
      .select(['via', 'idp_refresh_token'])
      .where('user_id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(s.via).toBe('oidc');
    expect(s.idp_refresh_token).toMatch(/^v1\./);
    expect(s.idp_refresh_token).not.toContain('eyJ');
    // A second sign-in finds the same account by its (issuer, subject) link.
    await signInThroughProvider(new WebClient(stack.web.url), 'ivanova', PASSWORD);
    const n = await stack.tdb.db.selectFrom('app_user').select('id').where('login', '=', 'ivanova').execute();
    expect(n).toHaveLength(1);
  });

  it('links an account the admin prepared, keeping its role when no rule matches', async () => {
    const res = await signInThroughProvider(new WebClient(stack.web.url), 'prepared', PASSWORD);
    expect(res.status).toBe(303);
    const u = await stack.tdb.db
      .selectFrom('app_user')
      .select(['role', 'oidc_subject'])
      .where('login', '=', 'prepared')
      .executeTakeFirstOrThrow();
    expect(u.role).toBe('working_group');
    expect(u.oidc_subject).not.toBeNull();
    const linked = await stack.tdb.db
      .selectFrom('event')
      .select('type')
      .where('type', '=', 'account.linked')
      .execute();
    expect(linked).toHaveLength(1);
  });

  it('refuses, with a reason and nothing stored, a login owned by a local account and a person with no role', async () => {
    const users = await stack.tdb.db.selectFrom('app_user').select('id').execute();
    const taken = await signInThroughProvider(new WebClient(stack.web.url), 'localdup', PASSWORD);
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('принадлежит учётной записи с другим способом входа');
    const stranger = await signInThroughProvider(new WebClient(stack.web.url), 'stranger', PASSWORD);
    expect(stranger.status).toBe(403);
    expect(stranger.text).toContain('не назначена роль');
    expect(await stack.tdb.db.selectFrom('app_user').select('id').execute()).toHaveLength(users.length);
    const local = await stack.tdb.db
      .selectFrom('app_user')
      .select(['auth_source', 'oidc_subject'])
      .where('login', '=', 'localdup')
      .executeTakeFirstOrThrow();
    expect(local).toEqual({ auth_source: 'local', oidc_subject: null });
  });

  it('rejects a callback whose state, flow cookie or provider answer does not fit', async () => {
    const client = new WebClient(stack.web.url);
    // No flow started in this browser: nothing to check the answer against.
    const stale = await client.get('/auth/oidc/callback?code=abc&state=xyz');
    expect(stale.status).toBe(400);
    expect(stale.text).toContain('страница входа устарела');
    // A flow started, but the answer carries another state (a forged or crossed callback).
    await client.get('/auth/oidc/start');
    const forged = await client.get(
      `/auth/oidc/callback?code=abc&state=forged&iss=${encodeURIComponent(kc.issuer)}`,
    );
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('не прошёл проверку');
    // The provider says no (the person pressed cancel).
    const start = await client.get('/auth/oidc/start');
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const denied = await client.get(
      `/auth/oidc/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(kc.issuer)}`,
    );
    expect(denied.status).toBe(401);
    expect(denied.text).toContain('не подтвердила вход');
    // The flow cookie is spent: the same callback again is stale.
    expect((await client.get(`/auth/oidc/callback?code=abc&state=${state}`)).status).toBe(400);
  });

  it('ends the session of a person disabled at the provider at their next request', async () => {
    const client = new WebClient(stack.web.url);
    expect((await signInThroughProvider(client, 'observer1', PASSWORD)).status).toBe(303);
    expect((await client.get('/agencies')).status).toBe(200);
    const hits = pageCache.stats().hits;
    expect((await client.get('/agencies')).status).toBe(200);
    expect(pageCache.stats().hits).toBe(hits + 1);
    await kc.setEnabled('observer1', false);
    const res = await client.get('/agencies');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?ended=directory&next=%2Fagencies');
    expect((await client.get('/agencies')).headers.get('location')).toBe('/login?next=%2Fagencies');
    // And signing in through the provider again is not possible while disabled there.
    const again = await signInThroughProvider(new WebClient(stack.web.url), 'observer1', PASSWORD);
    expect(again.provider).toBe(true);
    await kc.setEnabled('observer1', true);
    expect((await signInThroughProvider(new WebClient(stack.web.url), 'observer1', PASSWORD)).status).toBe(
      303,
    );
  });
});
