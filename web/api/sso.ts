import { createRoute, z } from '@hono/zod-openapi';
import { replaceRules } from '../../app/auth/index.ts';
import { ssoRuleList } from '../../db/read-models/index.ts';
import { CLAIM_SOURCES } from '../../domain/accounts/index.ts';
import { ShtabError, validation } from '../../domain/errors.ts';
import { ROLES } from '../../domain/roles.ts';
import { errorResponses, json, security, type Api, type ApiContext } from './common.ts';

// The claims → role / agency rules on the API (admin tokens): read them, or replace the whole ordered
// list at once. The list is checked whole; a problem names the rule and field (`rules.2.role`) and
// nothing is written. The change is audited like the admin page's.

const RuleSchema = z
  .object({
    source: z.enum(CLAIM_SOURCES as [string, ...string[]]).openapi({ description: 'any, oidc or ldap' }),
    claim: z.string().openapi({ example: 'groups' }),
    value: z.string().openapi({ example: '/shtab/mtsr-executors' }),
    role: z.enum(ROLES).nullable(),
    agencyId: z.number().int().nullable(),
  })
  .openapi('SsoRule');

const RuleListSchema = z.object({ rules: z.array(RuleSchema).max(500) }).openapi('SsoRules');

const requireAdmin = (c: ApiContext) => {
  if (c.var.api.actor.role !== 'admin')
    throw new ShtabError('forbidden', 'only an administrator may change sign-in rules', {
      key: 'error.forbidden',
    });
};

export function ssoApi(api: Api) {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/sso/rules',
      summary: 'Single sign-on rules: claims → role / agency, in order',
      tags: ['admin'],
      security,
      responses: {
        200: json(RuleListSchema, 'The rules'),
        401: errorResponses[401],
        403: errorResponses[403],
      },
    }),
    async (c) => {
      requireAdmin(c);
      const rows = await ssoRuleList(c.var.deps.db);
      const rules = rows.map((r) => ({
        source: r.source,
        claim: r.claim,
        value: r.value,
        role: r.role,
        agencyId: r.agency_id,
      }));
      return c.json({ rules }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/sso/rules',
      summary: 'Replace the single sign-on rules (checked whole; nothing written on any problem)',
      tags: ['admin'],
      security,
      request: { body: { content: { 'application/json': { schema: RuleListSchema } }, required: true } },
      responses: {
        200: json(RuleListSchema, 'The rules as stored'),
        401: errorResponses[401],
        403: errorResponses[403],
        422: errorResponses[422],
      },
    }),
    async (c) => {
      requireAdmin(c);
      const { rules } = c.req.valid('json');
      const r = await replaceRules(
        c.var.deps.db,
        c.var.api.actor,
        rules.map((x) => ({ ...x, role: x.role ?? '', agencyId: x.agencyId })),
      );
      if (!r.ok) {
        const p = r.problems[0]!;
        const field = `rules.${p.index}.${p.field}`;
        throw validation(field, p.key, `${field}: ${p.key}`);
      }
      return c.json({ rules }, 200);
    },
  );
}
