// The check planning form and a check's page.
import type { Context } from 'hono';
import { checkInspectors } from '../../../db/read-models/index.ts';
import { CHANNELS, CHECK_KINDS } from '../../../domain/services/index.ts';
import { localized, readContext } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { formatDate } from '../../i18n/index.ts';
import { StatusBadge } from '../../views/components.tsx';
import {
  DateField,
  ErrorSummary,
  formView,
  SelectField,
  TextareaField,
  TextField,
  type FormView,
} from '../../views/form.tsx';
import { Csrf } from '../../views/service-views.tsx';
import { addWorkingDays, precedingWorkingDay } from '../../../domain/calendar/index.ts';
import { loadServiceTitle, type Check, canManage } from './shared.tsx';

export async function ScheduleForm({
  c,
  service,
  f,
}: {
  c: Context<AppEnv>;
  service: Awaited<ReturnType<typeof loadServiceTitle>>;
  /** Prefix `chk`. */
  f: FormView;
}) {
  const { t, locale } = c.var;
  const users = await checkInspectors(c.var.deps.db);
  return (
    <section>
      <p class="muted">
        <a href={`/services/${service.id}`}>
          {service.code} — {localized(locale, service.title_ru, service.title_en)}
        </a>
      </p>
      <h1>{t('svc.checks.schedule')}</h1>
      <ErrorSummary f={f} t={t} />
      <form method="post" action={`/services/${service.id}/checks`} class="stacked" novalidate>
        <Csrf c={c} />
        <SelectField
          f={f}
          t={t}
          name="kind"
          label={t('svc.check.kind')}
          options={CHECK_KINDS.map((k) => ({ value: k, label: t(`svc.check.kind.${k}`) }))}
        />
        <DateField
          f={f}
          t={t}
          name="scheduledOn"
          label={t('svc.check.scheduledOn')}
          value={readContext(c).today}
        />
        <SelectField
          f={f}
          t={t}
          name="channel"
          label={t('svc.check.channel')}
          empty="—"
          options={CHANNELS.map((ch) => ({ value: ch, label: t(`svc.channel.${ch}`) }))}
        />
        <SelectField
          f={f}
          t={t}
          name="inspectorUserId"
          label={t('svc.check.inspector')}
          empty="—"
          options={users.map((u) => ({
            value: String(u.id),
            label: [u.display_name, localized(locale, u.position ?? '', u.position_en)]
              .filter(Boolean)
              .join(' — '),
          }))}
        />
        <button type="submit">{t('svc.checks.scheduleButton')}</button>
      </form>
    </section>
  );
}

export function CheckPage({
  c,
  check,
  findings = formView('fd'),
  remediation = formView('rm'),
}: {
  c: Context<AppEnv>;
  check: Check;
  findings?: FormView;
  remediation?: FormView;
}) {
  const { t, locale } = c.var;
  const manage = canManage(c);
  const today = readContext(c).today;
  const num = (v: number | null) => (v === null ? '' : String(v));
  const fd = findings;
  const rm = remediation;
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
          <ErrorSummary f={fd} t={t} />
          <DateField
            f={fd}
            t={t}
            name="performedOn"
            label={t('svc.check.performedOn')}
            value={check.performed_on ?? today}
          />
          <TextField
            f={fd}
            t={t}
            name="steps"
            label={t('svc.check.steps')}
            inputmode="numeric"
            value={num(check.steps)}
          />
          <TextField
            f={fd}
            t={t}
            name="minutes"
            label={t('svc.check.minutes')}
            inputmode="decimal"
            value={num(check.minutes)}
          />
          <TextField
            f={fd}
            t={t}
            name="documentsAsked"
            label={t('svc.check.documentsAsked')}
            inputmode="numeric"
            value={num(check.documents_asked)}
          />
          <TextareaField
            f={fd}
            t={t}
            name="documentsNote"
            label={t('svc.check.documentsNote')}
            rows={2}
            value={check.documents_note ?? ''}
          />
          <TextareaField
            f={fd}
            t={t}
            name="issues"
            label={t('svc.check.issues')}
            rows={4}
            value={check.issues ?? ''}
          />
          <button type="submit">{t('svc.save')}</button>
        </form>
      )}

      {manage && check.status === 'done' && !check.remediation_item_id && (
        <form method="post" action={`/services/checks/${check.id}/remediation`} class="stacked" novalidate>
          <Csrf c={c} />
          <h2>{t('svc.check.openRemediation')}</h2>
          <ErrorSummary f={rm} t={t} />
          <TextareaField
            f={rm}
            t={t}
            name="description"
            label={t('svc.check.remediationText')}
            rows={4}
            value={check.issues ?? ''}
          />
          <DateField
            f={rm}
            t={t}
            name="due"
            label={t('svc.check.remediationDue')}
            value={precedingWorkingDay(addWorkingDays(today, 20))}
          />
          <button type="submit">{t('svc.check.openRemediationButton')}</button>
        </form>
      )}
    </article>
  );
}
