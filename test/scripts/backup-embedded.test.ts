import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.ts';
import { WebClient } from '../support/web.ts';

// The embedded mode's backup (`npm run backup -- file` without DATABASE_URL): refused while the app runs
// (files in use are no consistent copy), taken once it is stopped, restored into an empty data directory
// (`npm run restore -- file`), and the restored app continues: the item acted on before the backup is where
// it was, its workflow takes the next action, every open item is under control again.

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});
const tempDir = (tag: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), `shtab-${tag}-`));
  dirs.push(d);
  return d;
};
const baseEnv = () => ({
  PATH: process.env.PATH!,
  HOME: process.env.HOME!,
  LOG_LEVEL: 'warn',
  ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
});

function run(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      tsx,
      [script, ...args],
      { cwd: root, env: { ...baseEnv(), ...env }, timeout: 120_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

async function startApp(dataDir: string) {
  const port = await freePort();
  const env = {
    ...baseEnv(),
    DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 180_000;
  while (!out.includes('Shtab is running') && child.exitCode === null && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  expect(out, out).toContain('Shtab is running');
  const url = `http://localhost:${port}`;
  return {
    url,
    underControl: Number(/open items under control: (\d+)/.exec(out)?.[1]),
    async stop() {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    },
  };
}

describe('embedded backup and restore', () => {
  it('refuses while running, backs up when stopped, and the restored app continues', async () => {
    const dataDir = tempDir('data');
    const file = path.join(tempDir('backup'), 'shtab-embedded.tar.gz');
    const app = await startApp(dataDir);

    const refused = await run('scripts/backup.ts', [file], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^error: Shtab is running on .* — fix: stop it/);

    // An executor starts an assigned item and reports on it.
    const exec = new WebClient(app.url);
    await exec.login('mtsr.exec', 'demo');
    const ids = [...(await exec.get('/items?status=assigned')).text.matchAll(/href="\/items\/(\d+)"/g)].map(
      (m) => Number(m[1]),
    );
    let id = 0;
    for (const candidate of ids)
      if ((await exec.get(`/items/${candidate}`)).text.includes(`/items/${candidate}/start`)) {
        id = candidate;
        break;
      }
    expect(id).toBeGreaterThan(0);
    expect(
      (await exec.post(`/items/${id}/start`, { eventId: `emb-start-${id}` }, { htmx: true })).status,
    ).toBe(200);
    const sub = await exec.post(
      `/items/${id}/submit`,
      { eventId: `emb-submit-${id}`, text: 'Отчёт до резервной копии', part: '0' },
      { htmx: true },
    );
    expect(sub.status).toBe(200);
    await app.stop();

    const made = await run('scripts/backup.ts', [file], { DATA_DIR: dataDir });
    expect(made.stderr).toBe('');
    expect(made.stdout).toMatch(/^backup: .*shtab-embedded\.tar\.gz \(.* MB, embedded /);

    // Restoring over a directory in use is refused; into a new one it works.
    const over = await run('scripts/restore.ts', [file], { DATA_DIR: dataDir });
    expect(over.stderr.trim()).toMatch(
      /^error: .* is not empty: restoring over it would mix two states — fix:/,
    );
    const restoredDir = path.join(tempDir('restored'), 'data');
    const restored = await run('scripts/restore.ts', [file], { DATA_DIR: restoredDir });
    expect(restored.stdout).toContain(`restored ${file} into ${restoredDir}`);

    const again = await startApp(restoredDir);
    expect(again.underControl).toBe(app.underControl);
    const exec2 = new WebClient(again.url);
    await exec2.login('mtsr.exec', 'demo');
    // The demo roadmap wants the head's sign-off (issue 13): the report waits for it across the restore.
    expect((await exec2.get(`/items/${id}`)).text).toContain('Ждёт подписи руководителя');
    // The workflow takes the next steps: the head signs it off, the working group accepts it.
    const head = new WebClient(again.url);
    await head.login('mtsr.head', 'demo');
    await head.get(`/items/${id}`);
    const signed = await head.post(
      `/items/${id}/signoff`,
      { eventId: `emb-signoff-${id}`, outcome: 'approve', reason: '' },
      { htmx: true },
    );
    expect(signed.status).toBe(200);
    expect((await head.get(`/items/${id}`)).text).toContain('status-submitted');
    const wg = new WebClient(again.url);
    await wg.login('rg', 'demo');
    await wg.get(`/items/${id}`);
    const accepted = await wg.post(
      `/items/${id}/review`,
      { eventId: `emb-accept-${id}`, outcome: 'accept', confirm: '1' },
      { htmx: true },
    );
    expect(accepted.status).toBe(200);
    expect((await wg.get(`/items/${id}`)).text).toContain('status-done');
    await again.stop();
  }, 400_000);
});
