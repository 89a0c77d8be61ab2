import { createRoute, z } from '@hono/zod-openapi';
import { enterCalendarYear } from '../../app/calendar/index.ts';
import {
  createAgency,
  createPerson,
  importAgencies,
  importCurators,
  importPeople,
  mergeAgencies,
  replaceCommittee,
  requireAdmin,
  requireProjectOffice,
  saveLifeSituation,
  saveRoadmap,
  setAgencyDisabled,
  setCurator,
  setPersonDisabled,
  updateAgency,
  updatePerson,
  type FileOutcome,
  type Outcome,
} from '../../app/reference/index.ts';
import {
  accountList,
  AUDIT_CATEGORIES,
  auditPage,
  calendarYearRows,
  committeeList,
  roadmapAdminList,
  type AuditCategory,
} from '../../db/read-models/index.ts';
import { validation, type FieldIssue } from '../../domain/errors.ts';
import {
  AGENCY_KINDS,
  AUTH_SOURCES,
  COMMITTEE_BODIES,
  COMMITTEE_ROLES,
} from '../../domain/reference/index.ts';
import { ROLES } from '../../domain/roles.ts';
import { errorResponses, idParams, json, security, type Api, type ApiContext } from './common.ts';
import { LocalDateSchema } from './schemas.ts';

// Reference data on the API (issue 15): the same use cases as the administration pages, with the token's
// identity — agencies (create, edit, disable, merge), people, life situations, roadmaps, curators (one,
// or a file), the committees, the calendar's years, onboarding files, and the audit trail. A refused body
// is a 422 naming the field; a refused file a 422 with every row's problem; nothing is stored then.

const text = (max: number) => z.string().max(max);
const nullableText = (max: number) => z.string().max(max).nullable().default(null);

const AgencyBody = z
  .object({
    code: text(40),
    titleRu: text(500),
    titleEn: nullableText(500),
    shortRu: nullableText(100),
    kind: z.enum(AGENCY_KINDS).default('regional'),
    aliases: z.array(text(300)).max(30).default([]),
    disabled: z.boolean().optional().openapi({ description: 'PUT only: disable or enable the agency' }),
  })
  .openapi('AgencyInput');

const PersonBody = z
  .object({
    login: text(64),
    displayName: text(200),
    email: nullableText(254),
    role: z.enum(ROLES),
    agencyId: z.number().int().positive().max(2_147_483_647).nullable().default(null),
    position: nullableText(300),
    locale: z.enum(['ru', 'en']).default('ru'),
    authSource: z.enum(AUTH_SOURCES).default('local'),
    disabled: z.boolean().optional().openapi({ description: 'PUT only: disable or enable the account' }),
  })
  .openapi('PersonInput');

const LifeSituationBody = z
  .object({
    code: text(40),
    titleRu: text(500),
    titleEn: nullableText(500),
    level: z.enum(['federal', 'regional']),
    periodFrom: LocalDateSchema.nullable().default(null),
    periodTo: LocalDateSchema.nullable().default(null),
  })
  .openapi('LifeSituationInput');

const offsets = z.array(z.number().int()).max(8);
const RoadmapBody = z
  .object({
    code: text(40),
    titleRu: text(500),
    titleEn: nullableText(500),
    act: nullableText(1000),
    horizon: LocalDateSchema.nullable().default(null),
    headSignoffRequired: z.boolean().default(false),
    policy: z
      .object({
        reminders: offsets,
        reworkReminders: offsets.default([]),
        recurringReminders: offsets.default([]),
        ladder: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
        repeatEvery: z.number().int(),
        reworkDays: z.number().int(),
      })
      .nullable()
      .default(null)
      .openapi({ description: 'Working days; null → the region’s policy' }),
  })
  .openapi('RoadmapInput');

const MemberBody = z.object({
  role: z.enum(COMMITTEE_ROLES),
  userId: z.number().int().positive().max(2_147_483_647).nullable().default(null),
  agencyId: z.number().int().positive().max(2_147_483_647).nullable().default(null),
  name: nullableText(300),
  position: nullableText(300),
});

