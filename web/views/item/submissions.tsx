import { formatDateTime } from '../../i18n/index.ts';
import { safeHref } from '../../uploads.ts';
import { UserText } from '../components.tsx';
import type { ItemView, Submission } from './types.ts';

const kb = (bytes: number, locale: string) =>
  bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} ${locale === 'en' ? 'KB' : 'КБ'}`
    : `${(bytes / 1024 / 1024).toFixed(1)} ${locale === 'en' ? 'MB' : 'МБ'}`;

function SubmissionEntry({ s, v }: { s: Submission; v: ItemView }) {
  const { t, locale } = v;
  const agency =
    locale === 'en' ? (s.agency_short_en ?? s.agency_title_en) : (s.agency_short_ru ?? s.agency_title_ru);
  const links = Array.isArray(s.links) ? s.links : [];
  return (
    <div class={`submission${s.is_part ? ' part' : ''}`}>
      <p class="muted">
        {s.is_part ? t('submission.part', { agency }) : t('submission.main', { agency })}
        {s.author_name && (
          <>
            {' · '}
            <UserText text={s.author_name} />
          </>
        )}{' '}
        ·{' '}
        <time datetime={s.submitted_at.toISOString()}>
          {formatDateTime(s.submitted_at, locale, v.timeZone)}
        </time>
      </p>
      {s.body && (
        <p class="submission-text">
          <UserText text={s.body} />
        </p>
      )}
      {links.length > 0 && (
        <ul class="links" aria-label={t('form.links')}>
          {links.map((l) => {
            const href = safeHref(l?.url);
            const label = typeof l?.title === 'string' && l.title ? l.title : String(l?.url ?? '');
            return (
              <li>
                {href ? (
                  <a href={href} rel="noopener noreferrer nofollow">
                    <UserText text={label} />
                  </a>
                ) : (
                  <UserText text={label} />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {s.files.length > 0 && (
        <ul class="files" aria-label={t('form.files')}>
          {s.files.map((f) => (
            <li>
              <a href={`/attachments/${f.id}`} download>
                <UserText text={f.filename} />
              </a>{' '}
              <span class="muted">({kb(f.size_bytes, locale)})</span>
            </li>
          ))}
        </ul>
      )}
      {s.signoff_status && (
        <p class={`outcome signoff-${s.signoff_status}`}>
          <strong>{t(`submission.signoff.${s.signoff_status}`)}</strong>
          {s.signoff_name ? ` · ${s.signoff_name}` : ''}
          {s.signoff_at ? ` · ${formatDateTime(s.signoff_at, locale, v.timeZone)}` : ''}
          {s.signoff_status === 'returned' && s.signoff_reason && (
            <>
              <br />
              <span class="muted">{t('timeline.reason')}: </span>
              {s.signoff_reason}
            </>
          )}
        </p>
      )}
      {s.outcome && !s.is_part && (
        <p class={`outcome outcome-${s.outcome}`}>
          <strong>{t(`submission.outcome.${s.outcome}`)}</strong>
          {s.reviewer_name && (
            <>
              {' · '}
              <UserText text={s.reviewer_name} />
            </>
          )}
          {s.reviewed_at ? ` · ${formatDateTime(s.reviewed_at, locale, v.timeZone)}` : ''}
          {s.review_reason && (
            <>
              <br />
              <span class="muted">{t('timeline.reason')}: </span>
              <UserText text={s.review_reason} />
            </>
          )}
        </p>
      )}
    </div>
  );
}

/** Submissions grouped by reporting period and round, newest first; parts inside their round. */
export function Submissions({ v, list = v.submissions }: { v: ItemView; list?: Submission[] }) {
  const { t } = v;
  if (list.length === 0) return <p class="muted">{t('submission.none')}</p>;
  const groups = new Map<string, Submission[]>();
  for (const s of list) {
    const key = `${s.period_key ?? ''}#${s.round}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return (
    <div class="rounds">
      {[...groups.values()].map((list) => {
        const first = list[0]!;
        return (
          <section class="round">
            <h3>
              {t('submission.round', { round: first.round })}
              {first.period_key ? ` · ${t('submission.period', { period: first.period_key })}` : ''}
            </h3>
            {list.map((s) => (
              <SubmissionEntry s={s} v={v} />
            ))}
          </section>
        );
      })}
    </div>
  );
}
