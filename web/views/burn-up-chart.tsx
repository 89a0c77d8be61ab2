import { niceTicks, type BurnUpWeek } from '../../domain/burn-up.ts';
import { daysBetween, formatLocalDate, type LocalDate } from '../../domain/local-date.ts';
import { DataTable } from './table.tsx';
import type { Locale, Translate } from '../i18n/index.ts';
import { formatMonth } from './format.ts';

// Server-rendered SVG: no script, no inline style (CSP). Colours come from classes in app.css, sizes from
// presentation attributes. The SVG is one image with a title and a text summary; the numbers are in a
// visually hidden table right after it.

const W = 720;
const H = 300;
const M = { left: 44, right: 16, top: 14, bottom: 36 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

const r1 = (n: number) => Math.round(n * 10) / 10;

export function BurnUpChart({
  weeks,
  today,
  t,
  locale,
  id = 'burnup',
}: {
  weeks: readonly BurnUpWeek[];
  today: LocalDate;
  t: Translate;
  locale: Locale;
  id?: string;
}) {
  if (weeks.length === 0) return <p class="muted">{t('dash.burnup.empty')}</p>;
  const top = Math.max(...weeks.map((w) => w.scope));
  const ticks = niceTicks(top);
  const yMax = ticks.at(-1)!;
  const n = weeks.length;
  const x = (i: number) => r1(M.left + (n === 1 ? PW / 2 : (i * PW) / (n - 1)));
  const y = (v: number) => r1(M.top + PH - (v / yMax) * PH);
  const line = (pick: (w: BurnUpWeek) => number | null) =>
    weeks
      .map((w, i) => [i, pick(w)] as const)
      .filter(([, v]) => v !== null)
      .map(([i, v]) => `${x(i)},${y(v!)}`)
      .join(' ');

  // Month labels at the first week starting in each month, thinned to about eight.
  const monthStarts = weeks
    .map((w, i) => ({ i, w }))
    .filter(({ w, i }) => i === 0 || w.weekStart.slice(0, 7) !== weeks[i - 1]!.weekStart.slice(0, 7));
  const every = Math.max(1, Math.ceil(monthStarts.length / 8));
  const labels = monthStarts.filter((_, k) => k % every === 0);

  const first = weeks[0]!.weekStart;
  const todayX =
    today >= first && today <= weeks.at(-1)!.weekEnd
      ? r1(M.left + (n === 1 ? PW / 2 : (daysBetween(first, today) / 7 / (n - 1)) * PW))
      : null;
  const current = [...weeks].reverse().find((w) => w.done !== null);
  const summary = current
    ? t('dash.burnup.desc', {
        date: formatLocalDate(current.weekEnd < today ? current.weekEnd : today, locale),
        done: current.done ?? 0,
        scope: current.scope,
        planned: current.planned,
        end: formatLocalDate(weeks.at(-1)!.weekEnd, locale),
      })
    : t('dash.burnup.descFuture', { scope: weeks[0]!.scope });

  return (
    <figure class="burnup">
      <svg
        class="burnup-svg"
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={`${id}-title`}>{t('dash.burnup.title')}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <g class="burnup-grid">
          {ticks.map((v) => (
            <g>
              <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />
              <text x={M.left - 6} y={y(v) + 4} text-anchor="end">
                {v}
              </text>
            </g>
          ))}
        </g>
        <g class="burnup-axis">
          <line x1={M.left} x2={W - M.right} y1={M.top + PH} y2={M.top + PH} />
          {labels.map(({ i, w }) => (
            <text x={x(i)} y={H - 12} text-anchor="middle">
              {formatMonth(w.weekStart, locale)}
            </text>
          ))}
        </g>
        {todayX !== null && (
          <g class="burnup-today">
            <line x1={todayX} x2={todayX} y1={M.top} y2={M.top + PH} stroke-dasharray="2 3" />
            <text x={todayX + 4} y={M.top + 10}>
              {t('dash.burnup.today')}
            </text>
          </g>
        )}
        <polyline class="burnup-scope" points={line((w) => w.scope)} fill="none" stroke-width="2" />
        <polyline
          class="burnup-planned"
          points={line((w) => w.planned)}
          fill="none"
          stroke-width="2"
          stroke-dasharray="6 4"
        />
        <polyline class="burnup-done" points={line((w) => w.done)} fill="none" stroke-width="3" />
      </svg>
      <figcaption>
        <ul class="burnup-legend">
          <li>
            <span class="swatch swatch-scope" aria-hidden="true"></span>
            {t('dash.burnup.scope')}
          </li>
          <li>
            <span class="swatch swatch-planned" aria-hidden="true"></span>
            {t('dash.burnup.planned')}
          </li>
          <li>
            <span class="swatch swatch-done" aria-hidden="true"></span>
            {t('dash.burnup.done')}
          </li>
        </ul>
      </figcaption>
      <DataTable
        rows={weeks}
        class="sr-only"
        caption={t('dash.burnup.tableCaption')}
        empty={null}
        columns={[
          {
            label: t('dash.burnup.weekEnd'),
            rowHeader: true,
            cell: (w) => formatLocalDate(w.weekEnd, locale),
          },
          { label: t('dash.burnup.scope'), cell: (w) => w.scope },
          { label: t('dash.burnup.planned'), cell: (w) => w.planned },
          { label: t('dash.burnup.done'), cell: (w) => w.done ?? '—' },
        ]}
      />
    </figure>
  );
}
