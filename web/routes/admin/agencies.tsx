import { Hono, type Context } from 'hono';
import {
  createAgency,
  mergeAgencies,
  setAgencyDisabled,
  updateAgency,
} from '../../../app/reference/index.ts';
import { agencyAdminDetail, agencyAdminList, activeAgencies } from '../../../db/read-models/index.ts';
import type { FieldIssue } from '../../../domain/errors.ts';
import { notFound, ShtabError } from '../../../domain/errors.ts';
import {
  AGENCY_KINDS,
  splitLines,
  type AgencyInput,
  type AgencyKind,
} from '../../../domain/reference/index.ts';
import { requireRole } from '../../auth/index.ts';
import { actorOf, currentUser, idParam } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { flash } from '../../flash.ts';
import { fieldValue, readForm, type FormValues } from '../../forms.ts';
import { adminForm, History, type AdminFormProps } from '../../views/admin-form.tsx';
import { AdminTabs } from '../../views/admin-tabs.tsx';
import {
  CheckboxField,
  ErrorSummary,
  SelectField,
  TextareaField,
  TextField,
  type FormView,
} from '../../views/form.tsx';
import { Csrf } from '../../views/service-views.tsx';
import { UserText } from '../../views/components.tsx';
import { DataTable } from '../../views/table.tsx';

// Agencies for the administrator: the list with what refers to each, a form to create or edit one
// (names, kind, aliases imports may use), disable / enable, and merging one into another.

const admin = requireRole('admin');
const title = (c: Context<AppEnv>) => ({ title: c.var.t('admin.agencies.title'), section: 'admin' as const });

function inputOf(v: FormValues): AgencyInput {
  const kind = fieldValue(v, 'kind');
  return {
    code: fieldValue(v, 'code'),
    titleRu: fieldValue(v, 'titleRu'),
    titleEn: fieldValue(v, 'titleEn') || null,
    shortRu: fieldValue(v, 'shortRu') || null,
    kind: (AGENCY_KINDS as readonly string[]).includes(kind) ? (kind as AgencyKind) : ('' as AgencyKind),
    aliases: splitLines(fieldValue(v, 'aliases')),
  };
}

function AgencyForm({ c, action, values, problems, submit }: AdminFormProps) {
  const { t } = c.var;
  const f = adminForm(t, 'agency', values, problems);
  return (
    <form method="post" action={action} class="stacked narrow-form" novalidate>
      <Csrf c={c} />
      <ErrorSummary f={f} t={t} />
      <TextField
        f={f}
        t={t}
        name="code"
        label={t('admin.agency.code')}
        hint={t('admin.agency.codeHint')}
        required
        maxlength={40}
      />
      <TextField f={f} t={t} name="titleRu" label={t('admin.agency.titleRu')} required maxlength={500} />
      <TextField f={f} t={t} name="shortRu" label={t('admin.agency.shortRu')} maxlength={100} />
      <TextField
        f={f}
        t={t}
        name="titleEn"
        label={t('admin.agency.titleEn')}
        hint={t('admin.agency.titleEnHint')}
        maxlength={500}
      />
      <SelectField
        f={f}
        t={t}
        name="kind"
        label={t('admin.agency.kind')}
        options={AGENCY_KINDS.map((k) => ({ value: k, label: t(`agency.kind.${k}`) }))}
      />
      <TextareaField
        f={f}
        t={t}
        name="aliases"
        label={t('admin.agency.aliases')}
        hint={t('admin.agency.aliasesHint')}
        rows={4}
      />
      <button type="submit">{submit}</button>
    </form>
  );
}

