import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/lib/ports.ts';

// A real Keycloak (scripts/keycloak.sh puts the distribution in the cache; scripts/test.sh exports
// KEYCLOAK_HOME) for the single sign-on tests: its own H2 database file and temp dir per process, on a
// loopback port, a bootstrap admin whose password never leaves this module. Realms, users and groups are
// made through the admin REST API, as an administrator of a region's Keycloak would.

export interface KeycloakUser {
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  groups?: string[];
  attributes?: Record<string, string[]>;
}

export const REALM = 'shtab';
export const CLIENT_ID = 'shtab';

export async function startKeycloak() {
  const home = process.env.KEYCLOAK_HOME;
  if (!home || !existsSync(path.join(home, 'bin/kc.sh')))
    throw new Error(
      'KEYCLOAK_HOME is not set: run the tests through scripts/test.sh (it runs scripts/keycloak.sh)',
    );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shtab-keycloak-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const adminPassword = randomBytes(12).toString('base64url');
  let log = '';
  const started = Date.now();
  const proc: ChildProcess = spawn(
    path.join(home, 'bin/kc.sh'),
    [
      'start',
      '--optimized',
      '--http-enabled=true',
      '--http-host=127.0.0.1',
      `--http-port=${port}`,
      '--hostname-strict=false',
      `--db-url=jdbc:h2:file:${dir}/keycloakdb;NON_KEYWORDS=VALUE`,
    ],
    {
      // Its own process group: stop() ends the script and the JVM it started together.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        JAVA_HOME: process.env.KEYCLOAK_JAVA_HOME ?? process.env.JAVA_HOME ?? '',
        KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
        KC_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
        JAVA_OPTS_KC_HEAP: '-Xms64m -Xmx512m',
        JAVA_OPTS_APPEND: `-Djava.io.tmpdir=${dir} -Dquarkus.transaction-manager.object-store.directory=${dir}/tx`,
      },
    },
  );
  proc.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));

  const stop = async () => {
    if (proc.exitCode === null && proc.pid) {
      const exited = new Promise((r) => proc.once('exit', r));
      process.kill(-proc.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (proc.exitCode === null) process.kill(-proc.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      const r = await fetch(`${base}/realms/master`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (proc.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Keycloak did not start:\n${log.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const startMs = Date.now() - started;

  async function adminToken(): Promise<string> {
    const r = await fetch(`${base}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'admin-cli',
        username: 'admin',
        password: adminPassword,
      }),
    });
    if (!r.ok) throw new Error(`Keycloak admin token: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { access_token: string }).access_token;
  }

  async function admin(method: string, p: string, body?: unknown) {
    const r = await fetch(`${base}/admin/realms${p}`, {
      method,
      headers: {
        authorization: `Bearer ${await adminToken()}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!r.ok) throw new Error(`Keycloak ${method} ${p}: ${r.status} ${await r.text()}`);
    const text = await r.text();
    return text ? (JSON.parse(text) as unknown) : null;
  }

  async function userId(username: string) {
    const found = (await admin(
      'GET',
      `/${REALM}/users?exact=true&username=${encodeURIComponent(username)}`,
    )) as {
      id: string;
    }[];
    if (!found[0]) throw new Error(`no Keycloak user ${username}`);
    return found[0].id;
  }

  return {
    issuer: `${base}/realms/${REALM}`,
    /** How long the start took (reported by the tests that use it; docs/decisions.md §34). */
    startMs,
    /** The Shtab realm: a confidential client with PKCE, a `groups` claim, these groups and users. */
    async createRealm(o: {
      clientSecret: string;
      redirectUri: string;
      groups: string[];
      users: KeycloakUser[];
    }) {
      await admin('POST', '', {
        realm: REALM,
        enabled: true,
        groups: o.groups.map((name) => ({ name })),
        clients: [
          {
            clientId: CLIENT_ID,
            name: 'Штаб',
            enabled: true,
            publicClient: false,
            secret: o.clientSecret,
            standardFlowEnabled: true,
            directAccessGrantsEnabled: false,
            redirectUris: [o.redirectUri],
            attributes: { 'pkce.code.challenge.method': 'S256' },
            protocolMappers: [
              {
                name: 'groups',
                protocol: 'openid-connect',
                protocolMapper: 'oidc-group-membership-mapper',
                config: {
                  'full.path': 'false',
                  'id.token.claim': 'true',
                  'access.token.claim': 'true',
                  'userinfo.token.claim': 'true',
                  'claim.name': 'groups',
                },
              },
            ],
          },
        ],
        users: o.users.map((u) => ({
          username: u.username,
          firstName: u.firstName,
          lastName: u.lastName,
          email: u.email,
          emailVerified: true,
          enabled: true,
          credentials: [{ type: 'password', value: u.password, temporary: false }],
          groups: (u.groups ?? []).map((g) => `/${g}`),
          ...(u.attributes ? { attributes: u.attributes } : {}),
        })),
      });
    },
    /** Disables or re-enables a user, as the directory's administrator does. */
    async setEnabled(username: string, enabled: boolean) {
      await admin('PUT', `/${REALM}/users/${await userId(username)}`, { enabled });
    },
    stop,
  };
}

export type Keycloak = Awaited<ReturnType<typeof startKeycloak>>;
