import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { StartupError } from '../../domain/startup-error.ts';

const SCRIPT = path.resolve(import.meta.dirname, '../temporal-toolchain.sh');

export type ToolchainPart = '--cli' | '--test-server' | '--cluster';

/**
 * Runs scripts/temporal-toolchain.sh for the given parts, passing its progress lines on as they come, and
 * returns the variables it prints last (TEMPORAL_CLI_PATH, TEMPORAL_SERVER_DIR, …). Its one-line
 * `error: … — fix: …` becomes a StartupError.
 */
export function runToolchain(
  parts: ToolchainPart[],
  progress: (line: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT, ...parts], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const vars: Record<string, string> = {};
    const errors: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^(TEMPORAL_[A-Z_]+)=(.*)$/.exec(line);
      if (m) vars[m[1]!] = m[2]!;
      else progress(line);
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (line.startsWith('error: ')) errors.push(line);
      else progress(line);
    });
    child.once('error', (e) =>
      reject(new StartupError(`cannot run bash for ${SCRIPT} (${e.message})`, 'install bash')),
    );
    child.once('close', (code) => {
      if (code === 0) return resolve(vars);
      const line = errors.at(-1);
      const m = line ? /^error: (.*?) — fix: (.*)$/.exec(line) : null;
      reject(
        m
          ? new StartupError(m[1]!, m[2]!)
          : new StartupError(
              `scripts/temporal-toolchain.sh ${parts.join(' ')} failed (exit code ${code})`,
              'read its output above',
            ),
      );
    });
  });
}