async function ListPage({ c }: { c: Context<AppEnv> }) {
  const { t } = c.var;
  const rows = await agencyAdminList(c.var.deps.db);
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <AdminTabs t={t} current="agencies" role={currentUser(c).role} />
      <h2>{t('admin.agencies.title')}</h2>
      <p>
        <a href="/admin/agencies/new" class="button">
          {t('admin.agencies.new')}
        </a>{' '}
        <a href="/admin/onboarding">{t('admin.agencies.fromFile')}</a>
      </p>
      <DataTable
        rows={rows}
        class="admin-list"
        empty={<p class="muted">{t('admin.agencies.empty')}</p>}
        rowClass={(a) => (a.disabled ? 'muted' : undefined)}
        columns={[
          {
            label: t('admin.agency.code'),
            rowHeader: true,
            cell: (a) => <a href={`/admin/agencies/${a.id}`}>{a.code}</a>,
          },
          {
            label: t('admin.agency.titleRu'),
            wide: true,
            cell: (a) => (
              <>
                <UserText text={a.title_ru} />
                {a.short_ru && (
                  <span class="muted">
                    {' · '}
                    <UserText text={a.short_ru} />
                  </span>
                )}
              </>
            ),
          },
          { label: t('admin.agency.kind'), cell: (a) => t(`agency.kind.${a.kind}`) },
          { label: t('admin.agency.aliases'), cell: (a) => <UserText text={a.aliases.join('; ') || '—'} /> },
          { label: t('admin.agencies.people'), class: 'num', cell: (a) => a.people },
          { label: t('admin.agencies.openItems'), class: 'num', cell: (a) => a.open_items },
          {
            label: t('account.state'),
            cell: (a) =>
              a.merged_into_code
                ? t('admin.agency.mergedInto', { code: a.merged_into_code })
                : a.disabled
                  ? t('account.disabled')
                  : t('admin.agency.active'),
          },
        ]}
      />
    </section>
  );
}

function NewPage({
  c,
  values,
  problems,
}: {
  c: Context<AppEnv>;
  values: FormValues;
  problems?: FieldIssue[];
}) {
  const { t } = c.var;
  return (
    <section>
      <h1>{t('admin.agencies.new')}</h1>
      <AdminTabs t={t} current="agencies" role={currentUser(c).role} />
      <p>
        <a href="/admin/agencies">{t('admin.agencies.back')}</a>
      </p>
      <AgencyForm
        c={c}
        action="/admin/agencies"
        values={values}
        problems={problems}
        submit={t('admin.create')}
      />
    </section>
  );
}

async function DetailPage({
  c,
  id,
  values,
  problems,
  merge,
}: {
  c: Context<AppEnv>;
  id: number;
  values?: FormValues;
  problems?: FieldIssue[];
  merge?: { values: FormValues; problems: FieldIssue[] };
}) {
  const { t, locale } = c.var;
  const { db, config } = c.var.deps;
  const [detail, agencies] = await Promise.all([agencyAdminDetail(db, id), activeAgencies(db)]);
  if (!detail) throw notFound('error.agency.notFound', `agency ${id} not found`);
  const a = detail.agency;
  const form: FormValues = values ?? {
    code: a.code,
    titleRu: a.title_ru,
    titleEn: a.title_en === a.title_ru ? '' : a.title_en,
    shortRu: a.short_ru ?? '',
    kind: a.kind,
    aliases: a.aliases.join('\n'),
  };
  const mf: FormView = adminForm(t, 'merge', merge?.values ?? {}, merge?.problems);
  return (
    <section>
      <h1>{a.short_ru ?? a.title_ru}</h1>
      <AdminTabs t={t} current="agencies" role={currentUser(c).role} />
      <p>
        <a href="/admin/agencies">{t('admin.agencies.back')}</a>
      </p>
      <dl class="facts">
        <dt>{t('account.state')}</dt>
        <dd>
          {a.merged_into_id
            ? t('admin.agency.mergedIntoFull', {
                code: a.merged_into_code ?? '',
                title: a.merged_into_title ?? '',
              })
            : a.disabled
              ? t('account.disabled')
              : t('admin.agency.active')}
        </dd>
        <dt>{t('admin.agencies.people')}</dt>
        <dd>{a.people}</dd>
        <dt>{t('admin.agencies.services')}</dt>
        <dd>{a.services}</dd>
        <dt>{t('admin.agencies.openItems')}</dt>
        <dd>
          <a href={`/agencies/${a.id}`}>{a.open_items}</a>
        </dd>
      </dl>
      {a.merged_into_id && a.open_items > 0 && (
        <form method="post" action={`/admin/agencies/${a.id}/merge`} class="stacked narrow-form">
          <Csrf c={c} />
          <input type="hidden" name="intoId" value={String(a.merged_into_id)} />
          <input type="hidden" name="confirm" value="1" />
          <p class="alert-text">{t('admin.agency.mergeUnfinished', { n: a.open_items })}</p>
          <button type="submit">{t('admin.agency.mergeFinish')}</button>
        </form>
      )}
      {!a.merged_into_id && (
        <>
          <h2>{t('admin.agency.edit')}</h2>
          <AgencyForm
            c={c}
            action={`/admin/agencies/${a.id}`}
            values={form}
            problems={problems}
            submit={t('admin.save')}
          />
          <div class="account-actions">
            <form method="post" action={`/admin/agencies/${a.id}/${a.disabled ? 'enable' : 'disable'}`}>
              <Csrf c={c} />
              <button type="submit" class="secondary">
                {a.disabled ? t('admin.agency.enable') : t('admin.agency.disable')}
              </button>
              {!a.disabled && <p class="hint">{t('admin.agency.disableHint')}</p>}
            </form>
          </div>
          {!a.disabled && (
            <form
              method="post"
              action={`/admin/agencies/${a.id}/merge`}
              class="stacked narrow-form"
              id="merge-form"
            >
              <h2>{t('admin.agency.merge')}</h2>
              <p class="hint">{t('admin.agency.mergeHint')}</p>
              <Csrf c={c} />
              <ErrorSummary f={mf} t={t} />
              <SelectField
                f={mf}
                t={t}
                name="intoId"
                label={t('admin.agency.mergeInto')}
                empty={t('admin.choose')}
                required
                options={agencies
                  .filter((x) => x.id !== a.id)
                  .map((x) => ({ value: String(x.id), label: `${x.code} — ${x.short_ru ?? x.title_ru}` }))}
              />
              <TextField
                f={mf}
                t={t}
                name="reason"
                label={t('admin.agency.mergeReason')}
                required
                maxlength={2000}
              />
              <CheckboxField
                f={mf}
                t={t}
                name="confirm"
                label={t('admin.agency.mergeConfirm', { code: a.code })}
              />
              <button type="submit" class="danger">
                {t('admin.agency.mergeSubmit')}
              </button>
            </form>
          )}
        </>
      )}
      <History
        t={t}
        locale={locale}
        timeZone={config.timeZone}
        events={detail.history}
        subject={['agency', a.id]}
      />
    </section>
  );
}

