import { Hono, type Context } from 'hono';
import {
  AGENCY_COLUMNS,
  importAgencies,
  importPeople,
  PERSON_COLUMNS,
  type FileOutcome,
  type OnboardingResult,
} from '../../../app/reference/index.ts';
import { requireRole } from '../../auth/index.ts';
import { actorOf, currentUser } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { readForm } from '../../forms.ts';
import { AdminTabs } from '../../views/admin-tabs.tsx';
import { Csrf } from '../../views/service-views.tsx';
import { FileResult } from '../../views/admin-form.tsx';
import { Quoted, ruOf } from '../../views/components.tsx';

// Onboarding in bulk for the administrator: agencies, then people, from CSV or XLSX. The page lists the
// columns each file may have; a file is checked whole and nothing is written on any problem; importing
// again updates by code and by login.

const admin = requireRole('admin');
type Which = 'agencies' | 'people';

function Upload({
  c,
  which,
  result,
}: {
  c: Context<AppEnv>;
  which: Which;
  result?: FileOutcome<OnboardingResult> | undefined;
}) {
  const { t } = c.var;
  const columns = which === 'agencies' ? AGENCY_COLUMNS : PERSON_COLUMNS;
  return (
    <form
      method="post"
      action={`/admin/onboarding/${which}`}
      enctype="multipart/form-data"
      class="stacked narrow-form"
      id={`onboarding-${which}`}
    >
      <h3>{t(`admin.onboarding.${which}`)}</h3>
      <Csrf c={c} />
      <FileResult
        t={t}
        result={result}
        done={(r) =>
          t('admin.onboarding.done', {
            rows: r.rows,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
          })
        }
      />
      <p class="hint">
        <Quoted text={t(`admin.onboarding.${which}Hint`)} />
      </p>
      <ul class="columns-list">
        {columns.map((col) => (
          <li>
            <code lang={ruOf(col.aliases[0])}>{col.aliases[0]}</code>
            {col.required ? ` — ${t('admin.onboarding.required')}` : ''}
          </li>
        ))}
      </ul>
      <div class="field">
        <label for={`onboarding-${which}-file`}>{t('admin.onboarding.file')}</label>
        <input id={`onboarding-${which}-file`} type="file" name="file" accept=".xlsx,.csv" required />
      </div>
      <button type="submit">{t('admin.onboarding.upload')}</button>
    </form>
  );
}

function OnboardingPage({
  c,
  results = {},
}: {
  c: Context<AppEnv>;
  results?: Partial<Record<Which, FileOutcome<OnboardingResult>>>;
}) {
  const { t } = c.var;
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <AdminTabs t={t} current="onboarding" role={currentUser(c).role} />
      <h2>{t('admin.onboarding.title')}</h2>
      <p class="hint">{t('admin.onboarding.intro')}</p>
      <Upload c={c} which="agencies" result={results.agencies} />
      <Upload c={c} which="people" result={results.people} />
    </section>
  );
}

export function adminOnboardingRoutes() {
  const app = new Hono<AppEnv>();
  const title = (c: Context<AppEnv>) => ({
    title: c.var.t('admin.onboarding.title'),
    section: 'admin' as const,
  });
  app.get('/onboarding', admin, (c) => c.render(<OnboardingPage c={c} />, title(c)));
  for (const which of ['agencies', 'people'] as const)
    app.post(`/onboarding/${which}`, admin, async (c) => {
      const [file] = (await readForm(c)).files('file');
      const run = which === 'agencies' ? importAgencies : importPeople;
      const result: FileOutcome<OnboardingResult> = file
        ? await run(c.var.deps.db, actorOf(currentUser(c)), {
            bytes: new Uint8Array(await file.arrayBuffer()),
            filename: file.name || 'upload',
          })
        : { ok: false, errors: [{ row: null, column: null, key: 'error.svc.import.noFile' }] };
      if (!result.ok) c.status(422);
      return c.render(<OnboardingPage c={c} results={{ [which]: result }} />, title(c));
    });
  return app;
}
