// The service form and the settings form.
import type { Context } from 'hono';
import { getService, serviceFormOptions } from '../../../db/read-models/index.ts';
import { CHANNELS, SERVICE_LEVELS, type FormData } from '../../../domain/services/index.ts';
import { localized } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { fieldValue, fieldValues } from '../../forms.ts';
import { Csrf, described, Field, type FormErrors } from '../../views/service-views.tsx';

export const formOptions = serviceFormOptions;
export type Options = Awaited<ReturnType<typeof formOptions>>;

export function ServiceFormView({
  c,
  action,
  values,
  errors,
  options,
  heading,
}: {
  c: Context<AppEnv>;
  action: string;
  values: FormData;
  errors: FormErrors;
  options: Options;
  heading: string;
}) {
  const { t, locale } = c.var;
  const v = (k: string) => fieldValue(values, k);
  const channels = fieldValues(values, 'channels');
  const ls = fieldValues(values, 'lifeSituationIds');
  const flag = (k: string) => ['1', 'on', 'true'].includes(v(k));
  return (
    <section>
      <h1>{heading}</h1>
      {Object.keys(errors).length > 0 && (
        <p class="alert" role="alert">
          {t('svc.form.fix')}
        </p>
      )}
      <form method="post" action={action} class="stacked" novalidate>
        <Csrf c={c} />
        <Field id="svc-code" label={t('svc.code')} error={errors.code}>
          <input
            id="svc-code"
            name="code"
            value={v('code')}
            required
            maxlength={64}
            {...described('svc-code', errors.code)}
          />
        </Field>
        <Field id="svc-title_ru" label={t('svc.titleRu')} error={errors.title_ru}>
          <textarea
            id="svc-title_ru"
            name="title_ru"
            rows={2}
            required
            {...described('svc-title_ru', errors.title_ru)}
          >
            {v('title_ru')}
          </textarea>
        </Field>
        <Field id="svc-title_en" label={t('svc.titleEn')} error={errors.title_en}>
          <textarea
            id="svc-title_en"
            name="title_en"
            rows={2}
            {...described('svc-title_en', errors.title_en)}
          >
            {v('title_en')}
          </textarea>
        </Field>
        <Field id="svc-agency_id" label={t('svc.agency')} error={errors.agency_id}>
          <select
            id="svc-agency_id"
            name="agency_id"
            required
            {...described('svc-agency_id', errors.agency_id)}
          >
            <option value="">{t('svc.choose')}</option>
            {options.agencies.map((a) => (
              <option value={String(a.id)} selected={v('agency_id') === String(a.id)}>
                {localized(locale, a.short_ru ?? a.title_ru, a.title_en)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="svc-curator" label={t('svc.curator')} error={errors.curator_user_id}>
          <select
            id="svc-curator"
            name="curator_user_id"
            {...described('svc-curator', errors.curator_user_id)}
          >
            <option value="">{t('svc.noCurator')}</option>
            {options.users.map((u) => (
              <option value={String(u.id)} selected={v('curator_user_id') === String(u.id)}>
                {[u.display_name, u.position, u.agency].filter(Boolean).join(' — ')}
              </option>
            ))}
          </select>
        </Field>
        <Field id="svc-level" label={t('svc.level')} error={errors.level}>
          <select id="svc-level" name="level">
            {SERVICE_LEVELS.map((l) => (
              <option value={l} selected={(v('level') || 'regional') === l}>
                {t(`svc.level.${l}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="svc-direction" label={t('fb.rating.direction')} error={errors.direction}>
          <select id="svc-direction" name="direction" {...described('svc-direction', errors.direction)}>
            <option value="">{t('svc.choose')}</option>
            {options.directions.map((d) => (
              <option value={d.code} selected={v('direction') === d.code}>
                {localized(locale, d.title_ru, d.title_en)}
              </option>
            ))}
          </select>
        </Field>
        <fieldset class={errors.channels ? 'has-error' : undefined}>
          <legend>{t('svc.channels')}</legend>
          {CHANNELS.map((ch) => (
            <label class="check">
              <input type="checkbox" name="channels" value={ch} checked={channels.includes(ch)} />{' '}
              {t(`svc.channel.${ch}`)}
            </label>
          ))}
          {errors.channels && <p class="field-error">{errors.channels}</p>}
        </fieldset>
        <fieldset>
          <legend>{t('svc.flags')}</legend>
          <label class="check">
            <input type="checkbox" name="electronic" value="1" checked={flag('electronic')} />{' '}
            {t('svc.electronic')}
          </label>
          <label class="check">
            <input type="checkbox" name="proactive" value="1" checked={flag('proactive')} />{' '}
            {t('svc.proactive')}
          </label>
          <label class="check">
            <input
              type="checkbox"
              name="socially_significant"
              value="1"
              checked={flag('socially_significant')}
            />{' '}
            {t('svc.sociallySignificant')}
          </label>
        </fieldset>
        <fieldset class={errors.lifeSituationIds ? 'has-error' : undefined}>
          <legend>{t('svc.lifeSituations')}</legend>
          {options.lifeSituations.map((l) => (
            <label class="check">
              <input
                type="checkbox"
                name="lifeSituationIds"
                value={String(l.id)}
                checked={ls.includes(String(l.id))}
              />{' '}
              {localized(locale, l.title_ru, l.title_en)}
            </label>
          ))}
          {errors.lifeSituationIds && <p class="field-error">{errors.lifeSituationIds}</p>}
        </fieldset>
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
): FormData {
  return {
    code: s.code,
    title_ru: s.title_ru,
    title_en: s.title_en ?? '',
    agency_id: String(s.agency_id),
    curator_user_id: s.curator_user_id ? String(s.curator_user_id) : '',
    level: s.level,
    channels: s.channels,
    lifeSituationIds: ls.map(String),
    electronic: s.electronic ? '1' : '',
    proactive: s.proactive ? '1' : '',
    socially_significant: s.socially_significant ? '1' : '',
    direction: s.direction ?? '',
  };
}

export function SettingsView({
  c,
  values,
  errors,
}: {
  c: Context<AppEnv>;
  values: FormData;
  errors: FormErrors;
}) {
  const { t } = c.var;
  return (
    <section>
      <h1>{t('svc.settings.title')}</h1>
      <form method="post" action="/services/settings" class="stacked" novalidate>
        <Csrf c={c} />
        <Field
          id="set-threshold"
          label={t('svc.settings.threshold')}
          hint={t('svc.settings.thresholdHint')}
          error={errors.threshold}
        >
          <input
            id="set-threshold"
            name="threshold"
            inputmode="decimal"
            value={fieldValue(values, 'threshold')}
            {...described('set-threshold', errors.threshold)}
          />
        </Field>
        <Field
          id="set-minVotes"
          label={t('svc.settings.minVotes')}
          hint={t('svc.settings.minVotesHint')}
          error={errors.minVotes}
        >
          <input
            id="set-minVotes"
            name="minVotes"
            inputmode="numeric"
            value={fieldValue(values, 'minVotes')}
            {...described('set-minVotes', errors.minVotes)}
          />
        </Field>
        <Field
          id="set-base"
          label={t('svc.settings.basePeriod')}
          hint={t('svc.settings.basePeriodHint')}
          error={errors.basePeriod}
        >
          <input
            id="set-base"
            name="basePeriod"
            value={fieldValue(values, 'basePeriod')}
            placeholder="2025-Q1"
            {...described('set-base', errors.basePeriod)}
          />
        </Field>
        <button type="submit">{t('svc.save')}</button>
      </form>
    </section>
  );
}
