// Low-scoring services, selecting them for improvement, score imports.
import { Hono } from 'hono';
import { scorePeriods } from '../../../db/read-models/index.ts';
import { isPeriodKey, parseSelectionForm } from '../../../domain/services/index.ts';
import { actorOf, currentUser, readContext } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { importServiceScores, selectForImprovement } from '../../../app/services/index.ts';
import { flash } from '../../flash.ts';
import { fieldValue, readForm, withDateFields } from '../../forms.ts';
import { formView, translateIssues } from '../../views/form.tsx';
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
    return c.render(<LowScoringPage c={c} period={period} />, {
      title: t('svc.lowScoring.title'),
      section: 'services',
    });
  });

  // The working group picks low-scoring services; each gets an improvement row and its workflow.
  app.post('/improvements', projectOffice, async (c) => {
    const { t } = c.var;
    const { values } = await readForm(c);
    const periods = await scorePeriods(c.var.deps.db);
    const today = readContext(c).today;
    const r = await withDateFields(
      values,
      (v) => parseSelectionForm(v, today),
      (v) => selectForImprovement(c.var.deps, { values: v, periods, actor: actorOf(currentUser(c)), today }),
    );
    if (!r.ok) {
      c.status(422);
      const p = fieldValue(values, 'period');
      const issues = translateIssues(t, r.problems);
      return c.render(
        <LowScoringPage
          c={c}
          period={periods.includes(p) ? p : (periods.at(-1) ?? null)}
          f={formView('sel', { values, issues })}
        />,
        { title: t('svc.lowScoring.title'), section: 'services' },
      );
    }
    flash(c, 'flash.svc.selected', { n: r.ids.length });
    return c.redirect(`/services/low-scoring?period=${encodeURIComponent(r.period)}`, 303);
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
    else
      flash(c, 'flash.svc.scoresImported', {
        rows: result.rows,
        inserted: result.inserted,
        updated: result.updated,
      });
    return c.render(<ImportPage c={c} result={result} missing={notSignalled} />, {
      title: c.var.t('svc.import.title'),
      section: 'services',
    });
  });

  return app;
}
