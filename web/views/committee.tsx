import type { CommitteeRow } from '../../db/read-models/index.ts';
import { COMMITTEE_BODIES } from '../../domain/reference/index.ts';
import { localized } from '../context.ts';
import type { Locale, Translate } from '../i18n/index.ts';

// The working group's and the штаб's composition: people by role, then agencies taking part (shown on
// the check-in page and on the administration page, where each seat has its remove button).

export function seatName(m: CommitteeRow, locale: Locale): string {
  if (m.user_id !== null) return m.user_name ?? '';
  if (m.name) return m.name;
  return m.agency_title ? localized(locale, m.agency_title, m.agency_title_en) : '';
}

export function seatDetail(m: CommitteeRow, t: Translate): string | null {
  const parts = [
    m.position ?? m.user_position,
    m.user_id !== null ? m.user_agency : null,
    m.user_id === null && m.agency_id !== null && m.agency_kind ? t(`agency.kind.${m.agency_kind}`) : null,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

export function CommitteeView({
  members,
  t,
  locale,
  action,
}: {
  members: CommitteeRow[];
  t: Translate;
  locale: Locale;
  /** A control after each seat (the administration page's remove button). */
  action?: (m: CommitteeRow) => unknown;
}) {
  return (
    <div class="committee">
      {COMMITTEE_BODIES.map((body) => {
        const seats = members.filter((m) => m.body === body);
        return (
          <section aria-labelledby={`committee-${body}`}>
            <h3 id={`committee-${body}`}>{t(`committee.body.${body}`)}</h3>
            {seats.length === 0 ? (
              <p class="muted">{t('committee.empty')}</p>
            ) : (
              <ul class="seats">
                {seats.map((m) => {
                  const detail = seatDetail(m, t);
                  return (
                    <li id={`seat-${m.id}`}>
                      <span class="seat-role">{t(`committee.role.${m.role}`)}:</span> {seatName(m, locale)}
                      {detail && <span class="muted"> — {detail}</span>}
                      {action?.(m)}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
