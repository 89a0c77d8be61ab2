import type { ItemAction } from '../../../domain/control-item/index.ts';
import { ALLOWED_EXTENSIONS, MAX_FILES, MAX_LINKS, megabytes } from '../../uploads.ts';
import { formatDate } from '../../i18n/index.ts';
import { Field, FieldError } from '../components.tsx';
import { FRESH_ID } from '../../fresh-ids.ts';
import { SignOffForms } from './signoff-form.tsx';
import { agencyName, type FormProblem, type ItemView } from './types.ts';

/** Fields the forms below show errors next to. */
const FIELDS = new Set([
  'text',
  'links',
  'files',
  'outcome',
  'reason',
  'newDue',
  'requestedDue',
  'decision',
  'note',
  'grantedDue',
  'reworkDue',
  'agencyId',
  'coAgencyIds',
  'confirm',
]);

/** Anchors the homes link to ("#act-submit"): the form a row's next action opens. */
const ANCHOR: Record<string, string> = {
  submit: 'act-submit',
  extension: 'act-extension',
  'extension/decision': 'act-extension-decision',
};

/** aria-describedby for a control: its hint and its error, when present. */
const describedBy = (id: string, hint: boolean, problem: FormProblem | undefined) =>
  [hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/**
 * The forms this viewer may use now (availableActions). Each posts with htmx and swaps the whole panel;
 * without JavaScript the same forms post normally and come back by redirect (PRG).
 */
export function ActionForms({ v, csrf, problem }: { v: ItemView; csrf: string; problem?: FormProblem }) {
  const { item, actions, t, locale } = v;
  const base = `/items/${item.id}`;
  const form = (path: string, extra: Record<string, string> = {}) => ({
    ...(ANCHOR[path] ? { id: ANCHOR[path] } : {}),
    method: 'post' as const,
    action: `${base}/${path}`,
    'hx-post': `${base}/${path}`,
    'hx-target': '#item-panel',
    'hx-swap': 'outerHTML',
    ...extra,
  });
  // A fresh event id per form and response (filled in as it is sent): it is the action's idempotency key.
  const hidden = () => (
    <>
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="eventId" value={FRESH_ID} />
      {/* In queue mode a decision opens the next report (web/routes/items.tsx). */}
      {v.fromQueue && <input type="hidden" name="queue" value="1" />}
    </>
  );
  const mine = (a: ItemAction) => problem?.action === a;
  /** The problem for one field of one form (submit and submitPart share the form). */
  const p = (a: ItemAction | ItemAction[], field: string) => {
    const list = Array.isArray(a) ? a : [a];
    return problem && list.includes(problem.action) && problem.field?.split('.')[0] === field
      ? problem
      : undefined;
  };
  const val = (a: ItemAction | ItemAction[], name: string): string => {
    const list = Array.isArray(a) ? a : [a];
    const x = problem && list.includes(problem.action) ? problem.values?.[name] : undefined;
    return Array.isArray(x) ? (x[0] ?? '') : (x ?? '');
  };
  /** The rework due date (срок доработки) of a return or a reopen: optional, the control date stays. */
  const reworkDueField = (a: ItemAction, name: 'newDue' | 'reworkDue') => {
    const id = `${a}-${name}`;
    return (
      <Field
        id={id}
        label={t('control.reworkDue')}
        hint={t('control.reworkDueHint', {
          days: v.reworkWorkingDays,
          date: formatDate(item.current_due, locale),
        })}
        error={p(a, name)?.message}
      >
        <input
          id={id}
          name={name}
          type="date"
          value={val(a, name)}
          aria-describedby={describedBy(id, true, p(a, name))}
        />
      </Field>
    );
  };
  // A problem without a field, or with one no form shows, goes on top rather than nowhere.
  const general = problem && !FIELDS.has(problem.field?.split('.')[0] ?? '') ? problem : undefined;
  if (actions.length === 0) {
    return (
      <div class="actions">
        {general && (
          <p class="alert" role="alert">
            {general.message}
          </p>
        )}
        <p class="muted">{t('item.noActions')}</p>
      </div>
    );
  }

  const submitting = actions.includes('submit') || actions.includes('submitPart');
  const SUB: ItemAction[] = ['submit', 'submitPart'];
  const maxMb = megabytes(v.uploadMaxBytes);
  const coChecked = (id: number) => {
    const sent = mine('reassign') ? problem?.values?.coAgencyIds : undefined;
    if (sent === undefined) return mine('reassign') ? false : item.co_agency_ids.includes(id);
    return (Array.isArray(sent) ? sent : [sent]).includes(String(id));
  };

  return (
    <div class="actions">
      {general && (
        <p class="alert" role="alert">
          {general.message}
        </p>
      )}
      {actions.includes('start') && (
        <form {...form('start')}>
          {hidden()}
          <button type="submit">{t('action.start')}</button>
        </form>
      )}

      {submitting && (
        <form {...form('submit', { enctype: 'multipart/form-data' })}>
          <fieldset>
            <legend>
              {actions.includes('submit') ? t('form.submit.legend') : t('form.submitPart.legend')}
            </legend>
            {hidden()}
            <input type="hidden" name="part" value={actions.includes('submit') ? '0' : '1'} />
            <Field id="submit-text" label={t('form.text')} error={p(SUB, 'text')?.message}>
              <textarea
                id="submit-text"
                name="text"
                rows={5}
                aria-describedby={describedBy('submit-text', false, p(SUB, 'text'))}
              >
                {val(SUB, 'text')}
              </textarea>
            </Field>
            <Field
              id="submit-links"
              label={t('form.links')}
              hint={t('form.links.hint', { max: MAX_LINKS })}
              error={p(SUB, 'links')?.message}
            >
              <textarea
                id="submit-links"
                name="links"
                rows={2}
                aria-describedby={describedBy('submit-links', true, p(SUB, 'links'))}
              >
                {val(SUB, 'links')}
              </textarea>
            </Field>
            <Field
              id="submit-files"
              label={t('form.files')}
              hint={t('form.files.hint', { max: MAX_FILES, mb: maxMb, types: ALLOWED_EXTENSIONS.join(', ') })}
              error={p(SUB, 'files')?.message}
            >
              <input
                id="submit-files"
                name="files"
                type="file"
                multiple
                accept={ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(',')}
                aria-describedby={describedBy('submit-files', true, p(SUB, 'files'))}
              />
              {/* A request over the size limit is refused before the handler; its message lands here. */}
              <p class="field-error" id="upload-error" aria-live="polite"></p>
            </Field>
            <button type="submit">
              {actions.includes('submit') ? t('action.submit') : t('action.submitPart')}
            </button>
          </fieldset>
        </form>
      )}

      {actions.includes('signOff') && <SignOffForms v={v} hidden={hidden} problem={problem} />}

      {actions.includes('review') && (
        <div id="act-review">
          {/* Accepting and returning are separate forms: Enter in a field must never accept by default. */}
          <form {...form('review')}>
            <fieldset>
              <legend>{t('form.review.legend')}</legend>
              {hidden()}
              <input type="hidden" name="outcome" value="accept" />
              <button type="submit">{t('action.accept')}</button>
            </fieldset>
          </form>
          <form {...form('review')}>
            <fieldset>
              <legend>{t('form.return.legend')}</legend>
              {hidden()}
              <input type="hidden" name="outcome" value="return" />
              <Field
                id="review-reason"
                label={t('form.review.reason')}
                error={p('review', 'reason')?.message}
              >
                <textarea
                  id="review-reason"
                  name="reason"
                  rows={3}
                  required
                  aria-describedby={describedBy('review-reason', false, p('review', 'reason'))}
                >
                  {val('review', 'reason')}
                </textarea>
              </Field>
              {reworkDueField('review', 'newDue')}
              <FieldError id="review-outcome-error" message={p('review', 'outcome')?.message} />
              <button type="submit" class="secondary">
                {t('action.return')}
              </button>
            </fieldset>
          </form>
        </div>
      )}

      {actions.includes('requestExtension') && (
        <form {...form('extension')}>
          <fieldset>
            <legend>{t('form.extension.legend')}</legend>
            {hidden()}
            <Field
              id="ext-requestedDue"
              label={t('form.extension.date')}
              hint={t('form.extension.dateHint', { date: formatDate(item.current_due, locale) })}
              error={p('requestExtension', 'requestedDue')?.message}
            >
              <input
                id="ext-requestedDue"
                name="requestedDue"
                type="date"
                required
                value={val('requestExtension', 'requestedDue')}
                aria-describedby={describedBy(
                  'ext-requestedDue',
                  true,
                  p('requestExtension', 'requestedDue'),
                )}
              />
            </Field>
            <Field
              id="ext-reason"
              label={t('form.extension.reason')}
              error={p('requestExtension', 'reason')?.message}
            >
              <textarea
                id="ext-reason"
                name="reason"
                rows={3}
                required
                aria-describedby={describedBy('ext-reason', false, p('requestExtension', 'reason'))}
              >
                {val('requestExtension', 'reason')}
              </textarea>
            </Field>
            <button type="submit">{t('action.requestExtension')}</button>
          </fieldset>
        </form>
      )}

      {actions.includes('decideExtension') && v.pending && (
        <form {...form('extension/decision')}>
          <fieldset>
            <legend>{t('form.decision.legend')}</legend>
            {hidden()}
            <p>
              {t('form.decision.summary', {
                from: formatDate(v.pending.previous_due, locale),
                to: formatDate(v.pending.requested_due, locale),
              })}
            </p>
            <blockquote class="quote">{v.pending.reason}</blockquote>
            <Field
              id="decision-grantedDue"
              label={t('control.grantedDue')}
              hint={t('control.grantedDueHint')}
              error={p('decideExtension', 'grantedDue')?.message}
            >
              <input
                id="decision-grantedDue"
                name="grantedDue"
                type="date"
                value={val('decideExtension', 'grantedDue') || v.pending.requested_due}
                aria-describedby={describedBy(
                  'decision-grantedDue',
                  true,
                  p('decideExtension', 'grantedDue'),
                )}
              />
            </Field>
            <Field
              id="decision-note"
              label={t('form.decision.note')}
              error={p('decideExtension', 'note')?.message}
            >
              <textarea
                id="decision-note"
                name="note"
                rows={2}
                aria-describedby={describedBy('decision-note', false, p('decideExtension', 'note'))}
              >
                {val('decideExtension', 'note')}
              </textarea>
            </Field>
            <FieldError id="decision-decision-error" message={p('decideExtension', 'decision')?.message} />
            <div class="buttons">
              <button type="submit" name="decision" value="approve">
                {t('action.approveExtension')}
              </button>
              <button type="submit" name="decision" value="reject" class="secondary">
                {t('action.rejectExtension')}
              </button>
            </div>
          </fieldset>
        </form>
      )}

      {actions.includes('reassign') && (
        <details class="more" open={mine('reassign') || undefined}>
          <summary>{t('form.reassign.legend')}</summary>
          <form {...form('reassign')}>
            {hidden()}
            <Field
              id="reassign-agencyId"
              label={t('form.reassign.agency')}
              error={p('reassign', 'agencyId')?.message}
            >
              <select
                id="reassign-agencyId"
                name="agencyId"
                required
                aria-describedby={describedBy('reassign-agencyId', false, p('reassign', 'agencyId'))}
              >
                {v.agencies.map((a) => {
                  const chosen = mine('reassign') ? val('reassign', 'agencyId') : String(item.agency_id);
                  return (
                    <option value={String(a.id)} selected={chosen === String(a.id)}>
                      {locale === 'en' ? a.title_en : a.title_ru}
                    </option>
                  );
                })}
              </select>
            </Field>
            <fieldset class={`checks${p('reassign', 'coAgencyIds') ? ' has-error' : ''}`}>
              <legend>{t('form.reassign.co')}</legend>
              <ul>
                {v.agencies.map((a) => (
                  <li>
                    <input
                      type="checkbox"
                      id={`reassign-co-${a.id}`}
                      name="coAgencyIds"
                      value={String(a.id)}
                      checked={coChecked(a.id)}
                    />
                    <label for={`reassign-co-${a.id}`}>{agencyName(v, a.id)}</label>
                  </li>
                ))}
              </ul>
              <FieldError id="reassign-coAgencyIds-error" message={p('reassign', 'coAgencyIds')?.message} />
            </fieldset>
            <Field
              id="reassign-reason"
              label={t('form.reassign.reason')}
              error={p('reassign', 'reason')?.message}
            >
              <textarea
                id="reassign-reason"
                name="reason"
                rows={2}
                required
                aria-describedby={describedBy('reassign-reason', false, p('reassign', 'reason'))}
              >
                {val('reassign', 'reason')}
              </textarea>
            </Field>
            <button type="submit">{t('action.reassign')}</button>
          </form>
        </details>
      )}

      {actions.includes('reopen') && (
        <details class="more" open={mine('reopen') || undefined}>
          <summary>{t('control.reopen.legend')}</summary>
          <form {...form('reopen')}>
            {hidden()}
            <p class="muted">{t('control.reopen.hint')}</p>
            <Field
              id="reopen-reason"
              label={t('control.reopen.reason')}
              error={p('reopen', 'reason')?.message}
            >
              <textarea
                id="reopen-reason"
                name="reason"
                rows={2}
                required
                aria-describedby={describedBy('reopen-reason', false, p('reopen', 'reason'))}
              >
                {val('reopen', 'reason')}
              </textarea>
            </Field>
            {reworkDueField('reopen', 'reworkDue')}
            <button type="submit">{t('control.reopen.action')}</button>
          </form>
        </details>
      )}

      {actions.includes('cancel') && (
        <details class="more" open={mine('cancel') || undefined}>
          <summary>{t('form.cancel.legend')}</summary>
          <form {...form('cancel')}>
            {hidden()}
            <Field id="cancel-reason" label={t('form.cancel.reason')} error={p('cancel', 'reason')?.message}>
              <textarea
                id="cancel-reason"
                name="reason"
                rows={2}
                required
                aria-describedby={describedBy('cancel-reason', false, p('cancel', 'reason'))}
              >
                {val('cancel', 'reason')}
              </textarea>
            </Field>
            <div class={`field check${p('cancel', 'confirm') ? ' has-error' : ''}`}>
              <input
                type="checkbox"
                id="cancel-confirm"
                name="confirm"
                value="1"
                required
                aria-describedby={p('cancel', 'confirm') ? 'cancel-confirm-error' : undefined}
              />
              <label for="cancel-confirm">{t('form.cancel.confirm')}</label>
              <FieldError id="cancel-confirm-error" message={p('cancel', 'confirm')?.message} />
            </div>
            <button type="submit" class="danger">
              {t('action.cancel')}
            </button>
          </form>
        </details>
      )}
    </div>
  );
}
