import { Hono, type Context } from 'hono';
import { createInvite, revokeSessions, setSignInMethod, unlockAccount } from '../../app/auth/index.ts';
import { createPerson, setPersonDisabled, updatePerson } from '../../app/reference/index.ts';
import {
  accountDetail,
  accountList,
  activeAgencies,
  personForm,
  subjectHistory,
} from '../../db/read-models/index.ts';
import type { AuthSource } from '../../db/schema/index.ts';
import { notFound, type FieldIssue } from '../../domain/errors.ts';
import type { AuthSourceInput, PersonInput } from '../../domain/reference/index.ts';
import { ROLES, type Role } from '../../domain/roles.ts';
import { authDeps } from '../auth/open-session.ts';
import { requireRole } from '../auth/index.ts';
import { actorOf, currentUser, idParam } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { flash } from '../flash.ts';
import { checkForm, choice, fieldValue, formSchema, readForm, type FormValues } from '../forms.ts';
import { formatDateTime } from '../i18n/index.ts';
import { signInMethodLabel, SignInFacts } from '../views/account-facts.tsx';
import { History } from '../views/admin-form.tsx';
import { AdminTabs } from '../views/admin-tabs.tsx';
import { ErrorSummary, formView, RadiosField, translateIssues, type FormView } from '../views/form.tsx';
import { PersonForm } from '../views/person-form.tsx';
import { Csrf } from '../views/service-views.tsx';
import { DataTable } from '../views/table.tsx';
import { LocalText, UserText } from '../views/components.tsx';
import { agencyShort } from '../views/item-columns.tsx';

// The admin's people and account pages: every person with their role, agency, how they sign in, their
// last sign-in and lock; creating a person (with how they sign in); one person's page to edit their
// details, disable or enable them, unlock, end sessions, issue an invitation link (shown once) and
// choose the sign-in method.

const METHODS = ['local', 'ldap', 'oidc'] as const satisfies readonly AuthSource[];
const methodForm = formSchema({ method: choice(METHODS, 'error.account.method') });

const personValues = (u: NonNullable<Awaited<ReturnType<typeof personForm>>>): FormValues => ({
  displayName: u.display_name,
  email: u.email ?? '',
  role: u.role,
  agencyId: u.agency_id === null ? '' : String(u.agency_id),
  position: u.position ?? '',
  locale: u.locale,
});

/** The person form as posted (the app layer checks it). */
function personInput(v: FormValues): PersonInput {
  const role = fieldValue(v, 'role');
  const agency = fieldValue(v, 'agencyId');
  const locale = fieldValue(v, 'locale');
  return {
    login: fieldValue(v, 'login'),
    displayName: fieldValue(v, 'displayName'),
    email: fieldValue(v, 'email') || null,
    role: ((ROLES as readonly string[]).includes(role) ? role : '') as Role,
    agencyId: /^\d{1,9}$/.test(agency) ? Number(agency) : null,
    position: fieldValue(v, 'position') || null,
    locale: (locale === 'en' ? 'en' : locale === 'ru' || locale === '' ? 'ru' : locale) as 'ru' | 'en',
    authSource: (fieldValue(v, 'authSource') || 'local') as AuthSourceInput,
  };
}

async function NewPersonPage({
  c,
  values,
  problems,
}: {
  c: Context<AppEnv>;
  values: FormValues;
  problems?: FieldIssue[];
}) {
  const { t } = c.var;
  const agencies = await activeAgencies(c.var.deps.db);
  return (
    <section>
      <h1>{t('admin.person.new')}</h1>
      <AdminTabs t={t} current="accounts" role={currentUser(c).role} />
      <p>
        <a href="/admin/accounts">{t('admin.accounts.back')}</a>
      </p>
      <PersonForm
        c={c}
        action="/admin/accounts"
        values={values}
        problems={problems}
        agencies={agencies}
        creating={true}
        submit={t('admin.create')}
      />
    </section>
  );
}

