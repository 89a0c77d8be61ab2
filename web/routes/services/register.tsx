// The service register: list, a service's page, create, edit, delete; the KPI settings.
import { Hono, type Context } from 'hono';
import {
  listChecks,
  listServices,
  scoreHistory,
  scorePeriods,
  serviceImprovements,
  serviceLifeSituations,
  serviceSettings,
  feedbackScores,
  recentReviews,
} from '../../../db/read-models/index.ts';
import { ServiceFeedbackSection } from '../../views/feedback-views.tsx';
import { classifyScore } from '../../../domain/services/index.ts';
import { idParam, localized } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { deleteService, saveService, saveServiceSettings } from '../../../app/services/index.ts';
import { readForm } from '../../forms.ts';
import { formatDate } from '../../i18n/index.ts';
import { StatusBadge } from '../../views/components.tsx';
import {
  formatScore,
  formErrors,
  ImprovementBadge,
  periodLabel,
  ScoreBadge,
} from '../../views/service-views.tsx';
import { loadService, canManage, projectOffice } from './shared.tsx';
import { formOptions, ServiceFormView, SettingsView, valuesOfService } from './register-views.tsx';

export async function saveServiceForm(c: Context<AppEnv>, selfId: number | null) {
  const { db } = c.var.deps;
  const { t } = c.var;
  const { values } = await readForm(c);
  const r = await saveService(db, selfId, values);
  if (r.ok) return c.redirect(`/services/${r.id}`, 303);
  c.status(422);
  const heading = selfId ? t('svc.editTitle') : t('svc.newTitle');
  return c.render(
    <ServiceFormView
      c={c}
      action={selfId ? `/services/${selfId}` : '/services'}
      values={values}
      errors={formErrors(t, r.problems)}
      options={await formOptions(db)}
      heading={heading}
    />,
    { title: heading, section: 'services' },
  );
}

