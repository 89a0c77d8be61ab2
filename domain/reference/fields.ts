import type { FieldIssue } from '../errors.ts';
import { isLocalDate, type LocalDate } from '../local-date.ts';

// Small checks every reference form shares. Each returns the problem as an error.* key, or null.

export type Problems = FieldIssue[];

export function requiredText(p: Problems, field: string, v: string, max: number) {
  if (v.trim() === '') p.push({ field, key: 'error.field.required' });
  else if (v.length > max) p.push({ field, key: 'error.field.tooLong', params: { max } });
}

export function optionalText(p: Problems, field: string, v: string | null | undefined, max: number) {
  if (v && v.length > max) p.push({ field, key: 'error.field.tooLong', params: { max } });
}

/** Codes as the roadmaps and registers write them: letters, digits, . _ - (no spaces). */
export const CODE = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$/u;

export function code(p: Problems, field: string, v: string) {
  if (v.trim() === '') p.push({ field, key: 'error.field.required' });
  else if (!CODE.test(v)) p.push({ field, key: 'error.reference.code' });
}

export function optionalDate(p: Problems, field: string, v: LocalDate | null | undefined) {
  if (v !== null && v !== undefined && !isLocalDate(v)) p.push({ field, key: 'error.field.date' });
}

/** Text without leading/trailing spaces and with runs of whitespace as one space; '' → null. */
export const tidy = (v: string | null | undefined): string | null => {
  const t = (v ?? '').replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
};

/** A list typed one per line (or separated by ';'): tidy, empty ones and repeats dropped. */
export function splitLines(v: string): string[] {
  const out: string[] = [];
  for (const x of v.split(/[\n;]+/)) {
    const t = tidy(x);
    if (t && !out.some((o) => o.toLowerCase() === t.toLowerCase())) out.push(t);
  }
  return out;
}

/** Whole numbers typed as "10, 5, 1, 0" (or with spaces / semicolons); null when one is not a number. */
export function parseNumberList(v: string): number[] | null {
  const parts = v.split(/[\s,;]+/).filter(Boolean);
  if (!parts.every((x) => /^\d{1,3}$/.test(x))) return null;
  return parts.map(Number);
}