async function ListPage({ c }: { c: Context<AppEnv> }) {
  const { t, locale } = c.var;
  const rows = await accountList(c.var.deps.db);
  const now = new Date();
  const when = (d: Date | null) =>
    d ? formatDateTime(d, locale, c.var.deps.config.timeZone) : t('account.never');
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <AdminTabs t={t} current="accounts" role={currentUser(c).role} />
      <h2>{t('admin.accounts.title')}</h2>
      <p>
        <a href="/admin/accounts/new" class="button">
          {t('admin.person.new')}
        </a>{' '}
        <a href="/admin/onboarding">{t('admin.person.fromFile')}</a>
      </p>
      <DataTable
        rows={rows}
        class="accounts"
        empty={<p class="muted">{t('items.empty')}</p>}
        columns={[
          { label: t('account.login'), cell: (r) => <a href={`/admin/accounts/${r.id}`}>{r.login}</a> },
          {
            label: t('account.name'),
            wide: true,
            cell: (r) => (
              <>
                <UserText text={r.display_name} />
                {r.position && (
                  <span class="muted">
                    {' · '}
                    <LocalText locale={locale} ru={r.position} en={r.position_en} />
                  </span>
                )}
              </>
            ),
          },
          {
            label: t('account.role'),
            cell: (r) => (
              <>
                {t(`role.${r.role}`)}
                {r.agency_code && (
                  <span class="muted">
                    {' · '}
                    {agencyShort(locale, {
                      short_ru: r.agency_short,
                      short_en: r.agency_short_en,
                      code: r.agency_code,
                    })}
                  </span>
                )}
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
  values,
  problems,
}: {
  c: Context<AppEnv>;
  id: number;
  invite?: { url: string; expiresAt: Date; emailedTo: string | null };
  method?: FormView;
  values?: FormValues;
  problems?: FieldIssue[];
}) {
  const { t, locale, csrfToken } = c.var;
  const db = c.var.deps.db;
  const [detail, form, agencies, history] = await Promise.all([
    accountDetail(db, id),
    personForm(db, id),
    activeAgencies(db),
    subjectHistory(db, 'person', id),
  ]);
  if (!detail || !form) throw notFound('error.account.notFound', `account ${id} not found`);
  const { account: a, sessions, events } = detail;
  const when = (d: Date) => formatDateTime(d, locale, c.var.deps.config.timeZone);
  const locked = a.locked_until && a.locked_until > new Date();
  const csrf = <input type="hidden" name="_csrf" value={csrfToken ?? ''} />;
  return (
    <section>
      <h1>
        <UserText text={a.display_name} />
      </h1>
      <AdminTabs t={t} current="accounts" role={currentUser(c).role} />
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
      <h2>{t('admin.person.details')}</h2>
      <PersonForm
        c={c}
        action={`/admin/accounts/${a.id}/details`}
        values={values ?? personValues(form)}
        problems={problems}
        agencies={agencies}
        creating={false}
        submit={t('admin.save')}
      />
      <div class="account-actions">
        <form method="post" action={`/admin/accounts/${a.id}/${a.disabled ? 'enable' : 'disable'}`}>
          <Csrf c={c} />
          <button type="submit" class={a.disabled ? 'secondary' : 'danger'}>
            {a.disabled ? t('admin.person.enable') : t('admin.person.disable')}
          </button>
        </form>
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
      <History
        t={t}
        locale={locale}
        timeZone={c.var.deps.config.timeZone}
        events={history}
        subject={['person', a.id]}
      />
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
  app.use('/accounts/*', requireRole('admin'));
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
  app.get('/accounts/new', (c) =>
    c.render(
      <NewPersonPage c={c} values={{ role: 'agency_executor', locale: 'ru', authSource: 'local' }} />,
      title(c),
    ),
  );
  app.post('/accounts', async (c) => {
    const { values } = await readForm(c);
    const r = await createPerson(c.var.deps.db, actorOf(currentUser(c)), personInput(values));
    if (!r.ok) {
      c.status(422);
      return c.render(<NewPersonPage c={c} values={values} problems={r.problems} />, title(c));
    }
    return done(c, r.id, 'flash.admin.saved');
  });
  app.get('/accounts/:id', (c) => c.render(<PersonPage c={c} id={idParam(c)} />, title(c)));
  app.post('/accounts/:id/details', async (c) => {
    const id = idParam(c);
    const { values } = await readForm(c);
    const { login: _login, authSource: _source, ...details } = personInput(values);
    const r = await updatePerson(c.var.deps.db, actorOf(currentUser(c)), id, details);
    if (!r.ok) {
      c.status(422);
      return c.render(<PersonPage c={c} id={id} values={values} problems={r.problems} />, title(c));
    }
    return done(c, id, 'flash.admin.saved');
  });
  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const)
    app.post(`/accounts/:id/${path}`, async (c) => {
      const id = idParam(c);
      await setPersonDisabled(c.var.deps.db, actorOf(currentUser(c)), id, disabled);
      return done(c, id, 'flash.admin.saved');
    });

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
