import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { acceptReports, remindExecutors, type BulkOutcome } from '../../app/control-items/index.ts';
import { saveExtensionThreshold } from '../../app/instructions/index.ts';
import {
  agencyAwaitingDecision,
  agencyTasks,
  extensionThreshold,
  pendingExtensions,
  reportsToReview,
} from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { isAgencyRole, isProjectOffice } from '../../domain/roles.ts';
import { requireRole } from '../auth/index.ts';
import { actorOf, currentUser, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { eventId, fieldValue, ids, parseForm, readForm, text } from '../forms.ts';
import { formatDate, type Translate } from '../i18n/index.ts';
import { FormSecrets, formView, TextField } from '../views/form.tsx';
import { ExtensionRequests, ReviewQueue } from '../views/home/office.tsx';
import { HomeSection } from '../views/home/shared.tsx';
import { officeContext } from './home.tsx';
import { flash } from '../flash.ts';
import {
  dueColumn,
  itemAgency,
  itemRef,
  numberColumn,
  roadmapColumn,
  statusColumn,
  titleColumn,
} from '../views/item-columns.tsx';
import { LocalText } from '../views/components.tsx';
import { DataTable, readSort, sortRows, type Sort } from '../views/table.tsx';

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

const bulk = z.object({
  eventId: eventId(),
  itemIds: ids('error.bulk.none'),
  back: text(),
});

/** Back to the page the bulk form was on, with how many items were done and refused on top. */
function backTo(c: Context<AppEnv>, back: string, done: 'accepted' | 'reminded', r: BulkOutcome) {
  flash(c, `flash.bulk.${done}${r.refused.length ? 'Partly' : ''}`, {
    n: r.done.length,
    m: r.refused.length,
  });
  return c.redirect(back === '/review' ? '/review' : '/', 303);
}

/** The working group's setting of which extension requests the leadership decides. */
function ThresholdForm({ threshold, csrf, t }: { threshold: number; csrf: string; t: Translate }) {
  const f = formView('threshold');
  return (
    <form method="post" action="/review/threshold" class="inline-setting">
      <FormSecrets csrf={csrf} />
      <TextField
        f={f}
        t={t}
        name="threshold"
        type="number"
        label={t('review.threshold')}
        value={String(threshold)}
        min="1"
        max="250"
        width="short"
        required
      />
      <button type="submit" class="secondary small">
        {t('review.thresholdSave')}
      </button>
    </form>
  );
}

export function taskRoutes() {
  const app = new Hono<AppEnv>();
  const office = requireRole('working_group', 'admin');

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
                  {itemRef(t, r)} <LocalText locale={locale} ru={r.title_ru} en={r.title_en} />
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

  // The working group's queue: reports to review (with the control date and how late each came, bulk
  // accept, queue mode) and extension requests to decide (with the threshold above which the leadership
  // decides them).
  app.get('/review', async (c) => {
    const user = currentUser(c);
    if (!isProjectOffice(user.role)) return homeQueue(c, 'review');
    const { t } = c.var;
    const { db } = c.var.deps;
    const [reports, extensions, threshold] = await Promise.all([
      reportsToReview(db),
      pendingExtensions(db),
      extensionThreshold(db),
    ]);
    const ctx = officeContext(c);
    return c.render(
      <section class="home">
        <h1>{t('review.title')}</h1>
        <HomeSection id="review-reports" title={t('review.reports', { n: reports.length })}>
          <ReviewQueue rows={reports} c={ctx} back="/review" />
        </HomeSection>
        <HomeSection id="review-extensions" title={t('review.extensions', { n: extensions.length })}>
          <ExtensionRequests rows={extensions} c={ctx} threshold={threshold} />
          <ThresholdForm threshold={threshold} csrf={ctx.csrf} t={t} />
        </HomeSection>
      </section>,
      { title: t('review.title'), section: 'review' },
    );
  });

  // Bulk accept from the queue: each report through the one action pipeline; what another reviewer
  // decided meanwhile is counted as refused.
  app.post('/review/accept', office, async (c) => {
    const form = await readForm(c);
    const v = parseForm(form.values, bulk);
    const r = await acceptReports(c.var.deps, {
      actor: actorOf(currentUser(c)),
      itemIds: v.itemIds,
      idempotencyKey: v.eventId,
    });
    return backTo(c, v.back, 'accepted', r);
  });

  // The working group's reminder to the executors of ticked overdue items (once a day per item).
  app.post('/review/remind', office, async (c) => {
    const form = await readForm(c);
    const v = parseForm(form.values, bulk);
    const r = await remindExecutors(
      { db: c.var.deps.db, publicUrl: c.var.deps.config.publicUrl },
      { actor: actorOf(currentUser(c)), itemIds: v.itemIds, today: readContext(c).today },
    );
    return backTo(c, v.back, 'reminded', r);
  });

  app.post('/review/threshold', office, async (c) => {
    const form = await readForm(c);
    await saveExtensionThreshold(c.var.deps.db, {
      actor: actorOf(currentUser(c)),
      value: fieldValue(form.values, 'threshold'),
    });
    flash(c, 'flash.threshold.saved');
    return c.redirect('/review', 303);
  });

  return app;
}
