import type { Role } from '../../domain/roles.ts';
import type { Locale } from '../i18n/index.ts';

/** The signed-in user as a request sees it (web/auth/sessions.ts loads it with the session). */
export interface SessionUser {
  id: number;
  login: string;
  displayName: string;
  role: Role;
  agencyId: number | null;
  locale: Locale;
}
