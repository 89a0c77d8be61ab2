import type { Lateness } from '../../../domain/control-item/index.ts';
import type { ItemKind } from '../../../domain/control-item/types.ts';
import { LocalText } from '../components.tsx';
import { FRESH_ID } from '../../fresh-ids.ts';
import type { Translate } from '../../i18n/index.ts';

// Pieces the four homes share.

export interface ItemRef {
  id: number;
  number: string | null;
  kind: ItemKind;
  title_ru: string;
  title_en: string | null;
}

/** "№ 3.2 Title" linked to the item page (an instruction is named as such). */
export function ItemLink({
  item,
  locale,
  t,
  query,
}: {
  item: ItemRef;
  locale: string;
  t: Translate;
  query?: string;
}) {
  return (
    <>
      <a href={`/items/${item.id}${query ?? ''}`}>
        {item.number ? `${t('item.ref', { number: item.number })} ` : ''}
        <LocalText locale={locale} ru={item.title_ru} en={item.title_en} />
      </a>
      {item.kind !== 'measure' && <span class="muted"> · {t(`kind.${item.kind}`)}</span>}
    </>
  );
}

/** "просрочено на 8 раб. дн." from the one lateness function; nothing when on time. */
export function LatenessText({
  lateness,
  t,
  internal,
}: {
  lateness: Lateness;
  t: Translate;
  internal?: boolean;
}) {
  if (lateness.state === 'none') return <span class="muted">—</span>;
  const key = internal
    ? lateness.state === 'overdue'
      ? 'home.internalOverdue'
      : 'home.internalLate'
    : lateness.state === 'overdue'
      ? 'lateness.overdue'
      : 'lateness.late';
  return <span class={`lateness ${lateness.state}`}>{t(key, { days: lateness.workingDays })}</span>;
}

/** The hidden fields of a form posted from a home: CSRF, a fresh idempotency key, where to come back. */
export function FormKeys({ csrf, back }: { csrf: string; back?: string }) {
  return (
    <>
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="eventId" value={FRESH_ID} />
      {back && <input type="hidden" name="back" value={back} />}
    </>
  );
}

/** A section of a home: its heading (with a count) and an optional line under it. */
export function HomeSection({
  id,
  title,
  count,
  intro,
  children,
}: {
  id: string;
  title: string;
  count?: number;
  intro?: string;
  children: unknown;
}) {
  return (
    <section aria-labelledby={id} class="home-section">
      <h2 id={id}>
        {title}
        {count !== undefined && <span class="count-inline"> ({count})</span>}
      </h2>
      {intro && <p class="muted">{intro}</p>}
      {children}
    </section>
  );
}

/** "What to do now": the home's first lines, each a link to its section (those with nothing are left out). */
export function TodoList({
  items,
  t,
  none,
}: {
  items: { href: string; text: string; n: number }[];
  t: Translate;
  none: string;
}) {
  const shown = items.filter((i) => i.n > 0);
  return (
    <ul class="todo" aria-label={t('home.todo')}>
      {shown.length === 0 ? (
        <li>{none}</li>
      ) : (
        shown.map((i) => (
          <li>
            <a href={i.href}>{i.text}</a>
          </li>
        ))
      )}
    </ul>
  );
}
