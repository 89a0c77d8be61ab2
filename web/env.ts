import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ChangeFeed } from '../db/change-feed.ts';
import type { Db } from '../db/index.ts';
import type { ReadCache } from '../db/read-cache.ts';
import type { ChasePolicy } from '../domain/control-item/index.ts';
import type { Role } from '../domain/roles.ts';
import type { TemporalHandle } from '../workflows/client.ts';
import type { Locale, Translate } from './i18n/index.ts';
import type { SessionLoader } from './auth/sessions.ts';
import type { PageCache } from './page-cache.ts';

export interface WebConfig {
  publicUrl: string;
  timeZone: string;
  uploadMaxBytes: number;
  /** Secure cookies: on when the public URL is https. */
  secureCookies: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  trustProxy?: boolean;
  /** Bearer token for GET /metrics; unset: loopback connections only. */
  metricsToken?: string | undefined;
  /** The public review form's abuse limits (web/routes/public-feedback.tsx); defaults there. */
  publicForm?: { minAgeMs?: number; perAddress?: number; perService?: number } | undefined;
}

/** What the web app is built from; nothing is imported as a module-level singleton. */
export interface AppDeps {
  db: Db;
  temporal: TemporalHandle;
  config: WebConfig;
  log: Logger;
  policy: ChasePolicy;
  /** The worker's counters when it runs in this process (embedded mode), shown on /metrics too. */
  workerMetrics?: Registry;
  /** Results of heavy reads kept per data version (db/read-cache.ts); createApp makes one when absent. */
  readCache?: ReadCache;
  /** Whole pages kept per session and data version (web/page-cache.ts); createApp makes one when absent. */
  pageCache?: PageCache;
  /** Postgres change notices (db/change-feed.ts): sessions and the data version kept in memory while no
   *  change is reported. Without it every request reads them from the database. */
  changeFeed?: ChangeFeed;
}

export interface SessionUser {
  id: number;
  login: string;
  displayName: string;
  role: Role;
  agencyId: number | null;
  locale: Locale;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    readCache: ReadCache;
    sessionLoader: SessionLoader;
    /** The data version read with the session as the request arrived (null: no session cookie). */
    dataVersion: bigint | null;
    /** The page cache fills in fresh ids (web/fresh-ids.ts) as it sends; c.html leaves them. */
    freshIdsLater: boolean;
    user: SessionUser | null;
    sessionId: string | null;
    csrfToken: string | null;
    /** Unread in-app notifications of the signed-in user (full pages only; null otherwise). */
    unread: number | null;
    locale: Locale;
    t: Translate;
    requestId: string;
  };
}
