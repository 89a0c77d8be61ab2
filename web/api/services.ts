import { createRoute, z } from '@hono/zod-openapi';
import { scorePage, servicePage } from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { errorResponses, idParams, json, security, type Api } from './common.ts';
import { ScoreSchema, ServiceSchema } from './schemas.ts';

const serviceDto = (s: Awaited<ReturnType<typeof servicePage>>[number]) => ({
  id: s.id,
  code: s.code,
  titleRu: s.title_ru,
  titleEn: s.title_en,
  agencyId: s.agency_id,
  level: s.level,
  electronic: s.electronic,
  proactive: s.proactive,
  sociallySignificant: s.socially_significant,
  curatorUserId: s.curator_user_id,
  lifeSituationIds: s.lifeSituationIds,
  latestScore: s.latestScore
    ? {
        serviceId: s.id,
        period: s.latestScore.period,
        avgScore: s.latestScore.avg_score,
        votes: s.latestScore.votes,
      }
    : null,
});

/** The service register and citizen scores on the API. */
export function serviceApi(api: Api) {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/services',
      summary: 'The service register with the latest score of each service',
      tags: ['services'],
      security,
      request: {
        query: z.object({
          agencyId: z.coerce.number().int().positive().optional(),
          lifeSituationId: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
      responses: {
        200: json(
          z.object({ services: z.array(ServiceSchema), limit: z.number(), offset: z.number() }),
          'Services',
        ),
        401: errorResponses[401],
        422: errorResponses[422],
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(
        {
          services: await (await servicePage(c.var.deps.db, q)).map(serviceDto),
          limit: q.limit,
          offset: q.offset,
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/services/{id}',
      summary: 'One service',
      tags: ['services'],
      security,
      request: { params: idParams },
      responses: {
        200: json(z.object({ service: ServiceSchema }), 'The service'),
        401: errorResponses[401],
        404: errorResponses[404],
      },
    }),
    async (c) => {
      const [row] = await servicePage(c.var.deps.db, { id: c.req.valid('param').id, limit: 1, offset: 0 });
      const s = row ? serviceDto(row) : undefined;
      if (!s) throw new ShtabError('not_found', 'service not found', { key: 'error.notFound' });
      return c.json({ service: s }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/scores',
      summary: 'Citizen scores by service and period',
      tags: ['services'],
      security,
      request: {
        query: z.object({
          serviceId: z.coerce.number().int().positive().optional(),
          period: z.string().max(20).optional().openapi({ example: '2025-Q2' }),
          limit: z.coerce.number().int().min(1).max(5000).default(1000),
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
      responses: {
        200: json(
          z.object({ scores: z.array(ScoreSchema), limit: z.number(), offset: z.number() }),
          'Scores',
        ),
        401: errorResponses[401],
        422: errorResponses[422],
      },
    }),
    async (c) => {
      const f = c.req.valid('query');
      const rows = await scorePage(c.var.deps.db, f);
      return c.json(
        {
          scores: rows.map((r) => ({
            serviceId: r.service_id,
            period: r.period,
            avgScore: r.avg_score,
            votes: r.votes,
          })),
          limit: f.limit,
          offset: f.offset,
        },
        200,
      );
    },
  );
}
