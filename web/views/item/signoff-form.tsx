import { Field } from '../components.tsx';
import type { FormProblem, ItemView } from './types.ts';

/**
 * The agency head's sign-off of an executor's report (a roadmap's rule): sign it off (it goes to the
 * working group) or return it with a comment. Two forms, like accept and return: Enter in the comment
 * never signs by accident.
 */
export function SignOffForms({
  v,
  hidden,
  problem,
}: {
  v: ItemView;
  hidden: () => unknown;
  problem?: FormProblem | undefined;
}) {
  const { t, item } = v;
  const base = `/items/${item.id}/signoff`;
  const htmx = { 'hx-post': base, 'hx-target': '#item-panel', 'hx-swap': 'outerHTML' };
  const mine = problem?.action === 'signOff' ? problem : undefined;
  const reasonError = mine?.field === 'reason' ? mine.message : undefined;
  const typed = mine?.values?.reason;
  const pending = v.submissions.find((s) => s.signoff_status === 'pending');
  return (
    <div id="act-signoff" class="signoff">
      <form method="post" action={base} {...htmx}>
        <fieldset>
          <legend>{t('form.signoff.legend')}</legend>
          {pending && <p class="muted">{t('form.signoff.from', { who: pending.author_name ?? '—' })}</p>}
          {hidden()}
          <input type="hidden" name="outcome" value="approve" />
          <button type="submit">{t('action.signOff')}</button>
        </fieldset>
      </form>
      <form method="post" action={base} {...htmx}>
        <fieldset>
          <legend>{t('form.signoffReturn.legend')}</legend>
          {hidden()}
          <input type="hidden" name="outcome" value="return" />
          <Field id="signoff-reason" label={t('form.signoff.reason')} error={reasonError}>
            <textarea
              id="signoff-reason"
              name="reason"
              rows={3}
              required
              aria-describedby={reasonError ? 'signoff-reason-error' : undefined}
            >
              {Array.isArray(typed) ? (typed[0] ?? '') : (typed ?? '')}
            </textarea>
          </Field>
          <button type="submit" class="secondary">
            {t('action.returnSignoff')}
          </button>
        </fieldset>
      </form>
    </div>
  );
}
