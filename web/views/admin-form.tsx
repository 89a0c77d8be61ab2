import type { Context } from 'hono';
import type { FileOutcome } from '../../app/reference/index.ts';
import type { FieldIssue } from '../../domain/errors.ts';
import type { AppEnv } from '../env.ts';
import type { FormValues } from '../forms.ts';
import { formatDateTime, type Locale, type Translate } from '../i18n/index.ts';
import { formView, TextField, translateIssues, type FormView } from './form.tsx';
import { ImportIssues } from './import-issues.tsx';

// What the reference-data pages share: their forms' state for the shared form components, and a record's
// history from the audit trail.

/**
 * A reference form's state for the shared form components (web/views/form.tsx): always "posted", with the
 * record's current values (or the defaults) until a refusal brings back what was typed and its problems.
 * Dates are shown as the day / month / year boxes of DateField: `dates` names the ISO values to split.
 */
export function adminForm(
  t: Translate,
  prefix: string,
  values: FormValues,
  problems?: FieldIssue[],
  dates: readonly string[] = [],
): FormView {
  const v: FormValues = { ...values };
  for (const name of dates) {
    const iso = v[name];
    if (typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(iso) && v[`${name}-day`] === undefined) {
      const [y, m, d] = iso.split('-');
      Object.assign(v, {
        [`${name}-day`]: String(Number(d)),
        [`${name}-month`]: String(Number(m)),
        [`${name}-year`]: y!,
      });
    }
  }
  return formView(prefix, { values: v, issues: translateIssues(t, problems ?? []) });
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

/** What every reference form component takes: where it posts, what it shows, its problems, its button. */
export interface AdminFormProps {
  c: Context<AppEnv>;
  action: string;
  values: FormValues;
  problems?: FieldIssue[] | undefined;
  submit: string;
}

/** The code and the Russian and English names every coded record has (agencies, roadmaps, situations). */
export function CodeAndTitles({ f, t, titleLabel }: { f: FormView; t: Translate; titleLabel: string }) {
  return (
    <>
      <TextField f={f} t={t} name="code" label={t('admin.agency.code')} required maxlength={40} />
      <TextField f={f} t={t} name="titleRu" label={titleLabel} required maxlength={500} />
      <TextField f={f} t={t} name="titleEn" label={t('admin.agency.titleEn')} maxlength={500} />
    </>
  );
}

/**
 * The answer to an uploaded reference file: every problem with its row (nothing was stored), or what the
 * file changed.
 */
export function FileResult<T extends object>({
  t,
  result,
  done,
}: {
  t: Translate;
  result: FileOutcome<T> | undefined;
  done: (r: T) => string;
}) {
  if (!result) return null;
  if (!result.ok)
    return (
      <ImportIssues
        issues={result.errors}
        t={t}
        summary={t('svc.import.failed', { n: result.errors.length })}
      />
    );
  return (
    <p class="notice" role="status">
      {done(result)}
    </p>
  );
}
