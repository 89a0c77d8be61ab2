import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ingestFeedback, MAX_BATCH } from '../../app/feedback/index.ts';
import { feedbackScores } from '../../db/read-models/feedback.ts';
import { serviceTitle } from '../../db/read-models/reference.ts';
import { ShtabError } from '../../domain/errors.ts';
import { FEEDBACK_CHANNELS } from '../../domain/feedback/index.ts';
import { isProjectOffice } from '../../domain/roles.ts';
import type { AppEnv } from '../env.ts';
import { feedbackDepsOf } from '../feedback-deps.ts';
import type { Api } from './common.ts';

const Review = z
  .object({
    sourceId: z
      .string()
      .max(128)
      .optional()
      .openapi({ description: 'The sender’s id of the review: repeats are skipped' }),
    serviceId: z.number().int().positive().optional(),
    serviceCode: z.string().max(64).optional().openapi({ example: 'MTSR-001' }),
    channel: z.string().openapi({ enum: [...FEEDBACK_CHANNELS], example: 'mfc' }),
    municipality: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: 'Agency code of a municipality (kind municipality)' }),
    office: z.string().max(200).optional(),
    date: z.string().openapi({ format: 'date', example: '2025-07-31' }),
    rating: z.number().int().openapi({ minimum: 1, maximum: 5 }),
    text: z.string().max(2000).optional(),
    categories: z.array(z.string().max(100)).max(10).optional(),
    contact: z
      .object({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() })
      .optional()
      .openapi({ description: 'Only with consent: true' }),
    consent: z.boolean().optional(),
  })
  .passthrough()
  .openapi('FeedbackReview');

// The body is checked by the use case (every problem of every review, with its index), not by zod: a
// schema error would name only the first problem of the batch.
const Batch = z
  .object({
    source: z.string().openapi({ example: 'pos' }),
    items: z.array(Review).openapi({ maxItems: MAX_BATCH }),
  })
  .openapi('FeedbackBatch');

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const ErrorList = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
  errors: z.array(z.object({ index: z.number(), field: z.string(), key: z.string(), message: z.string() })),
});

/** Feedback intake and period scores for integrations (ПОС, МФЦ systems, the regional portal). */
export function feedbackApi(api: Api) {
  // The body's shape for readers of the API document (components.schemas.FeedbackBatch); the route itself
  // takes any JSON and leaves the checking to the use case, which reports every problem at once.
  api.openAPIRegistry.register('FeedbackBatch', Batch);
  api.openapi(
    createRoute({
      method: 'post',
      path: '/feedback',
      summary: 'Reviews of services, in batches of up to 1,000 (working-group or admin tokens)',
      description:
        'All or nothing: every review is checked, and if any is wrong nothing is stored and `errors` lists each problem with the review’s index. A review whose (source, sourceId) is on record already is skipped, so a batch may be sent again safely. A rating at or below the case threshold with a text opens a curator case. The body is a FeedbackBatch (components.schemas).',
      tags: ['feedback'],
      security: [{ bearerAuth: [] }],
      request: {
        body: {
          content: { 'application/json': { schema: z.unknown().openapi('FeedbackBatchBody') } },
          required: true,
        },
      },
      responses: {
        200: json(
          z.object({
            received: z.number(),
            inserted: z.number(),
            duplicates: z.number(),
            cases: z.array(z.number()),
          }),
          'Stored',
        ),
        401: json(ErrorList.pick({ error: true }), 'No valid bearer token'),
        403: json(ErrorList.pick({ error: true }), 'The token may not send reviews'),
        422: json(ErrorList, 'Invalid batch: nothing stored'),
      },
    }),
    async (c) => {
      if (!isProjectOffice(c.var.api.actor.role))
        throw new ShtabError('forbidden', 'only working-group tokens send reviews', {
          key: 'error.feedback.apiForbidden',
        });
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new ShtabError('validation', 'not JSON', { key: 'api.badJson', field: 'body' });
      }
      const b = (body ?? {}) as { source?: unknown; items?: unknown };
      if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(b.items))
        throw new ShtabError('validation', 'items must be an array', {
          key: 'error.feedback.items',
          field: 'items',
        });
      const res = await ingestFeedback(feedbackDepsOf(c as unknown as Context<AppEnv>), {
        source: typeof b.source === 'string' ? b.source : '',
        items: b.items as never,
      });
      if (!res.ok) {
        const t = c.var.apiT;
        const errors = res.issues.slice(0, 1000).map((i) => ({
          index: i.index,
          field: i.index < 0 ? i.field : `items.${i.index}.${i.field}`,
          key: i.key,
          message: t(i.key, i.params),
        }));
        const first = errors[0]!;
        return c.json(
          {
            error: { code: 'validation', message: `${first.field}: ${first.message}`, field: first.field },
            errors,
          },
          422,
        );
      }
      return c.json(
        { received: res.received, inserted: res.inserted, duplicates: res.duplicates, cases: res.caseIds },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/services/{id}/feedback-scores',
      summary: 'Scores of a service computed from its reviews, by month or quarter, with vote counts',
      tags: ['feedback'],
      security: [{ bearerAuth: [] }],
      request: {
        params: z.object({
          id: z.coerce
            .number()
            .int()
            .positive()
            .max(2_147_483_647)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
        query: z.object({ by: z.enum(['month', 'quarter']).default('quarter') }),
      },
      responses: {
        200: json(
          z.object({
            scores: z.array(
              z.object({
                period: z.string(),
                votes: z.number(),
                avg: z.number().nullable(),
                byRating: z.array(z.number()),
                withText: z.number(),
              }),
            ),
          }),
          'Period scores, oldest first',
        ),
        401: json(ErrorList.pick({ error: true }), 'No valid bearer token'),
        404: json(ErrorList.pick({ error: true }), 'No such service'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { by } = c.req.valid('query');
      const db = c.var.deps.db;
      const svc = await serviceTitle(db, id);
      if (!svc) throw new ShtabError('not_found', 'service not found', { key: 'error.notFound' });
      return c.json({ scores: await feedbackScores(db, id, by) }, 200);
    },
  );
}
