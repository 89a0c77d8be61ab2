import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB = path.resolve(import.meta.dirname, '..');

/** Every view source of the web (tests left out), relative to web/. */
function views(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.tsx') && !f.includes('.test.')) out.push(path.relative(WEB, p));
    }
  };
  walk(WEB);
  return out;
}

// One data table (web/views/table.tsx) gives every list its empty state, sortable headers and the
// stacked rows of a phone; a table written by hand has none of them and scrolls sideways on a phone.
describe('tables', () => {
  it('are written only by the shared DataTable', () => {
    const files = views();
    expect(files.length).toBeGreaterThan(50);
    const own = path.join('views', 'table.tsx');
    const handWritten = files.filter(
      (f) => f !== own && /<(table|thead)\b/.test(readFileSync(path.join(WEB, f), 'utf8')),
    );
    expect(handWritten).toEqual([]);
  });
});
