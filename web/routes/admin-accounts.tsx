import { Hono, type Context } from 'hono';
import { createInvite, revokeSessions, setSignInMethod, unlockAccount } from '../../app/auth/index.ts';
import { accountDetail, accountList } from '../../db/read-models/index.ts';
import type { AuthSource } from '../../db/schema/index.ts';
import { notFound } from '../../domain/errors.ts';
import { authDeps } from '../auth/open-session.ts';
import { requireRole } from '../auth/index.ts';
import { actorOf, currentUser, idParam } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { flash } from '../flash.ts';
import { checkForm, choice, formSchema, readForm } from '../forms.ts';
import { formatDateTime } from '../i18n/index.ts';
import { signInMethodLabel, SignInFacts } from '../views/account-facts.tsx';
import { AdminTabs } from '../views/admin-tabs.tsx';
import { ErrorSummary, formView, RadiosField, translateIssues, type FormView } from '../views/form.tsx';
import { DataTable } from '../views/table.tsx';

// The admin's account pages: every person with how they sign in, their last sign-in and lock; one person's
// page to unlock, end sessions, issue an invitation link (shown once) and choose the sign-in method.
// Creating and editing people is the people pages' (issue 15 item 1).

const METHODS = ['local', 'ldap', 'oidc'] as const satisfies readonly AuthSource[];
const methodForm = formSchema({ method: choice(METHODS, 'error.account.method') });

async function ListPage({ c }: { c: Context<AppEnv> }) {
  const { t, locale } = c.var;
  const rows = await accountList(c.var.deps.db);
  const now = new Date();
  const when = (d: Date | null) =>
    d ? formatDateTime(d, locale, c.var.deps.config.timeZone) : t('account.never');
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <AdminTabs t={t} current="accounts" />
      <h2>{t('admin.accounts.title')}</h2>
      <DataTable
        rows={rows}
        class="accounts"
        empty={<p class="muted">{t('items.empty')}</p>}
        columns={[
          { label: t('account.login'), cell: (r) => <a href={`/admin/accounts/${r.id}`}>{r.login}</a> },
          { label: t('account.name'), wide: true, cell: (r) => r.display_name },
          {
            label: t('account.role'),
            cell: (r) => (
              <>
                {t(`role.${r.role}`)}
                {r.agency_code && <span class="muted"> · {r.agency_short ?? r.agency_code}</span>}
              </>
            ),
          },
          { label: t('account.method'), cell: (r) => signInMethodLabel(c, r.auth_source) },
          { label: t('account.lastSignIn'), cell: (r) => when(r.last_sign_in_at) },
          {
            label: t('account.state'),
            cell: (r) =>
              r.disabled
                ? t('account.disabled')
                : r.locked_until && r.locked_until > now
                  ? t('account.locked')
                  : t('account.sessionsN', { n: r.sessions }),
          },
        ]}
      />
    </section>
  );
}

