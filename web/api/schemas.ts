import { z } from '@hono/zod-openapi';
import { ITEM_KINDS, ITEM_STATUSES } from '../../domain/control-item/index.ts';
import { isLocalDate } from '../../domain/local-date.ts';

export const LocalDateSchema = z
  .string()
  .refine(isLocalDate, 'a calendar date YYYY-MM-DD')
  .openapi({ format: 'date', example: '2025-06-30' });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        'unauthorized',
        'validation',
        'forbidden',
        'not_found',
        'conflict',
        'unavailable',
        'internal',
      ]),
      message: z.string(),
      field: z.string().optional(),
      key: z.string().optional().openapi({ description: 'Message key (stable, for programs)' }),
    }),
  })
  .openapi('Error');

export const ItemSummarySchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(ITEM_KINDS),
    number: z.string().nullable(),
    title: z.string(),
    titleEn: z.string().nullable(),
    status: z.enum(ITEM_STATUSES),
    overdue: z.boolean(),
    currentDue: LocalDateSchema.openapi({
      description: 'The control date (контрольный срок): moved only by an approved extension',
    }),
    originalDue: LocalDateSchema.openapi({ description: 'The planned deadline of the roadmap' }),
    escalationLevel: z.number().int(),
    agencyId: z.number().int(),
    agencyCode: z.string(),
  })
  .openapi('ItemSummary');

export const ItemSchema = ItemSummarySchema.extend({
  roadmapId: z.number().int().nullable(),
  deliverable: z.string().nullable(),
  lifeSituationId: z.number().int().nullable(),
  coAgencyIds: z.array(z.number().int()),
  reviewRound: z.number().int(),
  reworkDue: LocalDateSchema.nullable().openapi({
    description: 'The rework due date (срок доработки) while returned; it does not move the control date',
  }),
  daysOverdue: z.number().int().openapi({
    description: 'Working days past the control date while overdue (0 otherwise), as every page shows it',
  }),
  lateness: z
    .object({
      state: z.enum(['overdue', 'late', 'none']),
      workingDays: z.number().int(),
      unit: z.literal('working_days'),
    })
    .openapi({
      description:
        'overdue: open and past the control date (working days until today); late: accepted after it (until acceptance)',
    }),
  periodKey: z.string().nullable(),
  version: z.number().int(),
  actions: z.array(z.string()).openapi({ description: 'Actions this token may take on the item now' }),
}).openapi('Item');

export const AgencySchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    titleRu: z.string(),
    titleEn: z.string(),
    shortRu: z.string().nullable(),
  })
  .openapi('Agency');

export const LifeSituationSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    titleRu: z.string(),
    titleEn: z.string(),
    level: z.enum(['federal', 'regional']),
  })
  .openapi('LifeSituation');

export const ScoreSchema = z
  .object({
    serviceId: z.number().int(),
    period: z.string().openapi({ example: '2025-Q2' }),
    avgScore: z.number().nullable(),
    votes: z.number().int(),
  })
  .openapi('Score');

export const ServiceSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    titleRu: z.string(),
    titleEn: z.string().nullable(),
    agencyId: z.number().int(),
    level: z.string(),
    electronic: z.boolean(),
    proactive: z.boolean(),
    sociallySignificant: z.boolean(),
    curatorUserId: z.number().int().nullable(),
    lifeSituationIds: z.array(z.number().int()),
    latestScore: ScoreSchema.nullable(),
  })
  .openapi('Service');

export const ImportJobSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(['queued', 'running', 'failed', 'done']),
    phase: z.string(),
    filename: z.string(),
    roadmapId: z.number().int().nullable(),
    rowsTotal: z.number().int(),
    rowsDone: z.number().int(),
    workflowsTotal: z.number().int(),
    workflowsDone: z.number().int(),
    errors: z
      .array(
        z.object({
          row: z.number().int().nullable(),
          column: z.string().nullable(),
          header: z.string().optional(),
          key: z.string(),
          message: z.string(),
        }),
      )
      .openapi({ description: 'Every problem of a failed import, with its row and column' }),
    result: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('ImportJob');

const reason = z.string().min(1).max(2_000);

export const ActionBodies = {
  start: z.object({}).openapi('StartWork'),
  submit: z
    .object({
      text: z.string().max(20_000).default(''),
      links: z
        .array(z.object({ url: z.string().max(2_000), title: z.string().max(300).optional() }))
        .default([]),
      part: z
        .boolean()
        .optional()
        .openapi({ description: "A co-executor's part; default: true for co-executors" }),
    })
    .openapi('Submit'),
  review: z
    .object({
      outcome: z.enum(['accept', 'return']),
      reason: z.string().max(2_000).optional(),
      newDue: LocalDateSchema.optional().openapi({
        description: 'Rework due date for a return; the control date does not move',
      }),
      comment: z.string().max(2_000).optional().openapi({ description: 'An acceptance’s comment' }),
    })
    .openapi('Review'),
  withdraw: z
    .object({ reason: z.string().max(2_000).optional() })
    .openapi('Withdraw', { description: 'Takes back a report under review or a pending extension request' }),
  requestExtension: z.object({ requestedDue: LocalDateSchema, reason }).openapi('RequestExtension'),
  decideExtension: z
    .object({
      approve: z.boolean(),
      note: z.string().max(2_000).optional(),
      grantedDue: LocalDateSchema.optional().openapi({
        description: 'The new control date granted; default: the requested one',
      }),
    })
    .openapi('DecideExtension'),
  reopen: z
    .object({
      reason,
      reworkDue: LocalDateSchema.optional().openapi({ description: 'Rework due date for the executor' }),
    })
    .openapi('Reopen'),
  reassign: z
    .object({
      agencyId: z.number().int().positive(),
      coAgencyIds: z.array(z.number().int().positive()).optional(),
      reason,
    })
    .openapi('Reassign'),
  cancel: z.object({ reason }).openapi('Cancel'),
  changeDeadline: z.object({ due: LocalDateSchema, reason }).openapi('ChangeDeadline'),
} as const;
