import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { runItemCommand, type ItemCommand } from '../../app/control-items/index.ts';
import { itemStatesOf } from '../../db/item-states.ts';
import { getItem, latenessOf, listItems } from '../../db/read-models/index.ts';
import {
  availableActions,
  LATENESS_UNIT,
  type ItemAction,
  type ItemState,
} from '../../domain/control-item/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { readContextOf } from '../context.ts';
import { errorResponses, idParams, json, security, type Api, type ApiContext } from './common.ts';
import { ActionBodies, ErrorSchema, ItemSchema, ItemSummarySchema } from './schemas.ts';

// Items: list, read, and the lifecycle actions, each through the one action pipeline of app/.

type ItemRow = NonNullable<Awaited<ReturnType<typeof getItem>>>;

async function stateOf(c: ApiContext, row: ItemRow): Promise<ItemState> {
  return (await itemStatesOf(c.var.deps.db, [row])).get(row.id)!;
}

async function itemDto(c: ApiContext, row: ItemRow): Promise<z.infer<typeof ItemSchema>> {
  const state = await stateOf(c, row);
  const late = latenessOf(row, readContextOf(c.var.deps));
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
    reworkDue: row.status === 'returned' ? row.rework_due : null,
    daysOverdue: late.state === 'overdue' ? late.workingDays : 0,
    lateness: { ...late, unit: LATENESS_UNIT },
    periodKey: row.period_key,
    version: row.version,
    actions: availableActions(state, c.var.api.actor),
  };
}

async function loadItemRow(c: ApiContext, id: number): Promise<ItemRow> {
  const row = await getItem(c.var.deps.db, id, readContextOf(c.var.deps).today);
  if (!row) throw new ShtabError('not_found', `item ${id} not found`, { key: 'error.item.notFound' });
  return row;
}

/**
 * A lifecycle action as the token's identity, through the one action pipeline (app/control-items
 * runItemCommand: permission, repeat check, the workflow's Update). An Idempotency-Key makes a repeated
 * request return the item instead of acting twice; the same key on another item or action is a 409.
 */
async function runAction(c: ApiContext, id: number, command: ItemCommand) {
  const key = c.req.header('idempotency-key');
  if (key !== undefined && !/^[\w-]{8,64}$/.test(key)) {
    throw new ShtabError('validation', 'Idempotency-Key must be 8–64 letters, digits, - or _', {
      key: 'error.api.idempotencyKey',
      field: 'Idempotency-Key',
    });
  }
  try {
    await runItemCommand(c.var.deps, {
      actor: c.var.api.actor,
      itemId: id,
      command,
      // Keys are the client's own: kept apart per token.
      idempotencyKey: key ? `api-${c.var.api.tokenId}-${key}` : `api-${randomUUID()}`,
    });
  } catch (e) {
    if (e instanceof ShtabError && e.detail.key === 'error.command.keyReused') {
      throw new ShtabError('conflict', e.message, {
        key: 'error.api.idempotencyKeyReused',
        field: 'Idempotency-Key',
      });
    }
    throw e;
  }
  return c.json({ item: await itemDto(c, await loadItemRow(c, id)) }, 200);
}

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
      409: json(
        ErrorSchema,
        'Not allowed in the item’s current state, or the Idempotency-Key was used for another action',
      ),
      503: json(ErrorSchema, 'Temporal is unavailable'),
    },
  });
}

/** The item routes on the API. */
export function itemApi(api: Api) {
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
      const rows = await listItems(c.var.deps.db, readContextOf(c.var.deps).today, {
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
    runAction(c, c.req.valid('param').id, { type: 'start' }),
  );
  api.openapi(
    actionRoute('submit', 'submit', ActionBodies.submit, 'Submit a report or a co-executor part'),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, {
        type: 'submit',
        text: b.text,
        links: b.links.map((l) => ({ url: l.url, ...(l.title ? { title: l.title } : {}) })),
        ...(b.part !== undefined ? { part: b.part } : {}),
      });
    },
  );
  api.openapi(
    actionRoute('review', 'review', ActionBodies.review, 'Accept or return a report (working group)'),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, {
        type: 'review',
        outcome: b.outcome,
        ...(b.reason ? { reason: b.reason } : {}),
        ...(b.newDue ? { newDue: b.newDue } : {}),
        ...(b.comment ? { comment: b.comment } : {}),
      });
    },
  );
  // The responsible agency takes back its report or its extension request before a decision.
  for (const [path, type, summary] of [
    ['withdraw-submission', 'withdrawSubmission', 'Withdraw the report under review (responsible agency)'],
    [
      'extension-withdraw',
      'withdrawExtension',
      'Withdraw the pending extension request (responsible agency)',
    ],
  ] as const) {
    api.openapi(actionRoute(path, type, ActionBodies.withdraw, summary), (c) => {
      const reason = c.req.valid('json').reason?.trim();
      return runAction(c, c.req.valid('param').id, { type, ...(reason ? { reason } : {}) });
    });
  }
  api.openapi(
    actionRoute(
      'extension-request',
      'requestExtension',
      ActionBodies.requestExtension,
      'Request a deadline extension',
    ),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, {
        type: 'requestExtension',
        requestedDue: b.requestedDue,
        reason: b.reason,
      });
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
      return runAction(c, c.req.valid('param').id, {
        type: 'decideExtension',
        approve: b.approve,
        ...(b.note ? { note: b.note } : {}),
        ...(b.approve && b.grantedDue ? { grantedDue: b.grantedDue } : {}),
      });
    },
  );
  api.openapi(
    actionRoute('reopen', 'reopen', ActionBodies.reopen, 'Put an accepted item back under control'),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, {
        type: 'reopen',
        reason: b.reason,
        ...(b.reworkDue ? { reworkDue: b.reworkDue } : {}),
      });
    },
  );
  api.openapi(
    actionRoute('reassign', 'reassign', ActionBodies.reassign, 'Reassign to another agency'),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, {
        type: 'reassign',
        agencyId: b.agencyId,
        ...(b.coAgencyIds ? { coAgencyIds: b.coAgencyIds } : {}),
        reason: b.reason,
      });
    },
  );
  api.openapi(actionRoute('cancel', 'cancel', ActionBodies.cancel, 'Cancel the item'), (c) =>
    runAction(c, c.req.valid('param').id, { type: 'cancel', reason: c.req.valid('json').reason }),
  );
  api.openapi(
    actionRoute(
      'change-deadline',
      'changeDeadline',
      ActionBodies.changeDeadline,
      'Set a new planned deadline (working group)',
    ),
    (c) => {
      const b = c.req.valid('json');
      return runAction(c, c.req.valid('param').id, { type: 'changeDeadline', due: b.due, reason: b.reason });
    },
  );
}
