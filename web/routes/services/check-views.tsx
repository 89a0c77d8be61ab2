// The check planning form and a check's page.
import type { Context } from 'hono';
import { checkInspectors } from '../../../db/read-models/index.ts';
import { CHANNELS, type FormData, CHECK_KINDS } from '../../../domain/services/index.ts';
import { localized, readContext } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { fieldValue } from '../../forms.ts';
import { formatDate } from '../../i18n/index.ts';
import { StatusBadge } from '../../views/components.tsx';
import { Csrf, described, Field, type FormErrors } from '../../views/service-views.tsx';
import { addWorkingDays, precedingWorkingDay } from '../../../domain/calendar/index.ts';
import { loadServiceTitle, type Check, canManage } from './shared.tsx';

export async function ScheduleForm({
  c,
  service,
  values,
  errors,
}: {
  c: Context<AppEnv>;
  service: Awaited<ReturnType<typeof loadServiceTitle>>;
  values: FormData;
  errors: FormErrors;
}) {
  const { t, locale } = c.var;
  const users = await checkInspectors(c.var.deps.db);
  const v = (k: string) => fieldValue(values, k);
  return (
    <section>
      <p class="muted">
        <a href={`/services/${service.id}`}>
          {service.code} — {localized(locale, service.title_ru, service.title_en)}
        </a>
      </p>
      <h1>{t('svc.checks.schedule')}</h1>
      <form method="post" action={`/services/${service.id}/checks`} class="stacked" novalidate>
        <Csrf c={c} />
        <Field id="chk-kind" label={t('svc.check.kind')} error={errors.kind}>
          <select id="chk-kind" name="kind" {...described('chk-kind', errors.kind)}>
            {CHECK_KINDS.map((k) => (
              <option value={k} selected={v('kind') === k}>
                {t(`svc.check.kind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="chk-date" label={t('svc.check.scheduledOn')} error={errors.scheduledOn}>
          <input
            id="chk-date"
            name="scheduledOn"
            type="date"
            value={v('scheduledOn')}
            {...described('chk-date', errors.scheduledOn)}
          />
        </Field>
        <Field id="chk-channel" label={t('svc.check.channel')} error={errors.channel}>
          <select id="chk-channel" name="channel" {...described('chk-channel', errors.channel)}>
            <option value="">—</option>
            {CHANNELS.map((ch) => (
              <option value={ch} selected={v('channel') === ch}>
                {t(`svc.channel.${ch}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="chk-inspector" label={t('svc.check.inspector')} error={errors.inspectorUserId}>
          <select
            id="chk-inspector"
            name="inspectorUserId"
            {...described('chk-inspector', errors.inspectorUserId)}
          >
            <option value="">—</option>
            {users.map((u) => (
              <option value={String(u.id)} selected={v('inspectorUserId') === String(u.id)}>
                {[u.display_name, u.position].filter(Boolean).join(' — ')}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit">{t('svc.checks.scheduleButton')}</button>
      </form>
    </section>
  );
}

export function CheckPage({
  c,
  check,
  findings,
  remediation,
}: {
  c: Context<AppEnv>;
  check: Check;
  findings?: { values: FormData; errors: FormErrors };
  remediation?: { values: FormData; errors: FormErrors };
}) {
  const { t, locale } = c.var;
  const manage = canManage(c);
  const today = readContext(c).today;
  const f = findings?.values;
  const fe = findings?.errors ?? {};
  const re = remediation?.errors ?? {};
  const num = (v: number | null) => (v === null ? '' : String(v));
  const fv = (k: string, stored: string) => (f ? fieldValue(f, k) : stored);
  return (
    <article>
      <p class="muted">
        <a href={`/services/${check.service_id}`}>
          {check.service_code} — {localized(locale, check.service_title_ru, check.service_title_en)}
        </a>
      </p>
      <h1>
        {t(`svc.check.kind.${check.kind}`)} — {formatDate(check.scheduled_on, locale)}
      </h1>
      <dl class="facts">
        <dt>{t('svc.check.status')}</dt>
        <dd>
          <span class={`badge check-${check.status}`}>{t(`svc.check.status.${check.status}`)}</span>
        </dd>
        <dt>{t('svc.check.channel')}</dt>
        <dd>{check.channel ? t(`svc.channel.${check.channel}`) : '—'}</dd>
        <dt>{t('svc.check.inspector')}</dt>
        <dd>{check.inspector_name ?? '—'}</dd>
        {check.status === 'done' && (
          <>
            <dt>{t('svc.check.performedOn')}</dt>
            <dd>{formatDate(check.performed_on, locale)}</dd>
            <dt>{t('svc.check.steps')}</dt>
            <dd>{check.steps ?? '—'}</dd>
            <dt>{t('svc.check.minutes')}</dt>
            <dd>{check.minutes ?? '—'}</dd>
            <dt>{t('svc.check.documentsAsked')}</dt>
            <dd>
              {check.documents_asked ?? '—'}
              {check.documents_note && <span class="muted"> · {check.documents_note}</span>}
            </dd>
            <dt>{t('svc.check.issues')}</dt>
            <dd class="pre">{check.issues ?? '—'}</dd>
          </>
        )}
        {check.remediation_item_id && (
          <>
            <dt>{t('svc.check.remediation')}</dt>
            <dd>
              <a href={`/items/${check.remediation_item_id}`}>
                {t('kind.remediation')} #{check.remediation_item_id}
              </a>{' '}
              {check.remediation_status && <StatusBadge status={check.remediation_status} t={t} />}
            </dd>
          </>
        )}
      </dl>

      {manage && check.status !== 'cancelled' && (
        <form method="post" action={`/services/checks/${check.id}/findings`} class="stacked" novalidate>
          <Csrf c={c} />
          <h2>{t('svc.check.recordFindings')}</h2>
          <Field id="fd-performedOn" label={t('svc.check.performedOn')} error={fe.performedOn}>
            <input
              id="fd-performedOn"
              name="performedOn"
              type="date"
              value={fv('performedOn', check.performed_on ?? today)}
              {...described('fd-performedOn', fe.performedOn)}
            />
          </Field>
          <Field id="fd-steps" label={t('svc.check.steps')} error={fe.steps}>
            <input
              id="fd-steps"
              name="steps"
              inputmode="numeric"
              value={fv('steps', num(check.steps))}
              {...described('fd-steps', fe.steps)}
            />
          </Field>
          <Field id="fd-minutes" label={t('svc.check.minutes')} error={fe.minutes}>
            <input
              id="fd-minutes"
              name="minutes"
              inputmode="decimal"
              value={fv('minutes', num(check.minutes))}
              {...described('fd-minutes', fe.minutes)}
            />
          </Field>
          <Field id="fd-documentsAsked" label={t('svc.check.documentsAsked')} error={fe.documentsAsked}>
            <input
              id="fd-documentsAsked"
              name="documentsAsked"
              inputmode="numeric"
              value={fv('documentsAsked', num(check.documents_asked))}
              {...described('fd-documentsAsked', fe.documentsAsked)}
            />
          </Field>
          <Field id="fd-documentsNote" label={t('svc.check.documentsNote')} error={fe.documentsNote}>
            <textarea
              id="fd-documentsNote"
              name="documentsNote"
              rows={2}
              {...described('fd-documentsNote', fe.documentsNote)}
            >
              {fv('documentsNote', check.documents_note ?? '')}
            </textarea>
          </Field>
          <Field id="fd-issues" label={t('svc.check.issues')} error={fe.issues}>
            <textarea id="fd-issues" name="issues" rows={4} {...described('fd-issues', fe.issues)}>
              {fv('issues', check.issues ?? '')}
            </textarea>
          </Field>
          <button type="submit">{t('svc.save')}</button>
        </form>
      )}

      {manage && check.status === 'done' && !check.remediation_item_id && (
        <form method="post" action={`/services/checks/${check.id}/remediation`} class="stacked" novalidate>
          <Csrf c={c} />
          <h2>{t('svc.check.openRemediation')}</h2>
          <Field id="rm-description" label={t('svc.check.remediationText')} error={re.description}>
            <textarea
              id="rm-description"
              name="description"
              rows={4}
              {...described('rm-description', re.description)}
            >
              {remediation ? fieldValue(remediation.values, 'description') : (check.issues ?? '')}
            </textarea>
          </Field>
          <Field id="rm-due" label={t('svc.check.remediationDue')} error={re.due}>
            <input
              id="rm-due"
              name="due"
              type="date"
              value={
                remediation
                  ? fieldValue(remediation.values, 'due')
                  : precedingWorkingDay(addWorkingDays(today, 20))
              }
              {...described('rm-due', re.due)}
            />
          </Field>
          <button type="submit">{t('svc.check.openRemediationButton')}</button>
        </form>
      )}
    </article>
  );
}
