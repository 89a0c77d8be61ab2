import { Hono } from 'hono';
import { programmeProgress, progressByLifeSituation } from '../../db/read-models/index.ts';
import { localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

export function dashboardRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const ctx = readContext(c);
    const [total, byLs] = await Promise.all([
      programmeProgress(c.var.deps.db, ctx),
      progressByLifeSituation(c.var.deps.db, ctx),
    ]);
    return c.render(
      <section>
        <h1>{t('dashboard.title')}</h1>
        <ul class="kpis">
          <li>
            <span class="kpi-value">{total.total}</span> <span class="kpi-label">{t('dashboard.total')}</span>
          </li>
          <li>
            <span class="kpi-value">{total.done}</span> <span class="kpi-label">{t('dashboard.done')}</span>
          </li>
          <li>
            <span class="kpi-value">{total.inProgress}</span>{' '}
            <span class="kpi-label">{t('dashboard.inProgress')}</span>
          </li>
          <li class="bad">
            <a href="/items?status=overdue">
              <span class="kpi-value">{total.overdue}</span>{' '}
              <span class="kpi-label">{t('dashboard.overdue')}</span>
            </a>
          </li>
          <li>
            <span class="kpi-value">{pct(total.onTimeRate)}</span>{' '}
            <span class="kpi-label">{t('dashboard.onTimeRate')}</span>
          </li>
        </ul>
        <h2>{t('dashboard.byLifeSituation')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('item.lifeSituation')}</th>
              <th scope="col">{t('dashboard.total')}</th>
              <th scope="col">{t('dashboard.done')}</th>
              <th scope="col">{t('dashboard.overdue')}</th>
            </tr>
          </thead>
          <tbody>
            {byLs
              .filter((r) => r.counts.total > 0)
              .map((r) => (
                <tr>
                  <td>{localized(locale, r.title_ru, r.title_en)}</td>
                  <td>{r.counts.total}</td>
                  <td>{r.counts.done}</td>
                  <td>{r.counts.overdue}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </section>,
      { title: t('dashboard.title'), section: 'dashboard' },
    );
  });
  return app;
}
