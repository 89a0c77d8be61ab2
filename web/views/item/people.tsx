import { instantToLocalDate } from '../../../domain/local-date.ts';
import { assignmentLateness, suggestInternalDue } from '../../../domain/people/assignment.ts';
import { FRESH_ID } from '../../fresh-ids.ts';
import { formatDate, formatDateTime } from '../../i18n/index.ts';
import { DateField, ErrorSummary, FormSecrets, formView, SelectField, TextareaField } from '../form.tsx';
import { LatenessText } from '../home/shared.tsx';
import { LocalText, ruOf, Said, UserText, WHO } from '../components.tsx';
import type { ItemView } from './types.ts';

// The people around an item (issue 13): who gave an instruction and about what, the head's assignments
// inside the agency with their internal deadlines, and the comment thread.

/** An instruction's author, who entered it on their behalf, and the item it was given about. */
export function InstructionOrigin({ v }: { v: ItemView }) {
  const o = v.people.origin;
  const { t, locale, item } = v;
  if (!o) return null;
  return (
    <dl class="facts origin">
      {o.author && (
        <>
          <dt>{t('item.author')}</dt>
          <dd>
            <UserText text={o.author.display_name} />
            {o.givenBy && o.givenBy.id !== o.author.id && (
              <span class="muted">
                {' — '}
                <Said message={t('item.enteredBy', { who: WHO })} who={o.givenBy.display_name} />
              </span>
            )}
          </dd>
        </>
      )}
      {o.source && (
        <>
          <dt>{t('item.source')}</dt>
          <dd>
            <a href={`/items/${o.source.id}`}>
              {o.source.number ? `${t('item.ref', { number: o.source.number })} ` : ''}
              <LocalText locale={locale} ru={o.source.title_ru} en={o.source.title_en} />
            </a>
          </dd>
        </>
      )}
      {item.check_in_id && (
        <>
          <dt>{t('item.meeting')}</dt>
          <dd>
            <a href={`/check-ins/${item.check_in_id}`}>{t('item.meetingLink')}</a>
          </dd>
        </>
      )}
      {item.special_control && (
        <>
          <dt>{t('checkIn.specialControl')}</dt>
          <dd>{t('item.specialControlYes')}</dd>
        </>
      )}
    </dl>
  );
}

function Assignments({ v, csrf }: { v: ItemView; csrf: string }) {
  const { t, locale, item, people } = v;
  const problem = people.problem?.form === 'assign' ? people.problem : undefined;
  const f = formView(
    'assign',
    problem
      ? { values: problem.values, issues: [{ field: problem.field ?? 'form', message: problem.message }] }
      : undefined,
  );
  if (people.assignments.length === 0 && !people.canAssign) return null;
  return (
    <section id="assignments" aria-labelledby="assignments-title">
      <h2 id="assignments-title">{t('item.assignments')}</h2>
      {people.assignments.length === 0 ? (
        <p class="muted">{t('item.assignmentsNone')}</p>
      ) : (
        <ul class="plain assignments">
          {people.assignments.map((a) => {
            const closedOn = a.closed_at
              ? instantToLocalDate(a.closed_at.getTime(), people.utcOffsetMinutes)
              : null;
            return (
              <li>
                <strong>
                  <UserText text={a.assignee_name} />
                </strong>{' '}
                — {t('home.head.internalBy', { date: formatDate(a.internal_due, locale) })} ·{' '}
                {t(`assignment.status.${a.status}`)}{' '}
                <LatenessText
                  lateness={assignmentLateness(
                    { status: a.status, internalDue: a.internal_due, closedOn },
                    people.today,
                  )}
                  t={t}
                  internal
                />
                <span class="muted block">
                  <Said
                    message={t('assignment.by', {
                      who: WHO,
                      when: formatDateTime(a.created_at, locale, v.timeZone),
                    })}
                    who={a.assigned_by_name ?? '—'}
                  />
                  {a.note && (
                    <>
                      {' · «'}
                      <UserText text={a.note} />
                      {'»'}
                    </>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {people.canAssign && (
        <form method="post" action={`/items/${item.id}/assign`} class="assign">
          <fieldset>
            <legend>{t('form.assign.legend')}</legend>
            <ErrorSummary f={f} t={t} fields={['assigneeUserId', 'internalDue', 'note']} />
            <FormSecrets csrf={csrf} eventId={FRESH_ID} />
            <SelectField
              f={f}
              t={t}
              name="assigneeUserId"
              label={t('home.head.assignee')}
              options={people.executors.map((e) => ({
                value: String(e.id),
                label: e.display_name,
                lang: ruOf(e.display_name),
              }))}
              empty={t('home.head.chooseExecutor')}
              required
            />
            <DateField
              f={f}
              t={t}
              name="internalDue"
              label={t('home.head.internalDue')}
              hint={t('form.assign.dueHint', { date: formatDate(item.current_due, locale) })}
              value={suggestInternalDue(item.current_due, people.today)}
              required
            />
            <TextareaField f={f} t={t} name="note" label={t('form.assign.note')} rows={2} />
            <button type="submit">{t('home.head.assign')}</button>
          </fieldset>
        </form>
      )}
    </section>
  );
}

function Comments({ v, csrf }: { v: ItemView; csrf: string }) {
  const { t, locale, item, people } = v;
  const problem = people.problem?.form === 'comment' ? people.problem : undefined;
  const f = formView(
    'comment',
    problem
      ? { values: problem.values, issues: [{ field: problem.field ?? 'body', message: problem.message }] }
      : undefined,
  );
  return (
    <section id="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">
        {t('item.comments')}
        {people.comments.length > 0 && <span class="count-inline"> ({people.comments.length})</span>}
      </h2>
      {people.comments.length === 0 ? (
        <p class="muted">{t('item.commentsNone')}</p>
      ) : (
        <ol class="comments">
          {people.comments.map((c) => (
            <li id={`comment-${c.id}`}>
              <p class="muted">
                <strong>
                  <UserText text={c.author_name} />
                </strong>{' '}
                · {t(`role.${c.author_role}`)} ·{' '}
                <time datetime={c.created_at.toISOString()}>
                  {formatDateTime(c.created_at, locale, v.timeZone)}
                </time>
              </p>
              <p class="comment-text" lang={ruOf(c.body)}>
                {c.body}
              </p>
            </li>
          ))}
        </ol>
      )}
      {people.canComment && (
        <form method="post" action={`/items/${item.id}/comments`}>
          <ErrorSummary f={f} t={t} fields={['body']} />
          <FormSecrets csrf={csrf} eventId={FRESH_ID} />
          <TextareaField
            f={f}
            t={t}
            name="body"
            label={t('form.comment.label')}
            hint={t('form.comment.hint')}
            rows={3}
            required
          />
          <button type="submit">{t('form.comment.send')}</button>
        </form>
      )}
    </section>
  );
}

/** Below the item's panel: the instruction link, assignments, comments. */
export function ItemPeople({ v, csrf }: { v: ItemView; csrf: string }) {
  const { t, item, people } = v;
  return (
    <>
      {people.canGive && item.status !== 'done' && item.status !== 'cancelled' && (
        <p class="give-instruction">
          <a class="button secondary" href={`/instructions/new?source=${item.id}`}>
            {t('home.lead.give')}
          </a>
        </p>
      )}
      <Assignments v={v} csrf={csrf} />
      <Comments v={v} csrf={csrf} />
    </>
  );
}
