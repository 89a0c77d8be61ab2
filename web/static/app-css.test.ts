import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A brace lost in a merge does not break the stylesheet: the browser closes the open block at the end of
// the file, so every rule after it silently applies only inside that @media (the homes' styles once
// applied on phones only). Prettier accepts it too; this check does not.
const css = readFileSync(path.join(import.meta.dirname, 'app.css'), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');

/** The nesting depth at which each top-level selector line starts. */
function depths() {
  const out: { line: number; depth: number; text: string }[] = [];
  let depth = 0;
  css.split('\n').forEach((text, i) => {
    out.push({ line: i + 1, depth, text });
    for (const ch of text) {
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      if (depth < 0) throw new Error(`app.css line ${i + 1}: a closing brace without an opening one`);
    }
  });
  return { out, end: depth };
}

describe('app.css', () => {
  it('closes every block it opens', () => {
    expect(depths().end).toBe(0);
  });

  it('puts unindented rules at the top level, never inside a block left open above them', () => {
    const misplaced = depths().out.filter((l) => /^[.#a-z[:*@]/i.test(l.text) && l.depth > 0);
    expect(misplaced.map((l) => `${l.line}: ${l.text}`)).toEqual([]);
  });
});
