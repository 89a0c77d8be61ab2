import type { recentReviews, topProblems } from '../../db/read-models/feedback.ts';
import { classifyScore, type LowScoreRule } from '../../domain/services/index.ts';
import { formatFeedbackPeriod, type PeriodScore } from '../../domain/feedback/index.ts';
import { localized } from '../context.ts';
import { formatDate, type Locale, type Translate } from '../i18n/index.ts';
import { UserText } from './components.tsx';
import { formatPercent, formatScore } from './format.ts';
import { ScoreBadge } from './service-views.tsx';
import { DataTable } from './table.tsx';

/**
 * Shares of 1…5 stars as a stacked bar (SVG: widths as attributes, since the CSP allows no inline styles),
 * with the numbers for screen readers.
 */
export function RatingBar({ byRating, t }: { byRating: readonly number[]; t: Translate }) {
  const total = byRating.reduce((s, x) => s + x, 0);
  if (!total) return <span class="muted">—</span>;
  let x = 0;
  const label = t('fb.scores.distribution', {
    r1: byRating[0]!,
    r2: byRating[1]!,
    r3: byRating[2]!,
    r4: byRating[3]!,
    r5: byRating[4]!,
  });
  return (
    <svg class="rating-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label={label}>
      {byRating.map((n, i) => {
        const w = (100 * n) / total;
        const rect = <rect class={`r${i + 1}`} x={x.toFixed(2)} y="0" width={w.toFixed(2)} height="10" />;
        x += w;
        return rect;
      })}
    </svg>
  );
}

/**
 * Scores computed from reviews, by period, with vote counts, classified by the one low-score rule; next to
 * each the imported average of the same quarter when there is one.
 */
export function FeedbackScoresTable({
  scores,
  imported,
  rule,
  t,
  locale,
}: {
  scores: PeriodScore[];
  imported: Map<string, { avg: number | null; votes: number }>;
  rule: LowScoreRule;
  t: Translate;
  locale: Locale;
}) {
  return (
    <DataTable
      rows={[...scores].reverse()}
      class="compact"
      caption={t('fb.scores.title')}
      hideCaption
      empty={<p class="muted">{t('fb.scores.none')}</p>}
      columns={[
        {
          label: t('svc.period'),
          rowHeader: true,
          wide: true,
          cell: (s) => formatFeedbackPeriod(s.period, locale),
        },
        {
          label: t('fb.scores.fromReviews'),
          cell: (s) => (
            <ScoreBadge cls={classifyScore(s.avg, s.votes, rule)} avg={s.avg} t={t} locale={locale} />
          ),
        },
        { label: t('svc.votes'), class: 'num', cell: (s) => s.votes },
        { label: t('fb.scores.spread'), cell: (s) => <RatingBar byRating={s.byRating} t={t} /> },
        { label: t('fb.scores.withText'), class: 'num', cell: (s) => s.withText },
        {
          label: t('fb.scores.imported'),
          cell: (s) => {
            const imp = imported.get(s.period);
            return imp ? (
              <>
                {formatScore(imp.avg, locale)} <span class="muted">({imp.votes})</span>
              </>
            ) : (
              '—'
            );
          },
        },
      ]}
    />
  );
}

type Problems = Awaited<ReturnType<typeof topProblems>>;

/**
 * "What worries citizens": the most frequent topics of remarks in a period, their share and the change
 * against the previous period. A panel any page can include (the dashboard today, the leadership home).
 */
export function WorriesPanel({
  problems,
  t,
  locale,
  heading = 'h2',
  moreHref = '/citizens',
}: {
  problems: Problems;
  t: Translate;
  locale: Locale;
  heading?: 'h2' | 'h3';
  /** Where "more" leads; null on the page it would lead to. */
  moreHref?: string | null;
}) {
  const H = heading;
  return (
    <section class="worries" aria-labelledby="worries-h">
      <H id="worries-h">{t('fb.worries.title', { period: formatFeedbackPeriod(problems.period, locale) })}</H>
      {problems.topics.length === 0 ? (
        <p class="muted">{t('fb.worries.none')}</p>
      ) : (
        <>
          <p class="muted">{t('fb.worries.basis', { remarks: problems.remarks, votes: problems.votes })}</p>
          <ol>
            {problems.topics.map((p) => (
              <li>
                <a href={`/citizens?topic=${p.topicId}&period=${encodeURIComponent(problems.period)}`}>
                  {localized(locale, p.topic.title_ru, p.topic.title_en)}
                </a>{' '}
                — {p.count} ({formatPercent(p.share, locale)})
                {p.trend !== null && Math.abs(p.trend) >= 0.005 && (
                  <span class={p.trend > 0 ? 'trend-up' : 'trend-down'}>
                    {' '}
                    {p.trend > 0 ? '▲' : '▼'}
                    <span class="sr-only">{t(p.trend > 0 ? 'fb.worries.up' : 'fb.worries.down')}</span>{' '}
                    {formatPercent(Math.abs(p.trend), locale)}
                  </span>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
      {moreHref && (
        <p>
          <a href={moreHref}>{t('fb.worries.more')}</a>
        </p>
      )}
    </section>
  );
}

/** The service card's section: scores from reviews next to imported ones, the latest remarks, the QR. */
export function ServiceFeedbackSection({
  serviceId,
  code,
  scores,
  imported,
  reviews,
  rule,
  t,
  locale,
}: {
  serviceId: number;
  code: string;
  scores: PeriodScore[];
  imported: { period: string; avg_score: number | null; votes: number }[];
  reviews: Awaited<ReturnType<typeof recentReviews>>;
  rule: LowScoreRule;
  t: Translate;
  locale: Locale;
}) {
  return (
    <section aria-labelledby="svc-fb">
      <h2 id="svc-fb">{t('fb.scores.title')}</h2>
      <p class="toolbar">
        <a href={`/feedback/${encodeURIComponent(code)}`}>{t('fb.scores.publicPage')}</a>
        <a href={`/citizens/poster/${serviceId}`}>{t('fb.poster.link')}</a>
        <a href={`/citizens?service=${serviceId}`}>{t('fb.worries.more')}</a>
      </p>
      <FeedbackScoresTable
        scores={scores}
        imported={new Map(imported.map((i) => [i.period, { avg: i.avg_score, votes: i.votes }]))}
        rule={rule}
        t={t}
        locale={locale}
      />
      {reviews.length > 0 && (
        <>
          <h3>{t('fb.reviews.latest')}</h3>
          <ul class="reviews">
            {reviews.map((r) => (
              <li>
                <strong>{r.rating}★</strong>{' '}
                <span class="muted">
                  {formatDate(r.received_on, locale)} · {t(`fb.channel.${r.channel}`)}
                </span>
                {r.municipality && (
                  <span class="muted">
                    {' · '}
                    {localized(locale, r.municipality, r.municipality_en)}
                  </span>
                )}
                {r.body && (
                  <>
                    {' — '}
                    <UserText text={r.body.length > 200 ? `${r.body.slice(0, 200)}…` : r.body} />
                  </>
                )}
                {r.case_id && (
                  <>
                    {' '}
                    <a href={`/cases/${r.case_id}`}>{t(`fb.case.status.${r.case_status}`)}</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
