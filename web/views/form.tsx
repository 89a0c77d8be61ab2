import type { Child } from 'hono/jsx';
import type { ErrorDetail, FieldIssue } from '../../domain/errors.ts';
import type { FormValues } from '../forms.ts';
import type { Translate } from '../i18n/index.ts';
import { Quoted, ruOf } from './components.tsx';

// Forms in the GOV.UK manner, in one place: every field has a label, an optional hint and its error
// message, tied to the control with aria-describedby; a refused form shows an error summary above it
// that takes the focus and links to each field. A page builds one FormView per form (its id prefix, what
// was posted, the problems) and hands it to the field components, which read values and errors from it.

/** One problem of a form, translated: `field` is the posted name (a date field's name, not its parts). */
export interface FormIssue {
  field: string;
  message: string;
}

export interface FormView {
  /** Prefix of the form's element ids: field `reason` of form `ext` is `#ext-reason`. */
  prefix: string;
  /** Whether the form came back from a post (values then replace the defaults, even when empty). */
  posted: boolean;
  values: FormValues;
  issues: FormIssue[];
}

/** A form's state: fresh (defaults shown) or posted back with its values and problems. */
export function formView(prefix: string, posted?: { values: FormValues; issues?: FormIssue[] }): FormView {
  return { prefix, posted: !!posted, values: posted?.values ?? {}, issues: posted?.issues ?? [] };
}

/** Problems as checkForm / ShtabError carry them (message keys) in the page's language. */
export const translateIssues = (t: Translate, issues: FieldIssue[]): FormIssue[] =>
  issues.map((i) => ({ field: i.field, message: t(i.key, i.params) }));

/**
 * A use case's refusal of one field (a validation ShtabError's detail) as the form's problem; a refusal
 * of no field goes on top of the summary, unlinked.
 */
export const refusalIssues = (t: Translate, detail: ErrorDetail): FormIssue[] => [
  { field: detail.field ?? 'form', message: t(detail.key, detail.params) },
];

/** The id of a field's control (a date field: of its day input). Dots of nested names become dashes. */
export const fieldId = (f: FormView, name: string) => `${f.prefix}-${name.replace(/[^\w-]/g, '-')}`;

/** The first problem of a field (or of anything under it: `rows.2` for `rows`). */
export function fieldError(f: FormView, name: string): string | undefined {
  return f.issues.find((i) => i.field === name || i.field.startsWith(`${name}.`))?.message;
}

