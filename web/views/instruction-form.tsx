import type { FieldIssue } from '../../domain/errors.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { fieldValue, fieldValues, type FormValues } from '../forms.ts';
import { FRESH_ID } from '../fresh-ids.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { Field, FieldError } from './components.tsx';

// The «дать поручение» form: text, responsible and co-executor agencies, deadline, special control; the
// working group also names the leadership member on whose behalf it is given.

const FIELD_IDS: Record<string, string> = {
  text: 'instr-text',
  agency: 'instr-agency',
  coAgencies: 'instr-co-first',
  due: 'instr-due',
  authorUserId: 'instr-author',
};

export function InstructionForm(p: {
  csrf: string;
  source: { id: number; label: string; agencyId: number } | null;
  checkIn: { id: number; label: string } | null;
  agencies: { id: number; name: string }[];
  members: { id: number; display_name: string; position: string | null }[];
  onBehalf: boolean;
  defaultDue: LocalDate;
  values?: FormValues | undefined;
  problems: FieldIssue[];
  locale: Locale;
  t: Translate;
}) {
  const { t, values, problems } = p;
  const err = (f: string) => {
    const x = problems.find((q) => q.field === f);
    return x ? t(x.key, x.params) : undefined;
  };
  const val = (name: string, fallback = '') => (values ? fieldValue(values, name) : fallback);
  const agency = val('agencyId', p.source ? String(p.source.agencyId) : '');
  const co = values ? fieldValues(values, 'coAgencyIds') : [];
  const described = (id: string, field: string, hint = false) =>
    [hint ? `${id}-hint` : '', err(field) ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
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
      {problems.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <h2>{t('form.problems')}</h2>
          <ul>
            {problems.map((q) => (
              <li>
                <a href={`#${FIELD_IDS[q.field] ?? 'instr-text'}`}>{t(q.key, q.params)}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action="/instructions">
        <input type="hidden" name="_csrf" value={p.csrf} />
        <input type="hidden" name="eventId" value={FRESH_ID} />
        {p.source && <input type="hidden" name="sourceItemId" value={String(p.source.id)} />}
        {p.checkIn && <input type="hidden" name="checkInId" value={String(p.checkIn.id)} />}
        {p.onBehalf && (
          <Field
            id="instr-author"
            label={t('instruction.author')}
            hint={t('instruction.authorHint')}
            error={err('authorUserId')}
          >
            <select
              id="instr-author"
              name="authorUserId"
              required
              aria-describedby={described('instr-author', 'authorUserId', true)}
            >
              {p.members.map((m) => (
                <option value={String(m.id)} selected={val('authorUserId') === String(m.id)}>
                  {m.display_name}
                  {m.position ? ` — ${m.position}` : ''}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field
          id="instr-text"
          label={t('instruction.text')}
          hint={t('instruction.textHint')}
          error={err('text')}
        >
          <textarea
            id="instr-text"
            name="text"
            rows={5}
            required
            aria-describedby={described('instr-text', 'text', true)}
          >
            {val('text')}
          </textarea>
        </Field>
        <Field id="instr-agency" label={t('instruction.agency')} error={err('agency')}>
          <select
            id="instr-agency"
            name="agencyId"
            required
            aria-describedby={described('instr-agency', 'agency')}
          >
            <option value="">{t('instruction.chooseAgency')}</option>
            {p.agencies.map((a) => (
              <option value={String(a.id)} selected={agency === String(a.id)}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        <details class="more" open={co.length > 0 || !!err('coAgencies') || undefined}>
          <summary>{t('instruction.co')}</summary>
          <fieldset class={`checks${err('coAgencies') ? ' has-error' : ''}`}>
            <legend class="sr-only">{t('instruction.co')}</legend>
            <ul>
              {p.agencies.map((a, i) => (
                <li>
                  <input
                    type="checkbox"
                    id={i === 0 ? 'instr-co-first' : `instr-co-${a.id}`}
                    name="coAgencyIds"
                    value={String(a.id)}
                    checked={co.includes(String(a.id))}
                  />
                  <label for={i === 0 ? 'instr-co-first' : `instr-co-${a.id}`}>{a.name}</label>
                </li>
              ))}
            </ul>
            <FieldError id="instr-co-error" message={err('coAgencies')} />
          </fieldset>
        </details>
        <Field id="instr-due" label={t('instruction.due')} hint={t('instruction.dueHint')} error={err('due')}>
          <input
            id="instr-due"
            name="due"
            type="date"
            required
            value={val('due', p.defaultDue)}
            aria-describedby={described('instr-due', 'due', true)}
          />
        </Field>
        <div class="field check">
          <input
            type="checkbox"
            id="instr-special"
            name="specialControl"
            value="1"
            checked={val('specialControl') === '1'}
          />
          <label for="instr-special">{t('instruction.special')}</label>
          <p class="hint">{t('instruction.specialHint')}</p>
        </div>
        <button type="submit">{t('instruction.give')}</button>
      </form>
    </section>
  );
}
