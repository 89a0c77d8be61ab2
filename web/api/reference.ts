import { createRoute, z } from '@hono/zod-openapi';
import { agencyList, lifeSituationList } from '../../db/read-models/index.ts';
import { errorResponses, json, security, type Api } from './common.ts';
import { AgencySchema, LifeSituationSchema } from './schemas.ts';

/** Reference data on the API: agencies and life situations. */
export function referenceApi(api: Api) {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/agencies',
      summary: 'Agencies',
      tags: ['reference'],
      security,
      responses: {
        200: json(z.object({ agencies: z.array(AgencySchema) }), 'Agencies'),
        401: errorResponses[401],
      },
    }),
    async (c) => {
      const rows = await agencyList(c.var.deps.db);
      const agencies = rows.map((a) => ({
        id: a.id,
        code: a.code,
        titleRu: a.title_ru,
        titleEn: a.title_en,
        shortRu: a.short_ru,
      }));
      return c.json({ agencies }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/life-situations',
      summary: 'Life situations',
      tags: ['reference'],
      security,
      responses: {
        200: json(z.object({ lifeSituations: z.array(LifeSituationSchema) }), 'Life situations'),
        401: errorResponses[401],
      },
    }),
    async (c) => {
      const rows = await lifeSituationList(c.var.deps.db);
      const lifeSituations = rows.map((l) => ({
        id: l.id,
        code: l.code,
        titleRu: l.title_ru,
        titleEn: l.title_en,
        level: l.level,
      }));
      return c.json({ lifeSituations }, 200);
    },
  );
}
