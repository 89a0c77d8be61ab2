import type { Role } from '../../domain/roles.ts';
import type { Translate } from '../i18n/index.ts';

// The administration section: the administrator's pages (accounts, agencies, onboarding, sign-in, API
// tokens, calendar) and the programme's own data the working group keeps too (roadmaps, life situations,
// curators, committees), with the audit trail of all of it.
const TABS = [
  ['accounts', '/admin/accounts', 'admin.tab.accounts', 'admin'],
  ['agencies', '/admin/agencies', 'admin.tab.agencies', 'admin'],
  ['onboarding', '/admin/onboarding', 'admin.tab.onboarding', 'admin'],
  ['roadmaps', '/admin/roadmaps', 'admin.tab.roadmaps', 'office'],
  ['lifeSituations', '/admin/life-situations', 'admin.tab.lifeSituations', 'office'],
  ['curators', '/admin/curators', 'admin.tab.curators', 'office'],
  ['committee', '/admin/committee', 'admin.tab.committee', 'office'],
  ['calendar', '/admin/calendar', 'admin.tab.calendar', 'office'],
  ['audit', '/admin/audit', 'admin.tab.audit', 'office'],
  ['sso', '/admin/sso', 'admin.tab.sso', 'admin'],
  ['tokens', '/admin/tokens', 'admin.tab.tokens', 'admin'],
] as const;

export type AdminTab = (typeof TABS)[number][0];

/** The first page of the section a role may open (the top navigation links there). */
export const adminHome = (role: Role) => (role === 'admin' ? '/admin/accounts' : '/admin/roadmaps');

/** The section's heading: «Администрирование» for the administrator, «Справочники» for the working group. */
export const sectionTitle = (t: Translate, role: Role) =>
  t(role === 'admin' ? 'admin.title' : 'nav.reference');

/** The section's pages this role may open, with the current one marked. */
export function AdminTabs({ t, current, role = 'admin' }: { t: Translate; current: AdminTab; role?: Role }) {
  const tabs = TABS.filter(
    ([, , , who]) => role === 'admin' || (who === 'office' && role === 'working_group'),
  );
  return (
    <nav class="tabs" aria-label={t('admin.title')}>
      <ul>
        {tabs.map(([key, href, label]) => (
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
