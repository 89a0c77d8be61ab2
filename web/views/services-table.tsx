import type { servicesWithScores } from '../../db/read-models/index.ts';
import { localized } from '../context.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { formatPeriod, formatScore } from './format.ts';
import { itemAgency } from './item-columns.tsx';
import { DataTable } from './table.tsx';

type Services = Awaited<ReturnType<typeof servicesWithScores>>;

/** Services with their scores over the latest periods, lowest first; scores below 4.0 flagged in words. */
export function ServicesTable({
  services,
  t,
  locale,
  showAgency = true,
}: {
  services: Services;
  t: Translate;
  locale: Locale;
  showAgency?: boolean;
}) {
  type Row = Services['rows'][number];
  return (
    <DataTable
      rows={services.rows}
      class="compact services"
      empty={<p class="muted">{t('ls.noServices')}</p>}
      columns={[
        {
          label: t('dash.svc.title'),
          rowHeader: true,
          wide: true,
          cell: (s) => (
            <>
              {localized(locale, s.title_ru, s.title_en)} <span class="muted">{s.code}</span>
            </>
          ),
        },
        showAgency && {
          label: t('item.agency'),
          cell: (s: Row) => <a href={`/agencies/${s.agency_id}`}>{itemAgency(locale, s)}</a>,
        },
        ...services.periods.map((p, k) => ({
          label: formatPeriod(p, locale),
          class: 'num',
          cell: (s: Row) => {
            const x = s.series[k]!;
            const low = x.score !== null && x.score < 4;
            return (
              <span class={low ? 'low' : undefined}>
                {formatScore(x.score, locale)}
                {low && <span class="sr-only"> ({t('dash.svc.low')})</span>}
              </span>
            );
          },
        })),
        { label: t('dash.svc.votes'), class: 'num', cell: (s) => s.series.at(-1)?.votes ?? 0 },
      ]}
    />
  );
}
