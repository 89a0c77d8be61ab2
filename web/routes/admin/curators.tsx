import { Hono, type Context } from 'hono';
import { importCurators, setCuratorByLogin, type FileOutcome } from '../../../app/reference/index.ts';
import { activeAgencies, curatorChoices, curatorPage } from '../../../db/read-models/index.ts';
import { requireRole } from '../../auth/index.ts';
import { actorOf, currentUser, idParam, localized } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { xlsxResponse } from '../../exports/xlsx.ts';
import { flash } from '../../flash.ts';
import { fieldValue, readForm } from '../../forms.ts';
import { AdminTabs, sectionTitle } from '../../views/admin-tabs.tsx';
import { wantsFragment } from '../../views/fragment.ts';
import { Pager } from '../../views/pager.tsx';
import { Csrf } from '../../views/service-views.tsx';
import { Quoted, ruOf, UserText } from '../../views/components.tsx';
import { agencyShort } from '../../views/item-columns.tsx';
import { FileResult } from '../../views/admin-form.tsx';
import { DataTable } from '../../views/table.tsx';

// Service curators for the working group and the administrator: the register filtered by text, agency or
// "without a curator", one curator per service set by login, and a CSV/XLSX file of code → login for
// many at once (the current list downloads in the same layout).

const office = requireRole('working_group', 'admin');
const PAGE = 50;

interface Filter {
  q: string;
  agencyId: number | undefined;
  without: boolean;
  page: number;
}

function filterOf(c: Context<AppEnv>): Filter {
  const agency = c.req.query('agency') ?? '';
  const page = Number(c.req.query('page') ?? '1');
  return {
    q: (c.req.query('q') ?? '').slice(0, 100),
    agencyId: /^\d{1,9}$/.test(agency) ? Number(agency) : undefined,
    without: c.req.query('without') === '1',
    page: Number.isSafeInteger(page) && page > 0 && page < 100_000 ? page : 1,
  };
}

const query = (f: Filter, page = f.page) => {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.agencyId) p.set('agency', String(f.agencyId));
  if (f.without) p.set('without', '1');
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
};

type ImportResult = FileOutcome<{ rows: number; changed: number; unchanged: number }>;

/** The services of the filter's page with their curators: the part the pager swaps in place. */
async function CuratorList({
  c,
  rowError,
}: {
  c: Context<AppEnv>;
  rowError?: { serviceId: number; message: string } | undefined;
}) {
  const { t, locale } = c.var;
  const db = c.var.deps.db;
  const f = filterOf(c);
  const [{ rows, total }, people] = await Promise.all([
    curatorPage(db, {
      ...(f.q ? { q: f.q } : {}),
      ...(f.agencyId ? { agencyId: f.agencyId } : {}),
      withoutCurator: f.without,
      limit: PAGE,
      offset: (f.page - 1) * PAGE,
    }),
    curatorChoices(db),
  ]);
  const back = `/admin/curators${query(f)}`;
  return (
    <div id="curators-list">
      <p class="muted">{t('admin.curators.count', { n: total })}</p>
      <datalist id="curator-logins">
        {people.map((p) => (
          <option value={p.login} lang={ruOf(p.display_name)}>
            {p.display_name}
            {p.agency_code
              ? ` · ${agencyShort(locale, { short_ru: p.agency_short, short_en: p.agency_short_en, code: p.agency_code })}`
              : ''}
          </option>
        ))}
      </datalist>
      <DataTable
        rows={rows}
        class="admin-list"
        id="curators"
        empty={<p class="muted">{t('admin.curators.empty')}</p>}
        rowId={(s) => `service-${s.id}`}
        columns={[
          { label: t('admin.curators.code'), rowHeader: true, cell: (s) => s.code },
          {
            label: t('admin.curators.service'),
            wide: true,
            cell: (s) => localized(locale, s.title_ru, s.title_en),
          },
          {
            label: t('sso.agency'),
            cell: (s) =>
              agencyShort(locale, {
                short_ru: s.agency_short,
                short_en: s.agency_short_en,
                code: s.agency_code,
              }),
          },
          {
            label: t('admin.curators.curator'),
            cell: (s) => (
              <form method="post" action={`/admin/curators/${s.id}`} class="inline-form">
                <Csrf c={c} />
                <input type="hidden" name="back" value={back} />
                <label class="sr-only" for={`curator-${s.id}`}>
                  {t('admin.curators.curatorOf', { code: s.code })}
                </label>
                <input
                  id={`curator-${s.id}`}
                  name="login"
                  list="curator-logins"
                  value={s.curator_login ?? ''}
                  maxlength={64}
                  placeholder={t('admin.curators.none')}
                  aria-invalid={rowError?.serviceId === s.id ? 'true' : undefined}
                  aria-describedby={rowError?.serviceId === s.id ? `curator-${s.id}-error` : undefined}
                />{' '}
                <button type="submit" class="secondary">
                  {t('admin.save')}
                  <span class="sr-only"> {s.code}</span>
                </button>
                {s.curator_name && (
                  <span class="muted">
                    {' '}
                    <UserText text={s.curator_name} />
                  </span>
                )}
                {rowError?.serviceId === s.id && (
                  <p class="field-error" id={`curator-${s.id}-error`} role="alert">
                    {rowError.message}
                  </p>
                )}
              </form>
            ),
          },
        ]}
      />
      <Pager
        page={f.page}
        pages={Math.ceil(total / PAGE)}
        href={(p) => `/admin/curators${query(f, p)}`}
        targetId="curators-list"
        t={t}
      />
    </div>
  );
}

