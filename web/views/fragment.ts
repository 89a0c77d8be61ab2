import type { Context } from 'hono';

/**
 * Whether to answer with the fragment that htmx swaps into `targetId`, rather than a whole page. Only an
 * htmx request aimed at that element gets it: history restores (htmx 4 re-fetches the URL into <body>,
 * HX-Request-Type: full), boosted links and plain navigation all get the full page, so every pushed URL
 * renders on its own.
 */
export function wantsFragment(c: Context, targetId: string): boolean {
  if (c.req.header('HX-Request') !== 'true') return false;
  if (c.req.header('HX-Request-Type') === 'full' || c.req.header('HX-History-Restore-Request') === 'true')
    return false;
  return c.req.header('HX-Target')?.endsWith(`#${targetId}`) ?? false;
}

/** htmx attributes for a link or form that loads `href` into `#targetId` and pushes it as the new URL. */
export const hxLoad = (href: string, targetId: string) => ({
  'hx-get': href,
  'hx-target': `#${targetId}`,
  'hx-swap': 'innerHTML',
  'hx-push-url': 'true',
});
