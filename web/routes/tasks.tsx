import { Hono, type Context } from 'hono';
import { agencyAwaitingDecision, agencyTasks, reviewQueue } from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { isAgencyRole, isProjectOffice } from '../../domain/roles.ts';
import { currentUser, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDate, formatDateTime } from '../i18n/index.ts';
import {
  agencyColumn,
  dueColumn,
  itemAgency,
  itemRef,
  numberColumn,
  roadmapColumn,
  statusColumn,
  titleColumn,
} from '../views/item-columns.tsx';
import { UserText } from '../views/components.tsx';
import { DataTable, readSort, sortRows, type Sort } from '../views/table.tsx';

const title = (locale: string, r: { title_ru: string; title_en: string | null }) =>
  locale === 'en' && r.title_en ? r.title_en : r.title_ru;

type Task = Awaited<ReturnType<typeof agencyTasks>>[number];
const MY_SORTS = ['number', 'title', 'due', 'status'] as const;
type MySort = (typeof MY_SORTS)[number];
const STATUS_ORDER = ['returned', 'assigned', 'in_progress', 'submitted', 'done', 'cancelled'];
/** "My tasks" sorts in memory (an agency has tens of open items): what each column sorts by. */
const MY_KEYS: Record<MySort, (r: Task) => string | number | null> = {
  number: (r) => r.number,
  title: (r) => r.title_ru,
  due: (r) => r.current_due,
  // Overdue first, then the lifecycle's order.
  status: (r) => (r.overdue ? 0 : 1) * 10 + STATUS_ORDER.indexOf(r.status),
};
const sortUrl = (path: string, s: Sort) => `${path}?${new URLSearchParams({ sort: s.key, dir: s.dir })}`;

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
    const cx = { t, locale };
    const sort = readSort((n) => c.req.query(n), MY_SORTS, { key: 'status', dir: 'asc' });
    const [tasks, waiting] = await Promise.all([
      agencyTasks(db, today, user.agencyId),
      agencyAwaitingDecision(db, user.agencyId),
    ]);
    return c.render(
      <section>
        <h1>{t('my.title')}</h1>
        <p class="muted">{t('my.intro')}</p>
        <DataTable
          rows={sortRows(tasks, sort.dir, MY_KEYS[sort.key], locale)}
          class="tasks"
          empty={<p>{t('my.empty')}</p>}
          caption={t('my.caption', { n: tasks.length })}
          sorting={{ current: sort, href: (s) => sortUrl('/my', s), label: t('table.sortBy') }}
          rowClass={(r) => (r.overdue ? 'overdue' : undefined)}
          columns={[
            numberColumn(cx, 'number'),
            titleColumn<Task>(cx, 'title', (r) =>
              r.extension_pending ? <span class="muted"> · {t('my.extensionPending')}</span> : null,
            ),
            roadmapColumn(cx),
            {
              label: t('my.role'),
              cell: (r) =>
                r.responsible ? t('my.responsible') : t('my.coExecutor', { agency: itemAgency(locale, r) }),
            },
            dueColumn(cx, 'due'),
            statusColumn(cx, 'status'),
          ]}
        />
        <h2>{t('my.waiting')}</h2>
        {waiting.length === 0 ? (
          <p class="muted">{t('my.waitingEmpty')}</p>
        ) : (
          <ul class="queue">
            {waiting.map((r) => (
              <li>
                <a href={`/items/${r.id}`}>
                  {itemRef(t, r)} {title(locale, r)}
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
    const cx = { t, locale };
    return c.render(
      <section>
        <h1>{t('review.title')}</h1>
        <h2>{t('review.reports', { n: submitted.length })}</h2>
        <DataTable
          rows={submitted}
          class="tasks"
          empty={<p class="muted">{t('review.reportsEmpty')}</p>}
          columns={[
            numberColumn(cx),
            titleColumn(cx),
            roadmapColumn(cx),
            agencyColumn(cx, undefined, false),
            {
              label: t('review.submittedAt'),
              cell: (r) => (r.submitted_at ? formatDateTime(r.submitted_at, locale, config.timeZone) : '—'),
            },
            dueColumn(cx),
            { label: t('item.reviewRound'), class: 'num', cell: (r) => r.review_round },
          ]}
        />
        <h2>{t('review.extensions', { n: extensions.length })}</h2>
        <DataTable
          rows={extensions}
          class="tasks"
          empty={<p class="muted">{t('review.extensionsEmpty')}</p>}
          columns={[
            numberColumn(cx),
            titleColumn(cx),
            roadmapColumn(cx),
            agencyColumn(cx, undefined, false),
            {
              label: t('review.dates'),
              class: 'nowrap',
              cell: (r) => `${formatDate(r.previous_due, locale)} → ${formatDate(r.requested_due, locale)}`,
            },
            { label: t('timeline.reason'), cell: (r) => <UserText text={r.reason} /> },
          ]}
        />
      </section>,
      { title: t('review.title'), section: 'review' },
    );
  });

  return app;
}
