import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  CHECK_KINDS,
  CHECK_STATUSES,
  IMPROVEMENT_STATUSES,
  SERVICE_LEVELS,
  TARGET_FIGURES,
} from '../../domain/services/index.ts';
import { hasKey } from './index.ts';

describe('service-quality messages', () => {
  it('translate every svc.* key the sources use, and every enumerated family', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = path.join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f) && !f.endsWith('.test.ts')) files.push(p);
      }
    };
    for (const d of ['domain', 'activities', 'web', 'db']) walk(path.join(root, d));
    const used = new Set(
      files.flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/'((?:error\.)?svc\.[a-zA-Z]+(?:\.[a-zA-Z]+)*)'/g)].map(
          (m) => m[1]!,
        ),
      ),
    );
    expect(used.size).toBeGreaterThan(100);
    const families = [
      ...CHANNELS.map((x) => `svc.channel.${x}`),
      ...CHECK_KINDS.map((x) => `svc.check.kind.${x}`),
      ...CHECK_STATUSES.map((x) => `svc.check.status.${x}`),
      ...IMPROVEMENT_STATUSES.map((x) => `svc.improvement.${x}`),
      ...SERVICE_LEVELS.map((x) => `svc.level.${x}`),
      ...TARGET_FIGURES.map((x) => `svc.ts.${x}`),
      'event.improvement.improved',
      'event.improvement.below_target',
      'event.improvement.cancelled',
    ];
    const missing = [...used, ...families].filter((k) => !hasKey(k));
    expect(missing).toEqual([]);
  });
});
