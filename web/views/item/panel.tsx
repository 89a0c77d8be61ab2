import { formatDate, formatDateTime } from '../../i18n/index.ts';
import { hasKey } from '../../i18n/index.ts';
import { LocalText, Said, StatusBadge, UserText, WHO } from '../components.tsx';
import { DirectionFact } from './direction.tsx';
import { ActionForms } from './forms.tsx';
import { InstructionOrigin, ItemPeople } from './people.tsx';
import { Submissions } from './submissions.tsx';
import { Timeline } from './timeline.tsx';
import { agencyName, type FormProblem, type ItemView } from './types.ts';

const titleOf = (v: ItemView) => (v.locale === 'en' && v.item.title_en ? v.item.title_en : v.item.title_ru);

/** "просрочено на 8 раб. дн." / "исполнено с опозданием на 13 раб. дн." — one unit everywhere. */
function LatenessNote({ v }: { v: ItemView }) {
  const { lateness, t } = v;
  if (lateness.state === 'none') return null;
  return (
    <span class={lateness.state === 'overdue' ? 'lateness overdue' : 'lateness late'}>
      {' '}
      {t(lateness.state === 'overdue' ? 'lateness.overdue' : 'lateness.late', { days: lateness.workingDays })}
    </span>
  );
}

/**
 * The control date as Russian document systems keep it: the first one, each approved extension (who
 * asked, why, who granted what), the current one; and the rework due date while the item is back with
 * its executor, which does not move it.
 */
function ControlDates({ v }: { v: ItemView }) {
  const { item, t, locale, extensions } = v;
  const first = extensions[0]?.previous_due ?? item.current_due;
  return (
    <>
      {item.original_due !== first && (
        <>
          <dt>{t('item.originalDue')}</dt>
          <dd>{formatDate(item.original_due, locale)}</dd>
        </>
      )}
      {extensions.length > 0 && (
        <>
          <dt>{t('control.initial')}</dt>
          <dd>{formatDate(first, locale)}</dd>
          <dt>{t('control.extensions')}</dt>
          <dd>
            <ol class="extensions">
              {extensions.map((x) => (
                <li>
                  <strong>
                    {t('control.extendedTo', { date: formatDate(x.granted_due ?? x.requested_due, locale) })}
                  </strong>
                  {x.granted_due && x.granted_due !== x.requested_due && (
                    <span class="muted">
                      {' '}
                      {t('control.asked', { date: formatDate(x.requested_due, locale) })}
                    </span>
                  )}
                  <br />
                  <Said
                    message={t('control.requestedBy', {
                      who: WHO,
                      when: formatDateTime(x.created_at, locale, v.timeZone),
                    })}
                    who={x.requested_by_name ?? t('event.system')}
                  />
                  : «<UserText text={x.reason} />»
                  <br />
                  <Said
                    message={t('control.decidedBy', {
                      who: WHO,
                      when: x.decided_at ? formatDateTime(x.decided_at, locale, v.timeZone) : '—',
                    })}
                    who={x.decided_by_name ?? t('event.system')}
                  />
                  {x.decision_note && (
                    <>
                      : «<UserText text={x.decision_note} />»
                    </>
                  )}
                </li>
              ))}
            </ol>
          </dd>
        </>
      )}
      <dt>{t('item.currentDue')}</dt>
      <dd class="control-date">
        <strong>{formatDate(item.current_due, locale)}</strong>
        {v.lateness.state === 'overdue' && <span class="muted"> — {t('control.passed')}</span>}
      </dd>
      {item.status === 'returned' && item.rework_due && (
        <>
          <dt>{t('control.reworkDue')}</dt>
          <dd>
            {formatDate(item.rework_due, locale)}
            <span class="muted"> — {t('control.reworkDueNote')}</span>
          </dd>
        </>
      )}
    </>
  );
}

/**
 * A returned item: why, by whom and by when — above the forms, where the executor starts the rework (it
 * used to be at the bottom of the page, under both forms).
 */
