import type { Translate } from '../i18n/index.ts';

const TABS = [
  ['accounts', '/admin/accounts', 'admin.tab.accounts'],
  ['sso', '/admin/sso', 'admin.tab.sso'],
  ['tokens', '/admin/tokens', 'admin.tab.tokens'],
] as const;

/** The admin section's pages, with the current one marked. */
export function AdminTabs({ t, current }: { t: Translate; current: (typeof TABS)[number][0] }) {
  return (
    <nav class="tabs" aria-label={t('admin.title')}>
      <ul>
        {TABS.map(([key, href, label]) => (
          <li>
            <a href={href} aria-current={key === current ? 'page' : undefined}>
              {t(label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
