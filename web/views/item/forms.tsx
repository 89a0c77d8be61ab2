import type { ItemAction } from '../../../domain/control-item/index.ts';
import { ALLOWED_EXTENSIONS, MAX_FILES, MAX_LINKS, megabytes } from '../../uploads.ts';
import { formatDate } from '../../i18n/index.ts';
import { FRESH_ID } from '../../fresh-ids.ts';
import {
  CheckboxesField,
  CheckboxField,
  DateField,
  ErrorSummary,
  FileField,
  FormSecrets,
  formView,
  SelectField,
  TextareaField,
  type FormView,
} from '../form.tsx';
import { ruOf, UserText } from '../components.tsx';
import { SignOffForms } from './signoff-form.tsx';
import { agencyName, type FormProblem, type ItemView } from './types.ts';

/** The fields each action's form shows: a problem of another field goes into the summary unlinked. */
const FIELDS: Partial<Record<ItemAction, readonly string[]>> = {
  submit: ['text', 'links', 'files', 'reattach'],
  submitPart: ['text', 'links', 'files', 'reattach'],
  review: ['reason', 'newDue', 'comment', 'confirm'],
  withdrawSubmission: ['reason'],
  withdrawExtension: ['reason'],
  requestExtension: ['requestedDue', 'reason'],
  decideExtension: ['grantedDue', 'note'],
  reassign: ['agencyId', 'coAgencyIds', 'reason'],
  reopen: ['reason', 'reworkDue'],
  cancel: ['reason', 'confirm'],
  signOff: ['reason'],
};

/** Each action's form and the id prefix of its fields. */
const PREFIX: Record<ItemAction, string> = {
  start: 'start',
  submit: 'submit',
  submitPart: 'submit',
  review: 'review',
  requestExtension: 'ext',
  decideExtension: 'decision',
  reassign: 'reassign',
  reopen: 'reopen',
  cancel: 'cancel',
  changeDeadline: 'deadline',
  signOff: 'signoff',
  withdrawSubmission: 'withdraw',
  withdrawExtension: 'withdraw-ext',
};

/** Anchors the homes link to ("#act-submit"): the form a row's next action opens. */
const ANCHOR: Record<string, string> = {
  submit: 'act-submit',
  extension: 'act-extension',
  'extension/decision': 'act-extension-decision',
};

/** The form a problem belongs to: accepting and returning are two forms of one action. */
const prefixOf = (problem: FormProblem) =>
  problem.action === 'review' && fieldValueOf(problem, 'outcome') === 'accept'
    ? 'accept'
    : PREFIX[problem.action];