function ReturnedNotice({ v }: { v: ItemView }) {
  const { item, t, locale } = v;
  if (item.status !== 'returned') return null;
  const last = v.submissions.find((s) => !s.is_part && s.outcome === 'returned');
  const reason = last?.review_reason;
  if (!last || !reason) return null;
  return (
    <section class="returned-notice" aria-labelledby="returned-title">
      <h2 id="returned-title">{t('item.returnedNotice')}</h2>
      <blockquote class="quote">
        <UserText text={reason} />
      </blockquote>
      <p class="muted">
        <Said
          message={t('item.returnedBy', {
            who: WHO,
            when: last.reviewed_at ? formatDateTime(last.reviewed_at, locale, v.timeZone) : '—',
          })}
          who={last.reviewer_name ?? t('event.system')}
        />
        {item.rework_due && ` · ${t('control.reworkDue')}: ${formatDate(item.rework_due, locale)}`}
      </p>
    </section>
  );
}

/** Details, actions, submissions and timeline: the fragment htmx swaps after every action. */
export function ItemPanel({ v, csrf, problem }: { v: ItemView; csrf: string; problem?: FormProblem }) {
  const { item, t, locale } = v;
  const reviewing = v.actions.includes('review');
  // Under review: the latest round's report and the parts that came with it.
  const round = v.submissions.find((s) => !s.is_part && s.outcome === null);
  const current = round
    ? v.submissions.filter(
        (s) =>
          s.period_key === round.period_key && s.round === round.round && (s.is_part || s.outcome === null),
      )
    : [];
  const earlier = v.submissions.filter((s) => !current.includes(s));
  return (
    <section id="item-panel" class="item-panel">
      <dl class="facts">
        <dt>{t('item.status')}</dt>
        <dd>
          <StatusBadge status={item.status} overdue={item.overdue} t={t} />
          <LatenessNote v={v} />
        </dd>
        <dt>{t('item.agency')}</dt>
        <dd>{locale === 'en' ? item.agency_title_en : item.agency_title_ru}</dd>
        {item.measure_type && hasKey(`measureType.${item.measure_type}`) && (
          <>
            <dt>{t('item.measureType')}</dt>
            <dd>{t(`measureType.${item.measure_type}`)}</dd>
          </>
        )}
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
        <DirectionFact v={v} csrf={csrf} />
        {item.deliverable && (
          <>
            <dt>{t('item.deliverable')}</dt>
            <dd>
              <UserText text={item.deliverable} />
            </dd>
          </>
        )}
        {item.description && (
          <>
            <dt>{t('item.description')}</dt>
            <dd class="prewrap">
              <UserText text={item.description} />
            </dd>
          </>
        )}
        <ControlDates v={v} />
        {v.pending && (
          <>
            <dt>{t('item.pendingExtension')}</dt>
            <dd class="pending">
              {t('item.pendingExtension.text', {
                date: formatDate(v.pending.requested_due, locale),
                when: formatDateTime(v.pending.created_at, locale, v.timeZone),
              })}
              {v.pending.requested_by_name && (
                <>
                  {' · '}
                  <UserText text={v.pending.requested_by_name} />
                </>
              )}
              <br />
              <span class="muted">{t('timeline.reason')}: </span>
              <UserText text={v.pending.reason} />
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
            <dd>
              <UserText text={item.cancel_reason} />
            </dd>
          </>
        )}
      </dl>
      <ReturnedNotice v={v} />
      {reviewing ? (
        <>
          {/* The report first, the decision under it: nobody decides on what they have not read. */}
          <h2>{t('item.underReview')}</h2>
          <Submissions v={v} list={current} />
          <h2>{t('item.decision')}</h2>
          <ActionForms v={v} csrf={csrf} {...(problem ? { problem } : {})} />
          {earlier.length > 0 && (
            <>
              <h2>{t('item.earlierSubmissions')}</h2>
              <Submissions v={v} list={earlier} />
            </>
          )}
        </>
      ) : (
        <>
          <h2>{t('item.actions')}</h2>
          <ActionForms v={v} csrf={csrf} {...(problem ? { problem } : {})} />
          <h2>{t('item.submissions')}</h2>
          <Submissions v={v} />
        </>
      )}
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
        {item.number ? t('item.ref', { number: item.number }) : ''}
      </p>
      {v.fromQueue && (
        <p class="muted">
          {v.queuePosition && <strong>{t('queue.position', v.queuePosition)} </strong>}
          {t('queue.mode')} <a href="/review">{t('queue.back')}</a>
        </p>
      )}
      <h1>
        <LocalText locale={v.locale} ru={v.item.title_ru} en={v.item.title_en} />
      </h1>
      <InstructionOrigin v={v} />
      <ItemPanel v={v} csrf={csrf} {...(problem ? { problem } : {})} />
      <ItemPeople v={v} csrf={csrf} />
    </article>
  );
}

export { titleOf };
