import { Hono, type Context } from 'hono';
import { addRule, deleteRule, moveRule, updateRule, type RuleProblems } from '../../app/auth/index.ts';
import { agencyChoices, ssoRuleHistory, ssoRuleList, type AuditedRule } from '../../db/read-models/index.ts';
import { CLAIM_SOURCES, type RuleInput } from '../../domain/accounts/index.ts';
import { validation } from '../../domain/errors.ts';
import { ROLES } from '../../domain/roles.ts';
import { requireRole } from '../auth/index.ts';
import { actorOf, currentUser, idParam } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDateTime, type Translate } from '../i18n/index.ts';
import { AdminTabs } from '../views/admin-tabs.tsx';
import { Field } from '../views/components.tsx';

// Single sign-on for the admin: what is configured (never a secret), the claims → role / agency rules
// (add, change, reorder, delete; each change audited with the whole list before and after) and their
// history. The same rules are read and replaced through the API (web/api/sso.ts).

type Form = RuleInput & { id?: number };

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function ruleText(t: Translate, r: AuditedRule) {
  const grants = [r.role ? t(`role.${r.role}`) : null, r.agency !== null ? String(r.agency) : null].filter(
    Boolean,
  );
  return `${t(`sso.source.${r.source}`)}: ${r.claim} = «${r.value}» → ${grants.join(', ')}`;
}

function ConfigStatus({ c }: { c: Context<AppEnv> }) {
  const { t } = c.var;
  const auth = c.var.deps.auth;
  const s = auth?.settings;
  return (
    <dl class="facts">
      <dt>{t('sso.oidc')}</dt>
      <dd>
        {auth?.oidc
          ? t('sso.oidcOn', { name: auth.oidc.displayName, issuer: auth.oidc.issuer })
          : t('sso.off')}
      </dd>
      <dt>{t('sso.ldap')}</dt>
      <dd>
        {auth?.ldap
          ? t(auth.ldap.canRecheck ? 'sso.ldapOn' : 'sso.ldapNoRecheck', {
              kind: t(`sso.kind.${auth.ldap.kind}`),
            })
          : t('sso.off')}
      </dd>
      <dt>{t('sso.recheck')}</dt>
      <dd>{t('sso.recheckEvery', { seconds: s?.recheckSeconds ?? 60 })}</dd>
      <dt>{t('sso.lockout')}</dt>
      <dd>
        {t('sso.lockoutValue', {
          max: s?.lockout.maxFailures ?? 5,
          minutes: s?.lockout.lockMinutes ?? 15,
          address: s?.addressMaxFailures ?? 30,
        })}
      </dd>
    </dl>
  );
}

/** A rule's move or delete button: its own small form, naming the rule for screen readers. */
function RuleButton(p: {
  c: Context<AppEnv>;
  id: number;
  n: number;
  action: 'move' | 'delete';
  direction?: 'up' | 'down';
}) {
  const t = p.c.var.t;
  return (
    <form method="post" action={`/admin/sso/rules/${p.id}/${p.action}`} class="inline">
      <input type="hidden" name="_csrf" value={p.c.var.csrfToken ?? ''} />
      {p.direction && <input type="hidden" name="direction" value={p.direction} />}
      <button type="submit" class="link">
        {t(p.direction ? `sso.${p.direction}` : 'sso.delete')}
        <span class="sr-only"> {t('sso.ruleN', { n: p.n })}</span>
      </button>
    </form>
  );
}

