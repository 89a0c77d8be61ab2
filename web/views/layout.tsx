import type { Context } from 'hono';
import type { PropsWithChildren } from 'hono/jsx';
import type { AppEnv } from '../env.ts';
import type { Translate } from '../i18n/index.ts';

export interface PageProps {
  title: string;
  /** Which top-level section is current (for aria-current). */
  section?:
    | 'dashboard'
    | 'items'
    | 'my'
    | 'review'
    | 'agencies'
    | 'life'
    | 'inbox'
    | 'services'
    | 'checkIns'
    | 'imports'
    | 'citizens'
    | 'cases'
    | 'admin';
}

declare module 'hono' {
  interface ContextRenderer {
    (content: string | Promise<string>, props: PageProps): Response | Promise<Response>;
  }
}

/** Unread notifications next to the inbox link; `oob` when an htmx response refreshes it in place. */
export function UnreadBadge({ count, t, oob }: { count: number; t: Translate; oob?: boolean }) {
  return (
    <span id="unread-badge" class="count" {...(oob ? { 'hx-swap-oob': 'true' } : {})}>
      {count > 0 && (
        <>
          {count}
          <span class="sr-only"> {t('inbox.unreadSr')}</span>
        </>
      )}
    </span>
  );
}

/** The page frame: header with navigation and language switch, main landmark, footer. */
export function Layout({ children, title, section }: PropsWithChildren<PageProps>, c: Context<AppEnv>) {
  const { t, locale, user, csrfToken, unread } = c.var;
  const other = locale === 'ru' ? 'en' : 'ru';
  const here = new URL(c.req.url);
  const back = here.pathname + here.search;
  const nav: [NonNullable<PageProps['section']>, string, string][] = [
    ['dashboard', '/', t('nav.dashboard')],
    ['items', '/items', t('nav.items')],
    ['life', '/life-situations', t('nav.lifeSituations')],
    ['agencies', '/agencies', t('nav.agencies')],
    ['services', '/services', t('nav.services')],
    ['checkIns', '/check-ins', t('nav.checkIns')],
    ['citizens', '/citizens', t('nav.citizens')],
    ['cases', '/cases', t('nav.cases')],
    ...(user && (user.role === 'agency_head' || user.role === 'agency_executor')
      ? [['my', '/my', t('nav.myTasks')] as [NonNullable<PageProps['section']>, string, string]]
      : []),
    ...(user && (user.role === 'working_group' || user.role === 'admin')
      ? [['review', '/review', t('nav.review')] as [NonNullable<PageProps['section']>, string, string]]
      : []),
    ...(user && (user.role === 'working_group' || user.role === 'admin')
      ? [['imports', '/imports', t('nav.imports')] as [NonNullable<PageProps['section']>, string, string]]
      : []),
    ...(user?.role === 'admin'
      ? [['admin', '/admin/accounts', t('nav.admin')] as [NonNullable<PageProps['section']>, string, string]]
      : []),
  ];
  // The CSRF token rides on every htmx request through an inherited header (htmx 4 syntax).
  const hxHeaders = csrfToken
    ? { 'hx-headers:inherited': JSON.stringify({ 'X-CSRF-Token': csrfToken }) }
    : {};
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"defaultSwap":"outerHTML"}' />
        <title>{`${title} — ${t('app.name')}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/htmx.min.js" defer></script>
      </head>
      <body {...hxHeaders}>
        <a class="skip" href="#main">
          {t('nav.skip')}
        </a>
        <header class="top">
          <a class="brand" href="/">
            <span class="brand-name">{t('app.name')}</span>
            <span class="brand-tagline">{t('app.tagline')}</span>
          </a>
          {user && (
            <nav aria-label={t('nav.dashboard')}>
              <ul>
                {nav.map(([key, href, label]) => (
                  <li>
                    <a href={href} aria-current={section === key ? 'page' : undefined}>
                      {label}
                    </a>
                  </li>
                ))}
                <li>
                  <a href="/inbox" aria-current={section === 'inbox' ? 'page' : undefined}>
                    {t('nav.inbox')} <UnreadBadge count={unread ?? 0} t={t} />
                  </a>
                </li>
              </ul>
            </nav>
          )}
          <div class="top-tools">
            <a
              href={`/lang/${other}?back=${encodeURIComponent(back)}`}
              lang={other}
              aria-label={t('lang.switchLabel')}
            >
              {t('lang.switch')}
            </a>
            {user && (
              <form method="post" action="/logout" class="inline">
                <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
                <a class="who" href="/account" title={t('account.title')}>
                  {user.displayName} · {t(`role.${user.role}`)}
                </a>{' '}
                <button type="submit" class="link">
                  {t('auth.logout')}
                </button>
              </form>
            )}
          </div>
        </header>
        <main id="main" tabindex={-1}>
          {children}
        </main>
        <footer class="foot">{t('footer.text')}</footer>
      </body>
    </html>
  );
}