export function adminAgencyRoutes() {
  const app = new Hono<AppEnv>();
  const actor = (c: Context<AppEnv>) => actorOf(currentUser(c));

  app.get('/agencies', admin, (c) => c.render(<ListPage c={c} />, title(c)));
  app.get('/agencies/new', admin, (c) => c.render(<NewPage c={c} values={{ kind: 'regional' }} />, title(c)));
  app.post('/agencies', admin, async (c) => {
    const { values } = await readForm(c);
    const r = await createAgency(c.var.deps.db, actor(c), inputOf(values));
    if (!r.ok) {
      c.status(422);
      return c.render(<NewPage c={c} values={values} problems={r.problems} />, title(c));
    }
    flash(c, 'flash.admin.saved');
    return c.redirect(`/admin/agencies/${r.id}`, 303);
  });
  app.get('/agencies/:id', admin, (c) => c.render(<DetailPage c={c} id={idParam(c)} />, title(c)));
  app.post('/agencies/:id', admin, async (c) => {
    const id = idParam(c);
    const { values } = await readForm(c);
    const r = await updateAgency(c.var.deps.db, actor(c), id, inputOf(values));
    if (!r.ok) {
      c.status(422);
      return c.render(<DetailPage c={c} id={id} values={values} problems={r.problems} />, title(c));
    }
    flash(c, 'flash.admin.saved');
    return c.redirect(`/admin/agencies/${id}`, 303);
  });
  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const)
    app.post(`/agencies/:id/${path}`, admin, async (c) => {
      const id = idParam(c);
      await setAgencyDisabled(c.var.deps.db, actor(c), id, disabled);
      flash(c, 'flash.admin.saved');
      return c.redirect(`/admin/agencies/${id}`, 303);
    });
  app.post('/agencies/:id/merge', admin, async (c) => {
    const id = idParam(c);
    const { values } = await readForm(c);
    const into = fieldValue(values, 'intoId');
    const problems: FieldIssue[] = [];
    if (!/^\d{1,9}$/.test(into)) problems.push({ field: 'intoId', key: 'error.field.required' });
    if (fieldValue(values, 'confirm') !== '1')
      problems.push({ field: 'confirm', key: 'error.agency.mergeConfirm' });
    if (problems.length) {
      c.status(422);
      // An unknown agency is a 404 before any complaint about the form.
      return c.render(<DetailPage c={c} id={id} merge={{ values, problems }} />, title(c));
    }
    const r = await mergeAgencies(c.var.deps, actor(c), {
      fromId: id,
      intoId: Number(into),
      reason: fieldValue(values, 'reason').slice(0, 2000),
    });
    if (r.pending > 0)
      throw new ShtabError('unavailable', 'some open items are still to move', {
        key: 'error.agency.mergePending',
        params: { n: r.pending },
      });
    flash(c, 'flash.admin.saved');
    return c.redirect(`/admin/agencies/${id}`, 303);
  });
  return app;
}
