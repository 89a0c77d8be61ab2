import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { StartupError } from '../../domain/startup-error.ts';
import { isValidTimeZone } from '../../domain/time-zone.ts';
import { loadAuthConfig } from './auth-config.ts';

const port = z.coerce.number().int().min(1).max(65535);
const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodTypeAny>(t: T) => z.preprocess(emptyAsUndefined, t.optional());

const Env = z.object({
  DATABASE_URL: opt(z.string()),
  DATABASE_LISTEN_URL: opt(
    z.string().regex(/^(postgres(ql)?:\/\/|off$)/, 'must be a postgres:// URL or off'),
  ),
  DATA_DIR: z.string().default('./data'),
  TEMPORAL_ADDRESS: opt(z.string()),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('shtab'),
  TEMPORAL_WORKFLOW_ID_PREFIX: z
    .string()
    .regex(/^[\w.-]*$/)
    .default(''),
  TEMPORAL_CLI_PATH: opt(z.string()),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_URL: opt(z.string().url()),
  REGION_TZ: z.string().default('Asia/Novosibirsk').refine(isValidTimeZone, 'unknown IANA time zone'),
  SMTP_URL: opt(z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')),
  MAIL_FROM: z.string().default('Штаб <noreply@shtab.local>'),
  SEED_DEMO: opt(z.enum(['0', '1'])),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
  METRICS_TOKEN: opt(z.string().min(16, 'must be at least 16 characters')),
  WORKER_METRICS_PORT: opt(port),
  WORKFLOW_BUNDLE_PATH: opt(z.string().refine(existsSync, 'file does not exist')),
  PAGE_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(64),
  FEEDBACK_REVIEWS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(10),
  FEEDBACK_REVIEWS_PER_SERVICE: z.coerce.number().int().min(1).max(1_000_000).default(300),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
});

export type Config = ReturnType<typeof loadConfig>;

/** Where `npm run toolchain` caches what it builds (scripts/temporal-toolchain.sh). */
export function shtabCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHTAB_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'shtab');
}

/** The Temporal CLI `npm run toolchain` built, when it did. */
export function cachedTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const p = path.join(shtabCacheDir(env), 'temporal-cli-v1.5.1', 'temporal');
  return existsSync(p) ? p : undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const r = Env.safeParse(env);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new StartupError(
      `invalid configuration: ${issue.path.join('.')} ${issue.message}`,
      'fix the variable in your environment or .env (see .env.example)',
    );
  }
  const e = r.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    databaseUrl: e.DATABASE_URL,
    // The web process listens for change notices (db/change-feed.ts) on a connection of its own. Through a
    // transaction-pooling proxy (PgBouncer) LISTEN does not work: point this at Postgres directly, or `off`.
    listenUrl: e.DATABASE_LISTEN_URL === 'off' ? undefined : (e.DATABASE_LISTEN_URL ?? e.DATABASE_URL),
    dataDir,
    pgliteDir: path.join(dataDir, 'pg'),
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      workflowIdPrefix: e.TEMPORAL_WORKFLOW_ID_PREFIX,
      // Explicit path, else the toolchain cache, else the SDK downloads its own (needs internet).
      cliPath: e.TEMPORAL_CLI_PATH ?? cachedTemporalCli(env),
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
    },
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    timeZone: e.REGION_TZ,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    seedDemo: e.SEED_DEMO,
    logLevel: e.LOG_LEVEL,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    /** Whole-page cache of a web process (web/page-cache.ts); 0 turns it off. */
    pageCacheBytes: e.PAGE_CACHE_MB * 1024 * 1024,
    trustProxy: e.TRUST_PROXY === '1',
    metricsToken: e.METRICS_TOKEN,
    // The public review page's rate limits (web/routes/public-feedback.tsx).
    publicForm: { perAddress: e.FEEDBACK_REVIEWS_PER_ADDRESS, perService: e.FEEDBACK_REVIEWS_PER_SERVICE },
    workerMetricsPort: e.WORKER_METRICS_PORT,
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
    auth: loadAuthConfig(env),
  };
}

/** Separate worker/web processes share Temporal and Postgres; both must be given. */
export function requireProductionConfig(config: Config, what: string) {
  if (!config.temporal.address) {
    throw new StartupError(
      `${what} needs TEMPORAL_ADDRESS`,
      'set TEMPORAL_ADDRESS=host:7233, or run `npm start` for the embedded all-in-one',
    );
  }
  if (!config.databaseUrl) {
    throw new StartupError(
      `${what} needs DATABASE_URL (the embedded PGlite database cannot be shared between processes)`,
      'set DATABASE_URL=postgres://…, or run `npm start` for the embedded all-in-one',
    );
  }
  return config.temporal.address;
}
