import { MIN_PASSWORD_LENGTH } from '../../domain/accounts/index.ts';
import type { Translate } from '../i18n/index.ts';
import { Field } from './components.tsx';

/** One password input with its label, optional hint and error, described for screen readers. */
export function PasswordField(p: {
  id: string;
  name: string;
  label: string;
  autocomplete: 'current-password' | 'new-password';
  hint?: string | undefined;
  error?: string | undefined;
  minlength?: number;
}) {
  const describedBy = [p.hint ? `${p.id}-hint` : null, p.error ? `${p.id}-error` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <Field id={p.id} label={p.label} hint={p.hint} error={p.error}>
      <input
        id={p.id}
        name={p.name}
        type="password"
        autocomplete={p.autocomplete}
        required
        minlength={p.minlength}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
    </Field>
  );
}

/** The new password twice, with the rule said up front and each problem next to its field. */
export function NewPasswordFields({
  t,
  problems = {},
}: {
  t: Translate;
  problems?: Partial<Record<'password' | 'repeat', string>>;
}) {
  return (
    <>
      <PasswordField
        id="new-password"
        name="password"
        label={t('account.newPassword')}
        autocomplete="new-password"
        hint={t('account.passwordRule', { min: MIN_PASSWORD_LENGTH })}
        error={problems.password && t(problems.password, { min: MIN_PASSWORD_LENGTH })}
        minlength={MIN_PASSWORD_LENGTH}
      />
      <PasswordField
        id="repeat-password"
        name="repeat"
        label={t('account.repeatPassword')}
        autocomplete="new-password"
        error={problems.repeat && t(problems.repeat)}
      />
    </>
  );
}
