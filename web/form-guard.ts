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
      throw validation(field.replace(/\u0000/g, ''), 'err.input.nul', `NUL in form field ${field}`, {
        field: field.replace(/\u0000/g, '').slice(0, 64),
      });
    }
  }
  await next();
});
