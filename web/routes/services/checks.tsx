// Mystery-shopping and timing checks: list, plan, findings, remediation.
import { Hono } from 'hono';
import { listChecks } from '../../../db/read-models/index.ts';
import {
  CHECK_STATUSES,
  parseFindingsForm,
  parseRemediationForm,
  parseScheduleCheckForm,
  type CheckStatus,
} from '../../../domain/services/index.ts';
import { idParam, localized, actorOf, currentUser, readContext } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { openRemediation, recordFindings, scheduleCheck } from '../../../app/services/index.ts';
import { flash } from '../../flash.ts';
import { readForm, withDateFields } from '../../forms.ts';
import { formatDate } from '../../i18n/index.ts';
import { formView, SelectField, translateIssues } from '../../views/form.tsx';
import { DataTable } from '../../views/table.tsx';
import { loadCheck, loadServiceTitle, projectOffice } from './shared.tsx';
import { CheckPage, ScheduleForm } from './check-views.tsx';

export function serviceCheckRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/checks', async (c) => {
    const { t, locale } = c.var;
    const raw = c.req.query('status');
    const status = (CHECK_STATUSES as readonly string[]).includes(raw ?? '')
      ? (raw as CheckStatus)
      : undefined;
    const rows = await listChecks(c.var.deps.db, status ? { status } : {});
    return c.render(
      <section>
        <h1>{t('svc.checks.title')}</h1>
        <form method="get" action="/services/checks" class="filters">
          <SelectField
            f={formView('ck')}
            t={t}
            name="status"
            label={t('svc.check.status')}
            empty={t('svc.all')}
            value={status ?? ''}
            options={CHECK_STATUSES.map((s) => ({ value: s, label: t(`svc.check.status.${s}`) }))}
          />
          <div class="buttons">
            <button type="submit">{t('items.filter')}</button>
          </div>
        </form>
        <DataTable
          rows={rows}
          empty={<p class="muted">{t('svc.checks.none')}</p>}
          columns={[
            {
              label: t('svc.check.scheduledOn'),
              class: 'nowrap',
              cell: (r) => <a href={`/services/checks/${r.id}`}>{formatDate(r.scheduled_on, locale)}</a>,
            },
            { label: t('svc.check.kind'), cell: (r) => t(`svc.check.kind.${r.kind}`) },
            {
              label: t('svc.title'),
              wide: true,
              cell: (r) => (
                <a href={`/services/${r.service_id}`}>
                  {r.service_code} — {localized(locale, r.service_title_ru, r.service_title_en)}
                </a>
              ),
            },
            { label: t('svc.check.status'), cell: (r) => t(`svc.check.status.${r.status}`) },
            {
              label: t('svc.check.remediation'),
              cell: (r) =>
                r.remediation_item_id ? (
                  <a href={`/items/${r.remediation_item_id}`}>#{r.remediation_item_id}</a>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </section>,
      { title: t('svc.checks.title'), section: 'services' },
    );
  });

  app.get('/checks/:checkId', async (c) => {
    const check = await loadCheck(c, idParam(c, 'checkId'));
    return c.render(<CheckPage c={c} check={check} />, {
      title: c.var.t(`svc.check.kind.${check.kind}`),
      section: 'services',
    });
  });

  app.get('/:id/checks/new', projectOffice, async (c) => {
    const svc = await loadServiceTitle(c, idParam(c));
    return c.render(<ScheduleForm c={c} service={svc} f={formView('chk')} />, {
      title: c.var.t('svc.checks.schedule'),
      section: 'services',
    });
  });

  app.post('/:id/checks', projectOffice, async (c) => {
    const svc = await loadServiceTitle(c, idParam(c));
    const { values } = await readForm(c);
    const r = await withDateFields(values, parseScheduleCheckForm, (v) =>
      scheduleCheck(c.var.deps.db, { serviceId: svc.id, values: v, actor: actorOf(currentUser(c)) }),
    );
    if (!r.ok) {
      c.status(422);
      const f = formView('chk', { values, issues: translateIssues(c.var.t, r.problems) });
      return c.render(<ScheduleForm c={c} service={svc} f={f} />, {
        title: c.var.t('svc.checks.schedule'),
        section: 'services',
      });
    }
    flash(c, 'flash.svc.checkScheduled');
    return c.redirect(`/services/checks/${r.value}`, 303);
  });

  // Findings of a check that took place; a finding then becomes a controlled item of the service's
  // agency (remediation), with its own controlItem workflow.
  for (const step of ['findings', 'remediation'] as const) {
    app.post(`/checks/:checkId/${step}`, projectOffice, async (c) => {
      const check = await loadCheck(c, idParam(c, 'checkId'));
      const { values } = await readForm(c);
      const today = readContext(c).today;
      const input = (v: typeof values) => ({
        checkId: check.id,
        values: v,
        actor: actorOf(currentUser(c)),
        today,
      });
      const r =
        step === 'findings'
          ? await withDateFields(
              values,
              (v) => parseFindingsForm(v, today),
              (v) => recordFindings(c.var.deps.db, input(v)),
            )
          : await withDateFields(
              values,
              (v) => parseRemediationForm(v, today),
              (v) => openRemediation(c.var.deps, input(v)),
            );
      if (r.ok) {
        flash(c, step === 'findings' ? 'flash.svc.findings' : 'flash.svc.remediation');
        return c.redirect(`/services/checks/${check.id}`, 303);
      }
      c.status(422);
      const issues = translateIssues(c.var.t, r.problems);
      const form = { [step]: formView(step === 'findings' ? 'fd' : 'rm', { values, issues }) };
      return c.render(<CheckPage c={c} check={check} {...form} />, {
        title: c.var.t(`svc.check.kind.${check.kind}`),
        section: 'services',
      });
    });
  }

  return app;
}
