// An agency's status notes on the items it was asked about.
import type { Context } from 'hono';
import { MAX_NOTE } from '../../../db/check-ins.ts';
import { agencyNoteItems } from '../../../db/read-models/index.ts';
import { isHtmx } from '../../auth/index.ts';
import { currentUser, readContext } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { formatDate, formatDateTime } from '../../i18n/index.ts';
import { ErrorSummary, formView, TextareaField } from '../../views/form.tsx';
import { LocalText, Said, WHO } from '../../views/components.tsx';
import { type CheckIn, type Values } from './shared.tsx';

export async function NotesPage({
  c,
  ci,
  problem,
  values,
}: {
  c: Context<AppEnv>;
  ci: CheckIn;
  problem?: { field?: string | undefined; message: string } | undefined;
  values?: Values | undefined;
}) {
  const { t, locale } = c.var;
  const { config } = c.var.deps;
  const user = currentUser(c);
  const { request, items } = await agencyNoteItems(
    c.var.deps.db,
    ci.id,
    user.agencyId!,
    readContext(c).today,
  );
  const open = ci.status === 'collecting';
  const f = formView(
    'notes',
    problem
      ? { values: values ?? {}, issues: [{ field: problem.field ?? 'form', message: problem.message }] }
      : undefined,
  );
  return (
    <section id="notes" aria-labelledby="notes-title">
      <p>
        <a href={`/check-ins/${ci.id}`}>
          {t('checkIn.meetingOf', { when: formatDateTime(ci.meeting_at, locale, config.timeZone) })}
        </a>
      </p>
      <h1 id="notes-title">{t('checkIn.notesTitle')}</h1>
      <ErrorSummary f={f} t={t} />
      {!request ? (
        <p class="muted">{t('checkIn.notAsked')}</p>
      ) : !open ? (
        <p class="notice">{t('error.checkIn.notesClosed')}</p>
      ) : null}
      {request && (
        <form method="post" action={`/check-ins/${ci.id}/notes`}>
          <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
          <p class="muted">{t('checkIn.notesHelp', { max: MAX_NOTE })}</p>
          {items.map((i) => {
            return (
              <div class="note-item">
                <p>
                  <a href={`/items/${i.id}`}>
                    <LocalText locale={locale} ru={i.title_ru} en={i.title_en} />
                  </a>{' '}
                  <span class="muted">
                    {i.number ? `${t('item.ref', { number: i.number })} · ` : ''}
                    {t('checkIn.due')} {formatDate(i.current_due, locale)}
                    {i.overdue ? ` · ${t('status.overdue')}` : ''}
                  </span>
                </p>
                <TextareaField
                  f={f}
                  t={t}
                  name={`note_${i.id}`}
                  label={t('checkIn.note')}
                  rows={3}
                  maxlength={MAX_NOTE}
                  disabled={!open}
                  value={i.note ?? ''}
                />
                {i.note_author && (
                  <p class="muted">
                    <Said message={t('checkIn.noteBy', { name: WHO })} who={i.note_author} />
                  </p>
                )}
              </div>
            );
          })}
          {open && <button type="submit">{t('checkIn.saveNotes')}</button>}
        </form>
      )}
    </section>
  );
}

export async function renderNotes(
  c: Context<AppEnv>,
  ci: CheckIn,
  problem?: { field?: string | undefined; message: string },
  values?: Values,
  status: 200 | 422 = 200,
) {
  if (isHtmx(c)) return c.html(<NotesPage c={c} ci={ci} problem={problem} values={values} />, status);
  c.status(status);
  return c.render(<NotesPage c={c} ci={ci} problem={problem} values={values} />, {
    title: c.var.t('checkIn.notesTitle'),
    section: 'checkIns',
  });
}
