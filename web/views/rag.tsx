import { RAG_THRESHOLDS, type RagResult } from '../../domain/rag.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { formatPercent } from './format.ts';

/** The status in words with a coloured marker: colour is never the only carrier of meaning. */
export function RagBadge({ result, t }: { result: RagResult; t: Translate }) {
  return (
    <span class={`rag rag-${result.rag}`}>
      <span class="rag-dot" aria-hidden="true"></span>
      {t(`dash.rag.${result.rag}`)}
    </span>
  );
}

/** Why the group has its colour, in a few words ("2 of 4 overdue, up to 7 working days"). */
export function RagWhy({ result, t }: { result: RagResult; t: Translate }) {
  const parts: string[] = [];
  if (result.overdue > 0)
    parts.push(
      t('dash.rag.why.overdue', {
        overdue: result.overdue,
        scope: result.scope,
        days: result.maxOverdueWorkingDays,
      }),
    );
  if (result.dueSoonNotSubmitted > 0)
    parts.push(
      t('dash.rag.why.dueSoon', {
        n: result.dueSoonNotSubmitted,
        soon: RAG_THRESHOLDS.amberDueWithinWorkingDays,
      }),
    );
  return parts.length ? <span class="rag-why">{parts.join('; ')}</span> : null;
}

/** The rules as they ran, from the same thresholds object the domain uses. */
export function RagLegend({ t, locale, id = 'rag-legend' }: { t: Translate; locale: Locale; id?: string }) {
  const th = RAG_THRESHOLDS;
  const params = {
    days: th.redOverdueWorkingDays,
    share: formatPercent(th.redOverdueShare, locale),
    soon: th.amberDueWithinWorkingDays,
  };
  return (
    <section class="rag-legend" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('dash.rag.legend.title')}</h2>
      <dl>
        {(['red', 'amber', 'green', 'none'] as const).map((r) => (
          <>
            <dt>
              <RagBadge
                result={{ rag: r, scope: 0, overdue: 0, maxOverdueWorkingDays: 0, dueSoonNotSubmitted: 0 }}
                t={t}
              />
            </dt>
            <dd>{t(`dash.rag.legend.${r}`, params)}</dd>
          </>
        ))}
      </dl>
      <p class="muted">{t('dash.rag.legend.note')}</p>
    </section>
  );
}
