// Mystery-shopping and timing checks: list, plan, findings, remediation.
import { Hono } from 'hono';
import { listChecks } from '../../../db/read-models/index.ts';
import { CHECK_STATUSES, type CheckStatus } from '../../../domain/services/index.ts';
import { idParam, localized, actorOf, currentUser, readContext } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { openRemediation, recordFindings, scheduleCheck } from '../../../app/services/index.ts';
import { readForm } from '../../forms.ts';
import { formatDate } from '../../i18n/index.ts';
import { formErrors } from '../../views/service-views.tsx';
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
          <label for="ck-status">{t('svc.check.status')}</label>
          <select id="ck-status" name="status">
            <option value="">{t('svc.all')}</option>
            {CHECK_STATUSES.map((s) => (
              <option value={s} selected={status === s}>
                {t(`svc.check.status.${s}`)}
              </option>
            ))}
          </select>
          <button type="submit">{t('items.filter')}</button>
        </form>
        {rows.length === 0 ? (
          <p class="muted">{t('svc.checks.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('svc.check.scheduledOn')}</th>
                <th scope="col">{t('svc.check.kind')}</th>
                <th scope="col">{t('svc.title')}</th>
                <th scope="col">{t('svc.check.status')}</th>
                <th scope="col">{t('svc.check.remediation')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/services/checks/${r.id}`}>{formatDate(r.scheduled_on, locale)}</a>
                  </td>
                  <td>{t(`svc.check.kind.${r.kind}`)}</td>
                  <td>
                    <a href={`/services/${r.service_id}`}>
                      {r.service_code} — {localized(locale, r.service_title_ru, r.service_title_en)}
                    </a>
                  </td>
                  <td>{t(`svc.check.status.${r.status}`)}</td>
                  <td>
                    {r.remediation_item_id ? (
                      <a href={`/items/${r.remediation_item_id}`}>#{r.remediation_item_id}</a>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
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
    return c.render(
      <ScheduleForm c={c} service={svc} values={{ scheduledOn: readContext(c).today }} errors={{}} />,
      {
        title: c.var.t('svc.checks.schedule'),
        section: 'services',
      },
    );
  });

  app.post('/:id/checks', projectOffice, async (c) => {
    const svc = await loadServiceTitle(c, idParam(c));
    const { values } = await readForm(c);
    const r = await scheduleCheck(c.var.deps.db, {
      serviceId: svc.id,
      values,
      actor: actorOf(currentUser(c)),
    });
    if (!r.ok) {
      c.status(422);
      return c.render(
        <ScheduleForm c={c} service={svc} values={values} errors={formErrors(c.var.t, r.problems)} />,
        { title: c.var.t('svc.checks.schedule'), section: 'services' },
      );
    }
    return c.redirect(`/services/checks/${r.value}`, 303);
  });

  // Findings of a check that took place; a finding then becomes a controlled item of the service's
  // agency (remediation), with its own controlItem workflow.
  for (const step of ['findings', 'remediation'] as const) {
    app.post(`/checks/:checkId/${step}`, projectOffice, async (c) => {
      const check = await loadCheck(c, idParam(c, 'checkId'));
      const { values } = await readForm(c);
      const input = {
        checkId: check.id,
        values,
        actor: actorOf(currentUser(c)),
        today: readContext(c).today,
      };
      const r =
        step === 'findings'
          ? await recordFindings(c.var.deps.db, input)
          : await openRemediation(c.var.deps, input);
      if (r.ok) return c.redirect(`/services/checks/${check.id}`, 303);
      c.status(422);
      const form = { [step]: { values, errors: formErrors(c.var.t, r.problems) } };
      return c.render(<CheckPage c={c} check={check} {...form} />, {
        title: c.var.t(`svc.check.kind.${check.kind}`),
        section: 'services',
      });
    });
  }

  return app;
}
