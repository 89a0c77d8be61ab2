import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { ShtabError } from '../../domain/errors.ts';
import { rejectNulInJson } from '../form-guard.ts';
import { isDependencyUnavailable } from '../unavailable.ts';
import { resolveToken } from '../../app/api-tokens/index.ts';
import { apiError, apiTranslator, STATUS, type ApiEnv } from './common.ts';
import { feedbackApi } from './feedback.ts';
import { importApi } from './imports.ts';
import { itemApi } from './items.ts';
import { referenceApi } from './reference.ts';
import { serviceApi } from './services.ts';
import { ssoApi } from './sso.ts';

/**
 * The integration API under /api/v1: bearer tokens only (a session cookie is ignored, so CSRF does not
 * apply), JSON errors { error: { code, message, field } }, OpenAPI 3 at /api/v1/openapi.json.
 */
export function apiRoutes() {
  const api = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      // A body of the wrong type altogether (a number, an array) has no path: the field is the body itself.
      const field = issue?.path.join('.') || (result.target === 'json' ? 'body' : result.target);
      return apiError(
        c,
        422,
        'validation',
        `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid input'}`,
        { field },
      );
    },
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'A token an administrator created on /admin/tokens',
  });

  api.use('*', async (c, next) => {
    if (c.req.path.endsWith('/openapi.json')) return next();
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    const t = apiTranslator(c, 'en');
    if (!m)
      return apiError(c, 401, 'unauthorized', t('error.api.unauthorized'), { key: 'error.api.unauthorized' });
    const identity = await resolveToken(c.var.deps.db, m[1]!);
    if (!identity)
      return apiError(c, 401, 'unauthorized', t('error.api.badToken'), { key: 'error.api.badToken' });
    c.set('api', identity);
    c.set('apiT', apiTranslator(c, identity.locale));
    await next();
  });
  api.use('*', rejectNulInJson);

  api.onError((err, c) => {
    const t = c.var.apiT ?? apiTranslator(c, 'en');
    if (err instanceof ShtabError) {
      return apiError(c, STATUS[err.code], err.code, t(err.detail.key, err.detail.params), {
        field: err.detail.field,
        key: err.detail.key,
      });
    }
    // The validators' own refusals (a body that does not parse, a body that is not JSON): bad input, not
    // a failure of ours. They used to fall through to the 500 below (test/reliability/fuzz-api.test.ts).
    if (err instanceof HTTPException && err.status === 400) {
      return apiError(c, 422, 'validation', t('error.api.badJson'), {
        field: 'body',
        key: 'error.api.badJson',
      });
    }
    if (err instanceof HTTPException && err.status === 415) {
      return apiError(c, 415, 'unsupported_media_type', t('error.api.mediaType'), {
        field: 'content-type',
        key: 'error.api.mediaType',
      });
    }
    if (isDependencyUnavailable(err)) {
      c.var.deps.log.warn({ err: err.message, requestId: c.var.requestId }, 'dependency unavailable');
      c.header('Retry-After', '5');
      return apiError(c, 503, 'unavailable', t('error.unavailable'), { key: 'error.unavailable' });
    }
    c.var.deps.log.error({ err, requestId: c.var.requestId, path: c.req.path }, 'api error');
    return apiError(c, 500, 'internal', t('error.internal', { requestId: c.var.requestId }));
  });

  itemApi(api);
  referenceApi(api);
  serviceApi(api);
  importApi(api);
  ssoApi(api);
  feedbackApi(api);

  api.doc('/openapi.json', (c) => ({
    openapi: '3.0.3',
    info: {
      title: 'Shtab API',
      version: '1.0.0',
      description:
        'Roadmap items, reference data, services and scores of the client-centricity programme. Lifecycle actions run as Temporal Updates of the item workflows, as the identity of the bearer token.',
    },
    servers: [{ url: new URL('/api/v1', c.var.deps.config.publicUrl).toString() }],
  }));

  return api;
}