/** What the form shows in a field: the posted value after a refusal, else the default. */
export function fieldText(f: FormView, name: string, fallback = ''): string {
  if (!f.posted) return fallback;
  const v = f.values[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

/** Every posted value of a repeated field after a refusal, else the defaults. */
export function fieldTexts(f: FormView, name: string, fallback: string[] = []): string[] {
  if (!f.posted) return fallback;
  const v = f.values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

/**
 * "There is a problem": every problem of the form as a link to its field, above the form. It takes the
 * focus when the page loads or htmx swaps it in (autofocus), so the user hears what went wrong first.
 * Problems of no field shown on the form are listed without a link.
 */
export function ErrorSummary({ f, t, fields }: { f: FormView; t: Translate; fields?: readonly string[] }) {
  if (f.issues.length === 0) return null;
  const id = `${f.prefix}-error-summary`;
  return (
    <div class="error-summary" id={id} role="alert" tabindex={-1} aria-labelledby={`${id}-title`} autofocus>
      <h2 id={`${id}-title`}>{t('form.errorSummary')}</h2>
      <ul>
        {f.issues.map((i) => {
          const name = i.field.split('.')[0]!;
          const linked = name !== 'form' && (!fields || fields.includes(name));
          return <li>{linked ? <a href={`#${fieldId(f, i.field)}`}>{i.message}</a> : i.message}</li>;
        })}
      </ul>
    </div>
  );
}

/** The error under a field; "Error:" is read out before it, as GOV.UK does. */
export function ErrorMessage({ id, message, t }: { id: string; message: string | undefined; t: Translate }) {
  if (!message) return null;
  return (
    <p class="field-error" id={id}>
      <span class="sr-only">{t('form.errorPrefix')} </span>
      {message}
    </p>
  );
}

interface FieldProps {
  f: FormView;
  name: string;
  /** Text, or markup when part of it is in another language (see Quoted). */
  label: Child;
  t: Translate;
  hint?: string | undefined;
  /** The label is there for screen readers only (a search box with a visible button, a table cell). */
  hideLabel?: boolean;
  class?: string;
}

/** The aria of a field's control: its hint and error, and whether it is invalid. */
function controlAria(f: FormView, name: string, hint: string | undefined) {
  const id = fieldId(f, name);
  const error = fieldError(f, name);
  return {
    id,
    error,
    aria: {
      'aria-describedby': describedBy(hint && `${id}-hint`, error && `${id}-error`),
      ...(error ? { 'aria-invalid': 'true' as const } : {}),
    },
  };
}

/** The frame every field shares: label, hint, error, then the control. */
function FieldFrame(p: FieldProps & { id: string; error: string | undefined; children: Child }) {
  return (
    <div class={`field${p.error ? ' has-error' : ''}${p.class ? ` ${p.class}` : ''}`}>
      <label for={p.id} class={p.hideLabel ? 'sr-only' : undefined}>
        {p.label}
      </label>
      {p.hint && (
        <p class="hint" id={`${p.id}-hint`}>
          <Quoted text={p.hint} />
        </p>
      )}
      <ErrorMessage id={`${p.id}-error`} message={p.error} t={p.t} />
      {p.children}
    </div>
  );
}

export function TextField(
  p: FieldProps & {
    value?: string;
    type?: 'text' | 'search' | 'email' | 'tel' | 'password' | 'number' | 'time' | 'url';
    required?: boolean;
    maxlength?: number;
    minlength?: number;
    autocomplete?: string;
    inputmode?: 'numeric' | 'decimal' | 'text';
    width?: 'short' | 'full';
    step?: string;
    min?: string;
    max?: string;
  },
) {
  const { id, error, aria } = controlAria(p.f, p.name, p.hint);
  return (
    <FieldFrame {...p} id={id} error={error}>
      <input
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.type === 'password' ? undefined : fieldText(p.f, p.name, p.value ?? '')}
        required={p.required}
        maxlength={p.maxlength}
        minlength={p.minlength}
        autocomplete={p.autocomplete}
        inputmode={p.inputmode}
        step={p.step}
        min={p.min}
        max={p.max}
        class={p.width ? `input-${p.width}` : undefined}
        {...aria}
      />
    </FieldFrame>
  );
}

export function TextareaField(
  p: FieldProps & {
    value?: string;
    rows?: number;
    required?: boolean;
    maxlength?: number;
    disabled?: boolean;
  },
) {
  const { id, error, aria } = controlAria(p.f, p.name, p.hint);
  const text = fieldText(p.f, p.name, p.value ?? '');
  return (
    <FieldFrame {...p} id={id} error={error}>
      {/* Text someone wrote in Russian stays marked so on an English page (reading, spelling). */}
      <textarea
        id={id}
        name={p.name}
        lang={ruOf(text)}
        rows={p.rows ?? 3}
        required={p.required}
        maxlength={p.maxlength}
        disabled={p.disabled}
        {...aria}
      >
        {text}
      </textarea>
    </FieldFrame>
  );
}

export interface Option {
  value: string;
  label: string;
  /** The label is someone's text in another language than the page's (a Russian name on an English page). */
  lang?: string | undefined;
}

export function SelectField(
  p: FieldProps & {
    options: readonly Option[];
    /** Options under headings (optgroups), after the plain ones: one choice among kinds of thing. */
    groups?: readonly { label: string; options: readonly Option[] }[];
    value?: string;
    /** A first option with the empty value ("all", "none"). */
    empty?: string;
    required?: boolean;
  },
) {
  const { id, error, aria } = controlAria(p.f, p.name, p.hint);
  const chosen = fieldText(p.f, p.name, p.value ?? '');
  const option = (o: Option) => (
    <option value={o.value} selected={o.value === chosen} lang={o.lang}>
      {o.label}
    </option>
  );
  return (
    <FieldFrame {...p} id={id} error={error}>
      <select id={id} name={p.name} required={p.required} {...aria}>
        {p.empty !== undefined && <option value="">{p.empty}</option>}
        {p.options.map(option)}
        {p.groups?.map((g) => (
          <optgroup label={g.label}>{g.options.map(option)}</optgroup>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A list to pick several from (a repeated field); prefer CheckboxesField when the options are few. */
export function MultiSelectField(
  p: FieldProps & { options: readonly Option[]; values?: string[]; size?: number },
) {
  const { id, error, aria } = controlAria(p.f, p.name, p.hint);
  const chosen = fieldTexts(p.f, p.name, p.values ?? []);
  return (
    <FieldFrame {...p} id={id} error={error}>
      <select id={id} name={p.name} multiple size={p.size ?? 3} {...aria}>
        {p.options.map((o) => (
          <option value={o.value} selected={chosen.includes(o.value)} lang={o.lang}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A file input; `extra` is rendered under it (the upload form's place for an over-size message). */
export function FileField(
  p: FieldProps & { multiple?: boolean; accept?: string; required?: boolean; extra?: Child },
) {
  const { id, error, aria } = controlAria(p.f, p.name, p.hint);
  return (
    <FieldFrame {...p} id={id} error={error}>
      <input
        id={id}
        name={p.name}
        type="file"
        multiple={p.multiple}
        accept={p.accept}
        required={p.required}
        {...aria}
      />
      {p.extra}
    </FieldFrame>
  );
}

/** Questions answered by several controls: a fieldset whose legend is the question. */
function GroupFrame(
  p: FieldProps & { id: string; error: string | undefined; children: Child; inline?: boolean },
) {
  return (
    <div class={`field${p.error ? ' has-error' : ''}${p.class ? ` ${p.class}` : ''}`}>
      <fieldset
        class={`group${p.inline ? ' inline-group' : ''}`}
        id={`${p.id}-group`}
        aria-describedby={describedBy(p.hint && `${p.id}-hint`, p.error && `${p.id}-error`)}
      >
        <legend class={p.hideLabel ? 'sr-only' : undefined}>{p.label}</legend>
        {p.hint && (
          <p class="hint" id={`${p.id}-hint`}>
            <Quoted text={p.hint} />
          </p>
        )}
        <ErrorMessage id={`${p.id}-error`} message={p.error} t={p.t} />
        {p.children}
      </fieldset>
    </div>
  );
}

/**
 * A date as three boxes — day, month, year — as GOV.UK asks for it: nothing for a browser to reorder or
 * misread (a typed 15012027 can never become 1 December 2027). The form reader joins the parts and checks
 * the date whole (web/forms.ts `date()`). `value` is the default as an ISO date.
 */
export function DateField(p: FieldProps & { value?: string; required?: boolean }) {
  const id = fieldId(p.f, p.name);
  const error = fieldError(p.f, p.name);
  const [y, m, d] = (p.value ?? '').split('-');
  const part = (k: 'day' | 'month' | 'year', fallback: string | undefined) =>
    fieldText(p.f, `${p.name}-${k}`, fallback ? String(Number(fallback)) : '');
  const box = (k: 'day' | 'month' | 'year', label: string, fallback: string | undefined, size: number) => {
    const boxId = k === 'day' ? id : `${id}-${k}`;
    return (
      <div class={`date-part date-${k}`}>
        <label for={boxId}>{label}</label>
        <input
          id={boxId}
          name={`${p.name}-${k}`}
          type="text"
          inputmode="numeric"
          pattern="[0-9]*"
          maxlength={size}
          size={size}
          autocomplete="off"
          value={part(k, k === 'day' ? d : k === 'month' ? m : y)}
          required={p.required}
          {...(error ? { 'aria-invalid': 'true' as const } : {})}
        />
      </div>
    );
  };
  return (
    <GroupFrame {...p} id={id} error={error} inline>
      <div class="date-input">
        {box('day', p.t('form.date.day'), d, 2)}
        {box('month', p.t('form.date.month'), m, 2)}
        {box('year', p.t('form.date.year'), y, 4)}
      </div>
    </GroupFrame>
  );
}

/** One checkbox that says yes to one statement ("I have checked the report"). */
export function CheckboxField(p: FieldProps & { value?: string; checked?: boolean; required?: boolean }) {
  const { id, error, aria } = controlAria(p.f, p.name, p.hint);
  const value = p.value ?? '1';
  const checked = p.f.posted ? fieldTexts(p.f, p.name).includes(value) : !!p.checked;
  return (
    <div class={`field check${error ? ' has-error' : ''}${p.class ? ` ${p.class}` : ''}`}>
      <ErrorMessage id={`${id}-error`} message={error} t={p.t} />
      <input
        type="checkbox"
        id={id}
        name={p.name}
        value={value}
        checked={checked}
        required={p.required}
        {...aria}
      />
      <label for={id}>{p.label}</label>
      {p.hint && (
        <p class="hint" id={`${id}-hint`}>
          <Quoted text={p.hint} />
        </p>
      )}
    </div>
  );
}

/** Several checkboxes of one repeated field (co-executors, channels). The first box carries the id. */
export function CheckboxesField(p: FieldProps & { options: readonly Option[]; values?: string[] }) {
  const id = fieldId(p.f, p.name);
  const error = fieldError(p.f, p.name);
  const chosen = fieldTexts(p.f, p.name, p.values ?? []);
  return (
    <GroupFrame {...p} id={id} error={error} class={`checks${p.class ? ` ${p.class}` : ''}`}>
      <ul>
        {p.options.map((o, i) => (
          <li>
            <input
              type="checkbox"
              id={i === 0 ? id : `${id}-${o.value}`}
              name={p.name}
              value={o.value}
              checked={chosen.includes(o.value)}
            />
            <label for={i === 0 ? id : `${id}-${o.value}`} lang={o.lang}>
              {o.label}
            </label>
          </li>
        ))}
      </ul>
    </GroupFrame>
  );
}

/** One choice of a few, all visible. The first radio carries the id. */
export function RadiosField(
  p: FieldProps & { options: readonly (Option & { hint?: string })[]; value?: string; inline?: boolean },
) {
  const id = fieldId(p.f, p.name);
  const error = fieldError(p.f, p.name);
  const chosen = fieldText(p.f, p.name, p.value ?? '');
  return (
    <GroupFrame {...p} id={id} error={error} inline={p.inline}>
      <ul class="radios">
        {p.options.map((o, i) => {
          const rid = i === 0 ? id : `${id}-${o.value}`;
          return (
            <li>
              <input type="radio" id={rid} name={p.name} value={o.value} checked={chosen === o.value} />
              <label for={rid} lang={o.lang}>
                {o.label}
              </label>
              {o.hint && <p class="hint">{o.hint}</p>}
            </li>
          );
        })}
      </ul>
    </GroupFrame>
  );
}

/** The CSRF token (and an action's idempotency key) every posted form carries. */
export function FormSecrets({ csrf, eventId }: { csrf: string; eventId?: string }) {
  return (
    <>
      <input type="hidden" name="_csrf" value={csrf} />
      {eventId !== undefined && <input type="hidden" name="eventId" value={eventId} />}
    </>
  );
}
