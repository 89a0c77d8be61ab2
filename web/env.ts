import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ChangeFeed } from '../db/change-feed.ts';
import type { Db } from '../db/index.ts';
import type { ReadCache } from '../db/read-cache.ts';
import type { ChasePolicy } from '../domain/control-item/index.ts';
import type { AuthRuntime } from '../app/auth/index.ts';
import type { TallyFolder } from '../app/feedback/index.ts';
import type { TemporalHandle } from '../app/temporal.ts';
import type { SessionEnv } from './auth/middleware.ts';
import type { FlashVariables } from './flash.ts';
import type { PageCache, PageCacheEnv } from './page-cache.ts';

export type { SessionUser } from './auth/session-user.ts';

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
  /** SMTP is configured: invitation links are also emailed. */
  mailEnabled?: boolean;
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
  /** Single sign-on (OpenID provider, LDAP directory) and the account rules; none configured when absent. */
  auth?: AuthRuntime;
  /** Folds new reviews into the tallies a moment after their intake (docs/decisions.md §46); absent: each
   *  intake folds before it answers. */
  feedbackFolder?: TallyFolder;
}

/**
 * The request variables: the middleware's own (each factory names what it sets in its Env type) and the
 * app's. Only this module puts them together; the middleware modules import nothing from here.
 */
export interface AppEnv {
  Variables: SessionEnv['Variables'] &
    PageCacheEnv['Variables'] &
    FlashVariables & {
      deps: AppDeps;
      readCache: ReadCache;
      /** Unread in-app notifications of the signed-in user (full pages only; null otherwise). */
      unread: number | null;
      /** Reports waiting for review, for the working group's menu (full pages only; null otherwise). */
      reviewCount: number | null;
      requestId: string;
    };
}