async function PersonPage({
  c,
  id,
  invite,
  method = formView('method'),
}: {
  c: Context<AppEnv>;
  id: number;
  invite?: { url: string; expiresAt: Date; emailedTo: string | null };
  method?: FormView;
}) {
  const { t, locale, csrfToken } = c.var;
  const detail = await accountDetail(c.var.deps.db, id);
  if (!detail) throw notFound('error.account.notFound', `account ${id} not found`);
  const { account: a, sessions, events } = detail;
  const when = (d: Date) => formatDateTime(d, locale, c.var.deps.config.timeZone);
  const locked = a.locked_until && a.locked_until > new Date();
  const csrf = <input type="hidden" name="_csrf" value={csrfToken ?? ''} />;
  return (
    <section>
      <h1>{a.display_name}</h1>
      <AdminTabs t={t} current="accounts" />
      <p>
        <a href="/admin/accounts">{t('admin.accounts.back')}</a>
      </p>
      {invite && (
        <div class="token-once" role="status">
          <p>
            <strong>{t('admin.invite.once', { at: when(invite.expiresAt) })}</strong>
          </p>
          <p>
            <code id="invite-link">{invite.url}</code>
          </p>
          <p>
            {invite.emailedTo
              ? t('admin.invite.emailed', { email: invite.emailedTo })
              : t('admin.invite.handOver')}
          </p>
        </div>
      )}
      <SignInFacts c={c} account={a} />
      <div class="account-actions">
        {locked && (
          <form method="post" action={`/admin/accounts/${a.id}/unlock`}>
            {csrf}
            <button type="submit">{t('admin.unlock')}</button>
          </form>
        )}
        <form method="post" action={`/admin/accounts/${a.id}/sessions/revoke`}>
          {csrf}
          <button type="submit" class="secondary" disabled={sessions.length === 0}>
            {t('admin.revokeSessions', { n: sessions.length })}
          </button>
        </form>
        {a.auth_source === 'local' && !a.disabled && (
          <form method="post" action={`/admin/accounts/${a.id}/invite`}>
            {csrf}
            <button type="submit" class="secondary">
              {detail.invite ? t('admin.invite.again') : t('admin.invite.create')}
            </button>
            {detail.invite && (
              <p class="hint">{t('admin.invite.pending', { at: when(detail.invite.expires_at) })}</p>
            )}
          </form>
        )}
      </div>
      <form method="post" action={`/admin/accounts/${a.id}/sign-in-method`} class="stacked narrow-form">
        <ErrorSummary f={method} t={t} />
        {csrf}
        <RadiosField
          f={method}
          t={t}
          name="method"
          label={t('account.method')}
          hint={t('admin.method.hint')}
          value={a.auth_source}
          options={METHODS.map((m) => ({ value: m, label: signInMethodLabel(c, m) }))}
        />
        <button type="submit" class="secondary">
          {t('admin.method.save')}
        </button>
      </form>
      <h2>{t('admin.accounts.history')}</h2>
      {events.length === 0 ? (
        <p class="muted">{t('admin.accounts.noHistory')}</p>
      ) : (
        <ul class="history">
          {events.map((e) => (
            <li>
              {when(e.at)} — {t(`audit.${e.type}`)}
              {e.actor_name && <span class="muted"> · {e.actor_name}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function adminAccountRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('admin'));
  const title = (c: Context<AppEnv>) => ({
    title: c.var.t('admin.accounts.title'),
    section: 'admin' as const,
  });
  // After an action: back to the person's page, which shows what was done (PRG).
  const done = (c: Context<AppEnv>, id: number, key: string, params?: Record<string, number>) => {
    flash(c, key, params);
    return c.redirect(`/admin/accounts/${id}`, 303);
  };

  app.get('/accounts', (c) => c.render(<ListPage c={c} />, title(c)));
  app.get('/accounts/:id', (c) => c.render(<PersonPage c={c} id={idParam(c)} />, title(c)));

  app.post('/accounts/:id/unlock', async (c) => {
    const id = idParam(c);
    await unlockAccount(authDeps(c), actorOf(currentUser(c)), id);
    return done(c, id, 'flash.admin.unlocked');
  });

  app.post('/accounts/:id/sessions/revoke', async (c) => {
    const id = idParam(c);
    const n = await revokeSessions(authDeps(c), actorOf(currentUser(c)), id);
    return done(c, id, 'flash.admin.sessionsRevoked', { n });
  });

  app.post('/accounts/:id/invite', async (c) => {
    const id = idParam(c);
    const me = currentUser(c);
    const invite = await createInvite(authDeps(c), {
      actor: actorOf(me),
      actorName: me.displayName,
      userId: id,
      publicUrl: c.var.deps.config.publicUrl,
      mailEnabled: c.var.deps.config.mailEnabled ?? false,
    });
    // Rendered, never redirected: the only copy of the link must not end up in a URL or a cache.
    c.header('Cache-Control', 'no-store');
    flash(c, 'flash.admin.invited');
    return c.render(<PersonPage c={c} id={id} invite={invite} />, title(c));
  });

  app.post('/accounts/:id/sign-in-method', async (c) => {
    const id = idParam(c);
    const { values } = await readForm(c);
    const r = checkForm(values, methodForm);
    if (!r.ok) {
      c.status(422);
      const method = formView('method', { values, issues: translateIssues(c.var.t, r.issues) });
      return c.render(<PersonPage c={c} id={id} method={method} />, title(c));
    }
    await setSignInMethod(authDeps(c), actorOf(currentUser(c)), id, r.value.method);
    return done(c, id, 'flash.admin.methodSaved');
  });

  return app;
}
