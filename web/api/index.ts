import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { UpdateDefinition } from '@temporalio/common';
import { itemStateFromRow } from '../../db/control-items.ts';
import { getItem, listItems } from '../../db/read-models/index.ts';
import {
  availableActions,
  decide,
  type Command,
  type ItemAction,
  type ItemState,
} from '../../domain/control-item/index.ts';
import { ShtabError, type ErrorCode } from '../../domain/errors.ts';
import { sniffSpreadsheet, type ImportIssue } from '../../domain/imports/index.ts';
import { isAgencyRole, isProjectOffice } from '../../domain/roles.ts';
import {
  cancelUpdate,
  changeDeadlineUpdate,
  decideExtensionUpdate,
  reassignUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  startWorkUpdate,
  submitUpdate,
} from '../../workflows/definitions.ts';
import { updateItem } from '../../workflows/client.ts';
import { readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { translator, type Translate } from '../i18n/index.ts';
import { rejectNulInJson } from '../form-guard.ts';
import { enqueueRoadmapImport } from '../import-jobs.ts';
import {
  ActionBodies,
  AgencySchema,
  ErrorSchema,
  ImportJobSchema,
  ItemSchema,
  ItemSummarySchema,
  LifeSituationSchema,
  ScoreSchema,
  ServiceSchema,
} from './schemas.ts';
import { registerFeedbackApi } from './feedback.ts';
import { resolveToken, type TokenIdentity } from './tokens.ts';

type ApiEnv = { Variables: AppEnv['Variables'] & { api: TokenIdentity; apiT: Translate } };
type ApiContext = Context<ApiEnv>;

const STATUS: Record<ErrorCode, 403 | 404 | 409 | 422 | 503> = {
  validation: 422,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const errorResponses = {
  401: json(ErrorSchema, 'No valid bearer token'),
  403: json(ErrorSchema, 'The token may not do this'),
  404: json(ErrorSchema, 'Not found'),
  422: json(ErrorSchema, 'Invalid input'),
};
const security = [{ bearerAuth: [] }];

/** Messages in the language the client asks for (Accept-Language), else the token user's. */
function apiTranslator(c: Context, fallback: 'ru' | 'en'): Translate {
  const al = c.req.header('accept-language')?.toLowerCase() ?? '';
  return translator(al.startsWith('ru') ? 'ru' : al.startsWith('en') ? 'en' : fallback);
}

function apiError(
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

type ItemRow = NonNullable<Awaited<ReturnType<typeof getItem>>>;

async function pendingExtensionOf(c: ApiContext, id: number) {
  const r = await c.var.deps.db
    .selectFrom('extension_request')
    .select(['requested_due', 'event_key'])
    .where('control_item_id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r ? { requestedDue: r.requested_due, eventId: r.event_key } : null;
}

async function stateOf(c: ApiContext, row: ItemRow): Promise<ItemState> {
  return itemStateFromRow(row, { pendingExtension: await pendingExtensionOf(c, row.id) });
}

async function itemDto(c: ApiContext, row: ItemRow): Promise<z.infer<typeof ItemSchema>> {
  const state = await stateOf(c, row);
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    title: row.title_ru,
    titleEn: row.title_en,
    status: row.status,
    overdue: row.overdue,
    currentDue: row.current_due,
    originalDue: row.original_due,
    escalationLevel: row.escalation_level,
    agencyId: row.agency_id,
    agencyCode: row.agency_code,
    roadmapId: row.roadmap_id,
    deliverable: row.deliverable,
    lifeSituationId: row.life_situation_id,
    coAgencyIds: row.co_agency_ids,
    reviewRound: row.review_round,
    daysOverdue: row.overdue ? row.days_overdue : 0,
    periodKey: row.period_key,
    version: row.version,
    actions: availableActions(state, c.var.api.actor),
  };
}

async function loadItemRow(c: ApiContext, id: number): Promise<ItemRow> {
  const row = await getItem(c.var.deps.db, id, readContext(c as unknown as Context<AppEnv>).today);
  if (!row) throw new ShtabError('not_found', `item ${id} not found`, { key: 'item.notFound' });
  return row;
}

const UPDATE_OF: Record<Command['type'], UpdateDefinition<ItemState, [never]>> = {
  start: startWorkUpdate as never,
  submit: submitUpdate as never,
  review: reviewUpdate as never,
  requestExtension: requestExtensionUpdate as never,
  decideExtension: decideExtensionUpdate as never,
  reassign: reassignUpdate as never,
  cancel: cancelUpdate as never,
  changeDeadline: changeDeadlineUpdate as never,
};

/**
 * A lifecycle action as the token's identity: agency tokens only on items their agency is involved in,
 * then the lifecycle rules themselves (decide(), for a precise 403/409/422), then the item's workflow
 * Update, which checks again and persists. An Idempotency-Key makes a repeated request return the item
 * instead of acting twice.
 */
async function runAction(c: ApiContext, id: number, make: (eventId: string, s: ItemState) => Command) {
  const { db, temporal } = c.var.deps;
  const key = c.req.header('idempotency-key');
  if (key !== undefined && !/^[\w-]{8,64}$/.test(key)) {
    throw new ShtabError('validation', 'Idempotency-Key must be 8–64 letters, digits, - or _', {
      key: 'api.idempotencyKey',
      field: 'Idempotency-Key',
    });
  }
  const eventId = key ? `api-${c.var.api.tokenId}-${key}` : `api-${randomUUID()}`;
  let row = await loadItemRow(c, id);
  const replay = await db
    .selectFrom('event')
    .select('id')
    .where('event_key', '=', eventId)
    .executeTakeFirst();
  if (!replay) {
    const actor = c.var.api.actor;
    if (
      isAgencyRole(actor.role) &&
      actor.agencyId !== row.agency_id &&
      !row.co_agency_ids.includes(actor.agencyId ?? -1)
    ) {
      throw new ShtabError('forbidden', 'the item belongs to another agency', {
        key: 'err.forbidden.otherAgency',
      });
    }
    const state = await stateOf(c, row);
    const cmd = make(eventId, state);
    decide(state, cmd, {
      today: readContext(c as unknown as Context<AppEnv>).today,
      policy: c.var.deps.policy,
    });
    await updateItem(temporal, id, UPDATE_OF[cmd.type], cmd.args as never);
    row = await loadItemRow(c, id);
  }
  return c.json({ item: await itemDto(c, row) }, 200);
}

const idParams = z.object({
  // Ids are Postgres integers: a larger one used to reach the query and fail there (500, fuzz-api).
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .openapi({ param: { name: 'id', in: 'path' }, example: 12 }),
});
const itemResponse = z.object({ item: ItemSchema });

function actionRoute<B extends z.ZodType>(path: string, action: ItemAction, body: B, summary: string) {
  return createRoute({
    method: 'post',
    path: `/items/{id}/${path}`,
    summary,
    tags: ['items'],
    security,
    description: `Runs the \`${action}\` Update of the item's workflow as the token's identity.`,
    request: {
      params: idParams,
      headers: z.object({
        'idempotency-key': z
          .string()
          .optional()
          .openapi({ description: '8–64 characters; repeats return the item' }),
      }),
      body: { content: { 'application/json': { schema: body } }, required: path !== 'start' },
    },
    responses: {
      200: json(itemResponse, 'The item after the action'),
      ...errorResponses,
      409: json(ErrorSchema, 'Not allowed in the item’s current state'),
      503: json(ErrorSchema, 'Temporal is unavailable'),
    },
  });
}

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
    if (!m) return apiError(c, 401, 'unauthorized', t('api.unauthorized'), { key: 'api.unauthorized' });
    const identity = await resolveToken(c.var.deps.db, m[1]!);
    if (!identity) return apiError(c, 401, 'unauthorized', t('api.badToken'), { key: 'api.badToken' });
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
      return apiError(c, 422, 'validation', t('api.badJson'), { field: 'body', key: 'api.badJson' });
    }
    if (err instanceof HTTPException && err.status === 415) {
      return apiError(c, 415, 'unsupported_media_type', t('api.mediaType'), {
        field: 'content-type',
        key: 'api.mediaType',
      });
    }
    c.var.deps.log.error({ err, requestId: c.var.requestId, path: c.req.path }, 'api error');
    return apiError(c, 500, 'internal', t('error.internal', { requestId: c.var.requestId }));
  });

  // ---- items -------------------------------------------------------------------------------------
  api.openapi(
    createRoute({
      method: 'get',
      path: '/items',
      summary: 'List controlled items',
      tags: ['items'],
      security,
      request: {
        query: z.object({
          status: z
            .enum([
              'assigned',
              'in_progress',
              'submitted',
              'returned',
              'done',
              'cancelled',
              'overdue',
              'open',
            ])
            .optional(),
          agencyId: z.coerce.number().int().positive().optional(),
          lifeSituationId: z.coerce.number().int().positive().optional(),
          q: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
      responses: {
        200: json(
          z.object({ items: z.array(ItemSummarySchema), limit: z.number(), offset: z.number() }),
          'Items',
        ),
        401: errorResponses[401],
        422: errorResponses[422],
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await listItems(c.var.deps.db, readContext(c as unknown as Context<AppEnv>).today, {
        status: q.status,
        agencyId: q.agencyId,
        lifeSituationId: q.lifeSituationId,
        q: q.q,
        limit: q.limit,
        offset: q.offset,
      });
      const items = rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        number: r.number,
        title: r.title_ru,
        titleEn: r.title_en,
        status: r.status,
        overdue: r.overdue,
        currentDue: r.current_due,
        originalDue: r.original_due,
        escalationLevel: r.escalation_level,
        agencyId: r.agency_id,
        agencyCode: r.agency_code,
      }));
      return c.json({ items, limit: q.limit, offset: q.offset }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/items/{id}',
      summary: 'One item, with the actions this token may take now',
      tags: ['items'],
      security,
      request: { params: idParams },
      responses: { 200: json(itemResponse, 'The item'), 401: errorResponses[401], 404: errorResponses[404] },
    }),
    async (c) => c.json({ item: await itemDto(c, await loadItemRow(c, c.req.valid('param').id)) }, 200),
  );

  api.openapi(actionRoute('start', 'start', ActionBodies.start, 'Start work (responsible agency)'), (c) =>
    runAction(c, c.req.valid('param').id, (eventId) => ({
      type: 'start',
      args: { actor: c.var.api.actor, eventId },
    })),
  );
  api.openapi(
    actionRoute('submit', 'submit', ActionBodies.submit, 'Submit a report or a co-executor part'),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, (eventId, s) => {
        const actor = c.var.api.actor;
        const part =
          b.part ?? (actor.agencyId !== s.agencyId && s.coAgencyIds.includes(actor.agencyId ?? -1));
        return {
          type: 'submit',
          args: {
            actor,
            eventId,
            text: b.text,
            links: b.links.map((l) => ({ url: l.url, ...(l.title ? { title: l.title } : {}) })),
            attachmentIds: [],
            part,
          },
        };
      });
    },
  );
  api.openapi(
    actionRoute('review', 'review', ActionBodies.review, 'Accept or return a report (working group)'),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, (eventId) => ({
        type: 'review',
        args: {
          actor: c.var.api.actor,
          eventId,
          outcome: b.outcome,
          ...(b.reason ? { reason: b.reason } : {}),
          ...(b.newDue ? { newDue: b.newDue } : {}),
        },
      }));
    },
  );
  api.openapi(
    actionRoute(
      'extension-request',
      'requestExtension',
      ActionBodies.requestExtension,
      'Request a deadline extension',
    ),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, (eventId) => ({
        type: 'requestExtension',
        args: { actor: c.var.api.actor, eventId, requestedDue: b.requestedDue, reason: b.reason },
      }));
    },
  );
  api.openapi(
    actionRoute(
      'extension-decision',
      'decideExtension',
      ActionBodies.decideExtension,
      'Approve or reject an extension',
    ),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, (eventId) => ({
        type: 'decideExtension',
        args: { actor: c.var.api.actor, eventId, approve: b.approve, ...(b.note ? { note: b.note } : {}) },
      }));
    },
  );
  api.openapi(
    actionRoute('reassign', 'reassign', ActionBodies.reassign, 'Reassign to another agency'),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, (eventId) => ({
        type: 'reassign',
        args: {
          actor: c.var.api.actor,
          eventId,
          agencyId: b.agencyId,
          ...(b.coAgencyIds ? { coAgencyIds: b.coAgencyIds } : {}),
          reason: b.reason,
        },
      }));
    },
  );
  api.openapi(actionRoute('cancel', 'cancel', ActionBodies.cancel, 'Cancel the item'), (c) => {
    const b = c.req.valid('json');
    return runAction(c, c.req.valid('param').id, (eventId) => ({
      type: 'cancel',
      args: { actor: c.var.api.actor, eventId, reason: b.reason },
    }));
  });
  api.openapi(
    actionRoute(
      'change-deadline',
      'changeDeadline',
      ActionBodies.changeDeadline,
      'Set a new planned deadline (working group)',
    ),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, (eventId) => ({
        type: 'changeDeadline',
        args: { actor: c.var.api.actor, eventId, due: b.due, reason: b.reason },
      }));
    },
  );

  // ---- reference data ----------------------------------------------------------------------------
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
      const rows = await c.var.deps.db
        .selectFrom('agency')
        .select(['id', 'code', 'title_ru', 'title_en', 'short_ru'])
        .orderBy('code')
        .execute();
      return c.json(
        {
          agencies: rows.map((a) => ({
            id: a.id,
            code: a.code,
            titleRu: a.title_ru,
            titleEn: a.title_en,
            shortRu: a.short_ru,
          })),
        },
        200,
      );
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
      const rows = await c.var.deps.db
        .selectFrom('life_situation')
        .select(['id', 'code', 'title_ru', 'title_en', 'level'])
        .orderBy('sort')
        .orderBy('id')
        .execute();
      return c.json(
        {
          lifeSituations: rows.map((l) => ({
            id: l.id,
            code: l.code,
            titleRu: l.title_ru,
            titleEn: l.title_en,
            level: l.level,
          })),
        },
        200,
      );
    },
  );

  // ---- services and scores -----------------------------------------------------------------------
  async function services(
    c: ApiContext,
    f: { id?: number; agencyId?: number; lifeSituationId?: number; limit: number; offset: number },
  ) {
    const { db } = c.var.deps;
    let q = db
      .selectFrom('service as s')
      .select([
        's.id',
        's.code',
        's.title_ru',
        's.title_en',
        's.agency_id',
        's.level',
        's.electronic',
        's.proactive',
        's.socially_significant',
        's.curator_user_id',
      ])
      .orderBy('s.id')
      .limit(f.limit)
      .offset(f.offset);
    if (f.id) q = q.where('s.id', '=', f.id);
    if (f.agencyId) q = q.where('s.agency_id', '=', f.agencyId);
    if (f.lifeSituationId) {
      const ls = f.lifeSituationId;
      q = q.where(
        's.id',
        'in',
        db.selectFrom('service_life_situation').select('service_id').where('life_situation_id', '=', ls),
      );
    }
    const rows = await q.execute();
    const ids = rows.map((r) => r.id);
    const [links, scores] = ids.length
      ? await Promise.all([
          db
            .selectFrom('service_life_situation')
            .select(['service_id', 'life_situation_id'])
            .where('service_id', 'in', ids)
            .execute(),
          db
            .selectFrom('service_score')
            .distinctOn('service_id')
            .select(['service_id', 'period', 'avg_score', 'votes'])
            .where('service_id', 'in', ids)
            .orderBy('service_id')
            .orderBy('period', 'desc')
            .execute(),
        ])
      : [[], []];
    return rows.map((s) => {
      const sc = scores.find((x) => x.service_id === s.id);
      return {
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
        lifeSituationIds: links.filter((l) => l.service_id === s.id).map((l) => l.life_situation_id),
        latestScore: sc
          ? { serviceId: s.id, period: sc.period, avgScore: sc.avg_score, votes: sc.votes }
          : null,
      };
    });
  }

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
      return c.json({ services: await services(c, q), limit: q.limit, offset: q.offset }, 200);
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
      const [s] = await services(c, { id: c.req.valid('param').id, limit: 1, offset: 0 });
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
      let q = c.var.deps.db
        .selectFrom('service_score')
        .select(['service_id', 'period', 'avg_score', 'votes'])
        .orderBy('service_id')
        .orderBy('period')
        .limit(f.limit)
        .offset(f.offset);
      if (f.serviceId) q = q.where('service_id', '=', f.serviceId);
      if (f.period) q = q.where('period', '=', f.period);
      const rows = await q.execute();
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

  // ---- roadmap imports ---------------------------------------------------------------------------
  const requireProjectOffice = (c: ApiContext) => {
    if (!isProjectOffice(c.var.api.actor.role)) {
      throw new ShtabError('forbidden', 'only the working group may import', {
        key: 'err.forbidden.projectOfficeOnly',
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
              schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }),
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
      requireProjectOffice(c);
      const { db, config } = c.var.deps;
      const roadmapId = c.req.valid('param').id;
      const rm = await db.selectFrom('roadmap').select('id').where('id', '=', roadmapId).executeTakeFirst();
      if (!rm) throw new ShtabError('not_found', 'roadmap not found', { key: 'error.notFound' });
      const body = await c.req.parseBody();
      const file = body.file;
      if (!(file instanceof File) || file.size === 0) {
        throw new ShtabError('validation', 'file is required', {
          key: 'err.import.fileRequired',
          field: 'file',
        });
      }
      if (file.size > config.uploadMaxBytes) {
        throw new ShtabError('validation', 'file too large', {
          key: 'err.import.file.tooLarge',
          field: 'file',
          params: { mb: Math.round(config.uploadMaxBytes / 1024 / 1024) },
        });
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const sniffed = sniffSpreadsheet(bytes);
      if (!sniffed.ok) {
        throw new ShtabError('validation', sniffed.issue.key, {
          key: sniffed.issue.key,
          field: 'file',
          ...(sniffed.issue.params ? { params: sniffed.issue.params } : {}),
        });
      }
      const id = await enqueueRoadmapImport(c.var.deps, {
        roadmapId,
        newRoadmapTitle: null,
        filename: file.name,
        bytes,
        createdBy: c.var.api.actor.userId || null,
      });
      const job = await db
        .selectFrom('import_job')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
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
      const job = await c.var.deps.db
        .selectFrom('import_job')
        .selectAll()
        .where('id', '=', c.req.valid('param').id)
        .executeTakeFirst();
      if (!job) throw new ShtabError('not_found', 'import job not found', { key: 'imports.notFound' });
      return c.json({ job: jobDto(c, job) }, 200);
    },
  );

  registerFeedbackApi(api);

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
