import { Hono, type Context } from 'hono';
import { addRule, deleteRule, moveRule, updateRule, type RuleProblems } from '../../app/auth/index.ts';
import { agencyList, ssoRuleHistory, ssoRuleList, type AuditedRule } from '../../db/read-models/index.ts';
import { z } from 'zod';
import { CLAIM_SOURCES } from '../../domain/accounts/index.ts';
import { ROLES } from '../../domain/roles.ts';
import { requireRole } from '../auth/index.ts';
import { actorOf, currentUser, idParam } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDateTime, type Translate } from '../i18n/index.ts';
import { flash } from '../flash.ts';
import { choice, formSchema, parseForm, readForm, text, type FormValues } from '../forms.ts';
import { AdminTabs } from '../views/admin-tabs.tsx';
import {
  ErrorSummary,
  formView,
  SelectField,
  TextField,
  translateIssues,
  type FormView,
} from '../views/form.tsx';
import { DataTable } from '../views/table.tsx';
import { agencyShort } from '../views/item-columns.tsx';

const moveForm = formSchema({ direction: choice(['up', 'down'], 'error.sso.direction') });

// Single sign-on for the admin: what is configured (never a secret), the claims → role / agency rules
// (add, change, reorder, delete; each change audited with the whole list before and after) and their
// history. The same rules are read and replaced through the API (web/api/sso.ts).

/** The rule form's fields, as posted (the app's rule check reads them: app/auth sso-rules). */
const ruleForm = formSchema({ source: text(), claim: text(), value: text(), role: text(), agencyId: text() });
type RuleForm = z.output<typeof ruleForm>;

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

