import type { Child } from 'hono/jsx';
import { TextareaField, type FormView } from '../form.tsx';
import { Said, WHO } from '../components.tsx';
import type { ItemView } from './types.ts';

/**
 * The agency head's sign-off of an executor's report (a roadmap's rule): sign it off (it goes to the
 * working group) or return it with a comment. Two forms, like accept and return: Enter in the comment
 * never signs by accident.
 */
export function SignOffForms({
  v,
  form,
  hidden,
  f,
  summary,
}: {
  v: ItemView;
  /** The action form's attributes (post, htmx) from ActionForms. */
  form: Record<string, string | boolean>;
  hidden: () => Child;
  f: FormView;
  summary: Child;
}) {
  const { t } = v;
  const pending = v.submissions.find((s) => s.signoff_status === 'pending');
  return (
    <div id="act-signoff" class="signoff">
      <form {...form}>
        <fieldset>
          <legend>{t('form.signoff.legend')}</legend>
          {pending && (
            <p class="muted">
              <Said message={t('form.signoff.from', { who: WHO })} who={pending.author_name ?? '—'} />
            </p>
          )}
          {hidden()}
          <input type="hidden" name="outcome" value="approve" />
          <button type="submit">{t('action.signOff')}</button>
        </fieldset>
      </form>
      <form {...form}>
        <fieldset>
          <legend>{t('form.signoffReturn.legend')}</legend>
          {summary}
          {hidden()}
          <input type="hidden" name="outcome" value="return" />
          <TextareaField f={f} t={t} name="reason" label={t('form.signoff.reason')} rows={3} required />
          <button type="submit" class="secondary">
            {t('action.returnSignoff')}
          </button>
        </fieldset>
      </form>
    </div>
  );
}
