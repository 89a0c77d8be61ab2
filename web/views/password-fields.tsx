import { MIN_PASSWORD_LENGTH } from '../../domain/accounts/index.ts';
import type { Translate } from '../i18n/index.ts';
import { formView, TextField, type FormView } from './form.tsx';

/**
 * A password form's state from the account checks' problems (app/auth: message keys by field). Passwords
 * are never shown again, so nothing posted is kept.
 */
export function passwordForm(
  prefix: string,
  t: Translate,
  problems?: Partial<Record<'current' | 'password' | 'repeat', string>>,
): FormView {
  const issues = Object.entries(problems ?? {}).map(([field, key]) => ({
    field,
    message: t(key!, { min: MIN_PASSWORD_LENGTH }),
  }));
  return formView(prefix, issues.length ? { values: {}, issues } : undefined);
}

/** The new password twice, with the rule said up front and each problem next to its field. */
export function NewPasswordFields({ f, t }: { f: FormView; t: Translate }) {
  return (
    <>
      <TextField
        f={f}
        t={t}
        name="password"
        type="password"
        label={t('account.newPassword')}
        autocomplete="new-password"
        hint={t('account.passwordRule', { min: MIN_PASSWORD_LENGTH })}
        minlength={MIN_PASSWORD_LENGTH}
        required
      />
      <TextField
        f={f}
        t={t}
        name="repeat"
        type="password"
        label={t('account.repeatPassword')}
        autocomplete="new-password"
        required
      />
    </>
  );
}