async function SsoPage({
  c,
  editing,
  f = formView('rule', editing ? { values: editing.values } : undefined),
}: {
  c: Context<AppEnv>;
  /** The rule being changed and its values (stored, or as posted). */
  editing?: { id: number; values: FormValues } | undefined;
  f?: FormView;
}) {
  const { t, locale, csrfToken } = c.var;
  const db = c.var.deps.db;
  const [rules, agencies, history] = await Promise.all([ssoRuleList(db), agencyList(db), ssoRuleHistory(db)]);
  const csrf = <input type="hidden" name="_csrf" value={csrfToken ?? ''} />;
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <AdminTabs t={t} current="sso" />
      <h2>{t('sso.title')}</h2>
      <ConfigStatus c={c} />
      <h2>{t('sso.rules')}</h2>
      <p class="hint">{t('sso.rulesIntro')}</p>
      <DataTable
        rows={rules}
        class="rules"
        empty={<p class="muted">{t('sso.noRules')}</p>}
        rowId={(r) => `rule-${r.id}`}
        columns={[
          { label: '№', class: 'num', cell: (_r, i) => i + 1 },
          { label: t('sso.source'), cell: (r) => t(`sso.source.${r.source}`) },
          { label: t('sso.claim'), cell: (r) => <code>{r.claim}</code> },
          { label: t('sso.value'), cell: (r) => r.value },
          { label: t('sso.role'), cell: (r) => (r.role ? t(`role.${r.role}`) : '—') },
          {
            label: t('sso.agency'),
            cell: (r) =>
              r.agency_id
                ? agencyShort(locale, {
                    short_ru: r.agency_short,
                    short_en: r.agency_short_en,
                    ...(r.agency_title ? { title_ru: r.agency_title } : {}),
                    ...(r.agency_title_en ? { title_en: r.agency_title_en } : {}),
                  })
                : '—',
          },
          {
            label: t('sso.actions'),
            class: 'row-actions',
            cell: (r, i) => (
              <>
                <a href={`/admin/sso?edit=${r.id}#rule-form`}>
                  {t('sso.edit')}
                  <span class="sr-only"> {t('sso.ruleN', { n: i + 1 })}</span>
                </a>
                {i > 0 && <RuleButton c={c} id={r.id} n={i + 1} action="move" direction="up" />}
                {i < rules.length - 1 && (
                  <RuleButton c={c} id={r.id} n={i + 1} action="move" direction="down" />
                )}
                <RuleButton c={c} id={r.id} n={i + 1} action="delete" />
              </>
            ),
          },
        ]}
      />
      <form
        method="post"
        action={editing ? `/admin/sso/rules/${editing.id}` : '/admin/sso/rules'}
        class="stacked narrow-form"
        id="rule-form"
      >
        <h3>{editing ? t('sso.editRule') : t('sso.addRule')}</h3>
        <ErrorSummary f={f} t={t} />
        {csrf}
        <SelectField
          f={f}
          t={t}
          name="source"
          label={t('sso.source')}
          value="any"
          options={CLAIM_SOURCES.map((s) => ({ value: s, label: t(`sso.source.${s}`) }))}
        />
        <TextField
          f={f}
          t={t}
          name="claim"
          label={t('sso.claim')}
          hint={t('sso.claimHint')}
          maxlength={200}
          required
        />
        <TextField
          f={f}
          t={t}
          name="value"
          label={t('sso.value')}
          hint={t('sso.valueHint')}
          maxlength={500}
          required
        />
        <SelectField
          f={f}
          t={t}
          name="role"
          label={t('sso.role')}
          empty={t('sso.roleNone')}
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <SelectField
          f={f}
          t={t}
          name="agencyId"
          label={t('sso.agency')}
          hint={t('sso.agencyHint')}
          empty={t('sso.agencyNone')}
          options={agencies.map((a) => ({
            value: String(a.id),
            label: `${agencyShort(locale, a)} (${a.code})`,
          }))}
        />
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

/** The rule check's problems (message keys by field) as the form's. */
const issuesOf = (t: Translate, problems: RuleProblems) =>
  translateIssues(
    t,
    Object.entries(problems).map(([field, key]) => ({ field, key: key! })),
  );

export function adminSsoRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/sso/*', requireRole('admin'));
  const title = (c: Context<AppEnv>) => ({ title: c.var.t('sso.title'), section: 'admin' as const });
  const page = (c: Context<AppEnv>, o: { editing?: { id: number; values: FormValues }; f?: FormView } = {}) =>
    c.render(<SsoPage c={c} {...o} />, title(c));
  /** Adds or changes a rule; refused: the form again with every problem, nothing written. */
  const save = async (c: Context<AppEnv>, id: number | null) => {
    const { values } = await readForm(c);
    const form: RuleForm = ruleForm.parse(values);
    const r =
      id === null
        ? await addRule(c.var.deps.db, actor(c), form)
        : await updateRule(c.var.deps.db, actor(c), id, form);
    if (!r.ok) {
      c.status(422);
      const f = formView('rule', { values, issues: issuesOf(c.var.t, r.problems) });
      return page(c, { f, ...(id === null ? {} : { editing: { id, values } }) });
    }
    flash(c, id === null ? 'flash.sso.added' : 'flash.sso.saved');
    return c.redirect('/admin/sso', 303);
  };
  const actor = (c: Context<AppEnv>) => actorOf(currentUser(c));

  app.get('/sso', async (c) => {
    const edit = c.req.query('edit');
    if (edit && /^\d{1,9}$/.test(edit)) {
      const rule = (await ssoRuleList(c.var.deps.db)).find((r) => r.id === Number(edit));
      if (rule)
        return page(c, {
          editing: {
            id: rule.id,
            values: {
              source: rule.source,
              claim: rule.claim,
              value: rule.value,
              role: rule.role ?? '',
              agencyId: rule.agency_id === null ? '' : String(rule.agency_id),
            },
          },
        });
    }
    return page(c);
  });

  app.post('/sso/rules', (c) => save(c, null));
  app.post('/sso/rules/:id', (c) => save(c, idParam(c)));

  app.post('/sso/rules/:id/delete', async (c) => {
    await deleteRule(c.var.deps.db, actor(c), idParam(c));
    flash(c, 'flash.sso.deleted');
    return c.redirect('/admin/sso', 303);
  });

  app.post('/sso/rules/:id/move', async (c) => {
    const id = idParam(c);
    const { direction } = parseForm((await readForm(c)).values, moveForm);
    await moveRule(c.var.deps.db, actor(c), id, direction);
    flash(c, 'flash.sso.moved');
    return c.redirect('/admin/sso', 303);
  });

  return app;
}
