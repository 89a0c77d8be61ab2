import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript on purpose (it runs on Node versions too old for the rest)
import { minimumOf, nodeProblem } from './check-node.mjs';

const base = { engines: '>=22.12', platform: 'linux', arch: 'x64', bundled: true, bundledVersion: '24.22.3' };

describe('the Node version check every npm script runs first', () => {
  it('reads the engines range', () => {
    expect(minimumOf('>=22.12')).toEqual([22, 12, 0]);
    expect(minimumOf('>= 24')).toEqual([24, 0, 0]);
    expect(() => minimumOf('^22')).toThrow(/not of the form/);
  });

  it('passes a supported Node', () => {
    expect(nodeProblem({ ...base, version: '24.22.3' })).toBeNull();
    expect(nodeProblem({ ...base, version: 'v22.12.0' })).toBeNull();
  });

  it('tells macOS on Node 20 to install Node 24 LTS, in one line', () => {
    const p = nodeProblem({ ...base, version: '20.19.0', platform: 'darwin', arch: 'arm64', bundled: false });
    expect(p).toMatch(
      /^error: Node\.js 20\.19\.0 is running this, but Shtab needs >=22\.12 — fix: install Node\.js 24 LTS/,
    );
    expect(p).not.toContain('\n');
  });

  it('on Linux x64 points at npm ci, which brings Node from the npm registry', () => {
    expect(nodeProblem({ ...base, version: '22.11.0', bundled: false })).toMatch(
      /fix: run npm ci without --omit=optional \(it installs Node 24\.22\.3/,
    );
    expect(nodeProblem({ ...base, version: '20.20.2' })).toMatch(/fix: run it through npm/);
  });
});
