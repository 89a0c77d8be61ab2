import { Hono, type Context } from 'hono';
import { importIndicatorValues, type IndicatorImportResult } from '../../app/services/indicator-import.ts';
import type { TargetState } from '../../db/schema/index.ts';
import { indicatorTable } from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { TARGET_FIGURES, type FormData } from '../../domain/services/index.ts';
import { idParam, localized } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { saveIndicatorValue, saveTargetState } from '../../app/services/index.ts';
import { fieldValue, readForm } from '../forms.ts';
import type { Translate } from '../i18n/index.ts';
import { Csrf, described, Field, formErrors, periodLabel, type FormErrors } from '../views/service-views.tsx';
import { canManage, projectOffice } from './services/index.ts';

async function loadLifeSituation(c: Context<AppEnv>, id: number) {
  const ls = await c.var.deps.db
    .selectFrom('life_situation')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!ls)
    throw new ShtabError('not_found', `life situation ${id} not found`, {
      key: 'error.svc.lifeSituation.notFound',
    });
  return ls;
}
type LifeSituation = Awaited<ReturnType<typeof loadLifeSituation>>;

function valuesOfTargetState(ts: TargetState | null): FormData {
  const out: FormData = {};
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

function TargetStateForm({
  c,
  ls,
  values,
  errors,
  notice,
}: {
  c: Context<AppEnv>;
  ls: LifeSituation;
  values: FormData;
  errors: FormErrors;
  notice?: string;
}) {
  const { t, locale } = c.var;
  const v = (k: string) => fieldValue(values, k);
  const title = localized(locale, ls.title_ru, ls.title_en);
  return (
    <section>
      <p class="muted">
        <a href={`/life-situations/${ls.id}`}>{title}</a>
      </p>
      <h1>{t('svc.ts.title')}</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {Object.keys(errors).length > 0 && (
        <p class="alert" role="alert">
          {t('svc.form.fix')}
        </p>
      )}
      <form method="post" action={`/life-situations/${ls.id}/target-state`} class="stacked" novalidate>
        <Csrf c={c} />
        <table class="target-state">
          <thead>
            <tr>
              <th scope="col">{t('svc.ts.figure')}</th>
              <th scope="col">{t('svc.ts.asIs')}</th>
              <th scope="col">{t('svc.ts.toBe')}</th>
            </tr>
          </thead>
          <tbody>
            {TARGET_FIGURES.map((fig) => (
              <tr>
                <th scope="row">{t(`svc.ts.${fig}`)}</th>
                {(['asIs', 'toBe'] as const).map((side) => {
                  const name = `${side}.${fig}`;
                  const id = `ts-${side}-${fig}`;
                  return (
                    <td class={errors[name] ? 'has-error' : undefined}>
                      <input
                        id={id}
                        name={name}
                        inputmode="decimal"
                        value={v(name)}
                        aria-label={`${t(`svc.ts.${fig}`)} — ${t(`svc.ts.${side}`)}`}
                        {...described(id, errors[name])}
                      />
                      {errors[name] && (
                        <p class="field-error" id={`${id}-error`}>
                          {errors[name]}
                        </p>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <fieldset>
          <legend>{t('svc.ts.toBe')}</legend>
          <label class="check">
            <input type="checkbox" name="toBe.eForm" value="1" checked={v('toBe.eForm') === '1'} />{' '}
            {t('svc.ts.eForm')}
          </label>
          <label class="check">
            <input type="checkbox" name="toBe.proactive" value="1" checked={v('toBe.proactive') === '1'} />{' '}
            {t('svc.ts.proactive')}
          </label>
        </fieldset>
        <Field
          id="ts-asIsSteps"
          label={t('svc.ts.asIsSteps')}
          hint={t('svc.ts.stepsHint')}
          error={errors.asIsSteps}
        >
          <textarea
            id="ts-asIsSteps"
            name="asIsSteps"
            rows={6}
            {...described('ts-asIsSteps', errors.asIsSteps)}
          >
            {v('asIsSteps')}
          </textarea>
        </Field>
        <Field
          id="ts-scenarioSteps"
          label={t('svc.ts.toBeSteps')}
          hint={t('svc.ts.stepsHint')}
          error={errors.scenarioSteps}
        >
          <textarea
            id="ts-scenarioSteps"
            name="scenarioSteps"
            rows={6}
            {...described('ts-scenarioSteps', errors.scenarioSteps)}
          >
            {v('scenarioSteps')}
          </textarea>
        </Field>
        <Field id="ts-approvedBy" label={t('svc.ts.approvedBy')} error={errors.approvedBy}>
          <input
            id="ts-approvedBy"
            name="approvedBy"
            value={v('approvedBy')}
            {...described('ts-approvedBy', errors.approvedBy)}
          />
        </Field>
        <Field id="ts-approvalDate" label={t('svc.ts.approvalDate')} error={errors.approvalDate}>
          <input
            id="ts-approvalDate"
            name="approvalDate"
            type="date"
            value={v('approvalDate')}
            {...described('ts-approvalDate', errors.approvalDate)}
          />
        </Field>
        <div class="buttons">
          <button type="submit">{t('svc.save')}</button>
          <a href={`/life-situations/${ls.id}`}>{t('svc.cancel')}</a>
        </div>
      </form>
    </section>
  );
}

function ImportErrors({ result, t }: { result: IndicatorImportResult; t: Translate }) {
  if (result.ok) return null;
  return (
    <>
      <p class="alert" role="alert">
        {t('svc.import.failed', { n: result.errors.length })}
      </p>
      <table class="import-errors">
        <thead>
          <tr>
            <th scope="col">{t('svc.import.row')}</th>
            <th scope="col">{t('svc.import.column')}</th>
            <th scope="col">{t('svc.import.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {result.errors.slice(0, 500).map((e) => (
            <tr>
              <td>{e.row ?? '—'}</td>
              <td>{e.column ?? '—'}</td>
              <td>{t(e.key, e.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

async function IndicatorsPage({
  c,
  ls,
  values,
  errors,
  imported,
  notice,
}: {
  c: Context<AppEnv>;
  ls: LifeSituation;
  values?: FormData;
  errors?: FormErrors;
  imported?: IndicatorImportResult;
  notice?: string;
}) {
  const { t, locale } = c.var;
  const { indicators, values: vals, periods } = await indicatorTable(c.var.deps.db, ls.id);
  const cell = (id: number, p: string) => vals.find((x) => x.indicator_id === id && x.period === p);
  const num = (n: number | null | undefined) =>
    n === null || n === undefined ? '—' : n.toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-GB');
  const e = errors ?? {};
  const v = (k: string) => fieldValue(values, k);
  const manage = canManage(c);
  return (
    <section>
      <p class="muted">
        <a href={`/life-situations/${ls.id}`}>{localized(locale, ls.title_ru, ls.title_en)}</a>
      </p>
      <h1>{t('svc.ind.title')}</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {imported && <ImportErrors result={imported} t={t} />}
      {indicators.length === 0 ? (
        <p class="muted">{t('svc.ind.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="indicators">
            <thead>
              <tr>
                <th scope="col">{t('svc.ind.indicator')}</th>
                {periods.map((p) => (
                  <th scope="col">{periodLabel(p, locale)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {indicators.map((i) => (
                <tr>
                  <th scope="row">
                    {localized(locale, i.title_ru, i.title_en)}{' '}
                    <span class="muted">
                      ({i.code}, {i.unit})
                    </span>
                  </th>
                  {periods.map((p) => {
                    const x = cell(i.id, p);
                    const off =
                      x &&
                      x.plan !== null &&
                      x.actual !== null &&
                      (i.higher_is_better ? x.actual < x.plan : x.actual > x.plan);
                    return (
                      <td class={off ? 'below-target' : undefined}>
                        {t('svc.ind.planActual', { plan: num(x?.plan), actual: num(x?.actual) })}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {manage && indicators.length > 0 && (
        <>
          <form method="post" action={`/life-situations/${ls.id}/indicators`} class="stacked" novalidate>
            <Csrf c={c} />
            <h2>{t('svc.ind.enter')}</h2>
            <Field id="iv-indicator" label={t('svc.ind.indicator')} error={e.indicatorId}>
              <select id="iv-indicator" name="indicatorId" {...described('iv-indicator', e.indicatorId)}>
                {indicators.map((i) => (
                  <option value={String(i.id)} selected={v('indicatorId') === String(i.id)}>
                    {localized(locale, i.title_ru, i.title_en)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="iv-period" label={t('svc.period')} hint={t('svc.periodHint')} error={e.period}>
              <input id="iv-period" name="period" value={v('period')} {...described('iv-period', e.period)} />
            </Field>
            <Field id="iv-plan" label={t('svc.ind.plan')} error={e.plan}>
              <input
                id="iv-plan"
                name="plan"
                inputmode="decimal"
                value={v('plan')}
                {...described('iv-plan', e.plan)}
              />
            </Field>
            <Field id="iv-actual" label={t('svc.ind.actual')} error={e.actual}>
              <input
                id="iv-actual"
                name="actual"
                inputmode="decimal"
                value={v('actual')}
                {...described('iv-actual', e.actual)}
              />
            </Field>
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
            <Field id="iv-file" label={t('svc.import.file')} hint={t('svc.ind.importHint')}>
              <input id="iv-file" name="file" type="file" accept=".csv,.xlsx,text/csv" required />
            </Field>
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
    const saved = c.req.query('saved') === '1';
    return c.render(
      <TargetStateForm
        c={c}
        ls={ls}
        values={valuesOfTargetState(ls.target_state)}
        errors={{}}
        {...(saved ? { notice: c.var.t('svc.saved') } : {})}
      />,
      {
        title: c.var.t('svc.ts.title'),
        section: 'life',
      },
    );
  });

  app.post('/:id/target-state', projectOffice, async (c) => {
    const ls = await loadLifeSituation(c, idParam(c));
    const { values } = await readForm(c);
    const r = await saveTargetState(c.var.deps.db, {
      lifeSituationId: ls.id,
      current: ls.target_state,
      values,
    });
    if (!r.ok) {
      c.status(422);
      return c.render(
        <TargetStateForm c={c} ls={ls} values={values} errors={formErrors(c.var.t, r.problems)} />,
        { title: c.var.t('svc.ts.title'), section: 'life' },
      );
    }
    return c.redirect(`/life-situations/${ls.id}/target-state?saved=1`, 303);
  });

  app.get('/:id/indicators', async (c) => {
    const ls = await loadLifeSituation(c, idParam(c));
    const saved = c.req.query('saved') === '1';
    return c.render(<IndicatorsPage c={c} ls={ls} {...(saved ? { notice: c.var.t('svc.saved') } : {})} />, {
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
      return c.render(
        <IndicatorsPage c={c} ls={ls} values={values} errors={formErrors(c.var.t, r.problems)} />,
        { title: c.var.t('svc.ind.title'), section: 'life' },
      );
    }
    return c.redirect(`/life-situations/${ls.id}/indicators?saved=1`, 303);
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
    if (!result.ok) c.status(422);
    return c.render(
      <IndicatorsPage
        c={c}
        ls={ls}
        imported={result}
        {...(result.ok
          ? {
              notice: c.var.t('svc.ind.imported', {
                rows: result.rows,
                periods: result.periods.map((p) => periodLabel(p, c.var.locale)).join(', '),
              }),
            }
          : {})}
      />,
      { title: c.var.t('svc.ind.title'), section: 'life' },
    );
  });

  return app;
}
