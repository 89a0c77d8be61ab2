import { Hono, type Context } from 'hono';
import { changeOwnPassword, type PasswordProblems } from '../../app/auth/index.ts';
import { accountDetail } from '../../db/read-models/index.ts';
import { notFound } from '../../domain/errors.ts';
import { authDeps } from '../auth/open-session.ts';
import { currentUser } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDateTime } from '../i18n/index.ts';
import { flash } from '../flash.ts';
import { formSchema, parseForm, readForm, secret } from '../forms.ts';
import { ErrorSummary, TextField } from '../views/form.tsx';
import { NewPasswordFields, passwordForm } from '../views/password-fields.tsx';

const passwordChange = formSchema({ current: secret(), password: secret(), repeat: secret() });
import { SignInFacts } from '../views/account-facts.tsx';

// A person's own account: how they sign in, when they last did, and (local accounts) a new password.

async function AccountPage({ c, problems }: { c: Context<AppEnv>; problems?: PasswordProblems }) {
  const { t, locale } = c.var;
  const detail = await accountDetail(c.var.deps.db, currentUser(c).id);
  if (!detail) throw notFound('error.account.notFound', 'account not found');
  const a = detail.account;
  const f = passwordForm('pw', t, problems);
  return (
    <section>
      <h1>{t('account.title')}</h1>
      <SignInFacts c={c} account={a} />
      {a.auth_source === 'local' ? (
        <form method="post" action="/account/password" class="stacked narrow-form">
          <h2>{t('account.changePassword')}</h2>
          <ErrorSummary f={f} t={t} />
          <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
          <input type="hidden" name="username" autocomplete="username" value={a.login} />
          <TextField
            f={f}
            t={t}
            name="current"
            type="password"
            label={t('account.currentPassword')}
            autocomplete="current-password"
            required
          />
          <NewPasswordFields f={f} t={t} />
          <p class="hint">{t('account.otherSessionsEnd')}</p>
          <button type="submit">{t('account.changePassword')}</button>
        </form>
      ) : (
        <p class="muted">{t('account.directoryPassword')}</p>
      )}
      {detail.sessions.length > 0 && (
        <p class="muted">
          {t('account.openSessions', {
            n: detail.sessions.length,
            last: formatDateTime(detail.sessions[0]!.last_seen_at, locale, c.var.deps.config.timeZone),
          })}
        </p>
      )}
    </section>
  );
}

export function accountRoutes() {
  const app = new Hono<AppEnv>();
  const title = (c: Context<AppEnv>) => ({ title: c.var.t('account.title') });

  app.get('/', (c) => c.render(<AccountPage c={c} />, title(c)));

  app.post('/password', async (c) => {
    const form = parseForm((await readForm(c)).values, passwordChange);
    const result = await changeOwnPassword(authDeps(c), {
      userId: currentUser(c).id,
      keepSessionId: c.var.sessionId,
      ...form,
    });
    if (!result.ok) {
      c.status(422);
      return c.render(<AccountPage c={c} problems={result.problems} />, title(c));
    }
    flash(c, 'flash.account.passwordChanged', { sessions: result.endedSessions });
    return c.redirect('/account', 303);
  });

  return app;
}
