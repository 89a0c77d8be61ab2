import { createRoute, z } from '@hono/zod-openapi';
import { queueRoadmapImport } from '../../app/imports/index.ts';
import { RECURRENCES } from '../../domain/control-item/index.ts';
import { getImportJob, roadmapExists } from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import type { ImportIssue } from '../../domain/imports/index.ts';
import { isProjectOffice } from '../../domain/roles.ts';
import { errorResponses, idParams, json, security, type Api, type ApiContext } from './common.ts';
import { ImportJobSchema } from './schemas.ts';

/** Roadmap imports on the API (working group): queue a file, follow its job. */
export function importApi(api: Api) {
  const requireProjectOffice = (c: ApiContext) => {
    if (!isProjectOffice(c.var.api.actor.role)) {
      throw new ShtabError('forbidden', 'only the working group may import', {
        key: 'error.forbidden.projectOfficeOnly',
      });
    }
  };
  const jobDto = (
    c: ApiContext,
    j: {
      id: number;
      status: 'queued' | 'running' | 'failed' | 'done';
      phase: string;
      filename: string;
      roadmap_id: number | null;
      rows_total: number;
      rows_done: number;
      workflows_total: number;
      workflows_done: number;
      errors: unknown;
      result: unknown;
    },
  ) => ({
    id: j.id,
    status: j.status,
    phase: j.phase,
    filename: j.filename,
    roadmapId: j.roadmap_id,
    rowsTotal: j.rows_total,
    rowsDone: j.rows_done,
    workflowsTotal: j.workflows_total,
    workflowsDone: j.workflows_done,
    errors: ((j.errors ?? []) as ImportIssue[]).map((i) => ({
      row: i.row,
      column: i.column,
      ...(i.header ? { header: i.header } : {}),
      key: i.key,
      message: c.var.apiT(i.key, i.params),
    })),
    result: (j.result ?? null) as Record<string, unknown> | null,
  });

  api.openapi(
    createRoute({
      method: 'post',
      path: '/roadmaps/{id}/imports',
      summary: 'Import a roadmap .xlsx in the background (working group)',
      description:
        'All or nothing: the job validates every row first and writes nothing if any row is wrong. Poll GET /imports/{id}.',
      tags: ['imports'],
      security,
      request: {
        params: idParams,
        body: {
          content: {
            'multipart/form-data': {
              schema: z.object({
                file: z.any().openapi({ type: 'string', format: 'binary' }),
                openEndedEvery: z.enum(RECURRENCES).optional().openapi({
                  description:
                    'Read open-ended deadlines («постоянно») as a report with this cadence and no end date; absent: such rows are refused',
                }),
              }),
            },
          },
          required: true,
        },
      },
      responses: {
        202: json(z.object({ job: ImportJobSchema }), 'The job, queued'),
        ...errorResponses,
      },
    }),
    async (c) => {
      // The use case checks the role too; here first, so that no roadmap id is confirmed to a stranger.
      requireProjectOffice(c);
      const { db, config } = c.var.deps;
      const roadmapId = c.req.valid('param').id;
      if (!(await roadmapExists(db, roadmapId)))
        throw new ShtabError('not_found', 'roadmap not found', { key: 'error.notFound' });
      const body = await c.req.parseBody();
      const file = body.file;
      const queued = await queueRoadmapImport(c.var.deps, {
        target: { roadmapId },
        file:
          file instanceof File ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : null,
        actor: c.var.api.actor,
        maxBytes: config.uploadMaxBytes,
        openEndedEvery: typeof body.openEndedEvery === 'string' ? body.openEndedEvery : null,
      });
      if (!queued.ok) {
        const p = queued.problems[0]!;
        throw new ShtabError('validation', p.key, {
          key: p.key,
          field: p.field,
          ...(p.params ? { params: p.params } : {}),
        });
      }
      const job = (await getImportJob(db, queued.jobId))!;
      return c.json({ job: jobDto(c, job) }, 202);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/imports/{id}',
      summary: 'An import job: progress, errors with rows and columns, result',
      tags: ['imports'],
      security,
      request: { params: idParams },
      responses: {
        200: json(z.object({ job: ImportJobSchema }), 'The job'),
        401: errorResponses[401],
        403: errorResponses[403],
        404: errorResponses[404],
      },
    }),
    async (c) => {
      requireProjectOffice(c);
      const job = await getImportJob(c.var.deps.db, c.req.valid('param').id);
      if (!job) throw new ShtabError('not_found', 'import job not found', { key: 'error.import.notFound' });
      return c.json({ job: jobDto(c, job) }, 200);
    },
  );
}
