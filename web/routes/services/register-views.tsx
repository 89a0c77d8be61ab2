// The service form and the settings form.
import type { Context } from 'hono';
import { getService, serviceFormOptions } from '../../../db/read-models/index.ts';
import { CHANNELS, SERVICE_LEVELS } from '../../../domain/services/index.ts';
import { localized } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import type { FormValues } from '../../forms.ts';
import {
  CheckboxesField,
  CheckboxField,
  ErrorSummary,
  SelectField,
  TextareaField,
  TextField,
  type FormView,
} from '../../views/form.tsx';
import { agencyShort } from '../../views/item-columns.tsx';
import { Csrf } from '../../views/service-views.tsx';

export const formOptions = serviceFormOptions;
export type Options = Awaited<ReturnType<typeof formOptions>>;

/** The service form (prefix `svc`): new, or an existing service's values (valuesOfService). */
export function ServiceFormView({
  c,
  action,
  f,
  options,
  heading,
}: {
  c: Context<AppEnv>;
  action: string;
  f: FormView;
  options: Options;
  heading: string;
}) {
  const { t, locale } = c.var;
  return (
    <section>
      <h1>{heading}</h1>
      <ErrorSummary f={f} t={t} />
      <form method="post" action={action} class="stacked" novalidate>
        <Csrf c={c} />
        <TextField f={f} t={t} name="code" label={t('svc.code')} required maxlength={64} />
        <TextareaField f={f} t={t} name="title_ru" label={t('svc.titleRu')} rows={2} required />
        <TextareaField f={f} t={t} name="title_en" label={t('svc.titleEn')} rows={2} />
        <SelectField
          f={f}
          t={t}
          name="agency_id"
          label={t('svc.agency')}
          empty={t('svc.choose')}
          required
          options={options.agencies.map((a) => ({ value: String(a.id), label: agencyShort(locale, a) }))}
        />
        <SelectField
          f={f}
          t={t}
          name="curator_user_id"
          label={t('svc.curator')}
          empty={t('svc.noCurator')}
          options={options.users.map((u) => ({
            value: String(u.id),
            label: [
              u.display_name,
              u.position && localized(locale, u.position, u.position_en),
              u.agency && localized(locale, u.agency, u.agency_en),
            ]
              .filter(Boolean)
              .join(' — '),
          }))}
        />
        <SelectField
          f={f}
          t={t}
          name="level"
          label={t('svc.level')}
          value="regional"
          options={SERVICE_LEVELS.map((l) => ({ value: l, label: t(`svc.level.${l}`) }))}
        />
        <CheckboxesField
          f={f}
          t={t}
          name="channels"
          label={t('svc.channels')}
          options={CHANNELS.map((ch) => ({ value: ch, label: t(`svc.channel.${ch}`) }))}
        />
        <fieldset>
          <legend>{t('svc.flags')}</legend>
          <CheckboxField f={f} t={t} name="electronic" label={t('svc.electronic')} />
          <CheckboxField f={f} t={t} name="proactive" label={t('svc.proactive')} />
          <CheckboxField f={f} t={t} name="socially_significant" label={t('svc.sociallySignificant')} />
        </fieldset>
        <CheckboxesField
          f={f}
          t={t}
          name="lifeSituationIds"
          label={t('svc.lifeSituations')}
          options={options.lifeSituations.map((l) => ({
            value: String(l.id),
            label: localized(locale, l.title_ru, l.title_en),
          }))}
        />
        <div class="buttons">
          <button type="submit">{t('svc.save')}</button>
          <a href="/services">{t('svc.cancel')}</a>
        </div>
      </form>
      {action !== '/services' && (
        <form method="post" action={`${action}/delete`} class="stacked">
          <Csrf c={c} />
          <p class="muted">{t('svc.deleteHint')}</p>
          <button type="submit" class="secondary">
            {t('svc.delete')}
          </button>
        </form>
      )}
    </section>
  );
}

export function valuesOfService(
  s: NonNullable<Awaited<ReturnType<typeof getService>>>,
  ls: number[],
): FormValues {
  return {
    code: s.code,
    title_ru: s.title_ru,
    title_en: s.title_en ?? '',
    agency_id: String(s.agency_id),
    curator_user_id: s.curator_user_id ? String(s.curator_user_id) : '',
    level: s.level,
    channels: s.channels,
    lifeSituationIds: ls.map(String),
    ...(s.electronic ? { electronic: '1' } : {}),
    ...(s.proactive ? { proactive: '1' } : {}),
    ...(s.socially_significant ? { socially_significant: '1' } : {}),
  };
}

/** The KPI settings (prefix `set`). */
export function SettingsView({ c, f }: { c: Context<AppEnv>; f: FormView }) {
  const { t } = c.var;
  return (
    <section>
      <h1>{t('svc.settings.title')}</h1>
      <ErrorSummary f={f} t={t} />
      <form method="post" action="/services/settings" class="stacked" novalidate>
        <Csrf c={c} />
        <TextField
          f={f}
          t={t}
          name="threshold"
          label={t('svc.settings.threshold')}
          hint={t('svc.settings.thresholdHint')}
          inputmode="decimal"
        />
        <TextField
          f={f}
          t={t}
          name="basePeriod"
          label={t('svc.settings.basePeriod')}
          hint={t('svc.settings.basePeriodHint')}
        />
        <button type="submit">{t('svc.save')}</button>
      </form>
    </section>
  );
}
