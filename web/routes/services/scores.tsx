// Low-scoring services, selecting them for improvement, score imports.
import { Hono } from 'hono';
import { scorePeriods } from '../../../db/read-models/index.ts';
import { isPeriodKey } from '../../../domain/services/index.ts';
import { actorOf, currentUser, readContext } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { importServiceScores, selectForImprovement } from '../../../app/services/index.ts';
import { fieldValue, readForm } from '../../forms.ts';
import { formErrors } from '../../views/service-views.tsx';
import type { ScoreImportResult } from '../../../app/services/score-import.ts';
import { ImportPage, LowScoringPage } from './score-views.tsx';
import { projectOffice } from './shared.tsx';

export const NO_FILE: ScoreImportResult = {
  ok: false,
  errors: [{ row: null, column: null, key: 'error.svc.import.noFile' }],
};

export function serviceScoreRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/low-scoring', async (c) => {
    const { t } = c.var;
    const periods = await scorePeriods(c.var.deps.db);
    const asked = c.req.query('period');
    const period = asked && isPeriodKey(asked) && periods.includes(asked) ? asked : (periods.at(-1) ?? null);
    const selected = Number(c.req.query('selected')) || 0;
    return c.render(
      <LowScoringPage
        c={c}
        period={period}
        {...(selected ? { notice: t('svc.lowScoring.selected', { n: selected }) } : {})}
      />,
      { title: t('svc.lowScoring.title'), section: 'services' },
    );
  });

  // The working group picks low-scoring services; each gets an improvement row and its workflow.
  app.post('/improvements', projectOffice, async (c) => {
    const { t } = c.var;
    const { values } = await readForm(c);
    const periods = await scorePeriods(c.var.deps.db);
    const r = await selectForImprovement(c.var.deps, {
      values,
      periods,
      actor: actorOf(currentUser(c)),
      today: readContext(c).today,
    });
    if (!r.ok) {
      c.status(422);
      const p = fieldValue(values, 'period');
      return c.render(
        <LowScoringPage
          c={c}
          period={periods.includes(p) ? p : (periods.at(-1) ?? null)}
          values={values}
          errors={formErrors(t, r.problems)}
        />,
        { title: t('svc.lowScoring.title'), section: 'services' },
      );
    }
    return c.redirect(
      `/services/low-scoring?period=${encodeURIComponent(r.period)}&selected=${r.ids.length}`,
      303,
    );
  });

  app.get('/scores/import', projectOffice, async (c) =>
    c.render(<ImportPage c={c} />, { title: c.var.t('svc.import.title'), section: 'services' }),
  );

  app.post('/scores/import', projectOffice, async (c) => {
    const [file] = (await readForm(c)).files('file');
    const { result, notSignalled } = file
      ? await importServiceScores(c.var.deps, {
          bytes: new Uint8Array(await file.arrayBuffer()),
          filename: file.name || 'upload',
          userId: currentUser(c).id,
        })
      : { result: NO_FILE, notSignalled: [] };
    if (!result.ok) c.status(422);
    return c.render(<ImportPage c={c} result={result} missing={notSignalled} />, {
      title: c.var.t('svc.import.title'),
      section: 'services',
    });
  });

  return app;
}
