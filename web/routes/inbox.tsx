import { Hono, type Context } from 'hono';
import { inboxPage, unreadCount } from '../../db/read-models/index.ts';
import { isHtmx } from '../auth/index.ts';
import { currentUser, idParam } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { fieldValue, readForm } from '../forms.ts';
import { markAllNotificationsRead, markNotificationRead } from '../../app/notifications/index.ts';
import { formatDateTime } from '../i18n/index.ts';
import { UnreadBadge } from '../views/layout.tsx';

/** The notification's own lines: its text up to the "open in Shtab" link and the footer. */
const firstBlock = (text: string) => text.split(/\r?\n\r?\n/)[0] ?? '';

async function Inbox({ c, page }: { c: Context<AppEnv>; page: number }) {
  const { t, locale } = c.var;
  const { db, config } = c.var.deps;
  const user = currentUser(c);
  const { rows, hasMore } = await inboxPage(db, user.id, page);
  const csrf = c.var.csrfToken ?? '';
  const hx = { 'hx-target': '#inbox', 'hx-swap': 'outerHTML' };
  return (
    <section id="inbox">
      <h1>{t('inbox.title')}</h1>
      {rows.some((r) => !r.read_at) && (
        <form method="post" action="/inbox/read-all" hx-post="/inbox/read-all" {...hx}>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="page" value={String(page)} />
          <button type="submit" class="secondary">
            {t('inbox.markAll')}
          </button>
        </form>
      )}
      {rows.length === 0 ? (
        <p class="muted">{t('inbox.empty')}</p>
      ) : (
        <ul class="inbox">
          {rows.map((r) => (
            <li class={r.read_at ? 'read' : 'unread'}>
              <p class="inbox-head">
                {!r.read_at && <span class="badge new">{t('inbox.new')}</span>} <strong>{r.subject}</strong>{' '}
                <time class="muted" datetime={r.created_at.toISOString()}>
                  {formatDateTime(r.created_at, locale, config.timeZone)}
                </time>
              </p>
              <p class="prewrap">{firstBlock(r.body_text)}</p>
              <div class="inbox-actions">
                {r.control_item_id !== null && <a href={`/items/${r.control_item_id}`}>{t('inbox.open')}</a>}
                {!r.read_at && (
                  <form
                    method="post"
                    action={`/inbox/${r.id}/read`}
                    hx-post={`/inbox/${r.id}/read`}
                    class="inline"
                    {...hx}
                  >
                    <input type="hidden" name="_csrf" value={csrf} />
                    <input type="hidden" name="page" value={String(page)} />
                    <button type="submit" class="link">
                      {t('inbox.markRead')}
                    </button>
                  </form>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <nav class="pager" aria-label={t('inbox.pages')}>
        {page > 1 && <a href={`/inbox?page=${page - 1}`}>{t('inbox.newer')}</a>}
        {hasMore && <a href={`/inbox?page=${page + 1}`}>{t('inbox.older')}</a>}
      </nav>
    </section>
  );
}

const pageOf = (v: unknown) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
};

/** After marking: htmx gets the list and the header badge (out of band), a plain form a redirect. */
async function afterMark(c: Context<AppEnv>, page: number) {
  if (!isHtmx(c)) return c.redirect(page > 1 ? `/inbox?page=${page}` : '/inbox', 303);
  const unread = await unreadCount(c.var.deps.db, currentUser(c).id);
  return c.html(
    <>
      <Inbox c={c} page={page} />
      <UnreadBadge count={unread} t={c.var.t} oob />
    </>,
  );
}

/** In-app notifications: the outbox rows addressed to the user, with or without SMTP. */
export function inboxRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const page = pageOf(c.req.query('page'));
    return c.render(<Inbox c={c} page={page} />, { title: c.var.t('inbox.title'), section: 'inbox' });
  });

  app.post('/read-all', async (c) => {
    const { values } = await readForm(c);
    await markAllNotificationsRead(c.var.deps.db, currentUser(c).id);
    return afterMark(c, pageOf(fieldValue(values, 'page')));
  });

  app.post('/:id/read', async (c) => {
    const id = idParam(c);
    const { values } = await readForm(c);
    await markNotificationRead(c.var.deps.db, { userId: currentUser(c).id, id });
    return afterMark(c, pageOf(fieldValue(values, 'page')));
  });

  return app;
}
