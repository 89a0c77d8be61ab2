import { Hono, type Context } from 'hono';
import {
  ratingByDirection,
  ratingByMunicipality,
  registerTargets,
  type RatedRow,
} from '../../db/read-models/index.ts';
import { formatFeedbackPeriod, RATING_WEIGHTS, recentPeriods } from '../../domain/feedback/index.ts';
import { cachedRead, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatNumber, formatPercent } from '../views/format.ts';
import { formView, SelectField } from '../views/form.tsx';
import { DataTable } from '../views/table.tsx';

// The rating by direction and by municipality, with its formula, and the 2030 targets from the register.

function RatingTable({
  rows,
  c,
  label,
  caption,
}: {
  rows: RatedRow[];
  c: Context<AppEnv>;
  label: string;
  caption: string;
}) {
  const { t, locale } = c.var;
  const sorted = [...rows].sort((a, b) => (b.rating.total ?? -1) - (a.rating.total ?? -1));
  const n = (x: number | null) => (x === null ? '—' : formatNumber(x, locale));
  return (
    <DataTable
      rows={sorted}
      caption={caption}
      hideCaption
      empty={<p class="muted">{t('fb.rating.none')}</p>}
      columns={[
        { label, rowHeader: true, wide: true, cell: (r) => localized(locale, r.title_ru, r.title_en) },
        { label: t('fb.rating.total'), class: 'num', cell: (r) => <strong>{n(r.rating.total)}</strong> },
        { label: t('fb.rating.citizens'), class: 'num', cell: (r) => n(r.rating.citizens) },
        { label: t('fb.rating.principles'), class: 'num', cell: (r) => n(r.rating.principles) },
        { label: t('fb.rating.measures'), class: 'num', cell: (r) => n(r.rating.measures) },
        { label: t('svc.votes'), class: 'num', cell: (r) => r.votes },
      ]}
    />
  );
}

export function ratingRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const today = readContext(c).today;
    const quarters = recentPeriods(today, 'quarter', 4);
    const asked = c.req.query('period') ?? '';
    const period = quarters.includes(asked) ? asked : quarters.at(-1)!;
    const [byDirection, byMunicipality, targets] = await cachedRead(c, ['rating', period], () =>
      Promise.all([
        ratingByDirection(db, period, today),
        ratingByMunicipality(db, period, today),
        registerTargets(db),
      ]),
    );
    return c.render(
      <section>
        <h1>{t('fb.rating.title')}</h1>
        <form method="get" action="/citizens/rating" class="filters">
          <SelectField
            f={formView('rt')}
            t={t}
            name="period"
            label={t('svc.period')}
            value={period}
            options={[...quarters]
              .reverse()
              .map((p) => ({ value: p, label: formatFeedbackPeriod(p, locale) }))}
          />
          <div class="buttons">
            <button type="submit">{t('items.filter')}</button>
          </div>
        </form>
        <section aria-labelledby="rt-formula" class="kpi-block">
          <h2 id="rt-formula">{t('fb.rating.formulaTitle')}</h2>
          <p>
            {t('fb.rating.formula', {
              c: formatNumber(RATING_WEIGHTS.citizens, locale),
              p: formatNumber(RATING_WEIGHTS.principles, locale),
              m: formatNumber(RATING_WEIGHTS.measures, locale),
            })}
          </p>
          <ul>
            <li>{t('fb.rating.formulaCitizens')}</li>
            <li>{t('fb.rating.formulaPrinciples')}</li>
            <li>{t('fb.rating.formulaMeasures')}</li>
          </ul>
          <p class="muted">{t('fb.rating.formulaMissing')}</p>
        </section>
        <section aria-labelledby="rt-targets">
          <h2 id="rt-targets">{t('fb.targets.title')}</h2>
          <ul class="kpis">
            <li
              class={
                targets.shareOnline !== null && targets.shareOnline >= targets.targets.shareOnline
                  ? 'good'
                  : 'bad'
              }
            >
              <span class="kpi-value">{formatPercent(targets.shareOnline, locale)}</span>{' '}
              <span class="kpi-label">
                {t('fb.targets.online', {
                  online: targets.online,
                  mass: targets.massServices,
                  target: formatPercent(targets.targets.shareOnline, locale),
                })}
              </span>
            </li>
            <li class={targets.proactive >= targets.targets.proactive ? 'good' : 'bad'}>
              <span class="kpi-value">{targets.proactive}</span>{' '}
              <span class="kpi-label">
                {t('fb.targets.proactive', { target: targets.targets.proactive })}
              </span>
            </li>
          </ul>
        </section>
        <h2>{t('fb.rating.byDirection', { period: formatFeedbackPeriod(period, locale) })}</h2>
        <RatingTable
          rows={byDirection}
          c={c}
          label={t('fb.rating.direction')}
          caption={t('fb.rating.byDirection', { period: formatFeedbackPeriod(period, locale) })}
        />
        <h2>{t('fb.rating.byMunicipality', { period: formatFeedbackPeriod(period, locale) })}</h2>
        <RatingTable
          rows={byMunicipality}
          c={c}
          label={t('fb.municipality')}
          caption={t('fb.rating.byMunicipality', { period: formatFeedbackPeriod(period, locale) })}
        />
      </section>,
      { title: t('fb.rating.title'), section: 'citizens' },
    );
  });
  return app;
}
