import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs `npm start`'s entry with the given environment; resolves with its exit code and output. */
function start(env: Record<string, string>, script = 'scripts/start.ts') {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shtab-start-'));
  dirs.push(dataDir);
  return new Promise<{ code: number | null; stderr: string; stdout: string; dataDir: string }>((resolve) => {
    execFile(
      tsx,
      [script],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          ...env,
        },
        timeout: 150_000,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, dataDir }),
    );
  });
}

/** One line, says what is wrong and how to fix it, no stack trace. */
function expectOneLineError(stderr: string, ...fragments: RegExp[]) {
  const lines = stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('npm warn'));
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: .+ — fix: .+/);
  for (const f of fragments) expect(lines[0]).toMatch(f);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('start-up errors are one clear line', () => {
  it('names an unreachable DATABASE_URL', async () => {
    const port = await freePort();
    const r = await start({ DATABASE_URL: `postgres://shtab:secret@127.0.0.1:${port}/shtab` });
    expect(r.code).not.toBe(0);
    expectOneLineError(
      r.stderr,
      new RegExp(`cannot reach Postgres at 127\\.0\\.0\\.1:${port}`),
      /DATABASE_URL/,
    );
    expect(r.stderr).not.toContain('secret');
  });

  it('names a Temporal CLI path that does not exist', async () => {
    const r = await start({
      TEMPORAL_CLI_PATH: '/nonexistent/temporal',
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      SEED_DEMO: '0',
    });
    expectOneLineError(r.stderr, /TEMPORAL_CLI_PATH points to \/nonexistent\/temporal/, /npm run toolchain/);
  });

  it('names a port in use', async () => {
    const busy = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => busy.listen(port, '127.0.0.1', () => r()));
    try {
      const r = await start({
        TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH ?? '/x',
        TEMPORAL_PORT: String(port),
        SEED_DEMO: '0',
      });
      expectOneLineError(r.stderr, new RegExp(`port ${port} is already in use`), /TEMPORAL_PORT/);
    } finally {
      busy.close();
    }
  });

  it('names a corrupted embedded database and how to start fresh', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shtab-corrupt-'));
    dirs.push(dataDir);
    mkdirSync(path.join(dataDir, 'pg', 'global'), { recursive: true });
    writeFileSync(path.join(dataDir, 'pg', 'PG_VERSION'), 'garbage\n');
    writeFileSync(path.join(dataDir, 'pg', 'global', 'pg_control'), 'not a control file');
    const r = await start({ DATA_DIR: dataDir });
    expectOneLineError(r.stderr, /embedded database .* cannot be opened/, /move .* away/);
  });

  it('names an invalid setting', async () => {
    const r = await start({ REGION_TZ: 'Mars/Olympus' });
    expectOneLineError(r.stderr, /invalid configuration: REGION_TZ/);
  });

  it('refuses separate worker/web processes without DATABASE_URL', async () => {
    const r = await start({ TEMPORAL_ADDRESS: '127.0.0.1:7233' }, 'scripts/web.ts');
    expectOneLineError(r.stderr, /needs DATABASE_URL/);
  });
});
