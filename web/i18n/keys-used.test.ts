import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasKey } from './index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The text of every non-test source file under these folders of the project. */
function sources(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(f) && !f.endsWith('.test.ts')) out.push(readFileSync(p, 'utf8'));
    }
  };
  for (const d of dirs) walk(path.join(ROOT, d));
  return out;
}
const matches = (texts: string[], re: RegExp) => texts.flatMap((s) => [...s.matchAll(re)].map((m) => m[1]!));

// A key missing from the dictionaries shows up as the raw key on the page; catch literal ones here.
describe('message keys used by the sources', () => {
  it('exist for every literal t(…) call of the web', () => {
    const used = new Set(matches(sources('web'), /\bt\(\s*'([a-zA-Z][\w.]*)'/g));
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !hasKey(k))).toEqual([]);
  });

  it('exist for every message shown after an action (flash.*)', () => {
    const used = new Set(matches(sources('web'), /\bflash\(\s*c,\s*'(flash\.[\w.]+)'/g));
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((k) => !hasKey(k))).toEqual([]);
  });

  it('exist for every error key the sources raise (one family: error.*)', () => {
    const texts = sources('domain', 'workflows', 'activities', 'app', 'db', 'web');
    const used = new Set(matches(texts, /'(error\.[a-zA-Z][\w.]*\w)'/g));
    expect(used.size).toBeGreaterThan(150);
    expect([...used].filter((k) => !hasKey(k))).toEqual([]);
    // The old families are gone: err.*, svc.err.*, svc.import.err.*.
    expect(matches(texts, /'((?:svc\.(?:import\.)?)?err\.[\w.]+)'/g)).toEqual([]);
  });
});
