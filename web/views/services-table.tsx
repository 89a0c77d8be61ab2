import type { servicesWithScores } from '../../db/read-models/index.ts';
import { localized } from '../context.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { formatPeriod, formatScore } from './format.ts';

type Services = Awaited<ReturnType<typeof servicesWithScores>>;

/** Services with their scores over the latest periods, lowest first; low ones (the one rule) flagged in words. */
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
  if (services.rows.length === 0) return <p class="muted">{t('ls.noServices')}</p>;
  return (
    <table class="compact services">
      <thead>
        <tr>
          <th scope="col">{t('dash.svc.title')}</th>
          {showAgency && <th scope="col">{t('item.agency')}</th>}
          {services.periods.map((p) => (
            <th scope="col">{formatPeriod(p, locale)}</th>
          ))}
          <th scope="col">{t('dash.svc.votes')}</th>
        </tr>
      </thead>
      <tbody>
        {services.rows.map((s) => (
          <tr>
            <th scope="row">
              {localized(locale, s.title_ru, s.title_en)} <span class="muted">{s.code}</span>
            </th>
            {showAgency && (
              <td>
                <a href={`/agencies/${s.agency_id}`}>
                  {localized(locale, s.agency_short_ru ?? s.agency_code, s.agency_title_en)}
                </a>
              </td>
            )}
            {s.series.map((p) => (
              <td class={`num${p.cls === 'low' ? ' low' : ''}`}>
                {formatScore(p.score, locale)}
                {p.cls === 'low' && <span class="sr-only"> ({t('dash.svc.low')})</span>}
              </td>
            ))}
            <td class="num">{s.series.at(-1)?.votes ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