async function CuratorsPage({
  c,
  result,
  rowError,
}: {
  c: Context<AppEnv>;
  result?: ImportResult;
  rowError?: { serviceId: number; message: string };
}) {
  const { t, locale } = c.var;
  const db = c.var.deps.db;
  const f = filterOf(c);
  const agencies = await activeAgencies(db);
  return (
    <section>
      <h1>{sectionTitle(t, currentUser(c).role)}</h1>
      <AdminTabs t={t} current="curators" role={currentUser(c).role} />
      <h2>{t('admin.curators.title')}</h2>
      <FileResult
        t={t}
        result={result}
        done={(r) =>
          t('admin.curators.imported', { rows: r.rows, changed: r.changed, unchanged: r.unchanged })
        }
      />
      <form
        method="post"
        action="/admin/curators/import"
        enctype="multipart/form-data"
        class="stacked narrow-form"
      >
        <Csrf c={c} />
        <div class="field">
          <label for="curators-file">{t('admin.curators.file')}</label>
          <p class="hint" id="curators-file-hint">
            <Quoted text={t('admin.curators.fileHint')} />{' '}
            <a href="/admin/curators/template.xlsx">{t('admin.curators.template')}</a>
          </p>
          <input
            id="curators-file"
            type="file"
            name="file"
            accept=".xlsx,.csv"
            required
            aria-describedby="curators-file-hint"
          />
        </div>
        <button type="submit">{t('admin.curators.upload')}</button>
      </form>
      <form method="get" action="/admin/curators" class="filters" role="search">
        <label>
          {t('admin.curators.search')} <input name="q" value={f.q} maxlength={100} />
        </label>{' '}
        <label>
          {t('sso.agency')}{' '}
          <select name="agency">
            <option value="">{t('admin.all')}</option>
            {agencies.map((a) => (
              <option value={String(a.id)} selected={f.agencyId === a.id}>
                {agencyShort(locale, a)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label class="check">
          <input type="checkbox" name="without" value="1" checked={f.without} /> {t('admin.curators.without')}
        </label>{' '}
        <button type="submit" class="secondary">
          {t('admin.filter')}
        </button>
      </form>
      <CuratorList c={c} rowError={rowError} />
    </section>
  );
}

export function adminCuratorRoutes() {
  const app = new Hono<AppEnv>();
  const title = (c: Context<AppEnv>) => ({
    title: c.var.t('admin.curators.title'),
    section: 'admin' as const,
  });

  app.get('/curators', office, async (c) =>
    wantsFragment(c, 'curators-list')
      ? c.html(<CuratorList c={c} />)
      : c.render(<CuratorsPage c={c} />, title(c)),
  );
  app.get('/curators/template.xlsx', office, async (c) => {
    const { db, log } = c.var.deps;
    const { rows } = await curatorPage(db, { limit: 100_000, offset: 0 });
    return xlsxResponse(
      'curators.xlsx',
      async (wb) => {
        const ws = wb.addWorksheet(c.var.t('admin.curators.title'));
        ws.columns = [
          { header: 'Код услуги', width: 16 },
          { header: 'Наименование услуги', width: 60 },
          { header: 'Куратор', width: 20 },
          { header: 'ФИО куратора', width: 30 },
        ];
        for (const s of rows)
          ws.addRow([s.code, s.title_ru, s.curator_login ?? '', s.curator_name ?? '']).commit();
        ws.commit();
      },
      (e) => log.error({ err: e }, 'curators export failed'),
    );
  });
  app.post('/curators/import', office, async (c) => {
    const [file] = (await readForm(c)).files('file');
    const result: ImportResult = file
      ? await importCurators(c.var.deps.db, actorOf(currentUser(c)), {
          bytes: new Uint8Array(await file.arrayBuffer()),
          filename: file.name || 'upload',
        })
      : { ok: false, errors: [{ row: null, column: null, key: 'error.svc.import.noFile' }] };
    if (!result.ok) c.status(422);
    return c.render(<CuratorsPage c={c} result={result} />, title(c));
  });
  app.post('/curators/:id', office, async (c) => {
    const id = idParam(c);
    const { values } = await readForm(c);
    try {
      await setCuratorByLogin(
        c.var.deps.db,
        actorOf(currentUser(c)),
        id,
        fieldValue(values, 'login').slice(0, 64),
      );
    } catch (e) {
      const err = e as { code?: string; detail?: { key: string; params?: Record<string, string | number> } };
      if (err.code !== 'validation' || !err.detail) throw e;
      c.status(422);
      return c.render(
        <CuratorsPage
          c={c}
          rowError={{ serviceId: id, message: c.var.t(err.detail.key, err.detail.params) }}
        />,
        title(c),
      );
    }
    const back = fieldValue(values, 'back');
    flash(c, 'flash.admin.saved');
    return c.redirect(`${back.startsWith('/admin/curators') ? back : '/admin/curators'}#service-${id}`, 303);
  });
  return app;
}
