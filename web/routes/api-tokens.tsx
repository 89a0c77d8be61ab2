import { Hono, type Context } from 'hono';
import { ShtabError } from '../../domain/errors.ts';
import { isAgencyRole, ROLES, type Role } from '../../domain/roles.ts';
import { createApiToken, type TokenSubject } from '../api/tokens.ts';
import { requireRole } from '../auth/index.ts';
import { currentUser, idParam } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDateTime } from '../i18n/index.ts';
import { AdminTabs } from '../views/admin-tabs.tsx';
import { FieldError } from '../views/components.tsx';

interface TokenForm {
  name?: string;
  kind?: string;
  userId?: string;
  role?: string;
  agencyId?: string;
  problems?: Partial<Record<'name' | 'userId' | 'role' | 'agencyId', string>>;
}

async function TokensPage({
  c,
  form = {},
  created,
}: {
  c: Context<AppEnv>;
  form?: TokenForm;
  created?: string;
}) {
  const { t, locale, csrfToken } = c.var;
  const { db, config } = c.var.deps;
  const [tokens, users, agencies] = await Promise.all([
    db
      .selectFrom('api_token as k')
      .leftJoin('app_user as u', 'u.id', 'k.user_id')
      .leftJoin('agency as a', 'a.id', 'k.agency_id')
      .select([
        'k.id',
        'k.name',
        'k.token_prefix',
        'k.role',
        'k.created_at',
        'k.last_used_at',
        'k.revoked_at',
        'u.login',
        'a.code as agency_code',
      ])
      .orderBy('k.revoked_at', (ob) => ob.asc().nullsFirst())
      .orderBy('k.created_at', 'desc')
      .execute(),
    db
      .selectFrom('app_user')
      .select(['id', 'login', 'display_name', 'role'])
      .where('disabled', '=', false)
      .orderBy('login')
      .execute(),
    db.selectFrom('agency').select(['id', 'code', 'short_ru', 'title_ru']).orderBy('code').execute(),
  ]);
  const p = form.problems ?? {};
  const when = (d: Date | null) => (d ? formatDateTime(d, locale, config.timeZone) : '—');
  return (
    <section>
      <h1>{t('tokens.title')}</h1>
      <AdminTabs t={t} current="tokens" />
      <p>{t('tokens.intro')}</p>
      {created && (
        <div class="token-once" role="status">
          <p>
            <strong>{t('tokens.createdOnce')}</strong>
          </p>
          <p>
            <code id="new-token">{created}</code>
          </p>
        </div>
      )}
      <form method="post" action="/admin/tokens" class="token-form">
        <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
        <div class={`field${p.name ? ' has-error' : ''}`}>
          <label for="token-name">{t('tokens.name')}</label>
          <input id="token-name" name="name" type="text" maxlength={100} value={form.name ?? ''} />
          <FieldError id="token-name-error" message={p.name} />
        </div>
        <fieldset>
          <legend>{t('tokens.actsAs')}</legend>
          <label>
            <input type="radio" name="kind" value="user" checked={form.kind !== 'role'} />{' '}
            {t('tokens.kindUser')}
          </label>
          <div class={`field${p.userId ? ' has-error' : ''}`}>
            <label for="token-user">{t('tokens.user')}</label>
            <select id="token-user" name="userId">
              <option value="">—</option>
              {users.map((u) => (
                <option value={String(u.id)} selected={form.userId === String(u.id)}>
                  {u.login} — {u.display_name} ({t(`role.${u.role}`)})
                </option>
              ))}
            </select>
            <FieldError id="token-user-error" message={p.userId} />
          </div>
          <label>
            <input type="radio" name="kind" value="role" checked={form.kind === 'role'} />{' '}
            {t('tokens.kindRole')}
          </label>
          <div class={`field${p.role ? ' has-error' : ''}`}>
            <label for="token-role">{t('tokens.role')}</label>
            <select id="token-role" name="role">
              <option value="">—</option>
              {ROLES.map((r) => (
                <option value={r} selected={form.role === r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
            <FieldError id="token-role-error" message={p.role} />
          </div>
          <div class={`field${p.agencyId ? ' has-error' : ''}`}>
            <label for="token-agency">{t('tokens.agency')}</label>
            <select id="token-agency" name="agencyId">
              <option value="">—</option>
              {agencies.map((a) => (
                <option value={String(a.id)} selected={form.agencyId === String(a.id)}>
                  {a.code} — {a.short_ru ?? a.title_ru}
                </option>
              ))}
            </select>
            <FieldError id="token-agency-error" message={p.agencyId} />
          </div>
        </fieldset>
        <button type="submit">{t('tokens.create')}</button>
      </form>
      <h2>{t('tokens.list')}</h2>
      {tokens.length === 0 ? (
        <p class="muted">{t('tokens.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('tokens.name')}</th>
              <th scope="col">{t('tokens.prefix')}</th>
              <th scope="col">{t('tokens.actsAs')}</th>
              <th scope="col">{t('tokens.created')}</th>
              <th scope="col">{t('tokens.lastUsed')}</th>
              <th scope="col">{t('tokens.state')}</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((k) => (
              <tr>
                <td>{k.name}</td>
                <td>
                  <code>{k.token_prefix}…</code>
                </td>
                <td>{k.login ?? `${t(`role.${k.role!}`)}${k.agency_code ? ` · ${k.agency_code}` : ''}`}</td>
                <td>{when(k.created_at)}</td>
                <td>{when(k.last_used_at)}</td>
                <td>
                  {k.revoked_at ? (
                    t('tokens.revokedAt', { at: when(k.revoked_at) })
                  ) : (
                    <form method="post" action={`/admin/tokens/${k.id}/revoke`} class="inline">
                      <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
                      <button type="submit" class="secondary">
                        {t('tokens.revoke')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Admin page for integration tokens: create (shown once), list, revoke. */
export function apiTokenRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('admin'));

  app.get('/tokens', (c) =>
    c.render(<TokensPage c={c} />, { title: c.var.t('tokens.title'), section: 'admin' }),
  );

  app.post('/tokens', async (c) => {
    const { t } = c.var;
    const { db } = c.var.deps;
    const body = await c.req.parseBody();
    const form: TokenForm = {
      name: str(body.name),
      kind: str(body.kind) === 'role' ? 'role' : 'user',
      userId: str(body.userId),
      role: str(body.role),
      agencyId: str(body.agencyId),
      problems: {},
    };
    const p = form.problems!;
    if (!form.name) p.name = t('error.field.required');
    else if (form.name.length > 100) p.name = t('error.field.tooLong', { max: 100 });
    let subject: TokenSubject | null = null;
    const num = (v: string | undefined) => (/^\d{1,9}$/.test(v ?? '') ? Number(v) : 0);
    if (form.kind === 'user') {
      const u = await db
        .selectFrom('app_user')
        .select('id')
        .where('id', '=', num(form.userId))
        .where('disabled', '=', false)
        .executeTakeFirst();
      if (!u) p.userId = t('error.field.required');
      else subject = { userId: u.id };
    } else if (!(ROLES as readonly string[]).includes(form.role ?? '')) {
      p.role = t('error.field.required');
    } else {
      const role = form.role as Role;
      let agencyId: number | null = null;
      if (isAgencyRole(role)) {
        const a = await db
          .selectFrom('agency')
          .select('id')
          .where('id', '=', num(form.agencyId))
          .executeTakeFirst();
        if (!a) p.agencyId = t('tokens.agencyRequired');
        else agencyId = a.id;
      }
      subject = { role, agencyId };
    }
    if (Object.keys(p).length > 0 || !subject) {
      c.status(422);
      return c.render(<TokensPage c={c} form={form} />, { title: t('tokens.title'), section: 'admin' });
    }
    const { token } = await createApiToken(db, { name: form.name!, subject, createdBy: currentUser(c).id });
    // Rendered, never redirected: the only copy of the token must not end up in a URL or a cache.
    c.header('Cache-Control', 'no-store');
    return c.render(<TokensPage c={c} created={token} />, { title: t('tokens.title'), section: 'admin' });
  });

  app.post('/tokens/:id/revoke', async (c) => {
    const id = idParam(c);
    const r = await c.var.deps.db
      .updateTable('api_token')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const exists = await c.var.deps.db
        .selectFrom('api_token')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!exists) throw new ShtabError('not_found', `token ${id} not found`, { key: 'error.notFound' });
    }
    return c.redirect('/admin/tokens', 303);
  });

  return app;
}