export function serviceRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const agencyId = Number(c.req.query('agency')) || undefined;
    const lifeSituationId = Number(c.req.query('ls')) || undefined;
    const scoreRaw = c.req.query('score');
    const scoreClass = scoreRaw === 'low' || scoreRaw === 'unrated' ? scoreRaw : undefined;
    const q = c.req.query('q')?.slice(0, 200) || undefined;
    const [settings, periods, options] = await Promise.all([
      serviceSettings(db),
      scorePeriods(db),
      formOptions(db),
    ]);
    const period = periods.at(-1) ?? null;
    const rows = await listServices(db, period, settings.rule, {
      agencyId,
      lifeSituationId,
      scoreClass,
      q,
    });
    return c.render(
      <section>
        <h1>{t('svc.list.title')}</h1>
        <p class="toolbar">
          <a href="/services/low-scoring">{t('svc.lowScoring.title')}</a>
          <a href="/services/checks">{t('svc.checks.title')}</a>
          {canManage(c) && <a href="/services/new">{t('svc.new')}</a>}
          {canManage(c) && <a href="/services/scores/import">{t('svc.import.title')}</a>}
          {canManage(c) && <a href="/services/settings">{t('svc.settings.title')}</a>}
        </p>
        <form method="get" action="/services" class="filters">
          <label for="f-agency">{t('svc.agency')}</label>
          <select id="f-agency" name="agency">
            <option value="">{t('svc.all')}</option>
            {options.agencies.map((a) => (
              <option value={String(a.id)} selected={agencyId === a.id}>
                {localized(locale, a.short_ru ?? a.title_ru, a.title_en)}
              </option>
            ))}
          </select>
          <label for="f-ls">{t('svc.lifeSituation')}</label>
          <select id="f-ls" name="ls">
            <option value="">{t('svc.all')}</option>
            {options.lifeSituations.map((l) => (
              <option value={String(l.id)} selected={lifeSituationId === l.id}>
                {localized(locale, l.title_ru, l.title_en)}
              </option>
            ))}
          </select>
          <label for="f-score">{t('svc.score')}</label>
          <select id="f-score" name="score">
            <option value="">{t('svc.all')}</option>
            <option value="low" selected={scoreClass === 'low'}>
              {t('svc.filter.low')}
            </option>
            <option value="unrated" selected={scoreClass === 'unrated'}>
              {t('svc.filter.unrated')}
            </option>
          </select>
          <label for="f-q">{t('svc.search')}</label>
          <input id="f-q" name="q" type="search" value={q ?? ''} />
          <button type="submit">{t('items.filter')}</button>
        </form>
        <p class="muted">
          {period
            ? t('svc.list.periodNote', {
                period: periodLabel(period, locale),
                threshold: formatScore(settings.threshold, locale),
              })
            : t('svc.noScores')}
        </p>
        {rows.length === 0 ? (
          <p>{t('items.empty')}</p>
        ) : (
          <table class="services">
            <caption class="muted">{t('svc.list.count', { n: rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('svc.code')}</th>
                <th scope="col">{t('svc.title')}</th>
                <th scope="col">{t('svc.agency')}</th>
                <th scope="col">{t('svc.curator')}</th>
                <th scope="col">{t('svc.score')}</th>
                <th scope="col">{t('svc.improvement')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.code}</td>
                  <td>
                    <a href={`/services/${r.id}`}>{localized(locale, r.title_ru, r.title_en)}</a>
                  </td>
                  <td>{localized(locale, r.agency_short_ru ?? r.agency_code, r.agency_title_en)}</td>
                  <td>
                    {r.curator_name ?? '—'}
                    {r.curator_position && <span class="muted"> · {r.curator_position}</span>}
                  </td>
                  <td>
                    <ScoreBadge cls={r.score_class} avg={r.avg_score} t={t} locale={locale} />
                  </td>
                  <td>
                    {r.improvement_status ? <ImprovementBadge status={r.improvement_status} t={t} /> : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>,
      { title: t('svc.list.title'), section: 'services' },
    );
  });

  app.get('/new', projectOffice, async (c) => {
    const { t } = c.var;
    return c.render(
      <ServiceFormView
        c={c}
        action="/services"
        values={{ level: 'regional' }}
        errors={{}}
        options={await formOptions(c.var.deps.db)}
        heading={t('svc.newTitle')}
      />,
      { title: t('svc.newTitle'), section: 'services' },
    );
  });

  app.post('/', projectOffice, (c) => saveServiceForm(c, null));

  app.get('/settings', projectOffice, async (c) => {
    const s = await serviceSettings(c.var.deps.db);
    return c.render(
      <SettingsView
        c={c}
        values={{
          threshold: String(s.threshold),
          minVotes: String(s.minVotes),
          basePeriod: s.basePeriod ?? '',
        }}
        errors={{}}
      />,
      { title: c.var.t('svc.settings.title'), section: 'services' },
    );
  });

  app.post('/settings', projectOffice, async (c) => {
    const { values } = await readForm(c);
    const r = await saveServiceSettings(c.var.deps.db, values);
    if (!r.ok) {
      c.status(422);
      return c.render(<SettingsView c={c} values={values} errors={formErrors(c.var.t, r.problems)} />, {
        title: c.var.t('svc.settings.title'),
        section: 'services',
      });
    }
    return c.redirect('/services/low-scoring', 303);
  });

  app.get('/:id', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const s = await loadService(c, idParam(c));
    const [ls, scores, improvements, checks, settings, fbScores, reviews] = await Promise.all([
      serviceLifeSituations(db, s.id),
      scoreHistory(db, s.id),
      serviceImprovements(db, s.id),
      listChecks(db, { serviceId: s.id }),
      serviceSettings(db),
      feedbackScores(db, s.id, 'quarter'),
      recentReviews(db, s.id, 10),
    ]);
    const title = localized(locale, s.title_ru, s.title_en);
    const manage = canManage(c);
    return c.render(
      <article>
        <p class="muted">
          {t('svc.service')} {s.code}
        </p>
        <h1>{title}</h1>
        {manage && (
          <p class="toolbar">
            <a href={`/services/${s.id}/edit`}>{t('svc.edit')}</a>
          </p>
        )}
        <dl class="facts">
          <dt>{t('svc.agency')}</dt>
          <dd>{localized(locale, s.agency_title_ru, s.agency_title_en)}</dd>
          <dt>{t('svc.curator')}</dt>
          <dd class="curator">
            {s.curator_name ? (
              <>
                <strong>{s.curator_name}</strong>
                {s.curator_position && <span>, {s.curator_position}</span>}
                {s.curator_agency && <span class="muted"> ({s.curator_agency})</span>}
              </>
            ) : (
              <span class="muted">{t('svc.noCurator')}</span>
            )}
          </dd>
          <dt>{t('svc.level')}</dt>
          <dd>{t(`svc.level.${s.level}`)}</dd>
          <dt>{t('svc.channels')}</dt>
          <dd>{s.channels.length ? s.channels.map((ch) => t(`svc.channel.${ch}`)).join(', ') : '—'}</dd>
          <dt>{t('svc.flags')}</dt>
          <dd>
            {[
              s.electronic && t('svc.electronic'),
              s.proactive && t('svc.proactive'),
              s.socially_significant && t('svc.sociallySignificant'),
            ]
              .filter(Boolean)
              .join(', ') || '—'}
          </dd>
          <dt>{t('svc.lifeSituations')}</dt>
          <dd>
            {ls.length === 0
              ? '—'
              : ls.map((l, i) => (
                  <>
                    {i > 0 && ', '}
                    <a href={`/life-situations/${l.id}`}>{localized(locale, l.title_ru, l.title_en)}</a>
                  </>
                ))}
          </dd>
        </dl>

        <h2>{t('svc.scores')}</h2>
        {scores.length === 0 ? (
          <p class="muted">{t('svc.noScores')}</p>
        ) : (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('svc.period')}</th>
                  <th scope="col">{t('svc.average')}</th>
                  <th scope="col">{t('svc.votes')}</th>
                  <th scope="col">{t('svc.criteria')}</th>
                </tr>
              </thead>
              <tbody>
                {scores.map((sc) => (
                  <tr>
                    <td>{periodLabel(sc.period, locale)}</td>
                    <td>
                      <ScoreBadge
                        cls={classifyScore(sc.avg_score, sc.votes, settings.rule)}
                        avg={sc.avg_score}
                        t={t}
                        locale={locale}
                      />
                    </td>
                    <td>{sc.votes}</td>
                    <td>
                      {sc.criteria
                        ? Object.entries(sc.criteria as Record<string, number>)
                            .map(([k, n]) => `${k}: ${formatScore(n, locale)}`)
                            .join('; ')
                        : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        <ServiceFeedbackSection
          serviceId={s.id}
          code={s.code}
          scores={fbScores}
          imported={scores}
          reviews={reviews}
          rule={settings.rule}
          t={t}
          locale={locale}
        />

        <h2>{t('svc.improvements')}</h2>
        {improvements.length === 0 ? (
          <p class="muted">
            {t('svc.noImprovements')} <a href="/services/low-scoring">{t('svc.lowScoring.title')}</a>
          </p>
        ) : (
          <ul class="improvements">
            {improvements.map((i) => (
              <li>
                <ImprovementBadge status={i.status} t={t} />{' '}
                {t('svc.improvement.summary', {
                  period: periodLabel(i.period_selected, locale),
                  baseline: formatScore(i.baseline_avg, locale),
                  target: formatScore(i.target_avg, locale),
                })}
                <ul>
                  {i.plan_item_id && (
                    <li>
                      <a href={`/items/${i.plan_item_id}`}>{t('svc.improvement.plan')}</a>{' '}
                      {i.plan_status && <StatusBadge status={i.plan_status} t={t} />}{' '}
                      <span class="muted">{formatDate(i.plan_current_due, locale)}</span>
                    </li>
                  )}
                  {i.implementation_item_id && (
                    <li>
                      <a href={`/items/${i.implementation_item_id}`}>{t('svc.improvement.implementation')}</a>{' '}
                      {i.implementation_status && <StatusBadge status={i.implementation_status} t={t} />}{' '}
                      <span class="muted">{formatDate(i.implementation_current_due, locale)}</span>
                    </li>
                  )}
                  {i.last_score_period && (
                    <li>
                      {t('svc.improvement.lastScore', {
                        period: periodLabel(i.last_score_period, locale),
                        avg: formatScore(i.last_score_avg, locale),
                      })}
                    </li>
                  )}
                </ul>
              </li>
            ))}
          </ul>
        )}

        <h2>{t('svc.checks.title')}</h2>
        {checks.length === 0 ? (
          <p class="muted">{t('svc.checks.none')}</p>
        ) : (
          <ul>
            {checks.map((ch) => (
              <li>
                <a href={`/services/checks/${ch.id}`}>
                  {t(`svc.check.kind.${ch.kind}`)} — {formatDate(ch.performed_on ?? ch.scheduled_on, locale)}
                </a>{' '}
                <span class={`badge check-${ch.status}`}>{t(`svc.check.status.${ch.status}`)}</span>
              </li>
            ))}
          </ul>
        )}
        {manage && (
          <p>
            <a href={`/services/${s.id}/checks/new`}>{t('svc.checks.schedule')}</a>
          </p>
        )}
      </article>,
      { title, section: 'services' },
    );
  });

  app.get('/:id/edit', projectOffice, async (c) => {
    const { db } = c.var.deps;
    const s = await loadService(c, idParam(c));
    const ls = await serviceLifeSituations(db, s.id);
    const heading = c.var.t('svc.editTitle');
    return c.render(
      <ServiceFormView
        c={c}
        action={`/services/${s.id}`}
        values={valuesOfService(
          s,
          ls.map((l) => l.id),
        )}
        errors={{}}
        options={await formOptions(db)}
        heading={heading}
      />,
      { title: heading, section: 'services' },
    );
  });

  app.post('/:id', projectOffice, async (c) => {
    const s = await loadService(c, idParam(c));
    return saveServiceForm(c, s.id);
  });

  app.post('/:id/delete', projectOffice, async (c) => {
    const s = await loadService(c, idParam(c));
    await deleteService(c.var.deps.db, s.id);
    return c.redirect('/services', 303);
  });

  return app;
}
