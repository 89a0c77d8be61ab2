import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.ts';

// `npm ci && npm start` on a machine where nothing is cached and nothing can be downloaded: the Temporal
// CLI is built from source with the project's toolchain script when Go is there, and the start ends with
// the app running; without Go, one line says what to install. The SDK's download is made to fail on
// purpose (a proxy that refuses), so the test means the same on a machine with internet.

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (tag: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), `shtab-${tag}-`));
  dirs.push(d);
  return d;
};

async function env(extra: Record<string, string>) {
  return {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    // Nothing cached: the toolchain's cache is empty (Go's own build cache stays warm, as after `npm ci`
    // on a machine that built Go programs before; the cold build is measured in docs/performance.md).
    SHTAB_CACHE_DIR: tempDir('cache'),
    DATA_DIR: tempDir('data'),
    // No download: the SDK's HTTP client goes through this proxy, and nothing listens there. Go's module
    // proxy stays reachable (as on this project's offline machines: npm, Debian and Go module mirrors only).
    HTTPS_PROXY: `http://127.0.0.1:${await freePort()}`,
    NO_PROXY: goHosts.join(','),
    PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

const goEnv = await promisify(execFile)('go', ['env', 'GOPROXY', 'GOSUMDB']).then(
  (r) => r.stdout.split('\n'),
  () => null,
);
const hasGo = goEnv !== null;
/** The hosts Go fetches modules and checksums from. */
const goHosts = (goEnv ?? []).flatMap((line) =>
  line
    .split(/[,|]/)
    .map((u) => /^(?:https?:\/\/)?([^/\s]+)/.exec(u.trim())?.[1] ?? '')
    .filter((h) => h && h !== 'direct' && h !== 'off'),
);

describe('first start with an empty cache and no internet', () => {
  it.runIf(hasGo)(
    'builds the Temporal CLI with Go, shows progress, and ends with the app running',
    async () => {
      const e = await env({});
      // As `npm start` runs it: node itself, so a signal reaches the app (no wrapper that kills it when
      // the app is slow to answer the signal on a loaded machine: exit 130 in CI).
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
        cwd: root,
        env: e,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const deadline = Date.now() + 600_000;
      while (!out.includes('Shtab is running') && child.exitCode === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
      expect(out, out).toContain('Shtab is running');
      // What a person sees before it: why a build, and that it moves.
      expect(out).toMatch(/could not download its dev server .*building the Temporal CLI from source/);
      expect(out).toMatch(/temporal-toolchain:\s+Temporal CLI v1\.5\.1 built in \d+ s/);
      expect(existsSync(path.join(e.SHTAB_CACHE_DIR, 'temporal-cli-v1.5.1', 'temporal'))).toBe(true);
      const res = await fetch(`http://127.0.0.1:${e.PORT}/healthz`);
      expect(await res.json()).toEqual({ ok: true, db: 'ok', temporal: 'ok' });
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    },
    660_000,
  );

  it('without Go says in one line what to install', async () => {
    const noGo = process.env
      .PATH!.split(':')
      .filter((d) => !existsSync(path.join(d, 'go')))
      .join(':');
    const r = await promisify(execFile)(tsx, ['scripts/start.ts'], {
      cwd: root,
      env: await env({ PATH: noGo }),
      timeout: 120_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code?: number; stderr?: string }) => ({ code: err.code ?? 1, stderr: err.stderr ?? '' }),
    );
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: no Temporal CLI to run: none is cached .* the SDK could not download one .* and Go is not installed to build one — fix: install Go >= 1\.25 \(https:\/\/go\.dev\/dl\)/,
    );
  });
});
