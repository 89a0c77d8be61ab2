import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { itemStateFromRow } from '../../db/control-items.ts';
import {
  agenciesByIds,
  getItem,
  itemTimeline,
  listItems,
  latestSubmission,
} from '../../db/read-models/index.ts';
import {
  availableActions,
  ITEM_STATUSES,
  type ItemAction,
  type ItemStatus,
} from '../../domain/control-item/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { reviewUpdate, startWorkUpdate, submitUpdate } from '../../workflows/definitions.ts';
import { updateItem } from '../../workflows/client.ts';
import { isHtmx } from '../auth/index.ts';
import { actorOf, currentUser, idParam, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDate, formatDateTime, type Translate } from '../i18n/index.ts';
import { FieldError, StatusBadge } from '../views/components.tsx';

type Item = NonNullable<Awaited<ReturnType<typeof getItem>>>;

interface FormProblem {
  action: ItemAction;
  field?: string | undefined;
  message: string;
}

async function loadItem(c: Context<AppEnv>, id: number): Promise<Item> {
  const item = await getItem(c.var.deps.db, id, readContext(c).today);
  if (!item) throw new ShtabError('not_found', `item ${id} not found`, { key: 'item.notFound' });
  return item;
}

async function pendingExtension(c: Context<AppEnv>, id: number) {
  const r = await c.var.deps.db
    .selectFrom('extension_request')
    .select(['requested_due', 'event_key'])
    .where('control_item_id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r ? { requestedDue: r.requested_due, eventId: r.event_key } : null;
}

async function actionsFor(c: Context<AppEnv>, item: Item) {
  const state = itemStateFromRow(item, { pendingExtension: await pendingExtension(c, item.id) });
  return availableActions(state, actorOf(currentUser(c)));
}

function Field({
  id,
  label,
  problem,
  children,
}: {
  id: string;
  label: string;
  problem?: FormProblem | undefined;
  children: unknown;
}) {
  return (
    <div class={`field${problem ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      <FieldError id={`${id}-error`} message={problem?.message} />
    </div>
  );
}

/** The forms this viewer may use. Each posts with htmx and swaps the whole panel. */
function ActionForms({
  item,
  actions,
  problem,
  t,
}: {
  item: Item;
  actions: ItemAction[];
  problem?: FormProblem | undefined;
  t: Translate;
}) {
  const csrfFree = { 'hx-target': '#item-panel', 'hx-swap': 'outerHTML' };
  const p = (a: ItemAction, field?: string) => {
    const same = problem?.action === a || (a === 'submit' && problem?.action === 'submitPart');
    return same && (!field || problem?.field === field) ? problem : undefined;
  };
  const general = problem && !problem.field ? problem : undefined;
  if (actions.length === 0) return <p class="muted">{t('item.noActions')}</p>;
  return (
    <div class="actions">
      {general && (
        <p class="alert" role="alert">
          {general.message}
        </p>
      )}
      {actions.includes('start') && (
        <form
          method="post"
          action={`/items/${item.id}/start`}
          hx-post={`/items/${item.id}/start`}
          {...csrfFree}
        >
          <input type="hidden" name="eventId" value={randomUUID()} />
          <button type="submit">{t('action.start')}</button>
        </form>
      )}
      {(actions.includes('submit') || actions.includes('submitPart')) && (
        <form
          method="post"
          action={`/items/${item.id}/submit`}
          hx-post={`/items/${item.id}/submit`}
          {...csrfFree}
        >
          <input type="hidden" name="eventId" value={randomUUID()} />
          <input type="hidden" name="part" value={actions.includes('submit') ? '0' : '1'} />
          <Field id="submit-text" label={t('action.submitText')} problem={p('submit', 'text')}>
            <textarea
              id="submit-text"
              name="text"
              rows={4}
              aria-describedby={p('submit', 'text') ? 'submit-text-error' : undefined}
            ></textarea>
          </Field>
          <button type="submit">{t('action.submit')}</button>
        </form>
      )}
      {actions.includes('review') && (
        <form
          method="post"
          action={`/items/${item.id}/review`}
          hx-post={`/items/${item.id}/review`}
          {...csrfFree}
        >
          <input type="hidden" name="eventId" value={randomUUID()} />
          <Field id="review-reason" label={t('action.reason')} problem={p('review', 'reason')}>
            <textarea
              id="review-reason"
              name="reason"
              rows={2}
              aria-describedby={p('review', 'reason') ? 'review-reason-error' : undefined}
            ></textarea>
          </Field>
          <Field id="review-newDue" label={t('action.newDue')} problem={p('review', 'newDue')}>
            <input id="review-newDue" name="newDue" type="date" />
          </Field>
          <div class="buttons">
            <button type="submit" name="outcome" value="accept">
              {t('action.accept')}
            </button>
            <button type="submit" name="outcome" value="return" class="secondary">
              {t('action.return')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function eventLabel(type: string, t: Translate) {
  return t(`event.${type}`);
}

/** Details, actions and timeline: the fragment htmx swaps after every action. */
async function ItemPanel({ c, item, problem }: { c: Context<AppEnv>; item: Item; problem?: FormProblem }) {
  const { t, locale } = c.var;
  const { db, config } = c.var.deps;
  const [co, timeline, actions, submission] = await Promise.all([
    agenciesByIds(db, item.co_agency_ids),
    itemTimeline(db, item.id),
    actionsFor(c, item),
    latestSubmission(db, item.id),
  ]);
  return (
    <section id="item-panel" class="item-panel">
      <dl class="facts">
        <dt>{t('item.status')}</dt>
        <dd>
          <StatusBadge status={item.status} overdue={item.overdue} t={t} />
          {item.overdue && <span class="muted"> {t('item.daysOverdue', { days: item.days_overdue })}</span>}
        </dd>
        <dt>{t('item.agency')}</dt>
        <dd>{localized(locale, item.agency_title_ru, item.agency_title_en)}</dd>
        {co.length > 0 && (
          <>
            <dt>{t('item.coAgencies')}</dt>
            <dd>{co.map((a) => localized(locale, a.short_ru ?? a.title_ru, a.title_en)).join('; ')}</dd>
          </>
        )}
        {item.ls_title_ru && (
          <>
            <dt>{t('item.lifeSituation')}</dt>
            <dd>{localized(locale, item.ls_title_ru, item.ls_title_en)}</dd>
          </>
        )}
        {item.deliverable && (
          <>
            <dt>{t('item.deliverable')}</dt>
            <dd>{item.deliverable}</dd>
          </>
        )}
        <dt>{t('item.originalDue')}</dt>
        <dd>{formatDate(item.original_due, locale)}</dd>
        <dt>{t('item.currentDue')}</dt>
        <dd>{formatDate(item.current_due, locale)}</dd>
        {item.period_key && (
          <>
            <dt>{t('item.period')}</dt>
            <dd>{item.period_key}</dd>
          </>
        )}
        <dt>{t('item.reviewRound')}</dt>
        <dd>{item.review_round}</dd>
        <dt>{t('item.escalation')}</dt>
        <dd>{item.escalation_level}</dd>
      </dl>
      {submission && submission.body && (
        <blockquote class="submission">
          <p>{submission.body}</p>
        </blockquote>
      )}
      <h2>{t('item.actions')}</h2>
      <ActionForms item={item} actions={actions} problem={problem} t={t} />
      <h2>{t('item.timeline')}</h2>
      <ol class="timeline">
        {timeline.map((e) => (
          <li>
            <time datetime={e.at.toISOString()}>{formatDateTime(e.at, locale, config.timeZone)}</time>{' '}
            <strong>{eventLabel(e.type, t)}</strong> — {e.actor_name ?? t('event.system')}
            {typeof (e.data as { reason?: string } | null)?.reason === 'string' && (
              <span class="muted"> · {(e.data as { reason: string }).reason}</span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

async function renderPanel(
  c: Context<AppEnv>,
  id: number,
  problem?: FormProblem,
  status: 200 | 403 | 409 | 422 = 200,
) {
  const item = await loadItem(c, id);
  return c.html(<ItemPanel c={c} item={item} problem={problem} />, status);
}

/**
 * Runs a lifecycle action through the item's workflow. Success: htmx gets the fresh panel, a plain form
 * post is redirected back (PRG). A rule violation comes back as the panel with the message next to the
 * field (422) or on top (403/409), never a blank page.
 */
async function runAction(
  c: Context<AppEnv>,
  id: number,
  action: ItemAction,
  eventId: string,
  call: () => Promise<unknown>,
) {
  const { db } = c.var.deps;
  const already = await db
    .selectFrom('event')
    .select('id')
    .where('event_key', '=', eventId)
    .executeTakeFirst();
  const item = await loadItem(c, id);
  if (!already) {
    const allowed = await actionsFor(c, item);
    const requested =
      action === 'submit' && !allowed.includes('submit') && allowed.includes('submitPart')
        ? 'submitPart'
        : action;
    try {
      if (!allowed.includes(requested)) {
        throw new ShtabError('forbidden', `action ${action} not allowed`, { key: 'error.forbidden' });
      }
      await call();
    } catch (e) {
      if (!(e instanceof ShtabError) || e.code === 'unavailable' || e.code === 'not_found') throw e;
      const status = e.code === 'validation' ? 422 : e.code === 'forbidden' ? 403 : 409;
      const problem = { action, field: e.detail.field, message: c.var.t(e.detail.key, e.detail.params) };
      if (!isHtmx(c)) {
        c.status(status);
        return c.render(<ItemPanel c={c} item={item} problem={problem} />, {
          title: item.title_ru,
          section: 'items',
        });
      }
      return renderPanel(c, id, problem, status);
    }
  }
  if (!isHtmx(c)) return c.redirect(`/items/${id}`, 303);
  return renderPanel(c, id);
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const eventIdOf = (v: unknown) => (typeof v === 'string' && /^[\w-]{8,64}$/.test(v) ? v : randomUUID());

export function itemRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const status = c.req.query('status');
    const agencyId = Number(c.req.query('agency')) || undefined;
    const rows = await listItems(c.var.deps.db, readContext(c).today, {
      status:
        (ITEM_STATUSES as readonly string[]).includes(status ?? '') ||
        status === 'overdue' ||
        status === 'open'
          ? (status as ItemStatus)
          : undefined,
      agencyId,
      q: c.req.query('q')?.slice(0, 200) || undefined,
      limit: 200,
    });
    return c.render(
      <section>
        <h1>{t('items.title')}</h1>
        <p>
          <a href="/exports/roadmap.xlsx">{t('exports.download')}</a>
        </p>
        {rows.length === 0 ? (
          <p>{t('items.empty')}</p>
        ) : (
          <table class="items">
            <thead>
              <tr>
                <th scope="col">{t('item.number')}</th>
                <th scope="col">{t('item.title')}</th>
                <th scope="col">{t('item.agency')}</th>
                <th scope="col">{t('item.currentDue')}</th>
                <th scope="col">{t('item.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.number ?? r.id}</td>
                  <td>
                    <a href={`/items/${r.id}`}>{localized(locale, r.title_ru, r.title_en)}</a>
                  </td>
                  <td>{localized(locale, r.agency_short_ru ?? r.agency_code, r.agency_title_en)}</td>
                  <td>{formatDate(r.current_due, locale)}</td>
                  <td>
                    <StatusBadge status={r.status} overdue={r.overdue} t={t} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>,
      { title: t('items.title'), section: 'items' },
    );
  });

  app.get('/:id', async (c) => {
    const item = await loadItem(c, idParam(c));
    const title = localized(c.var.locale, item.title_ru, item.title_en);
    return c.render(
      <article>
        <p class="muted">
          {c.var.t(`kind.${item.kind}`)} {item.number ? `№ ${item.number}` : ''}
        </p>
        <h1>{title}</h1>
        <ItemPanel c={c} item={item} />
      </article>,
      { title, section: 'items' },
    );
  });

  app.post('/:id/start', async (c) => {
    const id = idParam(c);
    const body = await c.req.parseBody();
    const eventId = eventIdOf(body.eventId);
    return runAction(c, id, 'start', eventId, () =>
      updateItem(c.var.deps.temporal, id, startWorkUpdate, { actor: actorOf(currentUser(c)), eventId }),
    );
  });

  app.post('/:id/submit', async (c) => {
    const id = idParam(c);
    const body = await c.req.parseBody();
    const eventId = eventIdOf(body.eventId);
    const part = body.part === '1';
    return runAction(c, id, part ? 'submitPart' : 'submit', eventId, () =>
      updateItem(c.var.deps.temporal, id, submitUpdate, {
        actor: actorOf(currentUser(c)),
        eventId,
        text: str(body.text),
        links: [],
        attachmentIds: [],
        part,
      }),
    );
  });

  app.post('/:id/review', async (c) => {
    const id = idParam(c);
    const body = await c.req.parseBody();
    const eventId = eventIdOf(body.eventId);
    const outcome = body.outcome === 'return' ? 'return' : 'accept';
    return runAction(c, id, 'review', eventId, () =>
      updateItem(c.var.deps.temporal, id, reviewUpdate, {
        actor: actorOf(currentUser(c)),
        eventId,
        outcome,
        ...(str(body.reason) ? { reason: str(body.reason) } : {}),
        ...(str(body.newDue) ? { newDue: str(body.newDue) } : {}),
      }),
    );
  });

  return app;
}
