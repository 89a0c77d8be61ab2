import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The edges parse, call a use case (app/) or a read model (db/read-models), and render: a query written in
// a route is a read nobody else can reuse or test alone, and a write there skips the application layer
// (docs/decisions.md §30). This keeps web/routes and web/api free of both.

const ROOT = path.resolve(import.meta.dirname, '..');
const SCANNED = ['web/routes', 'web/api'];

/** Kysely's ways into the database: reads, writes, transactions, raw SQL. */
const QUERY_CALLS: { name: string; re: RegExp }[] = [
  ...[
    'selectFrom',
    'selectNoFrom',
    'insertInto',
    'updateTable',
    'deleteFrom',
    'mergeInto',
    'replaceInto',
  ].map((m) => ({ name: `.${m}(`, re: new RegExp(`\\.${m}\\(`) })),
  { name: '.transaction(', re: /\.transaction\(/ },
  { name: '.executeQuery(', re: /\.executeQuery\(/ },
  { name: 'sql`…`', re: /\bsql(?:<[^>\n]*>)?`/ },
];

/**
 * Lines allowed to keep a query, each with why. An entry that no longer matches fails the test, so the
 * list shrinks when the code does.
 */
const ALLOWED: { file: string; line: string; why: string }[] = [];

interface QueryHit {
  file: string;
  line: number;
  call: string;
  text: string;
}

/** The query calls in one file's text, comment lines left out. */
function queryCalls(file: string, text: string): QueryHit[] {
  const hits: QueryHit[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('//') || line.startsWith('*') || line.startsWith('/*')) return;
    for (const { name, re } of QUERY_CALLS)
      if (re.test(line)) hits.push({ file, line: i + 1, call: name, text: line });
  });
  return hits;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((f) => {
    const rel = path.posix.join(dir, f);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [rel] : [];
  });
}

const isAllowed = (h: QueryHit) => ALLOWED.some((a) => a.file === h.file && a.line === h.text);

describe('web routes and the API hold no queries', () => {
  const files = SCANNED.flatMap(sourceFiles);
  const hits = files.flatMap((f) => queryCalls(f, readFileSync(path.join(ROOT, f), 'utf8')));

  it('scans every page and API module', () => {
    // A wrong folder would scan nothing and pass.
    expect(files.length).toBeGreaterThan(40);
    expect(files).toContain('web/routes/roadmap-list.tsx');
    expect(files).toContain('web/api/items.ts');
  });

  it('finds no query, write or transaction outside db/read-models and app/', () => {
    const found = hits.filter((h) => !isAllowed(h)).map((h) => `${h.file}:${h.line} ${h.call}  ${h.text}`);
    expect(found, 'move these into db/read-models (reads) or an app/ use case (writes)').toEqual([]);
  });

  it('allows only lines that are still there', () => {
    const stale = ALLOWED.filter((a) => !hits.some((h) => h.file === a.file && h.text === a.line));
    expect(stale.map((a) => `${a.file}: ${a.line}`)).toEqual([]);
  });

  it('recognises a query spread over lines, a write, a transaction and raw SQL, not a comment', () => {
    const sample = [
      'const rows = await db',
      "  .selectFrom('agency')",
      '  .execute();',
      "await c.var.deps.db.insertInto('event').values(v).execute();",
      'await db.transaction().execute(async (trx) => trx);',
      'const n = sql<number>`count(*)`;',
      "// db.deleteFrom('agency') is what the API must not do",
      " * .updateTable('x') in a doc comment",
      'const selectFromMenu = pick(options);',
    ].join('\n');
    expect(queryCalls('x.ts', sample).map((h) => [h.line, h.call])).toEqual([
      [2, '.selectFrom('],
      [4, '.insertInto('],
      [5, '.transaction('],
      [6, 'sql`…`'],
    ]);
  });
});
