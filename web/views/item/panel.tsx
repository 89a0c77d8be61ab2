import { formatDate, formatDateTime } from '../../i18n/index.ts';
import { StatusBadge } from '../components.tsx';
import { ActionForms } from './forms.tsx';
import { Submissions } from './submissions.tsx';
import { Timeline } from './timeline.tsx';
import { agencyName, type FormProblem, type ItemView } from './types.ts';

const titleOf = (v: ItemView) => (v.locale === 'en' && v.item.title_en ? v.item.title_en : v.item.title_ru);

/** Details, actions, submissions and timeline: the fragment htmx swaps after every action. */
export function ItemPanel({ v, csrf, problem }: { v: ItemView; csrf: string; problem?: FormProblem }) {
  const { item, t, locale } = v;
  const moved = item.original_due !== item.current_due;
  return (
    <section id="item-panel" class="item-panel">
      <dl class="facts">
        <dt>{t('item.status')}</dt>
        <dd>
          <StatusBadge status={item.status} overdue={item.overdue} t={t} />
          {item.overdue && <span class="muted"> {t('item.daysOverdue', { days: item.days_overdue })}</span>}
        </dd>
        <dt>{t('item.agency')}</dt>
        <dd>{locale === 'en' ? item.agency_title_en : item.agency_title_ru}</dd>
        {item.co_agency_ids.length > 0 && (
          <>
            <dt>{t('item.coAgencies')}</dt>
            <dd>
              <ul class="plain">
                {item.co_agency_ids.map((a) => (
                  <li>
                    {agencyName(v, a)}
                    {item.require_co_parts || v.partsFrom.length > 0
                      ? ` — ${v.partsFrom.includes(a) ? t('item.partIn') : t('item.partDue')}`
                      : ''}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {item.ls_title_ru && (
          <>
            <dt>{t('item.lifeSituation')}</dt>
            <dd>{locale === 'en' && item.ls_title_en ? item.ls_title_en : item.ls_title_ru}</dd>
          </>
        )}
        {item.deliverable && (
          <>
            <dt>{t('item.deliverable')}</dt>
            <dd>{item.deliverable}</dd>
          </>
        )}
        {item.description && (
          <>
            <dt>{t('item.description')}</dt>
            <dd class="prewrap">{item.description}</dd>
          </>
        )}
        <dt>{t('item.originalDue')}</dt>
        <dd>{formatDate(item.original_due, locale)}</dd>
        <dt>{t('item.currentDue')}</dt>
        <dd>
          {formatDate(item.current_due, locale)}
          {moved && <span class="muted"> ({t('item.dueMoved')})</span>}
        </dd>
        {v.pending && (
          <>
            <dt>{t('item.pendingExtension')}</dt>
            <dd class="pending">
              {t('item.pendingExtension.text', {
                date: formatDate(v.pending.requested_due, locale),
                when: formatDateTime(v.pending.created_at, locale, v.timeZone),
              })}
              {v.pending.requested_by_name ? ` · ${v.pending.requested_by_name}` : ''}
              <br />
              <span class="muted">{t('timeline.reason')}: </span>
              {v.pending.reason}
            </dd>
          </>
        )}
        {item.period_key && (
          <>
            <dt>{t('item.period')}</dt>
            <dd>{item.period_key}</dd>
          </>
        )}
        <dt>{t('item.reviewRound')}</dt>
        <dd>{item.review_round}</dd>
        <dt>{t('item.escalation')}</dt>
        <dd>
          {item.escalation_level > 0
            ? t('timeline.level', {
                level: item.escalation_level,
                who: t(`escalation.level.${item.escalation_level}`),
              })
            : t('escalation.level.0')}
        </dd>
        {item.cancel_reason && (
          <>
            <dt>{t('item.cancelReason')}</dt>
            <dd>{item.cancel_reason}</dd>
          </>
        )}
      </dl>
      <h2>{t('item.actions')}</h2>
      <ActionForms v={v} csrf={csrf} {...(problem ? { problem } : {})} />
      <h2>{t('item.submissions')}</h2>
      <Submissions v={v} />
      <h2>{t('item.timeline')}</h2>
      <Timeline v={v} />
    </section>
  );
}

/** The whole item page: heading and the panel. Used for GET and for plain posts that failed. */
export function ItemPage({ v, csrf, problem }: { v: ItemView; csrf: string; problem?: FormProblem }) {
  const { item, t } = v;
  return (
    <article>
      <p class="muted">
        <a href="/items">{t('nav.items')}</a> / {t(`kind.${item.kind}`)}{' '}
        {item.number ? `№ ${item.number}` : ''}
      </p>
      <h1>{titleOf(v)}</h1>
      <ItemPanel v={v} csrf={csrf} {...(problem ? { problem } : {})} />
    </article>
  );
}

export { titleOf };
