import type { FieldIssue } from '../../domain/errors.ts';
import { formatDateTime, type Locale, type Translate } from '../i18n/index.ts';

// What the reference-data forms share: a problem per field (message and aria attributes), the saved
// notice, and a record's history from the audit trail.

/** The messages of a form's problems by field, and the attributes that tie a control to its message. */
export function fieldProblems(t: Translate, problems: FieldIssue[] | undefined) {
  const by = new Map<string, FieldIssue>();
  for (const p of problems ?? []) if (!by.has(p.field)) by.set(p.field, p);
  const err = (field: string) => {
    const p = by.get(field);
    return p ? t(p.key, p.params) : undefined;
  };
  const aria = (field: string, id: string) => ({
    'aria-invalid': by.has(field) ? ('true' as const) : undefined,
    'aria-describedby': by.has(field) ? `${id}-error` : undefined,
  });
  return { err, aria, any: by.size > 0 };
}

/** A summary of a refused form at its top: how many problems, each linked to its field. */
export function ProblemSummary({
  t,
  problems,
  idOf,
}: {
  t: Translate;
  problems: FieldIssue[] | undefined;
  idOf: (field: string) => string;
}) {
  if (!problems?.length) return null;
  return (
    <div class="alert" role="alert">
      <p>{t('admin.form.problems', { n: problems.length })}</p>
      <ul>
        {problems.map((p) => (
          <li>
            <a href={`#${idOf(p.field)}`}>{t(p.key, p.params)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Notice({ message }: { message?: string | undefined }) {
  return message ? (
    <p class="notice" role="status">
      {message}
    </p>
  ) : null;
}

export interface HistoryEvent {
  id: number;
  type: string;
  at: Date;
  actor_name: string | null;
  data: unknown;
}

/** A record's changes from the audit trail, newest first (the audit page has the before → after). */
export function History({
  t,
  locale,
  timeZone,
  events,
  subject,
}: {
  t: Translate;
  locale: Locale;
  timeZone: string;
  events: HistoryEvent[];
  /** The audit page filtered to this record. */
  subject: [string, number | string];
}) {
  return (
    <>
      <h2>{t('admin.history')}</h2>
      {events.length === 0 ? (
        <p class="muted">{t('admin.accounts.noHistory')}</p>
      ) : (
        <ul class="history">
          {events.map((e) => {
            const fields = ((e.data ?? {}) as { fields?: string[] }).fields;
            return (
              <li>
                {formatDateTime(e.at, locale, timeZone)} — {t(`audit.${e.type}`)}
                {fields?.length ? (
                  <span class="muted"> ({fields.map((f) => t(`audit.field.${f}`)).join(', ')})</span>
                ) : null}
                {e.actor_name && <span class="muted"> · {e.actor_name}</span>}
                {' · '}
                <a
                  href={`/admin/audit?subject=${subject[0]}&id=${encodeURIComponent(String(subject[1]))}#event-${e.id}`}
                >
                  {t('admin.history.details')}
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
