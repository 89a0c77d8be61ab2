import { Hono, type Context } from 'hono';
import { ROLES } from '../../domain/roles.ts';
import { z } from 'zod';
import { createApiToken, revokeApiToken, tokenSubject } from '../../app/api-tokens/index.ts';
import { requireRole } from '../auth/index.ts';
import { currentUser, idParam } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { checkForm, fieldValue, readForm, text } from '../forms.ts';
import { formatDateTime } from '../i18n/index.ts';
import { AdminTabs } from '../views/admin-tabs.tsx';
import { FieldError } from '../views/components.tsx';

interface TokenForm {
  name?: string;
  kind?: string;
  userId?: string;
  role?: string;
  agencyId?: string;
  problems?: Partial<Record<string, string>>;
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

const tokenForm = z.object({
  name: text().pipe(
    z.string().trim().min(1, { error: 'error.field.required' }).max(100, { error: 'error.field.tooLong' }),
  ),
  kind: text().transform((v) => (v === 'role' ? ('role' as const) : ('user' as const))),
  userId: text(),
  role: text(),
  agencyId: text(),
});
const idOrNull = (v: string) => (/^\d{1,9}$/.test(v) ? Number(v) : null);

/** Admin page for integration tokens: create (shown once), list, revoke. */
export function apiTokenRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/tokens/*', requireRole('admin'));

  app.get('/tokens', (c) =>
    c.render(<TokensPage c={c} />, { title: c.var.t('tokens.title'), section: 'admin' }),
  );

  app.post('/tokens', async (c) => {
    const { t } = c.var;
    const { db } = c.var.deps;
    const { values } = await readForm(c);
    const parsed = checkForm(values, tokenForm);
    const f = {
      kind: fieldValue(values, 'kind') === 'role' ? ('role' as const) : ('user' as const),
      userId: idOrNull(fieldValue(values, 'userId')),
      role: fieldValue(values, 'role'),
      agencyId: idOrNull(fieldValue(values, 'agencyId')),
    };
    const who = await tokenSubject(db, f);
    const problems = [...(parsed.ok ? [] : parsed.issues), ...(who.ok ? [] : who.problems)];
    if (!parsed.ok || !who.ok) {
      const form: TokenForm = {
        name: fieldValue(values, 'name').trim(),
        kind: f.kind,
        userId: fieldValue(values, 'userId'),
        role: f.role,
        agencyId: fieldValue(values, 'agencyId'),
        problems: Object.fromEntries(problems.map((p) => [p.field, t(p.key, p.params)])),
      };
      c.status(422);
      return c.render(<TokensPage c={c} form={form} />, { title: t('tokens.title'), section: 'admin' });
    }
    const { token } = await createApiToken(db, {
      name: parsed.value.name,
      subject: who.subject,
      createdBy: currentUser(c).id,
    });
    // Rendered, never redirected: the only copy of the token must not end up in a URL or a cache.
    c.header('Cache-Control', 'no-store');
    return c.render(<TokensPage c={c} created={token} />, { title: t('tokens.title'), section: 'admin' });
  });

  app.post('/tokens/:id/revoke', async (c) => {
    await revokeApiToken(c.var.deps.db, idParam(c));
    return c.redirect('/admin/tokens', 303);
  });

  return app;
}
