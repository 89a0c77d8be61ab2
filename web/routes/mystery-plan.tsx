import { Hono, type Context } from 'hono';
import { planMysteryShopping } from '../../app/feedback/index.ts';
import {
  checkInspectors,
  lifeSituationList,
  mysteryPlan,
  regionalAgencies,
} from '../../db/read-models/index.ts';
import { recentPeriods } from '../../domain/feedback/index.ts';
import { actorOf, currentUser, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { flash } from '../flash.ts';
import { fieldValue, fieldValues, readForm } from '../forms.ts';
import { formatDate } from '../i18n/index.ts';
import { formatFeedbackPeriod } from '../../domain/feedback/period.ts';
import { ruOf, UserText } from '../views/components.tsx';
import {
  CheckboxesField,
  ErrorSummary,
  formView,
  SelectField,
  translateIssues,
  type FormView,
} from '../views/form.tsx';
import { Csrf } from '../views/service-views.tsx';
import { DataTable } from '../views/table.tsx';
import { canManage, projectOffice } from './services/shared.tsx';

// Mystery shopping as a plan (issue 16): a quarter's checks per service group, assigned to checkers; the
// daily Schedule chases the overdue ones; findings → remediation items as for any check.

async function PlanPage({
  c,
  f = formView('pl'),
}: {
  c: Context<AppEnv>;
  /** The planning form (prefix `pl`), posted back after a refusal. */
  f?: FormView;
}) {
  const { t, locale } = c.var;
  const { db } = c.var.deps;
  const today = readContext(c).today;
  const quarters = recentPeriods(today, 'quarter', 1);
  const next = `${Number(quarters[0]!.slice(0, 4)) + (quarters[0]!.endsWith('Q4') ? 1 : 0)}-Q${(Number(quarters[0]!.slice(-1)) % 4) + 1}`;
  const choices = [quarters[0]!, next];
  const asked = c.req.query('quarter') ?? '';
  const quarter = choices.includes(asked) ? asked : quarters[0]!;
  const [plan, inspectors, lss, agencies] = await Promise.all([
    mysteryPlan(db, quarter),
    checkInspectors(db),
    lifeSituationList(db),
    regionalAgencies(db),
  ]);
  const overdue = plan.filter((p) => p.status === 'scheduled' && p.scheduled_on < today).length;
  const done = plan.filter((p) => p.status === 'done').length;
  return (
    <section>
      <h1>{t('fb.plan.title')}</h1>
      <form method="get" action="/citizens/plan" class="filters">
        <SelectField
          f={formView('pq')}
          t={t}
          name="quarter"
          label={t('svc.period')}
          value={quarter}
          options={choices.map((q) => ({ value: q, label: formatFeedbackPeriod(q, locale) }))}
        />
        <div class="buttons">
          <button type="submit">{t('items.filter')}</button>
        </div>
      </form>
      <ul class="kpis">
        <li>
          <span class="kpi-value">{plan.length}</span> <span class="kpi-label">{t('fb.plan.planned')}</span>
        </li>
        <li class="good">
          <span class="kpi-value">{done}</span> <span class="kpi-label">{t('fb.plan.done')}</span>
        </li>
        <li class={overdue ? 'bad' : undefined}>
          <span class="kpi-value">{overdue}</span> <span class="kpi-label">{t('fb.plan.overdue')}</span>
        </li>
      </ul>
      <p class="muted">{t('fb.plan.chase')}</p>
      <DataTable
        rows={plan}
        empty={<p class="muted">{t('fb.plan.none')}</p>}
        rowClass={(p) => (p.status === 'scheduled' && p.scheduled_on < today ? 'overdue' : undefined)}
        columns={[
          { label: t('fb.plan.date'), class: 'nowrap', cell: (p) => formatDate(p.scheduled_on, locale) },
          {
            label: t('svc.title'),
            wide: true,
            cell: (p) => <a href={`/services/checks/${p.id}`}>{localized(locale, p.title_ru, p.title_en)}</a>,
          },
          { label: t('fb.plan.checker'), cell: (p) => (p.checker ? <UserText text={p.checker} /> : '—') },
          {
            label: t('fb.case.state'),
            cell: (p) => {
              const late = p.status === 'scheduled' && p.scheduled_on < today;
              return (
                <span class={`badge check-${p.status}${late ? ' overdue' : ''}`}>
                  {t(`svc.check.status.${p.status}`)}
                  {late ? ` · ${t('status.overdue')}` : ''}
                </span>
              );
            },
          },
        ]}
      />
      {canManage(c) && (
        <form method="post" action="/citizens/plan" class="stacked" novalidate>
          <Csrf c={c} />
          <h2>{t('fb.plan.make')}</h2>
          <ErrorSummary f={f} t={t} />
          <SelectField
            f={f}
            t={t}
            name="quarter"
            label={t('svc.period')}
            value={quarter}
            options={choices.map((q) => ({ value: q, label: formatFeedbackPeriod(q, locale) }))}
          />
          <SelectField
            f={f}
            t={t}
            name="group"
            label={t('fb.plan.group')}
            options={[]}
            groups={[
              {
                label: t('svc.lifeSituations'),
                options: lss.map((l) => ({
                  value: `ls:${l.id}`,
                  label: localized(locale, l.title_ru, l.title_en),
                })),
              },
              {
                label: t('nav.agencies'),
                options: agencies.map((a) => ({
                  value: `agency:${a.id}`,
                  label: localized(locale, a.short_ru ?? a.title_ru, a.title_en),
                })),
              },
            ]}
          />
          <CheckboxesField
            f={f}
            t={t}
            name="checkers"
            label={t('fb.plan.checkers')}
            options={inspectors.map((u) => ({
              value: String(u.id),
              label: u.display_name,
              lang: ruOf(u.display_name),
            }))}
          />
          <button type="submit">{t('fb.plan.submit')}</button>
        </form>
      )}
    </section>
  );
}

export function mysteryPlanRoutes() {
  const app = new Hono<AppEnv>();
  const meta = (c: Context<AppEnv>) => ({ title: c.var.t('fb.plan.title'), section: 'citizens' as const });
  app.get('/', (c) => c.render(<PlanPage c={c} />, meta(c)));
  app.post('/', projectOffice, async (c) => {
    const { values } = await readForm(c);
    const [kind, id] = fieldValue(values, 'group').split(':');
    const quarter = fieldValue(values, 'quarter');
    const r = await planMysteryShopping(c.var.deps.db, {
      actor: actorOf(currentUser(c)),
      quarter,
      group: { kind: kind === 'agency' ? 'agency' : 'life_situation', id: Number(id) || 0 },
      checkerIds: fieldValues(values, 'checkers')
        .filter((x) => /^\d{1,9}$/.test(x))
        .map(Number),
      today: readContext(c).today,
    });
    if (r.ok) {
      flash(c, 'flash.fb.planned', { n: r.planned });
      return c.redirect(`/citizens/plan?quarter=${encodeURIComponent(quarter)}`, 303);
    }
    c.status(422);
    const f = formView('pl', { values, issues: translateIssues(c.var.t, r.issues) });
    return c.render(<PlanPage c={c} f={f} />, meta(c));
  });
  return app;
}
