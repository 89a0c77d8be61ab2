import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { HtmlEscapedString } from 'hono/utils/html';
import {
  agencyStats,
  lifeSituationServiceCounts,
  lifeSituationSummaries,
  programmeFigures,
  READ_SCOPES,
  type ReadContext,
} from '../db/read-models/index.ts';
import { cachedRead } from './context.ts';
import type { AppEnv } from './env.ts';

// Programme-wide aggregates that several pages show (dashboard, league table, agency and life-situation
// pages), read through the cache once for all of them.

/** Every agency's and life situation's figures (kept by the database: a read of a few hundred rows). */
export const allFigures = (c: Context<AppEnv>) =>
  cachedRead(c, ['programmeFigures'], (ctx) => programmeFigures(c.var.deps.db, ctx), READ_SCOPES.programme);

export const allAgencyStats = (c: Context<AppEnv>) =>
  cachedRead(
    c,
    ['agencyStats'],
    (ctx) => agencyStats(c.var.deps.db, ctx, undefined, allFigures(c)),
    READ_SCOPES.programme,
  );

export const allLifeSituationSummaries = (c: Context<AppEnv>) =>
  cachedRead(
    c,
    ['lifeSituationSummaries'],
    (ctx) =>
      lifeSituationSummaries(
        c.var.deps.db,
        ctx,
        allFigures(c),
        cachedRead(
          c,
          ['lifeSituationServices'],
          () => lifeSituationServiceCounts(c.var.deps.db),
          READ_SCOPES.lifeSituationServiceCounts,
        ),
      ),
    READ_SCOPES.lifeSituationSummaries,
  );

/**
 * A page's main content rendered once per data version and language, for pages that show nobody anything
 * personal (dashboards, league table, agency and life-situation pages): rendering 100–200 KB of HTML took
 * most of such a request once the data was cached. Whatever the view reads must be read inside `view`,
 * after the version: data read earlier could be older than the version the HTML is stored under.
 */
export function cachedView(
  c: Context<AppEnv>,
  key: readonly (string | number)[],
  view: (ctx: ReadContext) => Promise<JSX.Element>,
): Promise<HtmlEscapedString> {
  return cachedRead(c, [...key, 'html', c.var.locale], async (ctx) =>
    raw(await (await view(ctx)).toString()),
  );
}
