import type { Context } from 'hono';
import type { FieldIssue } from '../../domain/errors.ts';
import { AUTH_SOURCES } from '../../domain/reference/index.ts';
import { ROLES } from '../../domain/roles.ts';
import type { AppEnv } from '../env.ts';
import type { FormValues } from '../forms.ts';
import { signInMethodLabel } from './account-facts.tsx';
import { adminForm } from './admin-form.tsx';
import { ErrorSummary, RadiosField, SelectField, TextField } from './form.tsx';
import { agencyShort } from './item-columns.tsx';
import { Csrf } from './service-views.tsx';

// A person's details as the administrator creates or edits them. The login and the sign-in method are
// chosen at creation; afterwards the account page changes the method (with its effects).

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
  agencies: {
    id: number;
    code: string;
    short_ru: string | null;
    short_en: string | null;
    title_ru: string;
    title_en: string;
  }[];
  creating: boolean;
  submit: string;
}) {
  const { t, locale } = c.var;
  const f = adminForm(t, 'person', values, problems);
  return (
    <form method="post" action={action} class="stacked narrow-form" novalidate>
      <Csrf c={c} />
      <ErrorSummary f={f} t={t} />
      {creating && (
        <TextField
          f={f}
          t={t}
          name="login"
          label={t('account.login')}
          hint={t('admin.person.loginHint')}
          required
          maxlength={64}
          autocomplete="off"
        />
      )}
      <TextField
        f={f}
        t={t}
        name="displayName"
        label={t('admin.person.displayName')}
        required
        maxlength={200}
      />
      <TextField f={f} t={t} name="email" type="email" label={t('admin.person.email')} maxlength={254} />
      <SelectField
        f={f}
        t={t}
        name="role"
        label={t('account.role')}
        options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
      />
      <SelectField
        f={f}
        t={t}
        name="agencyId"
        label={t('admin.person.agency')}
        hint={t('admin.person.agencyHint')}
        empty={t('admin.person.noAgency')}
        options={agencies.map((a) => ({
          value: String(a.id),
          label: `${a.code} — ${agencyShort(locale, a)}`,
        }))}
      />
      <TextField f={f} t={t} name="position" label={t('admin.person.position')} maxlength={300} />
      <SelectField
        f={f}
        t={t}
        name="locale"
        label={t('admin.person.locale')}
        options={(['ru', 'en'] as const).map((l) => ({
          value: l,
          label: t(`admin.person.locale.${l}`),
          lang: l,
        }))}
      />
      {creating && (
        <RadiosField
          f={f}
          t={t}
          name="authSource"
          label={t('account.method')}
          hint={t('admin.person.methodHint')}
          options={AUTH_SOURCES.map((m) => ({ value: m, label: signInMethodLabel(c, m) }))}
        />
      )}
      <button type="submit">{submit}</button>
    </form>
  );
}
