import { createMiddleware } from 'hono/factory';
import { validation } from '../domain/errors.ts';
import type { AppEnv } from './env.ts';

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Postgres text cannot hold U+0000: a NUL in any form field used to reach a query or an INSERT and come
 * back as a 500 (found by test/reliability/fuzz-forms.test.ts). No person types one, so every form post
 * carrying it is refused up front with the field named, before any handler stores anything. Files are
 * bytes and keep their NULs.
 */
export const rejectNulInForms = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== 'POST' || !FORM_TYPES.test(c.req.header('content-type') ?? '')) return next();
  const body = await c.req.parseBody({ all: true });
  for (const [field, value] of Object.entries(body)) {
    const values = Array.isArray(value) ? value : [value];
    if (field.includes('\u0000') || values.some((v) => typeof v === 'string' && v.includes('\u0000'))) {
      throw validation(field.replace(/\u0000/g, ''), 'error.input.nul', `NUL in form field ${field}`, {
        field: field.replace(/\u0000/g, '').slice(0, 64),
      });
    }
  }
  await next();
});

/** The path ('links.0.url') of the first string (or key) in a JSON value that holds a NUL, if any. */
export function nulPath(v: unknown, path: string[] = []): string | null {
  if (typeof v === 'string') return v.includes('\u0000') ? path.join('.') || 'body' : null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = nulPath(v[i], [...path, String(i)]);
      if (p !== null) return p;
    }
    return null;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k.includes('\u0000')) return [...path, k.replace(/\u0000/g, '')].join('.');
      const p = nulPath(x, [...path, k]);
      if (p !== null) return p;
    }
  }
  return null;
}

/**
 * The JSON API's counterpart: a NUL inside a JSON string passed the schemas and reached the workflow,
 * whose persist activity then failed on it and retried for ever while the request waited. Refused with
 * the field's path. A body that does not parse is left to the route's validator (422 "not JSON").
 */
export const rejectNulInJson = createMiddleware(async (c, next) => {
  if (c.req.method !== 'POST' || !/^application\/(.+\+)?json\b/i.test(c.req.header('content-type') ?? ''))
    return next();
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return next();
  }
  const field = nulPath(body);
  if (field !== null) {
    throw validation(field, 'error.input.nul', `NUL in JSON field ${field}`, { field: field.slice(0, 64) });
  }
  await next();
});
