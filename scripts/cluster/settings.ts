import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

// What `npm run cluster` runs, as data: docker-compose.yml runs the same (scripts/cluster/compose.test.ts
// reads the compose file and compares it with these), so the two cannot drift apart.

export const HERE = import.meta.dirname;

export const VERSIONS = {
  /** Temporal Server: the version the Temporal CLI v1.5.1 embeds (the dev server of `npm start` and the tests). */
  temporalServer: '1.29.1',
  /** temporalio/admin-tools build of that server (temporal-sql-tool + the temporal CLI). */
  adminTools: '1.29.1-tctl-1.18.4-cli-1.5.0',
  temporalUi: '2.42.1',
  /** PostgreSQL major version: Debian bookworm's, the one this machine's cluster and CI run. */
  postgres: 15,
  /** nginx: Debian bookworm's package version. */
  nginx: '1.22',
} as const;

/** Processes of each kind the cluster starts (compose: `deploy.replicas`). */
export const REPLICAS = { worker: 2, web: 2 } as const;

/** The npm scripts the processes run (compose: `command`). */
export const COMMANDS = { worker: ['npm', 'run', 'worker'], web: ['npm', 'run', 'web'] } as const;

/** Shtab settings both process kinds get, wherever they run. */
export const SHTAB_ENV = {
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: 'shtab',
  REGION_TZ: 'Asia/Novosibirsk',
  LOG_LEVEL: 'info',
} as const;

/** …and the web processes besides: behind nginx, the client's address comes from X-Forwarded-For. */
export const WEB_ENV = { TRUST_PROXY: '1' } as const;

/** The Temporal server's own settings (scripts/cluster/temporal.env, compose's env_file). */
export function temporalEnv(): Record<string, string> {
  return parseEnv(readFileSync(path.join(HERE, 'temporal.env'), 'utf8')) as Record<string, string>;
}

export const TEMPORAL_SETUP_SCRIPT = path.join(HERE, 'temporal-setup.sh');
export const NGINX_TEMPLATE = path.join(HERE, 'nginx-shtab.conf.template');

/** nginx's upstream lines for web processes at these host:port addresses (compose: `web:3000`). */
export function upstreamServers(addresses: string[]): string {
  // One failure takes a process out of rotation for 5 s: a dead process is not tried for every request.
  return addresses.map((a) => `server ${a} max_fails=1 fail_timeout=5s;`).join('\n    ');
}
