import type { FormIssue } from './form.tsx';
import type { LocalDate } from '../../domain/local-date.ts';
import type { FormValues } from '../forms.ts';
import { FRESH_ID } from '../fresh-ids.ts';
import type { Translate } from '../i18n/index.ts';
import {
  CheckboxesField,
  CheckboxField,
  DateField,
  ErrorSummary,
  FormSecrets,
  formView,
  SelectField,
  TextareaField,
} from './form.tsx';

// The «дать поручение» form: text, responsible and co-executor agencies, deadline, special control; the
// working group also names the leadership member on whose behalf it is given.

export function InstructionForm(p: {
  csrf: string;
  source: { id: number; label: string; agencyId: number } | null;
  checkIn: { id: number; label: string } | null;
  agencies: { id: number; name: string }[];
  members: { id: number; display_name: string; position: string | null }[];
  onBehalf: boolean;
  defaultDue: LocalDate;
  /** Posted back after a refusal: what was typed and every problem. */
  posted?: { values: FormValues; issues: FormIssue[] } | undefined;
  t: Translate;
}) {
  const { t } = p;
  const f = formView('instr', p.posted);
  const agencies = p.agencies.map((a) => ({ value: String(a.id), label: a.name }));
  return (
    <section class="instruction-form">
      <h1>{t('instruction.title')}</h1>
      {(p.source || p.checkIn) && (
        <p class="muted">
          {p.source && (
            <>
              {t('instruction.about')} <a href={`/items/${p.source.id}`}>{p.source.label}</a>
            </>
          )}
          {p.source && p.checkIn && ' · '}
          {p.checkIn && (
            <>
              {t('instruction.atMeeting')} <a href={`/check-ins/${p.checkIn.id}`}>{p.checkIn.label}</a>
            </>
          )}
        </p>
      )}
      <ErrorSummary f={f} t={t} />
      <form method="post" action="/instructions">
        <FormSecrets csrf={p.csrf} eventId={FRESH_ID} />
        {p.source && <input type="hidden" name="sourceItemId" value={String(p.source.id)} />}
        {p.checkIn && <input type="hidden" name="checkInId" value={String(p.checkIn.id)} />}
        {p.onBehalf && (
          <SelectField
            f={f}
            t={t}
            name="authorUserId"
            label={t('instruction.author')}
            hint={t('instruction.authorHint')}
            options={p.members.map((m) => ({
              value: String(m.id),
              label: `${m.display_name}${m.position ? ` — ${m.position}` : ''}`,
            }))}
            required
          />
        )}
        <TextareaField
          f={f}
          t={t}
          name="text"
          label={t('instruction.text')}
          hint={t('instruction.textHint')}
          rows={5}
          required
        />
        <SelectField
          f={f}
          t={t}
          name="agencyId"
          label={t('instruction.agency')}
          options={agencies}
          empty={t('instruction.chooseAgency')}
          value={p.source ? String(p.source.agencyId) : ''}
          required
        />
        <details class="more" open={(f.posted && f.values.coAgencyIds !== undefined) || undefined}>
          <summary>{t('instruction.co')}</summary>
          <CheckboxesField
            f={f}
            t={t}
            name="coAgencyIds"
            label={t('instruction.co')}
            options={agencies}
            hideLabel
          />
        </details>
        <DateField
          f={f}
          t={t}
          name="due"
          label={t('instruction.due')}
          hint={t('instruction.dueHint')}
          value={p.defaultDue}
          required
        />
        <CheckboxField
          f={f}
          t={t}
          name="specialControl"
          label={t('instruction.special')}
          hint={t('instruction.specialHint')}
        />
        <button type="submit">{t('instruction.give')}</button>
      </form>
    </section>
  );
}
