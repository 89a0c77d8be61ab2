import fc from 'fast-check';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';

/** One seed for every property in a run: printed, and FUZZ_SEED reproduces a failure. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261123);
/** Runs per property: FUZZ_RUNS overrides the file's default (bounded so a file stays near a minute). */
export const fuzzRuns = (dflt: number) => Number(process.env.FUZZ_RUNS ?? dflt);

export function fuzzParams<T>(runs: number): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: fuzzRuns(runs), endOnFailure: true };
}

/**
 * Row count and an order-independent digest of whole tables: equal before and after a rejected request
 * means nothing was written, not even a row that was later deleted by hand (ids are in the digest).
 */
export async function tableDigests(db: Db, tables: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const r = await sql<{ n: number; h: string }>`
      select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h
      from ${sql.table(t)} x`.execute(db);
    out[t] = `${r.rows[0]!.n}:${r.rows[0]!.h}`;
  }
  return out;
}

/** Strings people (and scripts) really send: control characters, NUL, RTL marks, markup, huge ones. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom('\u0000', '\u0007', '\r', '\n', '\t', '\u202e', '\ufeff', '\ud800', 'я', ' '),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '0',
      '-1',
      '1.5',
      '1e308',
      '99999999999999999999',
      'NaN',
      'Infinity',
      'true',
      'null',
      '[]',
      '{}',
      '2026-02-30',
      '2026-13-01',
      '0000-00-00',
      '31.12.2026',
      '9999-12-31',
      '1900-01-01',
      '<script>alert(1)</script>',
      "'; drop table control_item; --",
      'javascript:alert(1)',
      'http://example.test/a b',
      'https://',
      '\u202eevil',
      '%00',
      '../../etc/passwd',
    ),
  },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  {
    weight: 1,
    arbitrary: fc
      .date({ min: new Date('1000-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
  { weight: 1, arbitrary: fc.nat({ max: 200_000 }).map((n) => 'ж'.repeat(n)) },
);

/** A form field: missing, one value, or the same name repeated. */
export const formValue = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.array(nastyString, { minLength: 2, maxLength: 3 }) },
);

/** A form with the route's own field names (and sometimes a valid-looking value) plus stray ones. */
export function fuzzForm(fields: Record<string, fc.Arbitrary<string>[]>, goodWeight = 3) {
  return fc
    .tuple(
      fc.record(
        Object.fromEntries(
          Object.entries(fields).map(([k, good]) => [
            k,
            good.length
              ? fc.oneof(
                  { weight: 2, arbitrary: formValue },
                  ...good.map((g) => ({ weight: 1, arbitrary: g })),
                )
              : formValue,
          ]),
        ),
      ),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), nastyString, { maxKeys: 2 }),
    )
    .map(([known, stray]) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(stray)) if (!(k in fields) && k !== '_csrf') out[k] = v;
      for (const [k, v] of Object.entries(known)) if (v !== undefined) out[k] = v as string | string[];
      return out;
    });
}

/** A 4xx page or fragment says what is wrong: an alert with a message, not an empty body. */
export function hasMessage(html: string): boolean {
  const m = /role="alert"[^>]*>([\s\S]{0,2000})/.exec(html);
  return !!m && m[1]!.replace(/<[^>]+>/g, '').trim().length > 0;
}

/** Human-size summary of a fuzzed form for failure messages. */
export function brief(form: unknown): string {
  return JSON.stringify(form, (_, v) =>
    typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v,
  );
}
