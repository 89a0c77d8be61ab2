import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { hashPassword } from '../../web/index.ts';
import { insertAgency, insertUser } from '../support/fixtures.ts';
import {
  brief,
  FUZZ_SEED,
  fuzzForm,
  fuzzParams,
  hasMessage,
  nastyString,
  tableDigests,
} from '../support/fuzz-fixtures.ts';
import { postForm } from '../support/item-ui-fixtures.ts';
import { authFromEnv } from '../support/sso.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

// Arbitrary input to the account and single sign-on forms and to the rules API: the answer is a page, a
// redirect or a 4xx that says what is wrong — never a 500 — and a refused request stores nothing.

const ACCOUNT_TABLES = ['app_user', 'sso_rule', 'account_invite', 'event'];

describe(`fuzzed account and SSO input (seed ${FUZZ_SEED})`, () => {
  let stack: TestStack;
  let admin: WebClient;
  let agencyId: number;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ app: { auth: authFromEnv({ LOGIN_MAX_FAILURES: '100' }) } });
    const db = stack.tdb.db;
    agencyId = (await insertAgency(db, 'FZ')).id;
    const boss = await insertUser(db, 'admin', null, {
      login: 'fz-admin',
      password_hash: await hashPassword('fz-admin-pw'),
    });
    await insertUser(db, 'observer', null, {
      login: 'fz-person',
      password_hash: await hashPassword('fz-person-pw'),
    });
    admin = new WebClient(stack.web.url);
    await admin.login('fz-admin', 'fz-admin-pw');
    token = (await createApiToken(db, { name: 'fz', subject: { userId: boss.id }, createdBy: boss.id }))
      .token;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const refusedCleanly = async (
    res: { status: number; text: string },
    before: Record<string, string>,
    what: string,
  ) => {
    expect(res.status, what).toBeLessThan(500);
    if (res.status === 422) {
      expect(hasMessage(res.text), what).toBe(true);
      expect(await tableDigests(stack.tdb.db, ACCOUNT_TABLES), what).toEqual(before);
    }
  };

  it('the rule form answers every input with a page, a redirect or a 422 that stores nothing', async () => {
    const good = {
      source: [fc.constantFrom('any', 'oidc', 'ldap')],
      claim: [fc.constantFrom('groups', 'realm_access.roles', 'department')],
      value: [fc.constantFrom('shtab-exec', 'Минтруд')],
      role: [fc.constantFrom('', 'agency_executor', 'observer', 'admin')],
      agencyId: [fc.constant(''), fc.constant('1'), fc.nat({ max: 5 }).map(String)],
    };
    await fc.assert(
      fc.asyncProperty(fuzzForm(good), fc.boolean(), async (form, update) => {
        const rules = await stack.tdb.db.selectFrom('sso_rule').select('id').execute();
        const path = update && rules[0] ? `/admin/sso/rules/${rules[0].id}` : '/admin/sso/rules';
        const before = await tableDigests(stack.tdb.db, ACCOUNT_TABLES);
        const res = await postForm(admin, path, form);
        await refusedCleanly(res, before, `${path} ${brief(form)}`);
        expect([303, 422], brief(form)).toContain(res.status);
      }),
      fuzzParams(60),
    );
  });

  it('the password forms answer every input without a 500, changing nothing when they refuse', async () => {
    const person = new WebClient(stack.web.url);
    await person.login('fz-person', 'fz-person-pw');
    await person.get('/account');
    const anon = new WebClient(stack.web.url);
    await anon.get('/login');
    await fc.assert(
      fc.asyncProperty(
        fuzzForm({
          current: [],
          password: [fc.constant('fz-new-password-1')],
          repeat: [fc.constant('fz-new-password-1')],
        }),
        nastyString,
        async (form, tokenText) => {
          const before = await tableDigests(stack.tdb.db, ACCOUNT_TABLES);
          // The current password is never right here, so nothing may change.
          const own = await postForm(person, '/account/password', form);
          expect(own.status, brief(form)).toBe(422);
          await refusedCleanly(own, before, brief(form));
          const invite = await postForm(
            anon,
            `/invite/${encodeURIComponent(Buffer.from(tokenText).toString())}`,
            form,
          );
          // Never a page that sets a password: 404/410 for tokens that are not (or no longer) invitations, 422
          // from the form guard (NUL characters), 303 for an empty token (no such path: sign in), 431 for an
          // address too long for the server.
          expect(invite.status, `${brief(tokenText)} ${brief(form)}`).toBeGreaterThanOrEqual(300);
          expect(invite.status, `${brief(tokenText)} ${brief(form)}`).toBeLessThan(500);
          expect(await tableDigests(stack.tdb.db, ACCOUNT_TABLES)).toEqual(before);
          const login = await postForm(anon, '/login', {
            login: form.current ?? '',
            password: form.password ?? '',
          });
          expect([401, 422, 429], brief(form)).toContain(login.status);
        },
      ),
      fuzzParams(40),
    );
  });

  it('the rules API answers any JSON with 200 or a 4xx naming the field, never a partial write', async () => {
    const rule = fc.record(
      {
        source: fc.oneof(fc.constantFrom('any', 'oidc', 'ldap'), nastyString),
        claim: fc.oneof(fc.constant('groups'), nastyString),
        value: fc.oneof(fc.constant('v'), nastyString),
        role: fc.oneof(fc.constantFrom(null, 'observer', 'agency_head'), nastyString),
        agencyId: fc.oneof(fc.constant(null), fc.constant(agencyId), fc.integer(), fc.double(), nastyString),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      { weight: 5, arbitrary: fc.record({ rules: fc.array(rule, { maxLength: 4 }) }) },
      { weight: 1, arbitrary: fc.anything() },
      { weight: 1, arbitrary: nastyString },
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const before = await tableDigests(stack.tdb.db, ['sso_rule']);
        const res = await fetch(`${stack.web.url}/api/v1/sso/rules`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: typeof b === 'string' ? b : JSON.stringify(b),
        });
        const json = (await res.json()) as { error?: { field?: string } };
        expect(res.status, brief(b)).not.toBeGreaterThanOrEqual(500);
        if (res.status !== 200) {
          expect(res.status, brief(b)).toBe(422);
          expect(json.error?.field, brief(b)).toBeTruthy();
          expect(await tableDigests(stack.tdb.db, ['sso_rule'])).toEqual(before);
        }
      }),
      fuzzParams(60),
    );
  });
});
