import { Hono, type Context } from 'hono';
import { importIndicatorValues, type IndicatorImportResult } from '../../app/services/indicator-import.ts';
import type { TargetState } from '../../db/schema/index.ts';
import { getLifeSituation, indicatorTable } from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { parseTargetStateForm, TARGET_FIGURES } from '../../domain/services/index.ts';
import { idParam, localized } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { saveIndicatorValue, saveTargetState } from '../../app/services/index.ts';
import { flash } from '../flash.ts';
import { readForm, withDateFields, type FormValues } from '../forms.ts';
import {
  CheckboxField,
  DateField,
  ErrorSummary,
  FileField,
  formView,
  SelectField,
  TextareaField,
  TextField,
  translateIssues,
  type FormView,
} from '../views/form.tsx';
import { formatNumber } from '../views/format.ts';
import { ImportIssues } from '../views/import-issues.tsx';
import { Csrf, periodLabel } from '../views/service-views.tsx';
import { DataTable } from '../views/table.tsx';
import { canManage, projectOffice } from './services/index.ts';

async function loadLifeSituation(c: Context<AppEnv>, id: number) {
  const ls = await getLifeSituation(c.var.deps.db, id);
  if (!ls)
    throw new ShtabError('not_found', `life situation ${id} not found`, {
      key: 'error.svc.lifeSituation.notFound',
    });
  return ls;
}
type LifeSituation = Awaited<ReturnType<typeof loadLifeSituation>>;

function valuesOfTargetState(ts: TargetState | null): FormValues {
  const out: FormValues = {};
  for (const fig of TARGET_FIGURES) {
    const a = ts?.asIs?.[fig];
    const b = ts?.toBe?.[fig];
    if (a !== undefined) out[`asIs.${fig}`] = String(a);
    if (b !== undefined) out[`toBe.${fig}`] = String(b);
  }
  if (ts?.toBe?.eForm) out['toBe.eForm'] = '1';
  if (ts?.toBe?.proactive) out['toBe.proactive'] = '1';
  out.asIsSteps = (ts?.asIsSteps ?? []).join('\n');
  out.scenarioSteps = (ts?.scenarioSteps ?? []).join('\n');
  out.approvedBy = ts?.approvedBy ?? '';
  out.approvalDate = ts?.approvalDate ?? '';
  return out;
}

function TargetStateForm({ c, ls, f }: { c: Context<AppEnv>; ls: LifeSituation; f: FormView }) {
  const { t, locale } = c.var;
  const title = localized(locale, ls.title_ru, ls.title_en);
  return (
    <section>
      <p class="muted">
        <a href={`/life-situations/${ls.id}`}>{title}</a>
      </p>
      <h1>{t('svc.ts.title')}</h1>
      <ErrorSummary f={f} t={t} />
      <form method="post" action={`/life-situations/${ls.id}/target-state`} class="stacked" novalidate>
        <Csrf c={c} />
        <DataTable
          rows={TARGET_FIGURES}
          class="target-state"
          empty={null}
          columns={[
            { label: t('svc.ts.figure'), rowHeader: true, wide: true, cell: (fig) => t(`svc.ts.${fig}`) },
            ...(['asIs', 'toBe'] as const).map((side) => ({
              label: t(`svc.ts.${side}`),
              cell: (fig: (typeof TARGET_FIGURES)[number]) => (
                <TextField
                  f={f}
                  t={t}
                  name={`${side}.${fig}`}
                  label={`${t(`svc.ts.${fig}`)} — ${t(`svc.ts.${side}`)}`}
                  hideLabel
                  inputmode="decimal"
                />
              ),
            })),
          ]}
        />
        <fieldset>
          <legend>{t('svc.ts.toBe')}</legend>
          <CheckboxField f={f} t={t} name="toBe.eForm" label={t('svc.ts.eForm')} />
          <CheckboxField f={f} t={t} name="toBe.proactive" label={t('svc.ts.proactive')} />
        </fieldset>
        <TextareaField
          f={f}
          t={t}
          name="asIsSteps"
          label={t('svc.ts.asIsSteps')}
          hint={t('svc.ts.stepsHint')}
          rows={6}
        />
        <TextareaField
          f={f}
          t={t}
          name="scenarioSteps"
          label={t('svc.ts.toBeSteps')}
          hint={t('svc.ts.stepsHint')}
          rows={6}
        />
        <TextField f={f} t={t} name="approvedBy" label={t('svc.ts.approvedBy')} />
        <DateField f={f} t={t} name="approvalDate" label={t('svc.ts.approvalDate')} />
        <div class="buttons">
          <button type="submit">{t('svc.save')}</button>
          <a href={`/life-situations/${ls.id}`}>{t('svc.cancel')}</a>
        </div>
      </form>
    </section>
  );
}

