import type { Translate } from '../i18n/index.ts';
import { ErrorSummary, formView, TextField } from './form.tsx';

export interface LoginFormProps {
  t: Translate;
  csrf: string;
  next: string;
  login?: string;
  /** A refusal (role=alert) or a notice about why the person is here (role=status). */
  error?: string | undefined;
  notice?: string | undefined;
  /** The OpenID provider's name for the second way in; absent when none is configured. */
  providerName?: string | undefined;
  /** An LDAP directory is configured: the form also takes directory logins. */
  directory: boolean;
}

/**
 * One sign-in form for everybody: login and password, checked locally or against the directory by the
 * account (an official does not choose "LDAP"), and a second way in through the OpenID provider.
 */
export function LoginForm(p: LoginFormProps) {
  const { t } = p;
  // A refusal concerns the pair, not one field: it is listed in the summary and linked to the login.
  const f = formView('signin', {
    values: { login: p.login ?? '' },
    issues: p.error ? [{ field: 'login', message: p.error }] : [],
  });
  return (
    <section class="card narrow login">
      <h1>{t('auth.loginTitle')}</h1>
      {p.notice && (
        <p class="notice" role="status" id="login-notice">
          {p.notice}
        </p>
      )}
      <ErrorSummary f={f} t={t} />
      <form method="post" action="/login">
        <input type="hidden" name="_csrf" value={p.csrf} />
        <input type="hidden" name="next" value={p.next} />
        <TextField
          f={f}
          t={t}
          name="login"
          label={t('auth.loginField')}
          hint={p.directory ? t('auth.directoryHint') : undefined}
          autocomplete="username"
          required
          maxlength={100}
        />
        <TextField
          f={f}
          t={t}
          name="password"
          type="password"
          label={t('auth.passwordField')}
          autocomplete="current-password"
          required
        />
        <button type="submit">{t('auth.submit')}</button>
      </form>
      {p.providerName && (
        <div class="sso">
          <p class="or">{t('auth.or')}</p>
          <a class="button" id="sso-login" href={`/auth/oidc/start?next=${encodeURIComponent(p.next)}`}>
            {t('auth.withProvider', { name: p.providerName })}
          </a>
        </div>
      )}
    </section>
  );
}
