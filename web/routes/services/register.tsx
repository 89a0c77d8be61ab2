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
} from '../../../db/read-models/index.ts';
import { classifyScore } from '../../../domain/services/index.ts';
import { idParam, localized } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { deleteService, saveService, saveServiceSettings } from '../../../app/services/index.ts';
import { flash } from '../../flash.ts';
import { readForm } from '../../forms.ts';
import { formatDate, type Locale } from '../../i18n/index.ts';
import { StatusBadge } from '../../views/components.tsx';
import { formView, SelectField, TextField, translateIssues } from '../../views/form.tsx';
import { agencyShort, itemAgency } from '../../views/item-columns.tsx';
import { formatScore, ImprovementBadge, periodLabel, ScoreBadge } from '../../views/service-views.tsx';
import { DataTable, readSort, sortRows } from '../../views/table.tsx';
import { loadService, canManage, projectOffice } from './shared.tsx';
import { formOptions, ServiceFormView, SettingsView, valuesOfService } from './register-views.tsx';

const SERVICE_SORTS = ['code', 'title', 'agency', 'score'] as const;
type ServiceRow = Awaited<ReturnType<typeof listServices>>[number];
/** The register sorts in memory: it shows every service that matches, without pages. */
const SERVICE_KEYS = (
  locale: Locale,
): Record<(typeof SERVICE_SORTS)[number], (r: ServiceRow) => string | number | null> => ({
  code: (r) => r.code,
  title: (r) => localized(locale, r.title_ru, r.title_en),
  agency: (r) => itemAgency(locale, r),
  // Unrated services last whatever the direction (sortRows puts nulls last).
  score: (r) => r.avg_score,
});