async function IndicatorsPage({
  c,
  ls,
  f = formView('iv'),
  imported,
}: {
  c: Context<AppEnv>;
  ls: LifeSituation;
  f?: FormView;
  imported?: IndicatorImportResult;
}) {
  const { t, locale } = c.var;
  const { indicators, values: vals, periods } = await indicatorTable(c.var.deps.db, ls.id);
  const cell = (id: number, p: string) => vals.find((x) => x.indicator_id === id && x.period === p);
  const num = (n: number | null | undefined) => formatNumber(n, locale, 2);
  const manage = canManage(c);
  return (
    <section>
      <p class="muted">
        <a href={`/life-situations/${ls.id}`}>{localized(locale, ls.title_ru, ls.title_en)}</a>
      </p>
      <h1>{t('svc.ind.title')}</h1>
      {imported && !imported.ok && (
        <ImportIssues
          issues={imported.errors}
          t={t}
          summary={t('svc.import.failed', { n: imported.errors.length })}
        />
      )}
      <DataTable
        rows={indicators}
        class="indicators"
        empty={<p class="muted">{t('svc.ind.none')}</p>}
        columns={[
          {
            label: t('svc.ind.indicator'),
            rowHeader: true,
            wide: true,
            cell: (i) => (
              <>
                {localized(locale, i.title_ru, i.title_en)}{' '}
                <span class="muted">
                  ({i.code}, {i.unit})
                </span>
              </>
            ),
          },
          ...periods.map((p) => ({
            label: periodLabel(p, locale),
            cell: (i: (typeof indicators)[number]) => {
              const x = cell(i.id, p);
              const off =
                x &&
                x.plan !== null &&
                x.actual !== null &&
                (i.higher_is_better ? x.actual < x.plan : x.actual > x.plan);
              return (
                <span class={off ? 'below-target' : undefined}>
                  {t('svc.ind.planActual', { plan: num(x?.plan), actual: num(x?.actual) })}
                </span>
              );
            },
          })),
        ]}
      />
      {manage && indicators.length > 0 && (
        <>
          <form method="post" action={`/life-situations/${ls.id}/indicators`} class="stacked" novalidate>
            <h2>{t('svc.ind.enter')}</h2>
            <ErrorSummary f={f} t={t} />
            <Csrf c={c} />
            <SelectField
              f={f}
              t={t}
              name="indicatorId"
              label={t('svc.ind.indicator')}
              options={indicators.map((i) => ({
                value: String(i.id),
                label: localized(locale, i.title_ru, i.title_en),
              }))}
            />
            <TextField f={f} t={t} name="period" label={t('svc.period')} hint={t('svc.periodHint')} />
            <TextField f={f} t={t} name="plan" label={t('svc.ind.plan')} inputmode="decimal" />
            <TextField f={f} t={t} name="actual" label={t('svc.ind.actual')} inputmode="decimal" />
            <button type="submit">{t('svc.save')}</button>
          </form>
          <form
            method="post"
            action={`/life-situations/${ls.id}/indicators/import`}
            enctype="multipart/form-data"
            class="stacked"
          >
            <Csrf c={c} />
            <h2>{t('svc.ind.import')}</h2>
            <FileField
              f={formView('iv-import')}
              t={t}
              name="file"
              label={t('svc.import.file')}
              hint={t('svc.ind.importHint')}
              accept=".csv,.xlsx,text/csv"
              required
            />
            <button type="submit">{t('svc.import.submit')}</button>
          </form>
        </>
      )}
    </section>
  );
}

export function lifeSituationServiceRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/:id/target-state', projectOffice, async (c) => {
    const ls = await loadLifeSituation(c, idParam(c));
    // The stored state shown as a posted form (the figures are numbers, the form's fields text).
    return c.render(
      <TargetStateForm c={c} ls={ls} f={formView('ts', { values: valuesOfTargetState(ls.target_state) })} />,
      {
        title: c.var.t('svc.ts.title'),
        section: 'life',
      },
    );
  });

  app.post('/:id/target-state', projectOffice, async (c) => {
    const ls = await loadLifeSituation(c, idParam(c));
    const { values } = await readForm(c);
    const r = await withDateFields(values, parseTargetStateForm, (v) =>
      saveTargetState(c.var.deps.db, { lifeSituationId: ls.id, current: ls.target_state, values: v }),
    );
    if (!r.ok) {
      c.status(422);
      const issues = translateIssues(c.var.t, r.problems);
      return c.render(<TargetStateForm c={c} ls={ls} f={formView('ts', { values, issues })} />, {
        title: c.var.t('svc.ts.title'),
        section: 'life',
      });
    }
    flash(c, 'flash.saved');
    return c.redirect(`/life-situations/${ls.id}/target-state`, 303);
  });

  app.get('/:id/indicators', async (c) => {
    const ls = await loadLifeSituation(c, idParam(c));
    return c.render(<IndicatorsPage c={c} ls={ls} />, {
      title: c.var.t('svc.ind.title'),
      section: 'life',
    });
  });

  app.post('/:id/indicators', projectOffice, async (c) => {
    const ls = await loadLifeSituation(c, idParam(c));
    const { values } = await readForm(c);
    const r = await saveIndicatorValue(c.var.deps.db, { lifeSituationId: ls.id, values });
    if (!r.ok) {
      c.status(422);
      const f = formView('iv', { values, issues: translateIssues(c.var.t, r.problems) });
      return c.render(<IndicatorsPage c={c} ls={ls} f={f} />, {
        title: c.var.t('svc.ind.title'),
        section: 'life',
      });
    }
    flash(c, 'flash.saved');
    return c.redirect(`/life-situations/${ls.id}/indicators`, 303);
  });

  app.post('/:id/indicators/import', projectOffice, async (c) => {
    const ls = await loadLifeSituation(c, idParam(c));
    const [file] = (await readForm(c)).files('file');
    const result: IndicatorImportResult =
      file && file.size > 0
        ? await importIndicatorValues(c.var.deps.db, {
            lifeSituationId: ls.id,
            bytes: new Uint8Array(await file.arrayBuffer()),
            filename: file.name || 'upload',
          })
        : { ok: false, errors: [{ row: null, column: null, key: 'error.svc.import.noFile' }] };
    if (!result.ok) {
      c.status(422);
      return c.render(<IndicatorsPage c={c} ls={ls} imported={result} />, {
        title: c.var.t('svc.ind.title'),
        section: 'life',
      });
    }
    flash(c, 'flash.svc.indicatorsImported', {
      rows: result.rows,
      periods: result.periods.map((p) => periodLabel(p, c.var.locale)).join(', '),
    });
    return c.redirect(`/life-situations/${ls.id}/indicators`, 303);
  });

  return app;
}