const CalendarBody = z
  .object({
    daysOff: z.array(LocalDateSchema).max(60),
    workingWeekends: z.array(LocalDateSchema).max(20).default([]),
    source: text(500),
  })
  .openapi('CalendarYearInput');

const IssueSchema = z.object({
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  key: z.string(),
  message: z.string(),
});
const FileRefused = z
  .object({ error: z.object({ code: z.string(), message: z.string() }), errors: z.array(IssueSchema) })
  .openapi('FileRefused');
const FileBody = {
  content: {
    'multipart/form-data': {
      schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }),
    },
  },
  required: true,
};
const Created = z.object({ id: z.number().int() });
const Ok = z.object({ ok: z.literal(true) });

/** A refused form: the first problem as the 422 (its field and message). */
function refuse(problems: FieldIssue[]): never {
  const p = problems[0]!;
  throw validation(p.field, p.key, `${p.field}: ${p.key}`, p.params);
}
const outcome = <T>(r: Outcome<T>) => (r.ok ? r : refuse(r.problems));

async function fileOf(c: ApiContext) {
  const body = await c.req.parseBody();
  const f = body.file;
  if (!(f instanceof File))
    throw validation('file', 'error.svc.import.noFile', 'a multipart field "file" is required');
  return { bytes: new Uint8Array(await f.arrayBuffer()), filename: f.name || 'upload' };
}

function fileAnswer<T extends object>(c: ApiContext, r: FileOutcome<T>) {
  if (r.ok) return c.json({ ...r }, 200);
  const t = c.var.apiT;
  return c.json(
    {
      error: { code: 'validation', message: t('svc.import.failed', { n: r.errors.length }) },
      errors: r.errors.map((e) => ({
        row: e.row,
        column: e.column,
        key: e.key,
        message: t(e.key, e.params),
      })),
    },
    422,
  );
}

const actor = (c: ApiContext) => c.var.api.actor;
const forAdmin = (c: ApiContext) => requireAdmin(actor(c));
const forOffice = (c: ApiContext) => requireProjectOffice(actor(c));

