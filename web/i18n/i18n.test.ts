import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { allKeys, hasKey, translator } from './index.ts';
import { MODULES } from './messages/index.ts';

describe('i18n', () => {
  it('has every Russian key in English, none empty, placeholders matching', () => {
    for (const m of MODULES) {
      const ru = m.ru as Record<string, string>;
      const en = m.en as Record<string, string>;
      expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
      for (const k of Object.keys(ru)) {
        expect(ru[k]!.trim(), k).not.toBe('');
        expect(en[k]!.trim(), k).not.toBe('');
        const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();
        expect(ph(en[k]!), k).toEqual(ph(ru[k]!));
      }
    }
    expect(allKeys('en').length).toBe(allKeys('ru').length);
  });

  it('translates every message key the code uses (err.*, error.* literals in the sources)', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = path.join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f) && !f.endsWith('.test.ts')) files.push(p);
      }
    };
    for (const d of ['domain', 'workflows', 'activities', 'web', 'db']) walk(path.join(root, d));
    const used = new Set(
      files.flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/'((?:err|error)\.[a-zA-Z]+(?:\.[a-zA-Z]+)*)'/g)].map(
          (m) => m[1]!,
        ),
      ),
    );
    expect(used.size).toBeGreaterThan(15);
    for (const k of used) expect(hasKey(k), k).toBe(true);
  });

  it('interpolates parameters', () => {
    expect(translator('ru')('error.field.tooLong', { max: 10 })).toBe(
      'Слишком длинный текст (не более 10 символов)',
    );
    expect(translator('en')('item.daysOverdue', { days: 3 })).toBe('3 days overdue');
  });
});