const fieldValueOf = (problem: FormProblem, name: string) => {
  const v = problem.values?.[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Files of the agency's earlier reports of this period that came back (returned, withdrawn). */
export function reattachable(v: ItemView) {
  const mine = v.submissions.filter(
    (s) =>
      !s.is_part &&
      s.agency_id === v.item.agency_id &&
      (s.period_key ?? null) === (v.item.period_key ?? null) &&
      (s.outcome === 'returned' || s.outcome === 'withdrawn'),
  );
  // The latest report's files first; a file sent twice (same content and name) is offered once.
  const seen = new Set<string>();
  return mine.flatMap((s) =>
    s.files.filter((f) => {
      const key = `${f.filename}|${f.size_bytes}`;
      return !seen.has(key) && seen.add(key);
    }),
  );
}

/**
 * The forms this viewer may use now (availableActions). Each posts with htmx and swaps the whole panel,
 * scrolling the window to the top where the action's message appears; without JavaScript the same forms
 * post normally and come back by redirect (PRG) to the page with the message. A refused form comes back
 * with its error summary (focused) and the values typed.
 */
export function ActionForms({ v, csrf, problem }: { v: ItemView; csrf: string; problem?: FormProblem }) {
  const { item, actions, t, locale } = v;
  const base = `/items/${item.id}`;
  const form = (path: string, extra: Record<string, string> = {}) => ({
    ...(ANCHOR[path] ? { id: ANCHOR[path] } : {}),
    method: 'post' as const,
    action: `${base}/${path}`,
    // In queue mode a decision opens the next report: a plain post, whose redirect carries the message.
    ...(v.fromQueue && path === 'review'
      ? {}
      : {
          'hx-post': `${base}/${path}`,
          'hx-target': '#item-panel',
          'hx-swap': 'outerHTML scroll:top scrollTarget:window',
        }),
    // The server checks and answers with the error summary (GOV.UK: no browser validation bubbles).
    novalidate: true,
    ...extra,
  });
  // A fresh event id per form and response (filled in as it is sent): it is the action's idempotency key.
  const hidden = () => (
    <>
      <FormSecrets csrf={csrf} eventId={FRESH_ID} />
      {v.fromQueue && <input type="hidden" name="queue" value="1" />}
    </>
  );
  /** The state of one action's form: posted back with the problem when the problem is this action's. */
  const fv = (a: ItemAction, prefix = PREFIX[a]): FormView =>
    formView(
      prefix,
      problem && prefixOf(problem) === prefix
        ? {
            values: problem.values ?? {},
            issues: [{ field: problem.field ?? 'form', message: problem.message }],
          }
        : undefined,
    );
  const summary = (a: ItemAction, f: FormView) => <ErrorSummary f={f} t={t} fields={FIELDS[a] ?? []} />;
  /** The rework due date (срок доработки) of a return or a reopen: optional, the control date stays. */
  const reworkDueField = (f: FormView, name: 'newDue' | 'reworkDue') => (
    <DateField
      f={f}
      t={t}
      name={name}
      label={t('control.reworkDue')}
      hint={t('control.reworkDueHint', {
        days: v.reworkWorkingDays,
        date: formatDate(item.current_due, locale),
      })}
    />
  );
  // A problem of an action whose form is not shown now (the state moved on) goes on top.
  const shown = (a: ItemAction) =>
    actions.includes(a) ||
    (a === 'submitPart' && actions.includes('submit')) ||
    (a === 'submit' && actions.includes('submitPart'));
  const orphan =
    problem && !shown(problem.action)
      ? formView('action', { values: {}, issues: [{ field: 'form', message: problem.message }] })
      : null;
  if (actions.length === 0) {
    return (
      <div class="actions">
        {orphan && <ErrorSummary f={orphan} t={t} />}
        <p class="muted">{t('item.noActions')}</p>
      </div>
    );
  }

  const submitting = actions.includes('submit') || actions.includes('submitPart');
  const sub = fv(actions.includes('submit') ? 'submit' : 'submitPart');
  const maxMb = megabytes(v.uploadMaxBytes);
  const review = fv('review');
  const accept = fv('review', 'accept');
  const withdraw = fv('withdrawSubmission');
  const withdrawExt = fv('withdrawExtension');
  const again = reattachable(v);
  const ext = fv('requestExtension');
  const decision = fv('decideExtension');
  const reassign = fv('reassign');
  const reopen = fv('reopen');
  const cancel = fv('cancel');

  return (
    <div class="actions">
      {orphan && <ErrorSummary f={orphan} t={t} />}
      {actions.includes('start') && (
        <form {...form('start')}>
          {summary('start', fv('start'))}
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
            {summary('submit', sub)}
            {hidden()}
            <input type="hidden" name="part" value={actions.includes('submit') ? '0' : '1'} />
            <TextareaField f={sub} t={t} name="text" label={t('form.text')} rows={5} />
            <TextareaField
              f={sub}
              t={t}
              name="links"
              label={t('form.links')}
              hint={t('form.links.hint', { max: MAX_LINKS })}
              rows={2}
            />
            <FileField
              f={sub}
              t={t}
              name="files"
              label={t('form.files')}
              hint={t('form.files.hint', { max: MAX_FILES, mb: maxMb, types: ALLOWED_EXTENSIONS.join(', ') })}
              multiple
              accept={ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(',')}
              // A request over the size limit is refused before the handler; its message lands here.
              extra={<p class="field-error" id="upload-error" aria-live="polite"></p>}
            />
            {again.length > 0 && (
              <CheckboxesField
                f={sub}
                t={t}
                name="reattach"
                label={t('form.reattach')}
                hint={t('form.reattach.hint')}
                options={again.map((f) => ({
                  value: String(f.id),
                  label: f.filename,
                  lang: ruOf(f.filename),
                }))}
                values={again.map((f) => String(f.id))}
              />
            )}
            <button type="submit">
              {actions.includes('submit') ? t('action.submit') : t('action.submitPart')}
            </button>
          </fieldset>
        </form>
      )}

      {actions.includes('signOff') && (
        <SignOffForms
          v={v}
          form={form('signoff')}
          hidden={hidden}
          f={fv('signOff')}
          summary={summary('signOff', fv('signOff'))}
        />
      )}

      {actions.includes('review') && (
        <div id="act-review">
          {/* Accepting and returning are separate forms: Enter in a field must never accept by default. */}
          <form {...form('review')}>
            <fieldset>
              <legend>{t('form.review.legend')}</legend>
              {summary('review', accept)}
              {hidden()}
              <input type="hidden" name="outcome" value="accept" />
              <TextareaField
                f={accept}
                t={t}
                name="comment"
                label={t('form.accept.comment')}
                hint={t('form.accept.commentHint')}
                rows={2}
              />
              <CheckboxField f={accept} t={t} name="confirm" label={t('form.accept.confirm')} required />
              <button type="submit">{t('action.accept')}</button>
            </fieldset>
          </form>
          <form {...form('review')}>
            <fieldset>
              <legend>{t('form.return.legend')}</legend>
              {summary('review', review)}
              {hidden()}
              <input type="hidden" name="outcome" value="return" />
              <TextareaField
                f={review}
                t={t}
                name="reason"
                label={t('form.review.reason')}
                rows={3}
                required
              />
              {reworkDueField(review, 'newDue')}
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
            {summary('requestExtension', ext)}
            {hidden()}
            <DateField
              f={ext}
              t={t}
              name="requestedDue"
              label={t('form.extension.date')}
              hint={t('form.extension.dateHint', { date: formatDate(item.current_due, locale) })}
              required
            />
            <TextareaField f={ext} t={t} name="reason" label={t('form.extension.reason')} rows={3} required />
            <button type="submit">{t('action.requestExtension')}</button>
          </fieldset>
        </form>
      )}

      {actions.includes('decideExtension') && v.pending && (
        <form {...form('extension/decision')}>
          <fieldset>
            <legend>{t('form.decision.legend')}</legend>
            {summary('decideExtension', decision)}
            {hidden()}
            <p>
              {t('form.decision.summary', {
                from: formatDate(v.pending.previous_due, locale),
                to: formatDate(v.pending.requested_due, locale),
              })}
            </p>
            <blockquote class="quote">
              <UserText text={v.pending.reason} />
            </blockquote>
            <DateField
              f={decision}
              t={t}
              name="grantedDue"
              label={t('control.grantedDue')}
              hint={t('control.grantedDueHint')}
              value={v.pending.requested_due}
            />
            <TextareaField f={decision} t={t} name="note" label={t('form.decision.note')} rows={2} />
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

      {actions.includes('withdrawSubmission') && (
        <details class="more" open={withdraw.posted || undefined}>
          <summary>{t('form.withdraw.legend')}</summary>
          <form {...form('withdraw')}>
            {summary('withdrawSubmission', withdraw)}
            {hidden()}
            <p class="muted">{t('form.withdraw.hint')}</p>
            <TextareaField f={withdraw} t={t} name="reason" label={t('form.withdraw.reason')} rows={2} />
            <button type="submit" class="secondary">
              {t('action.withdrawSubmission')}
            </button>
          </form>
        </details>
      )}

      {actions.includes('withdrawExtension') && v.pending && (
        <details class="more" open={withdrawExt.posted || undefined}>
          <summary>{t('form.withdrawExtension.legend')}</summary>
          <form {...form('extension/withdraw')}>
            {summary('withdrawExtension', withdrawExt)}
            {hidden()}
            <p class="muted">
              {t('form.withdrawExtension.hint', { date: formatDate(v.pending.requested_due, locale) })}
            </p>
            <TextareaField f={withdrawExt} t={t} name="reason" label={t('form.withdraw.reason')} rows={2} />
            <button type="submit" class="secondary">
              {t('action.withdrawExtension')}
            </button>
          </form>
        </details>
      )}

      {actions.includes('reassign') && (
        <details class="more" open={reassign.posted || undefined}>
          <summary>{t('form.reassign.legend')}</summary>
          <form {...form('reassign')}>
            {summary('reassign', reassign)}
            {hidden()}
            <SelectField
              f={reassign}
              t={t}
              name="agencyId"
              label={t('form.reassign.agency')}
              options={v.agencies.map((a) => ({
                value: String(a.id),
                label: locale === 'en' ? a.title_en : a.title_ru,
              }))}
              value={String(item.agency_id)}
              required
            />
            <CheckboxesField
              f={reassign}
              t={t}
              name="coAgencyIds"
              label={t('form.reassign.co')}
              options={v.agencies.map((a) => ({ value: String(a.id), label: agencyName(v, a.id) }))}
              values={item.co_agency_ids.map(String)}
            />
            <TextareaField
              f={reassign}
              t={t}
              name="reason"
              label={t('form.reassign.reason')}
              rows={2}
              required
            />
            <button type="submit">{t('action.reassign')}</button>
          </form>
        </details>
      )}

      {actions.includes('reopen') && (
        <details class="more" open={reopen.posted || undefined}>
          <summary>{t('control.reopen.legend')}</summary>
          <form {...form('reopen')}>
            {summary('reopen', reopen)}
            {hidden()}
            <p class="muted">{t('control.reopen.hint')}</p>
            <TextareaField
              f={reopen}
              t={t}
              name="reason"
              label={t('control.reopen.reason')}
              rows={2}
              required
            />
            {reworkDueField(reopen, 'reworkDue')}
            <button type="submit">{t('control.reopen.action')}</button>
          </form>
        </details>
      )}

      {actions.includes('cancel') && (
        <details class="more" open={cancel.posted || undefined}>
          <summary>{t('form.cancel.legend')}</summary>
          <form {...form('cancel')}>
            {summary('cancel', cancel)}
            {hidden()}
            <TextareaField f={cancel} t={t} name="reason" label={t('form.cancel.reason')} rows={2} required />
            <CheckboxField f={cancel} t={t} name="confirm" label={t('form.cancel.confirm')} required />
            <button type="submit" class="danger">
              {t('action.cancel')}
            </button>
          </form>
        </details>
      )}
    </div>
  );
}
