import type { Context } from 'hono';
import { HtmlEscapedCallbackPhase, resolveCallback } from 'hono/utils/html';
import type { AppEnv } from './env.ts';
import { fillFreshIds } from './fresh-ids.ts';

/**
 * Makes `c.html()` hand the response a primitive string, with fresh ids filled in. JSX renders to `String` objects, and
 * @hono/node-server answers from memory only for primitive strings and byte arrays: any other body makes it
 * build a WHATWG Response and stream the page through web streams, which cost a cached dashboard about a
 * tenth of its time (docs/performance.md).
 */
export function primitiveHtml(c: Context<AppEnv>): void {
  const html = c.html;
  // Fresh ids (fresh-ids.ts) are filled in here, or by the page cache as it sends a page it keeps.
  const fill = (s: string) => (c.get('freshIdsLater') ? s : fillFreshIds(s));
  c.html = ((body: unknown, ...rest: unknown[]) => {
    if (typeof body !== 'object' || body === null)
      return (html as Function)(typeof body === 'string' ? fill(body) : body, ...rest);
    return Promise.resolve(body)
      .then((b) => resolveCallback(b as unknown as string, HtmlEscapedCallbackPhase.Stringify, false, {}))
      .then((s) => (html as Function)(fill(`${s}`), ...rest));
  }) as typeof c.html;
}
