import { Hono, type Context } from 'hono';
import { agencyAwaitingDecision, agencyTasks, reviewQueue } from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { isAgencyRole, isProjectOffice } from '../../domain/roles.ts';
import { currentUser, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDate, formatDateTime } from '../i18n/index.ts';
import { StatusBadge } from '../views/components.tsx';

const title = (locale: string, r: { title_ru: string; title_en: string | null }) =>
  locale === 'en' && r.title_en ? r.title_en : r.title_ru;
const ref = (r: { id: number; number: string | null }) => (r.number ? `№ ${r.number}` : `#${r.id}`);
const agencyOf = (
  locale: string,
  r: { agency_short_ru: string | null; agency_title_ru: string; agency_title_en: string },
) => (locale === 'en' ? r.agency_title_en : (r.agency_short_ru ?? r.agency_title_ru));

/** Where a role's own work queue is: agencies have "My tasks", the working group the review queue. */
function homeQueue(c: Context<AppEnv>, want: 'my' | 'review') {
  const role = currentUser(c).role;
  if (want === 'my' && isProjectOffice(role)) return c.redirect('/review', 303);
  if (want === 'review' && isAgencyRole(role)) return c.redirect('/my', 303);
  throw new ShtabError('forbidden', `role ${role} has no ${want} queue`, { key: 'error.forbidden' });
}

export function taskRoutes() {
  const app = new Hono<AppEnv>();

  // "My tasks": the agency's open items that wait on it, overdue first. Other roles are sent to their own
  // queue (working group) or refused (leadership, observer: nothing to act on).
  app.get('/my', async (c) => {
    const user = currentUser(c);
    if (!isAgencyRole(user.role) || user.agencyId === null) return homeQueue(c, 'my');
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const { today } = readContext(c);
    const [tasks, waiting] = await Promise.all([
      agencyTasks(db, today, user.agencyId),
      agencyAwaitingDecision(db, user.agencyId),
    ]);
    return c.render(
      <section>
        <h1>{t('my.title')}</h1>
        <p class="muted">{t('my.intro')}</p>
        {tasks.length === 0 ? (
          <p>{t('my.empty')}</p>
        ) : (
          <table class="tasks">
            <caption>{t('my.caption', { n: tasks.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('item.number')}</th>
                <th scope="col">{t('item.title')}</th>
                <th scope="col">{t('my.role')}</th>
                <th scope="col">{t('item.currentDue')}</th>
                <th scope="col">{t('item.status')}</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((r) => (
                <tr class={r.overdue ? 'overdue' : undefined}>
                  <td>{ref(r)}</td>
                  <td>
                    <a href={`/items/${r.id}`}>{title(locale, r)}</a>
                    {r.extension_pending && <span class="muted"> · {t('my.extensionPending')}</span>}
                  </td>
                  <td>
                    {r.responsible
                      ? t('my.responsible')
                      : t('my.coExecutor', { agency: agencyOf(locale, r) })}
                  </td>
                  <td>{formatDate(r.current_due, locale)}</td>
                  <td>
                    <StatusBadge status={r.status} overdue={r.overdue} t={t} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>{t('my.waiting')}</h2>
        {waiting.length === 0 ? (
          <p class="muted">{t('my.waitingEmpty')}</p>
        ) : (
          <ul class="queue">
            {waiting.map((r) => (
              <li>
                <a href={`/items/${r.id}`}>
                  {ref(r)} {title(locale, r)}
                </a>{' '}
                <span class="muted">
                  · {r.status === 'submitted' ? t('my.underReview') : t('my.extensionPending')} ·{' '}
                  {formatDate(r.current_due, locale)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>,
      { title: t('my.title'), section: 'my' },
    );
  });

  // The working group's queue: reports to review and extension requests to decide, oldest first.
  app.get('/review', async (c) => {
    const user = currentUser(c);
    if (!isProjectOffice(user.role)) return homeQueue(c, 'review');
    const { t, locale } = c.var;
    const { db, config } = c.var.deps;
    const { submitted, extensions } = await reviewQueue(db);
    return c.render(
      <section>
        <h1>{t('review.title')}</h1>
        <h2>{t('review.reports', { n: submitted.length })}</h2>
        {submitted.length === 0 ? (
          <p class="muted">{t('review.reportsEmpty')}</p>
        ) : (
          <table class="tasks">
            <thead>
              <tr>
                <th scope="col">{t('item.number')}</th>
                <th scope="col">{t('item.title')}</th>
                <th scope="col">{t('item.agency')}</th>
                <th scope="col">{t('review.submittedAt')}</th>
                <th scope="col">{t('item.reviewRound')}</th>
              </tr>
            </thead>
            <tbody>
              {submitted.map((r) => (
                <tr>
                  <td>{ref(r)}</td>
                  <td>
                    <a href={`/items/${r.id}`}>{title(locale, r)}</a>
                  </td>
                  <td>{agencyOf(locale, r)}</td>
                  <td>{r.submitted_at ? formatDateTime(r.submitted_at, locale, config.timeZone) : '—'}</td>
                  <td>{r.review_round}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>{t('review.extensions', { n: extensions.length })}</h2>
        {extensions.length === 0 ? (
          <p class="muted">{t('review.extensionsEmpty')}</p>
        ) : (
          <table class="tasks">
            <thead>
              <tr>
                <th scope="col">{t('item.number')}</th>
                <th scope="col">{t('item.title')}</th>
                <th scope="col">{t('item.agency')}</th>
                <th scope="col">{t('review.dates')}</th>
                <th scope="col">{t('timeline.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {extensions.map((r) => (
                <tr>
                  <td>{ref(r)}</td>
                  <td>
                    <a href={`/items/${r.id}`}>{title(locale, r)}</a>
                  </td>
                  <td>{agencyOf(locale, r)}</td>
                  <td>
                    {formatDate(r.previous_due, locale)} → {formatDate(r.requested_due, locale)}
                  </td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>,
      { title: t('review.title'), section: 'review' },
    );
  });

  return app;
}