export function adminApi(api: Api) {
  // The routes' typed handlers would need a response type per status; these read their input through
  // c.req.valid and answer through the one error boundary (web/api/index.ts), so they register untyped.
  const add = (r: unknown, h: (c: ApiContext) => Promise<Response>) =>
    (api.openapi as unknown as (r: unknown, h: (c: ApiContext) => Promise<Response>) => void)(r, h);
  const route = <P extends string>(
    method: 'get' | 'post' | 'put',
    path: P,
    summary: string,
    o: {
      body?: z.ZodType;
      params?: boolean;
      file?: boolean;
      ok: z.ZodType;
      status?: 200 | 201;
      query?: z.ZodObject;
    } = {
      ok: Ok,
    },
  ) =>
    createRoute({
      method,
      path,
      summary,
      tags: ['reference'],
      security,
      request: {
        ...(o.params ? { params: idParams } : {}),
        ...(o.query ? { query: o.query } : {}),
        ...(o.body ? { body: { content: { 'application/json': { schema: o.body } }, required: true } } : {}),
        ...(o.file ? { body: FileBody } : {}),
      },
      responses: {
        [o.status ?? 200]: json(o.ok, 'Done'),
        ...(o.file ? { 422: json(FileRefused, 'The file, refused: every problem with its row') } : {}),
        ...errorResponses,
      },
    });

  // ---- agencies -------------------------------------------------------------------------------------
  add(
    route('post', '/agencies', 'Create an agency (admin)', { body: AgencyBody, ok: Created, status: 201 }),
    async (c) => {
      forAdmin(c);
      const { disabled: _d, ...input } = c.req.valid('json' as never) as z.infer<typeof AgencyBody>;
      const r = outcome(await createAgency(c.var.deps.db, actor(c), input));
      return c.json({ id: r.id }, 201);
    },
  );
  add(
    route('put', '/agencies/{id}', 'Edit, disable or enable an agency (admin)', {
      body: AgencyBody,
      params: true,
      ok: Ok,
    }),
    async (c) => {
      forAdmin(c);
      const { id } = c.req.valid('param' as never) as { id: number };
      const { disabled, ...input } = c.req.valid('json' as never) as z.infer<typeof AgencyBody>;
      outcome(await updateAgency(c.var.deps.db, actor(c), id, input));
      if (disabled !== undefined) await setAgencyDisabled(c.var.deps.db, actor(c), id, disabled);
      return c.json({ ok: true as const }, 200);
    },
  );
  add(
    route('post', '/agencies/{id}/merge', 'Merge an agency into another (admin)', {
      params: true,
      body: z.object({ intoAgencyId: z.number().int().positive().max(2_147_483_647), reason: text(2000) }),
      ok: z.object({
        reassigned: z.number().int(),
        pending: z.number().int(),
        moved: z.record(z.string(), z.number().int()),
      }),
    }),
    async (c) => {
      forAdmin(c);
      const { id } = c.req.valid('param' as never) as { id: number };
      const b = c.req.valid('json' as never) as { intoAgencyId: number; reason: string };
      const r = await mergeAgencies(c.var.deps, actor(c), {
        fromId: id,
        intoId: b.intoAgencyId,
        reason: b.reason,
      });
      return c.json(r, 200);
    },
  );

  // ---- people ---------------------------------------------------------------------------------------
  add(
    route('get', '/people', 'People with role, agency, sign-in method and last sign-in (admin)', {
      ok: z.object({
        people: z.array(
          z.object({
            id: z.number().int(),
            login: z.string(),
            displayName: z.string(),
            role: z.enum(ROLES),
            agencyCode: z.string().nullable(),
            position: z.string().nullable(),
            authSource: z.enum(AUTH_SOURCES),
            disabled: z.boolean(),
            lastSignInAt: z.string().nullable(),
          }),
        ),
      }),
    }),
    async (c) => {
      forAdmin(c);
      const rows = await accountList(c.var.deps.db);
      return c.json(
        {
          people: rows.map((r) => ({
            id: r.id,
            login: r.login,
            displayName: r.display_name,
            role: r.role,
            agencyCode: r.agency_code,
            position: r.position,
            authSource: r.auth_source,
            disabled: r.disabled,
            lastSignInAt: r.last_sign_in_at?.toISOString() ?? null,
          })),
        },
        200,
      );
    },
  );
  add(
    route('post', '/people', 'Create a person (admin)', { body: PersonBody, ok: Created, status: 201 }),
    async (c) => {
      forAdmin(c);
      const { disabled: _d, ...input } = c.req.valid('json' as never) as z.infer<typeof PersonBody>;
      const r = outcome(await createPerson(c.var.deps.db, actor(c), input));
      return c.json({ id: r.id }, 201);
    },
  );
  add(
    route('put', '/people/{id}', 'Edit, disable or enable a person (admin; login and sign-in method stay)', {
      body: PersonBody,
      params: true,
      ok: Ok,
    }),
    async (c) => {
      forAdmin(c);
      const { id } = c.req.valid('param' as never) as { id: number };
      const {
        disabled,
        login: _l,
        authSource: _s,
        ...input
      } = c.req.valid('json' as never) as z.infer<typeof PersonBody>;
      outcome(await updatePerson(c.var.deps.db, actor(c), id, input));
      if (disabled !== undefined) await setPersonDisabled(c.var.deps.db, actor(c), id, disabled);
      return c.json({ ok: true as const }, 200);
    },
  );

  // ---- life situations and roadmaps -----------------------------------------------------------------
  add(
    route('post', '/life-situations', 'Create a life situation (working group)', {
      body: LifeSituationBody,
      ok: Created,
      status: 201,
    }),
    async (c) => {
      forOffice(c);
      const input = c.req.valid('json' as never) as z.infer<typeof LifeSituationBody>;
      return c.json({ id: outcome(await saveLifeSituation(c.var.deps.db, actor(c), null, input)).id }, 201);
    },
  );
  add(
    route('put', '/life-situations/{id}', 'Edit a life situation (working group)', {
      body: LifeSituationBody,
      params: true,
      ok: Ok,
    }),
    async (c) => {
      forOffice(c);
      const { id } = c.req.valid('param' as never) as { id: number };
      const input = c.req.valid('json' as never) as z.infer<typeof LifeSituationBody>;
      outcome(await saveLifeSituation(c.var.deps.db, actor(c), id, input));
      return c.json({ ok: true as const }, 200);
    },
  );
  add(
    route('get', '/roadmaps', 'Roadmaps', {
      ok: z.object({
        roadmaps: z.array(
          z.object({
            id: z.number().int(),
            code: z.string(),
            titleRu: z.string(),
            titleEn: z.string(),
            act: z.string().nullable(),
            horizon: z.string().nullable(),
            headSignoffRequired: z.boolean(),
            openItems: z.number().int(),
          }),
        ),
      }),
    }),
    async (c) => {
      const rows = await roadmapAdminList(c.var.deps.db);
      return c.json(
        {
          roadmaps: rows.map((r) => ({
            id: r.id,
            code: r.code,
            titleRu: r.title_ru,
            titleEn: r.title_en,
            act: r.act,
            horizon: r.horizon,
            headSignoffRequired: r.head_signoff_required,
            openItems: r.open_items,
          })),
        },
        200,
      );
    },
  );
  add(
    route('post', '/roadmaps', 'Create a roadmap (working group)', {
      body: RoadmapBody,
      ok: Created,
      status: 201,
    }),
    async (c) => {
      forOffice(c);
      const input = c.req.valid('json' as never) as z.infer<typeof RoadmapBody>;
      return c.json({ id: outcome(await saveRoadmap(c.var.deps.db, actor(c), null, input)).id }, 201);
    },
  );
  add(
    route('put', '/roadmaps/{id}', 'Edit a roadmap (working group)', {
      body: RoadmapBody,
      params: true,
      ok: Ok,
    }),
    async (c) => {
      forOffice(c);
      const { id } = c.req.valid('param' as never) as { id: number };
      const input = c.req.valid('json' as never) as z.infer<typeof RoadmapBody>;
      outcome(await saveRoadmap(c.var.deps.db, actor(c), id, input));
      return c.json({ ok: true as const }, 200);
    },
  );

  // ---- curators -------------------------------------------------------------------------------------
  add(
    route('put', '/services/{id}/curator', 'Set or clear a service’s curator (working group)', {
      params: true,
      body: z.object({ curatorUserId: z.number().int().positive().max(2_147_483_647).nullable() }),
      ok: Ok,
    }),
    async (c) => {
      forOffice(c);
      const { id } = c.req.valid('param' as never) as { id: number };
      const { curatorUserId } = c.req.valid('json' as never) as { curatorUserId: number | null };
      await setCurator(c.var.deps.db, actor(c), id, curatorUserId);
      return c.json({ ok: true as const }, 200);
    },
  );
  add(
    route('post', '/curators/import', 'Curators from CSV/XLSX: service code → login (working group)', {
      file: true,
      ok: z.object({ rows: z.number().int(), changed: z.number().int(), unchanged: z.number().int() }),
    }),
    async (c) => {
      forOffice(c);
      return fileAnswer(c, await importCurators(c.var.deps.db, actor(c), await fileOf(c)));
    },
  );

  // ---- onboarding -----------------------------------------------------------------------------------
  const Onboarded = z.object({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
  });
  for (const which of ['agencies', 'people'] as const)
    add(
      route(
        'post',
        `/onboarding/${which}`,
        `${which === 'agencies' ? 'Agencies' : 'People'} from CSV/XLSX (admin)`,
        {
          file: true,
          ok: Onboarded,
        },
      ),
      async (c) => {
        forAdmin(c);
        const run = which === 'agencies' ? importAgencies : importPeople;
        return fileAnswer(c, await run(c.var.deps.db, actor(c), await fileOf(c)));
      },
    );

  // ---- committees -----------------------------------------------------------------------------------
  const Member = MemberBody.extend({ id: z.number().int(), body: z.enum(COMMITTEE_BODIES) });
  add(
    route('get', '/committee', 'The working group’s and the штаб’s composition', {
      ok: z.object({ members: z.array(Member) }),
    }),
    async (c) => {
      const rows = await committeeList(c.var.deps.db);
      return c.json(
        {
          members: rows.map((m) => ({
            id: m.id,
            body: m.body,
            role: m.role,
            userId: m.user_id,
            agencyId: m.agency_id,
            name: m.name,
            position: m.position,
          })),
        },
        200,
      );
    },
  );
  add(
    createRoute({
      method: 'put',
      path: '/committee/{body}',
      summary: 'Replace a body’s composition (working group; checked whole)',
      tags: ['reference'],
      security,
      request: {
        params: z.object({ body: z.enum(COMMITTEE_BODIES).openapi({ param: { name: 'body', in: 'path' } }) }),
        body: {
          content: { 'application/json': { schema: z.object({ members: z.array(MemberBody).max(200) }) } },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ ids: z.array(z.number().int()) }), 'The new seats'),
        ...errorResponses,
      },
    }),
    async (c) => {
      forOffice(c);
      const { body } = c.req.valid('param' as never) as { body: (typeof COMMITTEE_BODIES)[number] };
      const { members } = c.req.valid('json' as never) as { members: z.infer<typeof MemberBody>[] };
      const r = outcome(await replaceCommittee(c.var.deps.db, actor(c), body, members));
      return c.json({ ids: r.ids }, 200);
    },
  );

  // ---- calendar -------------------------------------------------------------------------------------
  add(
    route('get', '/calendar', 'Years of the working-day calendar entered by the administrator', {
      ok: z.object({
        years: z.array(
          z.object({
            year: z.number().int(),
            daysOff: z.array(z.string()),
            workingWeekends: z.array(z.string()),
            source: z.string(),
            version: z.number().int(),
          }),
        ),
      }),
    }),
    async (c) => {
      const rows = await calendarYearRows(c.var.deps.db);
      return c.json(
        {
          years: rows.map((y) => ({
            year: y.year,
            daysOff: y.days_off,
            workingWeekends: y.working_weekends,
            source: y.source,
            version: y.version,
          })),
        },
        200,
      );
    },
  );
  add(
    createRoute({
      method: 'put',
      path: '/calendar/{year}',
      summary: 'Enter a year of the calendar (admin): open items re-plan their reminders',
      tags: ['reference'],
      security,
      request: {
        params: z.object({
          year: z.coerce
            .number()
            .int()
            .min(2000)
            .max(2100)
            .openapi({ param: { name: 'year', in: 'path' } }),
        }),
        body: { content: { 'application/json': { schema: CalendarBody } }, required: true },
      },
      responses: {
        200: json(z.object({ version: z.number().int(), rolledOut: z.boolean() }), 'Saved'),
        ...errorResponses,
      },
    }),
    async (c) => {
      forAdmin(c);
      const { year } = c.req.valid('param' as never) as { year: number };
      const b = c.req.valid('json' as never) as z.infer<typeof CalendarBody>;
      const r = outcome(await enterCalendarYear(c.var.deps, actor(c), { year, ...b }));
      return c.json({ version: r.version, rolledOut: r.rolledOut }, 200);
    },
  );

  // ---- audit ----------------------------------------------------------------------------------------
  add(
    route('get', '/audit', 'Changes of reference data and accounts, newest first (working group)', {
      query: z.object({
        category: z.enum(Object.keys(AUDIT_CATEGORIES) as [AuditCategory, ...AuditCategory[]]).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      }),
      ok: z.object({
        total: z.number().int(),
        events: z.array(
          z.object({
            id: z.number().int(),
            type: z.string(),
            at: z.string(),
            actor: z.string().nullable(),
            before: z.unknown(),
            after: z.unknown(),
            data: z.unknown(),
          }),
        ),
      }),
    }),
    async (c) => {
      forOffice(c);
      const q = c.req.valid('query' as never) as { category?: AuditCategory; limit: number; offset: number };
      const { rows, total } = await auditPage(c.var.deps.db, q);
      return c.json(
        {
          total,
          events: rows.map((e) => ({
            id: e.id,
            type: e.type,
            at: e.at.toISOString(),
            actor: e.actor_login,
            before: e.before,
            after: e.after,
            data: e.data,
          })),
        },
        200,
      );
    },
  );
}
