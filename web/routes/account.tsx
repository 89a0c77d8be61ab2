import { Hono, type Context } from 'hono';
import { changeOwnPassword, type PasswordProblems } from '../../app/auth/index.ts';
import { accountDetail } from '../../db/read-models/index.ts';
import { notFound } from '../../domain/errors.ts';
import { authDeps } from '../auth/open-session.ts';
import { currentUser } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDateTime } from '../i18n/index.ts';
import { NewPasswordFields, PasswordField } from '../views/password-fields.tsx';
import { SignInFacts } from '../views/account-facts.tsx';

// A person's own account: how they sign in, when they last did, and (local accounts) a new password.

async function AccountPage({
  c,
  problems,
  changed,
}: {
  c: Context<AppEnv>;
  problems?: PasswordProblems;
  changed?: number;
}) {
  const { t, locale } = c.var;
  const detail = await accountDetail(c.var.deps.db, currentUser(c).id);
  if (!detail) throw notFound('error.account.notFound', 'account not found');
  const a = detail.account;
  const p = problems ?? {};
  return (
    <section>
      <h1>{t('account.title')}</h1>
      {changed !== undefined && (
        <p class="notice" role="status">
          {t('account.passwordChanged', { sessions: changed })}
        </p>
      )}
      <SignInFacts c={c} account={a} />
      {a.auth_source === 'local' ? (
        <form method="post" action="/account/password" class="stacked narrow-form">
          <h2>{t('account.changePassword')}</h2>
          <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
          <input type="hidden" name="username" autocomplete="username" value={a.login} />
          <PasswordField
            id="current-password"
            name="current"
            label={t('account.currentPassword')}
            autocomplete="current-password"
            error={p.current && t(p.current)}
          />
          <NewPasswordFields t={t} problems={p} />
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
    const body = await c.req.parseBody();
    const field = (k: string) => String(body[k] ?? '').slice(0, 1024);
    const result = await changeOwnPassword(authDeps(c), {
      userId: currentUser(c).id,
      keepSessionId: c.var.sessionId,
      current: field('current'),
      password: field('password'),
      repeat: field('repeat'),
    });
    if (!result.ok) {
      c.status(422);
      return c.render(<AccountPage c={c} problems={result.problems} />, title(c));
    }
    return c.render(<AccountPage c={c} changed={result.endedSessions} />, title(c));
  });

  return app;
}
