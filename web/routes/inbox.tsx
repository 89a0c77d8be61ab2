import { Hono, type Context } from 'hono';
import { inboxGroups, unreadCount } from '../../db/read-models/index.ts';
import { isHtmx } from '../auth/index.ts';
import { currentUser, idParam } from '../context.ts';
import { LocalText } from '../views/components.tsx';
import type { AppEnv } from '../env.ts';
import { flash } from '../flash.ts';
import { fieldValue, readForm } from '../forms.ts';
import {
  markAllNotificationsRead,
  markItemNotificationsRead,
  markNotificationRead,
} from '../../app/notifications/index.ts';
import { formatDateTime } from '../i18n/index.ts';
import { FormSecrets } from '../views/form.tsx';
import { itemRef } from '../views/item-columns.tsx';
import { UnreadBadge } from '../views/layout.tsx';

/** The notification's own lines: its text up to the "open in Shtab" link and the footer. */
const firstBlock = (text: string) => text.split(/\r?\n\r?\n/)[0] ?? '';

/**
 * The inbox, grouped per item: each item once, with how many of its notices are new and the latest of
 * them; opening the item reads them (web/routes/items.tsx). Marking works without JavaScript (a form
 * post and a redirect) and with htmx (the list and the header badge swapped in place).
 */
async function Inbox({ c, page }: { c: Context<AppEnv>; page: number }) {
  const { t, locale } = c.var;
  const { db, config } = c.var.deps;
  const user = currentUser(c);
  const { groups, hasMore } = await inboxGroups(db, user.id, page);
  const csrf = c.var.csrfToken ?? '';
  const hx = { 'hx-target': '#inbox', 'hx-swap': 'outerHTML' };
  const when = (d: Date) => formatDateTime(d, locale, config.timeZone);
  const markForm = (action: string, label: string, cls = 'link') => (
    <form method="post" action={action} hx-post={action} class="inline" {...hx}>
      <FormSecrets csrf={csrf} />
      <input type="hidden" name="page" value={String(page)} />
      <button type="submit" class={cls}>
        {label}
      </button>
    </form>
  );
  return (
    <section id="inbox">
      <h1>{t('inbox.title')}</h1>
      {groups.some((g) => g.unread > 0) && markForm('/inbox/read-all', t('inbox.markAll'), 'secondary')}
      {groups.length === 0 ? (
        <p class="muted">{t('inbox.empty')}</p>
      ) : (
        <ul class="inbox">
          {groups.map((g) => {
            const first = g.notices[0]!;
            return (
              <li class={`inbox-group ${g.unread > 0 ? 'unread' : 'read'}`}>
                <p class="inbox-head">
                  {g.item ? (
                    <a href={`/items/${g.item.id}`}>
                      <strong>
                        {itemRef(t, g.item)}{' '}
                        <LocalText locale={locale} ru={g.item.title_ru} en={g.item.title_en} />
                      </strong>
                    </a>
                  ) : (
                    <strong lang={first.locale}>{first.subject}</strong>
                  )}{' '}
                  {g.unread > 0 && <span class="badge new">{t('inbox.newN', { n: g.unread })}</span>}{' '}
                  <time class="muted" datetime={g.lastAt.toISOString()}>
                    {when(g.lastAt)}
                  </time>
                </p>
                <ul class="inbox-notices">
                  {g.notices.map((n) => (
                    // Written in the recipient's language when it was sent: marked so on a page in the other.
                    <li class={n.read_at ? 'read' : 'unread'} lang={n.locale}>
                      {g.item && <span class="notice-subject">{n.subject}</span>}
                      <span class="muted"> · {when(n.created_at)}</span>
                      <p class="prewrap">{firstBlock(n.body_text)}</p>
                    </li>
                  ))}
                </ul>
                <div class="inbox-actions">
                  {g.total > g.notices.length && (
                    <span class="muted">{t('inbox.moreN', { n: g.total - g.notices.length })}</span>
                  )}
                  {g.item && <a href={`/items/${g.item.id}`}>{t('inbox.open')}</a>}
                  {g.unread > 0 &&
                    markForm(
                      g.item ? `/inbox/items/${g.item.id}/read` : `/inbox/${first.id}/read`,
                      t('inbox.markRead'),
                    )}
                </div>
              </li>
            );
          })}
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
  flash(c, 'flash.inbox.read');
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

  // Every notice about one item at once (the group).
  app.post('/items/:id/read', async (c) => {
    const itemId = idParam(c);
    const { values } = await readForm(c);
    await markItemNotificationsRead(c.var.deps.db, { userId: currentUser(c).id, itemId });
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