export async function saveServiceForm(c: Context<AppEnv>, selfId: number | null) {
  const { db } = c.var.deps;
  const { t } = c.var;
  const { values } = await readForm(c);
  const r = await saveService(db, selfId, values);
  if (r.ok) {
    flash(c, selfId ? 'flash.saved' : 'flash.svc.created');
    return c.redirect(`/services/${r.id}`, 303);
  }
  c.status(422);
  const heading = selfId ? t('svc.editTitle') : t('svc.newTitle');
  return c.render(
    <ServiceFormView
      c={c}
      action={selfId ? `/services/${selfId}` : '/services'}
      f={formView('svc', { values, issues: translateIssues(t, r.problems) })}
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
    const sortParam = c.req.query('sort');
    const sort = readSort((n) => c.req.query(n), SERVICE_SORTS, { key: 'code', dir: 'asc' });
    const filters = formView('f');
    const [settings, periods, options] = await Promise.all([
      serviceSettings(db),
      scorePeriods(db),
      formOptions(db),
    ]);
    const period = periods.at(-1) ?? null;
    const rows = await listServices(db, period, settings.threshold, {
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
        <form method="get" action="/services" class="filters" role="search" aria-label={t('roadmap.filters')}>
          <SelectField
            f={filters}
            t={t}
            name="agency"
            label={t('svc.agency')}
            empty={t('svc.all')}
            value={agencyId ? String(agencyId) : ''}
            options={options.agencies.map((a) => ({ value: String(a.id), label: agencyShort(locale, a) }))}
          />
          <SelectField
            f={filters}
            t={t}
            name="ls"
            label={t('svc.lifeSituation')}
            empty={t('svc.all')}
            value={lifeSituationId ? String(lifeSituationId) : ''}
            options={options.lifeSituations.map((l) => ({
              value: String(l.id),
              label: localized(locale, l.title_ru, l.title_en),
            }))}
          />
          <SelectField
            f={filters}
            t={t}
            name="score"
            label={t('svc.score')}
            empty={t('svc.all')}
            value={scoreClass ?? ''}
            options={[
              { value: 'low', label: t('svc.filter.low') },
              { value: 'unrated', label: t('svc.filter.unrated') },
            ]}
          />
          <TextField f={filters} t={t} name="q" type="search" label={t('svc.search')} value={q ?? ''} />
          {sortParam && (
            <>
              <input type="hidden" name="sort" value={sort.key} />
              <input type="hidden" name="dir" value={sort.dir} />
            </>
          )}
          <div class="buttons">
            <button type="submit">{t('items.filter')}</button>
          </div>
        </form>
        <p class="muted">
          {period
            ? t('svc.list.periodNote', {
                period: periodLabel(period, locale),
                threshold: formatScore(settings.threshold, locale),
              })
            : t('svc.noScores')}
        </p>
        <DataTable
          rows={sortRows(rows, sort.dir, SERVICE_KEYS(locale)[sort.key], locale)}
          class="services"
          empty={<p>{t('items.empty')}</p>}
          caption={t('svc.list.count', { n: rows.length })}
          sorting={{
            current: sort,
            href: (next) => {
              const p = new URLSearchParams(c.req.query());
              p.set('sort', next.key);
              p.set('dir', next.dir);
              return `/services?${p}`;
            },
          }}
          columns={[
            { label: t('svc.code'), sort: 'code', class: 'nowrap', cell: (r) => r.code },
            {
              label: t('svc.title'),
              sort: 'title',
              wide: true,
              cell: (r) => <a href={`/services/${r.id}`}>{localized(locale, r.title_ru, r.title_en)}</a>,
            },
            { label: t('svc.agency'), sort: 'agency', cell: (r) => itemAgency(locale, r) },
            {
              label: t('svc.curator'),
              cell: (r) => (
                <>
                  {r.curator_name ?? '—'}
                  {r.curator_position && (
                    <span class="muted">
                      {' '}
                      · {localized(locale, r.curator_position, r.curator_position_en)}
                    </span>
                  )}
                </>
              ),
            },
            {
              label: t('svc.score'),
              sort: 'score',
              firstDir: 'asc',
              cell: (r) => <ScoreBadge cls={r.score_class} avg={r.avg_score} t={t} locale={locale} />,
            },
            {
              label: t('svc.improvement'),
              cell: (r) =>
                r.improvement_status ? <ImprovementBadge status={r.improvement_status} t={t} /> : '',
            },
          ]}
        />
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
        f={formView('svc')}
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
        f={formView('set', { values: { threshold: String(s.threshold), basePeriod: s.basePeriod ?? '' } })}
      />,
      { title: c.var.t('svc.settings.title'), section: 'services' },
    );
  });

  app.post('/settings', projectOffice, async (c) => {
    const { values } = await readForm(c);
    const r = await saveServiceSettings(c.var.deps.db, values);
    if (!r.ok) {
      c.status(422);
      const f = formView('set', { values, issues: translateIssues(c.var.t, r.problems) });
      return c.render(<SettingsView c={c} f={f} />, {
        title: c.var.t('svc.settings.title'),
        section: 'services',
      });
    }
    flash(c, 'flash.svc.settings');
    return c.redirect('/services/low-scoring', 303);
  });

  app.get('/:id', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const s = await loadService(c, idParam(c));
    const [ls, scores, improvements, checks, settings] = await Promise.all([
      serviceLifeSituations(db, s.id),
      scoreHistory(db, s.id),
      serviceImprovements(db, s.id),
      listChecks(db, { serviceId: s.id }),
      serviceSettings(db),
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
                {s.curator_position && (
                  <span>, {localized(locale, s.curator_position, s.curator_position_en)}</span>
                )}
                {s.curator_agency && (
                  <span class="muted"> ({localized(locale, s.curator_agency, s.curator_agency_en)})</span>
                )}
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
        <DataTable
          rows={scores}
          empty={<p class="muted">{t('svc.noScores')}</p>}
          columns={[
            { label: t('svc.period'), cell: (sc) => periodLabel(sc.period, locale) },
            {
              label: t('svc.average'),
              cell: (sc) => (
                <ScoreBadge
                  cls={classifyScore(sc.avg_score, sc.votes, settings.threshold)}
                  avg={sc.avg_score}
                  t={t}
                  locale={locale}
                />
              ),
            },
            { label: t('svc.votes'), class: 'num', cell: (sc) => sc.votes },
            {
              label: t('svc.criteria'),
              cell: (sc) =>
                sc.criteria
                  ? Object.entries(sc.criteria as Record<string, number>)
                      .map(([k, n]) => `${k}: ${formatScore(n, locale)}`)
                      .join('; ')
                  : '—',
            },
          ]}
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
        f={formView('svc', {
          values: valuesOfService(
            s,
            ls.map((l) => l.id),
          ),
        })}
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
    flash(c, 'flash.svc.deleted', { code: s.code });
    return c.redirect('/services', 303);
  });

  return app;
}
