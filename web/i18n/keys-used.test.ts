import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasKey } from './index.ts';

// A key missing from the dictionaries shows up as the raw key on the page; catch literal ones here.
describe('message keys used by the web', () => {
  it('exist for every literal t(…) call', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = path.join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f) && !f.endsWith('.test.ts')) files.push(p);
      }
    };
    walk(root);
    const used = new Set(
      files.flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)].map((m) => m[1]!),
      ),
    );
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !hasKey(k))).toEqual([]);
  });

  it('exist for every error key the sources raise (one family: error.*)', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = path.join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f) && !f.endsWith('.test.ts')) files.push(p);
      }
    };
    for (const d of ['domain', 'workflows', 'activities', 'app', 'db', 'web']) walk(path.join(root, d));
    const sources = files.map((f) => readFileSync(f, 'utf8'));
    const used = new Set(
      sources.flatMap((s) => [...s.matchAll(/'(error\.[a-zA-Z][\w.]*\w)'/g)].map((m) => m[1]!)),
    );
    expect(used.size).toBeGreaterThan(150);
    expect([...used].filter((k) => !hasKey(k))).toEqual([]);
    // The old families are gone: err.*, svc.err.*, svc.import.err.*.
    const old = sources.flatMap((s) =>
      [...s.matchAll(/'((?:svc\.(?:import\.)?)?err\.[\w.]+)'/g)].map((m) => m[1]),
    );
    expect(old).toEqual([]);
  });
});
