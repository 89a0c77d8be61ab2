import type { Translate } from '../i18n/index.ts';
import { hxLoad } from './fragment.ts';

/** Pages to offer: first, last, and a window around the current one; null marks a gap. */
export function pageWindow(page: number, pages: number, around = 2): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= around) out.push(p);
    else if (out.at(-1) !== null) out.push(null);
  }
  return out;
}

/**
 * Page links that work without JavaScript (plain hrefs) and, with htmx, load into `targetId` and push the
 * URL. `href(p)` builds the shareable URL of page p.
 */
export function Pager({
  page,
  pages,
  href,
  targetId,
  t,
}: {
  page: number;
  pages: number;
  href: (p: number) => string;
  targetId: string;
  t: Translate;
}) {
  if (pages <= 1) return null;
  const link = (p: number, label: string, rel?: string) => (
    <a href={href(p)} {...hxLoad(href(p), targetId)} rel={rel}>
      {label}
    </a>
  );
  return (
    <nav class="page-nav" aria-label={t('dash.pager.label')}>
      <ul>
        {page > 1 && <li>{link(page - 1, t('dash.pager.prev'), 'prev')}</li>}
        {pageWindow(page, pages).map((p) =>
          p === null ? (
            <li class="gap" aria-hidden="true">
              …
            </li>
          ) : p === page ? (
            <li>
              <a href={href(p)} aria-current="page">
                {p}
              </a>
            </li>
          ) : (
            <li>{link(p, String(p))}</li>
          ),
        )}
        {page < pages && <li>{link(page + 1, t('dash.pager.next'), 'next')}</li>}
      </ul>
    </nav>
  );
}
