import { UserText } from './components.tsx';
import type { Context } from 'hono';
import type { AccountDetail } from '../../db/read-models/index.ts';
import type { AppEnv } from '../env.ts';
import { formatDateTime } from '../i18n/index.ts';

/** The label of a way of signing in (the provider by its configured name). */
export function signInMethodLabel(c: Context<AppEnv>, via: string | null): string {
  if (via === 'oidc')
    return c.var.t('account.via.oidc', { name: c.var.deps.auth?.oidc?.displayName ?? 'OpenID' });
  return c.var.t(via ? `account.via.${via}` : 'account.never');
}

/** Who the account is and how it signs in: the facts both the person and the admin read. */
export function SignInFacts({ c, account: a }: { c: Context<AppEnv>; account: AccountDetail['account'] }) {
  const { t, locale } = c.var;
  const when = (d: Date) => formatDateTime(d, locale, c.var.deps.config.timeZone);
  const locked = a.locked_until && a.locked_until > new Date();
  return (
    <dl class="facts">
      <dt>{t('account.login')}</dt>
      <dd>
        <code>{a.login}</code>
      </dd>
      <dt>{t('account.name')}</dt>
      <dd>
        <UserText text={a.display_name} />
      </dd>
      <dt>{t('account.role')}</dt>
      <dd>
        {t(`role.${a.role}`)}
        {a.agency_title &&
          ` · ${c.var.locale === 'en' ? (a.agency_short_en ?? a.agency_title_en ?? a.agency_title) : (a.agency_short ?? a.agency_title)}`}
      </dd>
      <dt>{t('account.method')}</dt>
      <dd>{signInMethodLabel(c, a.auth_source)}</dd>
      <dt>{t('account.lastSignIn')}</dt>
      <dd id="last-sign-in">
        {a.last_sign_in_at
          ? t('account.lastSignInValue', {
              at: when(a.last_sign_in_at),
              via: signInMethodLabel(c, a.last_sign_in_via),
            })
          : t('account.never')}
      </dd>
      {a.disabled && (
        <>
          <dt>{t('account.state')}</dt>
          <dd class="alert-text">{t('account.disabled')}</dd>
        </>
      )}
      {locked && (
        <>
          <dt>{t('account.state')}</dt>
          <dd class="alert-text" id="locked-until">
            {t('account.lockedUntil', { at: when(a.locked_until!), n: a.failed_count ?? 0 })}
          </dd>
        </>
      )}
    </dl>
  );
}
