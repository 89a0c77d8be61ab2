import type { Context } from 'hono';
import { formatPeriod } from '../../domain/services/index.ts';
import type { AppEnv } from '../env.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { formatScore } from './format.ts';

// The same formatting as format.ts (kept exported here for the service pages that import it from here).
export { formatScore };

export function ScoreBadge({
  cls,
  avg,
  t,
  locale,
}: {
  cls: 'low' | 'ok' | 'unrated';
  avg: number | null | undefined;
  t: Translate;
  locale: Locale;
}) {
  return (
    <span class={`badge score-${cls}`}>
      {cls === 'unrated'
        ? t('svc.unrated')
        : `${formatScore(avg, locale)}${cls === 'low' ? ` · ${t('svc.low')}` : ''}`}
    </span>
  );
}

export function ImprovementBadge({ status, t }: { status: string; t: Translate }) {
  return <span class={`badge improvement-${status}`}>{t(`svc.improvement.${status}`)}</span>;
}

export const periodLabel = (p: string, locale: Locale) => formatPeriod(p, locale);

/** Hidden CSRF field for plain (non-htmx) form posts. */
export function Csrf({ c }: { c: Context<AppEnv> }) {
  return <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />;
}
