import { Hono, type Context } from 'hono';
import { ROLES } from '../../domain/roles.ts';
import { z } from 'zod';
import { createApiToken, revokeApiToken, tokenSubject } from '../../app/api-tokens/index.ts';
import { agencyList, apiTokenList, tokenUserChoices } from '../../db/read-models/index.ts';
import { requireRole } from '../auth/index.ts';
import { currentUser, idParam } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { flash } from '../flash.ts';
import { checkForm, formSchema, readForm, text } from '../forms.ts';
import { formatDateTime } from '../i18n/index.ts';
import { AdminTabs } from '../views/admin-tabs.tsx';
import {
  ErrorSummary,
  formView,
  RadiosField,
  SelectField,
  TextField,
  translateIssues,
  type FormView,
} from '../views/form.tsx';
import { agencyShort } from '../views/item-columns.tsx';
import { DataTable } from '../views/table.tsx';
import { ruOf } from '../views/components.tsx';

async function TokensPage({
  c,
  f = formView('token'),
  created,
}: {
  c: Context<AppEnv>;
  f?: FormView;
  created?: string;
}) {
  const { t, locale, csrfToken } = c.var;
  const { db, config } = c.var.deps;
  const [tokens, users, agencies] = await Promise.all([
    apiTokenList(db),
    tokenUserChoices(db),
    agencyList(db),
  ]);
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
      <ErrorSummary f={f} t={t} />
      <form method="post" action="/admin/tokens" class="token-form">
        <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
        <TextField f={f} t={t} name="name" label={t('tokens.name')} maxlength={100} />
        <fieldset>
          <legend>{t('tokens.actsAs')}</legend>
          <RadiosField
            f={f}
            t={t}
            name="kind"
            label={t('tokens.actsAs')}
            hideLabel
            value="user"
            options={[
              { value: 'user', label: t('tokens.kindUser') },
              { value: 'role', label: t('tokens.kindRole') },
            ]}
          />
          <SelectField
            f={f}
            t={t}
            name="userId"
            label={t('tokens.user')}
            empty="—"
            options={users.map((u) => ({
              value: String(u.id),
              label: `${u.login} — ${u.display_name} (${t(`role.${u.role}`)})`,
              lang: ruOf(u.display_name),
            }))}
          />
          <SelectField
            f={f}
            t={t}
            name="role"
            label={t('tokens.role')}
            empty="—"
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
          <SelectField
            f={f}
            t={t}
            name="agencyId"
            label={t('tokens.agency')}
            empty="—"
            options={agencies.map((a) => ({
              value: String(a.id),
              label: `${a.code} — ${agencyShort(locale, a)}`,
            }))}
          />
        </fieldset>
        <button type="submit">{t('tokens.create')}</button>
      </form>
      <h2>{t('tokens.list')}</h2>
      <DataTable
        rows={tokens}
        empty={<p class="muted">{t('tokens.none')}</p>}
        columns={[
          { label: t('tokens.name'), wide: true, cell: (k) => k.name },
          { label: t('tokens.prefix'), cell: (k) => <code>{k.token_prefix}…</code> },
          {
            label: t('tokens.actsAs'),
            cell: (k) => k.login ?? `${t(`role.${k.role!}`)}${k.agency_code ? ` · ${k.agency_code}` : ''}`,
          },
          { label: t('tokens.created'), cell: (k) => when(k.created_at) },
          { label: t('tokens.lastUsed'), cell: (k) => when(k.last_used_at) },
          {
            label: t('tokens.state'),
            cell: (k) =>
              k.revoked_at ? (
                t('tokens.revokedAt', { at: when(k.revoked_at) })
              ) : (
                <form method="post" action={`/admin/tokens/${k.id}/revoke`} class="inline">
                  <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
                  <button type="submit" class="secondary">
                    {t('tokens.revoke')}
                    <span class="sr-only"> {k.name}</span>
                  </button>
                </form>
              ),
          },
        ]}
      />
    </section>
  );
}

const idOrNull = (v: string) => (/^\d{1,9}$/.test(v) ? Number(v) : null);
/** Who the token acts as: read whatever else is wrong with the form (its problems are listed together). */
const subject = {
  kind: text().transform((v) => (v === 'role' ? ('role' as const) : ('user' as const))),
  userId: text().transform(idOrNull),
  role: text(),
  agencyId: text().transform(idOrNull),
};
const subjectForm = formSchema(subject);
const tokenForm = formSchema({
  name: text().pipe(
    z.string().trim().min(1, { error: 'error.field.required' }).max(100, { error: 'error.field.tooLong' }),
  ),
  ...subject,
});

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
    const who = await tokenSubject(db, subjectForm.parse(values));
    const problems = [...(parsed.ok ? [] : parsed.issues), ...(who.ok ? [] : who.problems)];
    if (!parsed.ok || !who.ok) {
      c.status(422);
      const f = formView('token', { values, issues: translateIssues(t, problems) });
      return c.render(<TokensPage c={c} f={f} />, { title: t('tokens.title'), section: 'admin' });
    }
    const { token } = await createApiToken(db, {
      name: parsed.value.name,
      subject: who.subject,
      createdBy: currentUser(c).id,
    });
    // Rendered, never redirected: the only copy of the token must not end up in a URL or a cache.
    c.header('Cache-Control', 'no-store');
    flash(c, 'flash.token.created');
    return c.render(<TokensPage c={c} created={token} />, { title: t('tokens.title'), section: 'admin' });
  });

  app.post('/tokens/:id/revoke', async (c) => {
    await revokeApiToken(c.var.deps.db, idParam(c));
    flash(c, 'flash.token.revoked');
    return c.redirect('/admin/tokens', 303);
  });

  return app;
}
