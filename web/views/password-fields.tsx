import { MIN_PASSWORD_LENGTH } from '../../domain/accounts/index.ts';
import type { Translate } from '../i18n/index.ts';
import { Field } from './components.tsx';

/** The new password twice, with the rule said up front and each problem next to its field. */
export function NewPasswordFields({
  t,
  problems = {},
}: {
  t: Translate;
  problems?: Partial<Record<'password' | 'repeat', string>>;
}) {
  const describe = (id: string, error?: string) =>
    [id === 'new-password' ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') ||
    undefined;
  return (
    <>
      <Field
        id="new-password"
        label={t('account.newPassword')}
        hint={t('account.passwordRule', { min: MIN_PASSWORD_LENGTH })}
        error={problems.password && t(problems.password, { min: MIN_PASSWORD_LENGTH })}
      >
        <input
          id="new-password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          minlength={MIN_PASSWORD_LENGTH}
          aria-invalid={problems.password ? 'true' : undefined}
          aria-describedby={describe('new-password', problems.password)}
        />
      </Field>
      <Field
        id="repeat-password"
        label={t('account.repeatPassword')}
        error={problems.repeat && t(problems.repeat)}
      >
        <input
          id="repeat-password"
          name="repeat"
          type="password"
          autocomplete="new-password"
          required
          aria-invalid={problems.repeat ? 'true' : undefined}
          aria-describedby={describe('repeat-password', problems.repeat)}
        />
      </Field>
    </>
  );
}
