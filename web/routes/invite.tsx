import { Hono, type Context } from 'hono';
import { inviteState, redeemInvite, type PasswordProblems } from '../../app/auth/index.ts';
import { authDeps, openSession } from '../auth/open-session.ts';
import type { AppEnv } from '../env.ts';
import { flash } from '../flash.ts';
import { formSchema, parseForm, readForm, secret } from '../forms.ts';
import { ErrorSummary } from '../views/form.tsx';
import { NewPasswordFields, passwordForm } from '../views/password-fields.tsx';

const newPassword = formSchema({ password: secret(), repeat: secret() });

// An invitation link (app/auth/accounts.ts): the person chooses a password and is signed in. The link
// works once; the page is never stored (the token is in its address).

const GONE: Record<'unknown' | 'used' | 'expired', [404 | 410, string]> = {
  unknown: [404, 'invite.unknown'],
  used: [410, 'invite.used'],
  expired: [410, 'invite.expired'],
};

function gone(c: Context<AppEnv>, reason: keyof typeof GONE) {
  const [status, key] = GONE[reason];
  c.status(status);
  return c.render(
    <section class="card narrow">
      <h1>{c.var.t('invite.title')}</h1>
      <p class="alert" role="alert">
        {c.var.t(key)}
      </p>
      <p>
        <a href="/login">{c.var.t('invite.toLogin')}</a>
      </p>
    </section>,
    { title: c.var.t('invite.title') },
  );
}

function form(
  c: Context<AppEnv>,
  o: { token: string; login: string; name: string; problems?: PasswordProblems },
) {
  const t = c.var.t;
  const f = passwordForm('pw', t, o.problems);
  return c.render(
    <section class="card narrow">
      <h1>{t('invite.title')}</h1>
      <p>{t('invite.intro', { name: o.name, login: o.login })}</p>
      <form method="post" action={`/invite/${o.token}`} class="narrow-form">
        <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
        {/* For password managers: the account the new password belongs to. */}
        <input type="hidden" name="username" autocomplete="username" value={o.login} />
        <ErrorSummary f={f} t={t} />
        <NewPasswordFields f={f} t={t} />
        <button type="submit">{t('invite.submit')}</button>
      </form>
    </section>,
    { title: t('invite.title') },
  );
}

export function inviteRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/invite/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.get('/invite/:token', async (c) => {
    const token = c.req.param('token');
    const state = await inviteState(c.var.deps, token);
    if (!state.ok) return gone(c, state.reason);
    return form(c, { token, login: state.login, name: state.displayName });
  });

  app.post('/invite/:token', async (c) => {
    const token = c.req.param('token');
    const posted = parseForm((await readForm(c)).values, newPassword);
    const result = await redeemInvite(authDeps(c), { token, ...posted });
    if (result.ok) {
      await openSession(c, result.userId, { via: 'local' });
      flash(c, 'flash.account.welcome');
      return c.redirect('/', 303);
    }
    if ('reason' in result) return gone(c, result.reason);
    const state = await inviteState(c.var.deps, token);
    if (!state.ok) return gone(c, state.reason);
    c.status(422);
    return form(c, { token, login: state.login, name: state.displayName, problems: result.problems });
  });

  return app;
}
