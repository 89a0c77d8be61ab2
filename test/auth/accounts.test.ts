import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, createSmtpMailer } from '../../activities/notifications/index.ts';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { hashPassword } from '../../web/index.ts';
import { insertAgency, insertUser } from '../support/fixtures.ts';
import { startSmtpReceiver } from '../support/smtp-receiver.ts';
import { authFromEnv } from '../support/sso.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { WebClient } from '../support/web.ts';

// Account features around signing in, with local accounts (no directory needed): lockout per account and
// per address, the admin's unlock, one's own password, invitation links (shown once, emailed through a
// real SMTP receiver, working once), ending a person's sessions, the sign-in method, the claims → role /
// agency rules in the UI and the API with their audit trail, and CSRF on every new form.

const PW = 'admin-password-1';

describe('accounts', () => {
  let stack: TestStack;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let admin: WebClient;
  let agencyId: number;
  const db = () => stack.tdb.db;

  const newUser = async (login: string, password = 'user-password-1', email: string | null = null) =>
    insertUser(db(), 'observer', null, { login, email, password_hash: await hashPassword(password) });
  const events = (type: string) =>
    db()
      .selectFrom('event')
      .select(['actor_user_id', 'before', 'after', 'data'])
      .where('type', '=', type)
      .execute();
  /** A form post from a given client address (the app trusts X-Forwarded-For here, as behind a proxy). */
  const postFrom = (client: WebClient, ip: string, form: Record<string, string>) =>
    client.request('/login', {
      method: 'POST',
      headers: { 'x-forwarded-for': ip },
      body: new URLSearchParams({ _csrf: client.csrf ?? '', ...form }),
    });

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    stack = await startTestStack({
      changeFeed: true,
      app: {
        trustProxy: true,
        mailEnabled: true,
        auth: authFromEnv({
          LOGIN_MAX_FAILURES: '3',
          LOGIN_MAX_FAILURES_PER_ADDRESS: '6',
          LOGIN_LOCK_MINUTES: '15',
        }),
      },
    });
    agencyId = (await insertAgency(db(), 'MINFIN')).id;
    await insertUser(db(), 'admin', null, { login: 'boss', password_hash: await hashPassword(PW) });
    admin = new WebClient(stack.web.url);
    await admin.login('boss', PW);
  });
  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });

  it('locks an account after repeated failures, says so, and lets the admin unlock it', async () => {
    const u = await newUser('lockme');
    const client = new WebClient(stack.web.url);
    await client.get('/login');
    for (let i = 0; i < 3; i++) {
      const r = await postFrom(client, '10.0.0.1', { login: 'lockme', password: `wrong-${i}` });
      expect(r.status).toBe(401);
    }
    const locked = await postFrom(client, '10.0.0.1', { login: 'lockme', password: 'user-password-1' });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain(
      'Учётная запись временно заблокирована после 3 неудачных попыток входа подряд',
    );
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    // The lock is the account's, not the address's: another address meets it too.
    expect(
      (await postFrom(client, '10.0.0.2', { login: 'lockme', password: 'user-password-1' })).status,
    ).toBe(429);
    expect(await events('account.locked')).toEqual([
      expect.objectContaining({ actor_user_id: null, data: { userId: u.id, ip: '10.0.0.1' } }),
    ]);

    const page = await admin.get(`/admin/accounts/${u.id}`);
    expect(page.text).toContain('Заблокирована до');
    const list = await admin.get('/admin/accounts');
    expect(list.text).toMatch(/lockme[\s\S]*?Заблокирована/);
    const unlocked = await admin.submit(`/admin/accounts/${u.id}/unlock`, {});
    expect(unlocked.status).toBe(200);
    expect(unlocked.text).toContain('Учётная запись разблокирована');
    expect(
      (await postFrom(client, '10.0.0.3', { login: 'lockme', password: 'user-password-1' })).status,
    ).toBe(303);
    expect(await events('account.unlocked')).toHaveLength(1);
    // Last sign-in is shown to the admin.
    expect((await admin.get(`/admin/accounts/${u.id}`)).text).toMatch(/Последний вход[\s\S]*?Пароль Штаба/);
  });

  it('answers unknown logins like accounts, and limits one address across logins', async () => {
    const client = new WebClient(stack.web.url);
    await client.get('/login');
    for (let i = 0; i < 3; i++)
      expect((await postFrom(client, '10.0.1.1', { login: 'ghost', password: 'x' })).status).toBe(401);
    const ghost = await postFrom(client, '10.0.1.2', { login: 'ghost', password: 'x' });
    expect(ghost.status).toBe(429);
    expect(ghost.text).toContain('Учётная запись временно заблокирована');
    // Six failures from one address, whatever the logins: the address waits; another address does not.
    for (let i = 0; i < 6; i++) await postFrom(client, '10.0.2.1', { login: `someone-${i}`, password: 'x' });
    const limited = await postFrom(client, '10.0.2.1', { login: 'boss', password: PW });
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Слишком много попыток входа');
    expect((await postFrom(client, '10.0.2.2', { login: 'boss', password: PW })).status).toBe(303);
  });

  it('changes one’s own password: problems by field and nothing changed, then other sessions end', async () => {
    await newUser('changer', 'old-password-1');
    const here = new WebClient(stack.web.url);
    const elsewhere = new WebClient(stack.web.url);
    await here.login('changer', 'old-password-1');
    await elsewhere.login('changer', 'old-password-1');
    const before = await db()
      .selectFrom('app_user')
      .select('password_hash')
      .where('login', '=', 'changer')
      .executeTakeFirstOrThrow();
    await here.get('/account');
    for (const [form, text] of [
      [
        { current: 'not-it', password: 'new-password-22', repeat: 'new-password-22' },
        'Текущий пароль указан неверно',
      ],
      [{ current: 'old-password-1', password: 'short', repeat: 'short' }, 'не короче 10 символов'],
      [
        { current: 'old-password-1', password: 'new-password-22', repeat: 'new-password-23' },
        'Пароли не совпадают',
      ],
      [
        { current: 'old-password-1', password: 'changer-2026-x', repeat: 'changer-2026-x' },
        'не должен содержать логин',
      ],
      [
        { current: 'old-password-1', password: 'old-password-1', repeat: 'old-password-1' },
        'совпадает с текущим',
      ],
    ] as const) {
      const r = await here.post('/account/password', form);
      expect(r.status, text).toBe(422);
      expect(r.text).toContain(text);
    }
    const same = await db()
      .selectFrom('app_user')
      .select('password_hash')
      .where('login', '=', 'changer')
      .executeTakeFirstOrThrow();
    expect(same.password_hash).toBe(before.password_hash);

    const ok = await here.submit('/account/password', {
      current: 'old-password-1',
      password: 'new-password-22',
      repeat: 'new-password-22',
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Пароль изменён. Завершено других сеансов: 1');
    expect((await here.get('/')).status).toBe(200);
    expect((await elsewhere.get('/')).status).toBe(303);
    const probe = new WebClient(stack.web.url);
    await probe.get('/login');
    expect((await probe.post('/login', { login: 'changer', password: 'old-password-1' })).status).toBe(401);
    expect((await probe.post('/login', { login: 'changer', password: 'new-password-22' })).status).toBe(303);
    expect(await events('account.password.changed')).toHaveLength(1);
  });

  it('issues an invitation link shown once and emailed; it sets the password once and signs in', async () => {
    const u = await newUser('invited', 'unknown-to-them-1', 'invited@region.test');
    const issued = await admin.post(`/admin/accounts/${u.id}/invite`, {});
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    const link = /<code id="invite-link">([^<]+)<\/code>/.exec(issued.text)![1]!;
    expect(link).toMatch(new RegExp(`^${stack.web.url}/invite/[\\w-]{40,}$`));
    expect(issued.text).toContain('Ссылка также отправлена на invited@region.test');
    // Shown once: the person's page does not show it again, and only its hash is stored.
    const again = await admin.get(`/admin/accounts/${u.id}`);
    expect(again.text).not.toContain(link);
    expect(again.text).toContain('Действующая ссылка выдана');
    const token = link.split('/').at(-1)!;
    const stored = await db()
      .selectFrom('account_invite')
      .select('token_hash')
      .where('user_id', '=', u.id)
      .execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);

    const dispatcher = createDispatcher({
      db: db(),
      mailer: createSmtpMailer(smtp.url, 'Штаб <noreply@shtab.test>'),
    });
    expect(await dispatcher.runOnce()).toBe(1);
    const mail = smtp.messages.find((m) => m.envelopeTo.includes('invited@region.test'))!;
    expect(mail.subject).toBe('Приглашение в систему «Штаб»');
    expect(mail.text).toContain(link);
    // Not kept in the person's in-app inbox.
    const inbox = await db()
      .selectFrom('notification')
      .select('id')
      .where('recipient_user_id', '=', u.id)
      .execute();
    expect(inbox).toEqual([]);

    const person = new WebClient(stack.web.url);
    const path = new URL(link).pathname;
    const form = await person.get(path);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Ваш логин: invited');
    expect((await person.post(path, { password: 'short', repeat: 'short' })).status).toBe(422);
    expect((await person.post(path, { password: 'invited-pass-1', repeat: 'other-pass-1' })).status).toBe(
      422,
    );
    const used = await person.post(path, { password: 'my-new-password-1', repeat: 'my-new-password-1' });
    expect(used.status).toBe(303);
    expect((await person.get('/account')).text).toContain('Ссылка-приглашение');
    // Works once.
    const second = new WebClient(stack.web.url);
    const gone = await second.get(path);
    expect(gone.status).toBe(410);
    expect(gone.text).toContain('уже использована');
    await second.get('/login'); // the 410 page has no form, so no CSRF token to post with
    const hijack = { password: 'hijack-password-1', repeat: 'hijack-password-1' };
    expect((await second.post(path, hijack)).status).toBe(410);
    // Without the anonymous CSRF token nobody can post to a link at all.
    expect((await new WebClient(stack.web.url).post(path, hijack)).status).toBe(403);
    expect((await new WebClient(stack.web.url).login('invited', 'my-new-password-1')).status).toBe(303);
    expect((await second.get('/invite/not-a-real-token-at-all-000000')).status).toBe(404);
  });

  it('voids an earlier link when a new one is issued, and refuses an expired one', async () => {
    const u = await newUser('twice');
    const link = async () =>
      new URL(
        /<code id="invite-link">([^<]+)<\/code>/.exec(
          (await admin.post(`/admin/accounts/${u.id}/invite`, {})).text,
        )![1]!,
      ).pathname;
    const first = await link();
    const second = await link();
    const client = new WebClient(stack.web.url);
    expect((await client.get(first)).status).toBe(410);
    await db()
      .updateTable('account_invite')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', u.id)
      .execute();
    const expired = await client.get(second);
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('Срок действия ссылки истёк');
  });

  it('ends every session of a person: their next request is the sign-in page', async () => {
    const u = await newUser('revoked');
    const a = new WebClient(stack.web.url);
    const b = new WebClient(stack.web.url);
    await a.login('revoked', 'user-password-1');
    await b.login('revoked', 'user-password-1');
    expect((await a.get('/agencies')).status).toBe(200);
    expect((await a.get('/agencies')).status).toBe(200);
    const r = await admin.submit(`/admin/accounts/${u.id}/sessions/revoke`, {});
    expect(r.text).toContain('Завершено сеансов: 2');
    expect((await a.get('/agencies')).status).toBe(303);
    expect((await b.get('/')).status).toBe(303);
    expect(await events('account.sessions.revoked')).toEqual([
      expect.objectContaining({ data: { userId: u.id, sessions: 2 } }),
    ]);
  });

  it('moves an account to the directory: the local password stops working, sessions end', async () => {
    const u = await newUser('mover');
    const client = new WebClient(stack.web.url);
    await client.login('mover', 'user-password-1');
    const bad = await admin.post(`/admin/accounts/${u.id}/sign-in-method`, { method: 'kerberos' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Выберите способ входа из списка');
    expect((await admin.post(`/admin/accounts/${u.id}/sign-in-method`, { method: 'ldap' })).status).toBe(303);
    expect((await client.get('/')).status).toBe(303);
    await client.get('/login');
    expect((await client.post('/login', { login: 'mover', password: 'user-password-1' })).status).toBe(401);
    const row = await db()
      .selectFrom('app_user')
      .select(['auth_source', 'password_hash'])
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ auth_source: 'ldap', password_hash: null });
    expect((await admin.post(`/admin/accounts/${u.id}/invite`, {})).status).toBe(409);
    expect((await admin.post('/admin/accounts/999999/unlock', {})).status).toBe(404);
  });

  it('edits the claims → role / agency rules with field errors, order and a history of who changed what', async () => {
    const count = async () => (await db().selectFrom('sso_rule').select('id').execute()).length;
    const page = await admin.get('/admin/sso');
    expect(page.text).toContain('Правил пока нет');
    const bad = await admin.post('/admin/sso/rules', {
      source: 'kerberos',
      claim: 'has space',
      value: '',
      role: 'root',
      agencyId: '99999',
    });
    expect(bad.status).toBe(422);
    for (const text of [
      'Выберите источник из списка',
      'без пробелов',
      'Заполните поле',
      'Выберите роль из списка',
      'Такого ведомства нет',
    ])
      expect(bad.text).toContain(text);
    expect(await count()).toBe(0);
    expect(
      (
        await admin.post('/admin/sso/rules', {
          source: 'any',
          claim: 'groups',
          value: 'x',
          role: 'leadership',
          agencyId: String(agencyId),
        })
      ).text,
    ).toContain('Ведомство назначается только с ролями ведомства');

    for (const value of ['shtab-exec', 'shtab-heads'])
      expect(
        (
          await admin.post('/admin/sso/rules', {
            source: 'oidc',
            claim: 'groups',
            value,
            role: 'agency_executor',
            agencyId: String(agencyId),
          })
        ).status,
      ).toBe(303);
    const [r1, r2] = await db().selectFrom('sso_rule').select('id').orderBy('position').execute();
    expect(
      (
        await admin.post(`/admin/sso/rules/${r2!.id}`, {
          source: 'oidc',
          claim: 'groups',
          value: 'shtab-heads',
          role: 'agency_head',
          agencyId: String(agencyId),
        })
      ).status,
    ).toBe(303);
    expect((await admin.post(`/admin/sso/rules/${r2!.id}/move`, { direction: 'up' })).status).toBe(303);
    expect((await admin.post(`/admin/sso/rules/${r2!.id}/move`, { direction: 'sideways' })).status).toBe(422);
    expect((await admin.post(`/admin/sso/rules/${r1!.id}/delete`, {})).status).toBe(303);
    expect((await admin.post(`/admin/sso/rules/${r1!.id}/delete`, {})).status).toBe(404);
    const rules = await db().selectFrom('sso_rule').select(['value', 'role']).orderBy('position').execute();
    expect(rules).toEqual([{ value: 'shtab-heads', role: 'agency_head' }]);

    const history = await events('sso.rules.changed');
    expect(history).toHaveLength(5);
    const boss = await db()
      .selectFrom('app_user')
      .select('id')
      .where('login', '=', 'boss')
      .executeTakeFirstOrThrow();
    expect(history.every((h) => h.actor_user_id === boss.id)).toBe(true);
    // The edit's before → after, whole lists with the agency by code.
    expect(history[2]).toMatchObject({
      before: [
        { value: 'shtab-exec', role: 'agency_executor', agency: 'MINFIN' },
        { value: 'shtab-heads', role: 'agency_executor', agency: 'MINFIN' },
      ],
      after: [
        { value: 'shtab-exec', role: 'agency_executor', agency: 'MINFIN' },
        { value: 'shtab-heads', role: 'agency_head', agency: 'MINFIN' },
      ],
    });
    const shown = await admin.get('/admin/sso');
    expect(shown.text).toContain('История изменений правил');
    expect(shown.text).toMatch(/удалено: Единый вход: groups = «shtab-exec»/);
    expect(shown.text).toContain('изменён порядок правил');
  });

  it('reads and replaces the rules through the API (admin tokens), checked whole', async () => {
    const boss = await db()
      .selectFrom('app_user')
      .select('id')
      .where('login', '=', 'boss')
      .executeTakeFirstOrThrow();
    const observer = await newUser('api-observer');
    const { token } = await createApiToken(db(), {
      name: 'sso',
      subject: { userId: boss.id },
      createdBy: boss.id,
    });
    const { token: weak } = await createApiToken(db(), {
      name: 'weak',
      subject: { userId: observer.id },
      createdBy: boss.id,
    });
    const call = (t: string, method: string, body?: unknown) =>
      fetch(`${stack.web.url}/api/v1/sso/rules`, {
        method,
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    expect((await call(weak, 'GET')).status).toBe(403);
    const before = await db().selectFrom('sso_rule').selectAll().execute();
    const bad = await call(token, 'PUT', {
      rules: [
        { source: 'ldap', claim: 'groups', value: 'ok', role: 'observer', agencyId: null },
        { source: 'ldap', claim: 'groups', value: 'x', role: 'agency_head', agencyId: 424242 },
      ],
    });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      error: { code: 'validation', field: 'rules.1.agencyId', key: 'error.sso.agency' },
    });
    expect(await db().selectFrom('sso_rule').selectAll().execute()).toEqual(before);
    expect(
      (
        await call(token, 'PUT', {
          rules: [{ source: 'ldap', claim: 'groups', value: 'v', role: 'boss', agencyId: null }],
        })
      ).status,
    ).toBe(422);
    expect((await call(weak, 'PUT', { rules: [] })).status).toBe(403);

    const next = [
      { source: 'ldap', claim: 'groups', value: 'shtab-exec', role: 'agency_executor', agencyId },
      { source: 'any', claim: 'department', value: 'Минфин', role: null, agencyId },
    ];
    const ok = await call(token, 'PUT', { rules: next });
    expect(ok.status).toBe(200);
    expect(await (await call(token, 'GET')).json()).toEqual({ rules: next });
    const last = (await events('sso.rules.changed')).at(-1)!;
    expect(last.actor_user_id).toBe(boss.id);
    expect(last.after).toEqual([
      { source: 'ldap', claim: 'groups', value: 'shtab-exec', role: 'agency_executor', agency: 'MINFIN' },
      { source: 'any', claim: 'department', value: 'Минфин', role: null, agency: 'MINFIN' },
    ]);
  });

  it('refuses every new form without its CSRF token, changing nothing', async () => {
    const u = await newUser('csrf-target');
    const person = new WebClient(stack.web.url);
    await person.login('csrf-target', 'user-password-1');
    const forged = (client: WebClient, path: string, form: Record<string, string>) =>
      client.request(path, { method: 'POST', body: new URLSearchParams({ _csrf: 'forged', ...form }) });
    const rules = (await db().selectFrom('sso_rule').select('id').execute()).length;
    for (const [client, path, form] of [
      [admin, `/admin/accounts/${u.id}/unlock`, {}],
      [admin, `/admin/accounts/${u.id}/sessions/revoke`, {}],
      [admin, `/admin/accounts/${u.id}/invite`, {}],
      [admin, `/admin/accounts/${u.id}/sign-in-method`, { method: 'ldap' }],
      [admin, '/admin/sso/rules', { source: 'any', claim: 'g', value: 'v', role: 'observer' }],
      [
        person,
        '/account/password',
        { current: 'user-password-1', password: 'forged-password-1', repeat: 'forged-password-1' },
      ],
    ] as const) {
      const r = await forged(client, path, form);
      expect(r.status, path).toBe(403);
    }
    const row = await db()
      .selectFrom('app_user')
      .select('auth_source')
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(row.auth_source).toBe('local');
    expect((await db().selectFrom('sso_rule').select('id').execute()).length).toBe(rules);
    expect(
      await db().selectFrom('account_invite').select('id').where('user_id', '=', u.id).execute(),
    ).toEqual([]);
    expect((await person.get('/')).status).toBe(200);
  });
});
