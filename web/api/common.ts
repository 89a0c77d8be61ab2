import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ErrorCode } from '../../domain/errors.ts';
import type { AppEnv } from '../env.ts';
import { translator, type Translate } from '../i18n/index.ts';
import type { TokenIdentity } from '../../app/api-tokens/index.ts';
import { ErrorSchema } from './schemas.ts';

// What every part of the JSON API shares: its env, the error shape and the OpenAPI building blocks.

export type ApiEnv = { Variables: AppEnv['Variables'] & { api: TokenIdentity; apiT: Translate } };
export type ApiContext = Context<ApiEnv>;
export type Api = OpenAPIHono<ApiEnv>;

export const STATUS: Record<ErrorCode, 403 | 404 | 409 | 422 | 503> = {
  validation: 422,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
export const errorResponses = {
  401: json(ErrorSchema, 'No valid bearer token'),
  403: json(ErrorSchema, 'The token may not do this'),
  404: json(ErrorSchema, 'Not found'),
  422: json(ErrorSchema, 'Invalid input'),
};
export const security = [{ bearerAuth: [] }];

export const idParams = z.object({
  // Ids are Postgres integers: a larger one used to reach the query and fail there (500, fuzz-api).
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .openapi({ param: { name: 'id', in: 'path' }, example: 12 }),
});

/** Messages in the language the client asks for (Accept-Language), else the token user's. */
export function apiTranslator(c: Context, fallback: 'ru' | 'en'): Translate {
  const al = c.req.header('accept-language')?.toLowerCase() ?? '';
  return translator(al.startsWith('ru') ? 'ru' : al.startsWith('en') ? 'en' : fallback);
}

export function apiError(
  c: Context,
  status: 401 | 403 | 404 | 409 | 415 | 422 | 500 | 503,
  code: string,
  message: string,
  extra: { field?: string | undefined; key?: string } = {},
) {
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="shtab"');
  return c.json(
    {
      error: {
        code,
        message,
        ...(extra.field ? { field: extra.field } : {}),
        ...(extra.key ? { key: extra.key } : {}),
      },
    },
    status,
  );
}
