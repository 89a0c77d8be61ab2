import { Hono, type Context } from 'hono';
import { planMysteryShopping } from '../../app/feedback/index.ts';
import { checkInspectors, mysteryPlan } from '../../db/read-models/index.ts';
import { recentPeriods } from '../../domain/feedback/index.ts';
import { actorOf, currentUser, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { fieldValue, fieldValues, readForm } from '../forms.ts';
import { formatDate } from '../i18n/index.ts';
import { formatFeedbackPeriod } from '../../domain/feedback/period.ts';
import { Csrf } from '../views/service-views.tsx';
import { canManage, projectOffice } from './services/shared.tsx';

// Mystery shopping as a plan (issue 16): a quarter's checks per service group, assigned to checkers; the
// daily Schedule chases the overdue ones; findings → remediation items as for any check.

async function PlanPage({
  c,
  errors,
  values,
}: {
  c: Context<AppEnv>;
  errors?: Record<string, string>;
  values?: Record<string, string | string[]>;
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
    db.selectFrom('life_situation').select(['id', 'title_ru', 'title_en']).orderBy('sort').execute(),
    db
      .selectFrom('agency')
      .select(['id', 'short_ru', 'title_ru', 'title_en'])
      .where('kind', '=', 'regional')
      .orderBy('code')
      .execute(),
  ]);
  const e = errors ?? {};
  const overdue = plan.filter((p) => p.status === 'scheduled' && p.scheduled_on < today).length;
  const done = plan.filter((p) => p.status === 'done').length;
  return (
    <section>
      <h1>{t('fb.plan.title')}</h1>
      <form method="get" action="/citizens/plan" class="filters">
        <label for="pl-q">{t('svc.period')}</label>
        <select id="pl-q" name="quarter">
          {choices.map((q) => (
            <option value={q} selected={q === quarter}>
              {formatFeedbackPeriod(q, locale)}
            </option>
          ))}
        </select>
        <button type="submit">{t('items.filter')}</button>
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
      {plan.length === 0 ? (
        <p class="muted">{t('fb.plan.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('fb.plan.date')}</th>
                <th scope="col">{t('svc.title')}</th>
                <th scope="col">{t('fb.plan.checker')}</th>
                <th scope="col">{t('fb.case.state')}</th>
              </tr>
            </thead>
            <tbody>
              {plan.map((p) => (
                <tr>
                  <td>{formatDate(p.scheduled_on, locale)}</td>
                  <td>
                    <a href={`/services/checks/${p.id}`}>{localized(locale, p.title_ru, p.title_en)}</a>
                  </td>
                  <td>{p.checker ?? '—'}</td>
                  <td>
                    <span
                      class={`badge check-${p.status}${p.status === 'scheduled' && p.scheduled_on < today ? ' overdue' : ''}`}
                    >
                      {t(`svc.check.status.${p.status}`)}
                      {p.status === 'scheduled' && p.scheduled_on < today ? ` · ${t('status.overdue')}` : ''}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canManage(c) && (
        <form method="post" action="/citizens/plan" class="stacked" novalidate>
          <Csrf c={c} />
          <h2>{t('fb.plan.make')}</h2>
          {Object.keys(e).length > 0 && (
            <p class="alert" role="alert">
              {Object.values(e).join(' ')}
            </p>
          )}
          <label for="pl-quarter">{t('svc.period')}</label>
          <select id="pl-quarter" name="quarter">
            {choices.map((q) => (
              <option value={q} selected={q === (fieldValue(values, 'quarter') || quarter)}>
                {formatFeedbackPeriod(q, locale)}
              </option>
            ))}
          </select>
          <label for="pl-group">{t('fb.plan.group')}</label>
          <select id="pl-group" name="group">
            <optgroup label={t('svc.lifeSituations')}>
              {lss.map((l) => (
                <option value={`ls:${l.id}`} selected={fieldValue(values, 'group') === `ls:${l.id}`}>
                  {localized(locale, l.title_ru, l.title_en)}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('nav.agencies')}>
              {agencies.map((a) => (
                <option value={`agency:${a.id}`} selected={fieldValue(values, 'group') === `agency:${a.id}`}>
                  {localized(locale, a.short_ru ?? a.title_ru, a.title_en)}
                </option>
              ))}
            </optgroup>
          </select>
          <fieldset class={e.checkers ? 'has-error' : undefined}>
            <legend>{t('fb.plan.checkers')}</legend>
            {inspectors.map((u) => (
              <label class="check">
                <input
                  type="checkbox"
                  name="checkers"
                  value={String(u.id)}
                  checked={fieldValues(values, 'checkers').includes(String(u.id))}
                />{' '}
                {u.display_name}
              </label>
            ))}
          </fieldset>
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
    if (r.ok) return c.redirect(`/citizens/plan?quarter=${encodeURIComponent(quarter)}`, 303);
    c.status(422);
    const errors = Object.fromEntries(r.issues.map((i) => [i.field, c.var.t(i.key, i.params)]));
    return c.render(<PlanPage c={c} errors={errors} values={values} />, meta(c));
  });
  return app;
}