async function SsoPage({ c, form, problems }: { c: Context<AppEnv>; form?: Form; problems?: RuleProblems }) {
  const { t, locale, csrfToken } = c.var;
  const db = c.var.deps.db;
  const [rules, agencies, history] = await Promise.all([
    ssoRuleList(db),
    agencyChoices(db),
    ssoRuleHistory(db),
  ]);
  const editing = form?.id !== undefined ? form : undefined;
  const f = form ?? {};
  const p = problems ?? {};
  const csrf = <input type="hidden" name="_csrf" value={csrfToken ?? ''} />;
  const err = (k: keyof RuleProblems) => (p[k] ? t(p[k]) : undefined);
  const aria = (k: keyof RuleProblems, id: string) => ({
    'aria-invalid': p[k] ? ('true' as const) : undefined,
    'aria-describedby': p[k] ? `${id}-error` : undefined,
  });
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <AdminTabs t={t} current="sso" />
      <h2>{t('sso.title')}</h2>
      <ConfigStatus c={c} />
      <h2>{t('sso.rules')}</h2>
      <p class="hint">{t('sso.rulesIntro')}</p>
      {rules.length === 0 ? (
        <p class="muted">{t('sso.noRules')}</p>
      ) : (
        <div class="table-scroll">
          <table class="rules">
            <thead>
              <tr>
                <th scope="col">№</th>
                <th scope="col">{t('sso.source')}</th>
                <th scope="col">{t('sso.claim')}</th>
                <th scope="col">{t('sso.value')}</th>
                <th scope="col">{t('sso.role')}</th>
                <th scope="col">{t('sso.agency')}</th>
                <th scope="col">{t('sso.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rules.map((r, i) => (
                <tr id={`rule-${r.id}`}>
                  <td class="num">{i + 1}</td>
                  <td>{t(`sso.source.${r.source}`)}</td>
                  <td>
                    <code>{r.claim}</code>
                  </td>
                  <td>{r.value}</td>
                  <td>{r.role ? t(`role.${r.role}`) : '—'}</td>
                  <td>{r.agency_id ? (r.agency_short ?? r.agency_title) : '—'}</td>
                  <td class="row-actions">
                    <a href={`/admin/sso?edit=${r.id}#rule-form`}>{t('sso.edit')}</a>
                    {i > 0 && <RuleButton c={c} id={r.id} n={i + 1} action="move" direction="up" />}
                    {i < rules.length - 1 && (
                      <RuleButton c={c} id={r.id} n={i + 1} action="move" direction="down" />
                    )}
                    <RuleButton c={c} id={r.id} n={i + 1} action="delete" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        method="post"
        action={editing ? `/admin/sso/rules/${editing.id}` : '/admin/sso/rules'}
        class="stacked narrow-form"
        id="rule-form"
      >
        <h3>{editing ? t('sso.editRule') : t('sso.addRule')}</h3>
        {csrf}
        <Field id="rule-source" label={t('sso.source')} error={err('source')}>
          <select id="rule-source" name="source" {...aria('source', 'rule-source')}>
            {CLAIM_SOURCES.map((s) => (
              <option value={s} selected={(f.source ?? 'any') === s}>
                {t(`sso.source.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="rule-claim" label={t('sso.claim')} hint={t('sso.claimHint')} error={err('claim')}>
          <input
            id="rule-claim"
            name="claim"
            maxlength={200}
            value={str(f.claim)}
            required
            {...aria('claim', 'rule-claim')}
          />
        </Field>
        <Field id="rule-value" label={t('sso.value')} hint={t('sso.valueHint')} error={err('value')}>
          <input
            id="rule-value"
            name="value"
            maxlength={500}
            value={str(f.value)}
            required
            {...aria('value', 'rule-value')}
          />
        </Field>
        <Field id="rule-role" label={t('sso.role')} error={err('role')}>
          <select id="rule-role" name="role" {...aria('role', 'rule-role')}>
            <option value="">{t('sso.roleNone')}</option>
            {ROLES.map((r) => (
              <option value={r} selected={f.role === r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="rule-agency" label={t('sso.agency')} hint={t('sso.agencyHint')} error={err('agencyId')}>
          <select id="rule-agency" name="agencyId" {...aria('agencyId', 'rule-agency')}>
            <option value="">{t('sso.agencyNone')}</option>
            {agencies.map((a) => (
              <option value={String(a.id)} selected={String(f.agencyId ?? '') === String(a.id)}>
                {a.short_ru ?? a.title_ru} ({a.code})
              </option>
            ))}
          </select>
        </Field>
        <button type="submit">{editing ? t('sso.save') : t('sso.add')}</button>
        {editing && (
          <a href="/admin/sso" class="cancel">
            {t('sso.cancel')}
          </a>
        )}
      </form>
      <h2>{t('sso.history')}</h2>
      {history.length === 0 ? (
        <p class="muted">{t('sso.noHistory')}</p>
      ) : (
        <ol class="history" id="sso-history">
          {history.map((h) => {
            const key = (r: AuditedRule) => JSON.stringify(r);
            const before = new Set(h.before.map(key));
            const after = new Set(h.after.map(key));
            const removed = h.before.filter((r) => !after.has(key(r)));
            const added = h.after.filter((r) => !before.has(key(r)));
            return (
              <li>
                <p>
                  <strong>{formatDateTime(h.at, locale, c.var.deps.config.timeZone)}</strong> ·{' '}
                  {h.actor_name ?? t('sso.system')}
                </p>
                <ul>
                  {removed.map((r) => (
                    <li class="removed">
                      {t('sso.removed')}: {ruleText(t, r)}
                    </li>
                  ))}
                  {added.map((r) => (
                    <li class="added">
                      {t('sso.added')}: {ruleText(t, r)}
                    </li>
                  ))}
                  {removed.length === 0 && added.length === 0 && <li>{t('sso.reordered')}</li>}
                </ul>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function formOf(body: Record<string, unknown>): Form {
  return {
    source: str(body.source),
    claim: str(body.claim),
    value: str(body.value),
    role: str(body.role),
    agencyId: str(body.agencyId),
  };
}

export function adminSsoRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/sso/*', requireRole('admin'));
  const title = (c: Context<AppEnv>) => ({ title: c.var.t('sso.title'), section: 'admin' as const });
  const page = (c: Context<AppEnv>, o: { form?: Form; problems?: RuleProblems } = {}) =>
    c.render(<SsoPage c={c} {...o} />, title(c));
  const actor = (c: Context<AppEnv>) => actorOf(currentUser(c));

  app.get('/sso', async (c) => {
    const edit = c.req.query('edit');
    if (edit && /^\d{1,9}$/.test(edit)) {
      const rule = (await ssoRuleList(c.var.deps.db)).find((r) => r.id === Number(edit));
      if (rule)
        return page(c, {
          form: {
            id: rule.id,
            source: rule.source,
            claim: rule.claim,
            value: rule.value,
            role: rule.role ?? '',
            agencyId: rule.agency_id,
          },
        });
    }
    return page(c);
  });

  app.post('/sso/rules', async (c) => {
    const form = formOf(await c.req.parseBody());
    const r = await addRule(c.var.deps.db, actor(c), form);
    if (!r.ok) {
      c.status(422);
      return page(c, { form, problems: r.problems });
    }
    return c.redirect('/admin/sso', 303);
  });

  app.post('/sso/rules/:id', async (c) => {
    const id = idParam(c);
    const form = { ...formOf(await c.req.parseBody()), id };
    const r = await updateRule(c.var.deps.db, actor(c), id, form);
    if (!r.ok) {
      c.status(422);
      return page(c, { form, problems: r.problems });
    }
    return c.redirect('/admin/sso', 303);
  });

  app.post('/sso/rules/:id/delete', async (c) => {
    await deleteRule(c.var.deps.db, actor(c), idParam(c));
    return c.redirect('/admin/sso', 303);
  });

  app.post('/sso/rules/:id/move', async (c) => {
    const id = idParam(c);
    const direction = str((await c.req.parseBody()).direction);
    if (direction !== 'up' && direction !== 'down')
      throw validation('direction', 'error.sso.direction', `unknown direction ${direction}`);
    await moveRule(c.var.deps.db, actor(c), id, direction);
    return c.redirect('/admin/sso', 303);
  });

  return app;
}
