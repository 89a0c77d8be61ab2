import type { Context } from 'hono';
import type { FieldIssue } from '../../domain/errors.ts';
import { AUTH_SOURCES } from '../../domain/reference/index.ts';
import { ROLES } from '../../domain/roles.ts';
import type { AppEnv } from '../env.ts';
import { fieldValue, type FormValues } from '../forms.ts';
import { signInMethodLabel } from './account-facts.tsx';
import { fieldProblems, ProblemSummary } from './admin-form.tsx';
import { Field } from './components.tsx';
import { Csrf } from './service-views.tsx';

// A person's details as the administrator creates or edits them. The login and the sign-in method are
// chosen at creation; afterwards the account page changes the method (with its effects).

export const personFieldId = (f: string) => `person-${f}`;

export function PersonForm({
  c,
  action,
  values,
  problems,
  agencies,
  creating,
  submit,
}: {
  c: Context<AppEnv>;
  action: string;
  values: FormValues;
  problems?: FieldIssue[] | undefined;
  agencies: { id: number; code: string; short_ru: string | null; title_ru: string }[];
  creating: boolean;
  submit: string;
}) {
  const { t } = c.var;
  const { err, aria } = fieldProblems(t, problems);
  const id = personFieldId;
  const text = (name: string, o: { required?: boolean; max?: number; type?: string } = {}) => (
    <input
      id={id(name)}
      name={name}
      type={o.type ?? 'text'}
      value={fieldValue(values, name)}
      maxlength={o.max ?? 300}
      required={o.required}
      {...aria(name, id(name))}
    />
  );
  return (
    <form method="post" action={action} class="stacked narrow-form" novalidate>
      <Csrf c={c} />
      <ProblemSummary t={t} problems={problems} idOf={id} />
      {creating && (
        <Field
          id={id('login')}
          label={t('account.login')}
          hint={t('admin.person.loginHint')}
          error={err('login')}
        >
          {text('login', { required: true, max: 64 })}
        </Field>
      )}
      <Field id={id('displayName')} label={t('admin.person.displayName')} error={err('displayName')}>
        {text('displayName', { required: true, max: 200 })}
      </Field>
      <Field id={id('email')} label={t('admin.person.email')} error={err('email')}>
        {text('email', { type: 'email', max: 254 })}
      </Field>
      <Field id={id('role')} label={t('account.role')} error={err('role')}>
        <select id={id('role')} name="role" {...aria('role', id('role'))}>
          {ROLES.map((r) => (
            <option value={r} selected={fieldValue(values, 'role') === r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        id={id('agencyId')}
        label={t('admin.person.agency')}
        hint={t('admin.person.agencyHint')}
        error={err('agencyId')}
      >
        <select id={id('agencyId')} name="agencyId" {...aria('agencyId', id('agencyId'))}>
          <option value="">{t('admin.person.noAgency')}</option>
          {agencies.map((a) => (
            <option value={String(a.id)} selected={fieldValue(values, 'agencyId') === String(a.id)}>
              {a.code} — {a.short_ru ?? a.title_ru}
            </option>
          ))}
        </select>
      </Field>
      <Field id={id('position')} label={t('admin.person.position')} error={err('position')}>
        {text('position')}
      </Field>
      <Field id={id('locale')} label={t('admin.person.locale')} error={err('locale')}>
        <select id={id('locale')} name="locale" {...aria('locale', id('locale'))}>
          {(['ru', 'en'] as const).map((l) => (
            <option value={l} selected={(fieldValue(values, 'locale') || 'ru') === l}>
              {t(`admin.person.locale.${l}`)}
            </option>
          ))}
        </select>
      </Field>
      {creating && (
        <fieldset id={id('authSource')}>
          <legend>{t('account.method')}</legend>
          {AUTH_SOURCES.map((m) => (
            <label class="check">
              <input
                type="radio"
                name="authSource"
                value={m}
                checked={(fieldValue(values, 'authSource') || 'local') === m}
              />{' '}
              {signInMethodLabel(c, m)}
            </label>
          ))}
          <p class="hint">{t('admin.person.methodHint')}</p>
          {err('authSource') && <p class="field-error">{err('authSource')}</p>}
        </fieldset>
      )}
      <button type="submit">{submit}</button>
    </form>
  );
}
