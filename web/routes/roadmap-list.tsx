import { Hono, type Context } from 'hono';
import { ShtabError } from '../../domain/errors.ts';
import {
  agencyList,
  countItems,
  ITEM_SORTS,
  lifeSituationList,
  listItems,
  roadmapChoices,
  type ItemFilters,
  type ItemSort,
} from '../../db/read-models/index.ts';
import { addWorkingDays } from '../../domain/calendar/index.ts';
import { ITEM_KINDS, ITEM_STATUSES, type ItemKind } from '../../domain/control-item/index.ts';
import { addDays, type LocalDate } from '../../domain/local-date.ts';
import { deleteView, saveView } from '../../app/saved-views/index.ts';
import { directions, READ_SCOPES, savedViews } from '../../db/read-models/index.ts';
import { cachedRead, currentUser, idParam, localized, readContext } from '../context.ts';
import { flash } from '../flash.ts';
import { formSchema, parseForm, readForm, text } from '../forms.ts';
import type { AppEnv } from '../env.ts';
import type { Translate } from '../i18n/index.ts';
import {
  ErrorSummary,
  FormSecrets,
  formView,
  SelectField,
  TextField,
  type FormView,
} from '../views/form.tsx';
import { agencyShort } from '../views/item-columns.tsx';
import { Said, UserText, WHO } from '../views/components.tsx';
import { hxLoad, wantsFragment } from '../views/fragment.ts';
import {
  agencyColumn,
  dueColumn,
  lifeSituationColumn,
  numberColumn,
  roadmapColumn,
  statusColumn,
  titleColumn,
} from '../views/item-columns.tsx';
import { Pager } from '../views/pager.tsx';
import { DataTable, readSort, type Sort } from '../views/table.tsx';

// The roadmap list: filters, search and pages, each state a shareable URL (/items?agency=3&status=overdue).

export const PAGE_SIZE = 25;
const RESULTS = 'roadmap-results';

const STATUS_FILTERS = ['open', 'overdue', ...ITEM_STATUSES] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];
/** Deadline windows: passed; the next 10 working days (two weeks); the next 30 / 90 calendar days. */
export const DUE_WINDOWS = ['past', '2w', '30d', '90d'] as const;
type DueWindow = (typeof DUE_WINDOWS)[number];

export interface ListQuery {
  q: string;
  roadmap: number | 'none' | null;
  kind: ItemKind | null;
  agency: number | null;
  ls: number | null;
  /** A direction's code (the social rating's or a regional sphere). */
  direction: string | null;
  status: StatusFilter | null;
  due: DueWindow | null;
  /** null: the default order (open first, by control date). */
  sort: Sort<ItemSort> | null;
  page: number;
}

/** The first click on a column: the latest deadline and the worst status are what people look for. */
const FIRST_DIR = { due: 'asc', status: 'asc' } as const;

const positiveInt = (v: string | undefined, max = 1_000_000) => {
  const n = v && /^\d{1,7}$/.test(v) ? Number(v) : NaN;
  return n >= 1 && n <= max ? n : null;
};
const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | null =>
  v !== undefined && (list as readonly string[]).includes(v) ? (v as T) : null;

const DIRECTION_CODE = /^[A-Z][A-Z0-9-]{0,31}$/;

/** Unknown or malformed filter values are dropped, never an error: a mistyped shared link still works. */
export function parseListQuery(get: (name: string) => string | undefined): ListQuery {
  const sorted = get('sort') !== undefined && (ITEM_SORTS as readonly string[]).includes(get('sort')!);
  return {
    q: (get('q') ?? '').trim().slice(0, 200),
    roadmap: get('roadmap') === 'none' ? 'none' : positiveInt(get('roadmap')),
    kind: oneOf(ITEM_KINDS, get('kind')),
    agency: positiveInt(get('agency')),
    ls: positiveInt(get('ls')),
    direction: DIRECTION_CODE.test(get('direction') ?? '') ? get('direction')! : null,
    status: oneOf(STATUS_FILTERS, get('status')),
    due: oneOf(DUE_WINDOWS, get('due')),
    sort: sorted ? readSort(get, ITEM_SORTS, { key: 'due', dir: 'asc' }, FIRST_DIR) : null,
    page: positiveInt(get('page'), 100_000) ?? 1,
  };
}

/** The canonical URL of a list state: fixed parameter order, empty and default values left out. */
export function listUrl(q: ListQuery, page = q.page, path = '/items'): string {
  const s = listParams(q, page).toString();
  return s ? `${path}?${s}` : path;
}

/** The list state as query parameters (the export and saved views use them too). */
export function listParams(q: ListQuery, page = q.page): URLSearchParams {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  if (q.roadmap) p.set('roadmap', String(q.roadmap));
  if (q.kind) p.set('kind', q.kind);
  if (q.agency) p.set('agency', String(q.agency));
  if (q.ls) p.set('ls', String(q.ls));
  if (q.direction) p.set('direction', q.direction);
  if (q.status) p.set('status', q.status);
  if (q.due) p.set('due', q.due);
  if (q.sort) {
    p.set('sort', q.sort.key);
    p.set('dir', q.sort.dir);
  }
  if (page > 1) p.set('page', String(page));
  return p;
}

/** What the read model filters by for a list state (the page and the XLSX export alike). */
export function listFilters(query: ListQuery, today: LocalDate): ItemFilters {
  return {
    ...(query.status ? { status: query.status } : {}),
    ...(query.roadmap ? { roadmapId: query.roadmap } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.agency ? { agencyId: query.agency } : {}),
    ...(query.ls ? { lifeSituationId: query.ls } : {}),
    ...(query.direction ? { direction: query.direction } : {}),
    ...(query.q ? { q: query.q } : {}),
    ...dueRange(query.due, today),
    ...(query.sort ? { sort: query.sort } : {}),
  };
}

function dueRange(due: DueWindow | null, today: LocalDate): Pick<ItemFilters, 'dueFrom' | 'dueTo'> {
  switch (due) {
    case 'past':
      return { dueTo: addDays(today, -1) };
    case '2w':
      return { dueFrom: today, dueTo: addWorkingDays(today, 10) };
    case '30d':
      return { dueFrom: today, dueTo: addDays(today, 30) };
    case '90d':
      return { dueFrom: today, dueTo: addDays(today, 90) };
    default:
      return {};
  }
}

type Row = Awaited<ReturnType<typeof listItems>>[number];

/** The list state a saved view keeps: filters and sort, not the page. */
export const viewQuery = (q: ListQuery) => listParams(q, 1).toString();

/**
 * The person's saved views as links (the one matching the list now marked current), and a form that
 * saves the list as it is now under a name. Inside the results, so both follow every change of filters.
 */
function SavedViews({
  views,
  query,
  saving = formView('view'),
  csrf,
  t,
}: {
  views: { id: number; name: string; query: string }[];
  query: ListQuery;
  saving?: FormView | undefined;
  csrf: string;
  t: Translate;
}) {
  const now = viewQuery(query);
  const f = saving;
  return (
    <section class="saved-views" aria-labelledby="saved-views-title">
      <h2 id="saved-views-title" class="sr-only">
        {t('views.title')}
      </h2>
      {views.length > 0 && (
        <ul class="view-links">
          <li class="muted">{t('views.title')}:</li>
          {views.map((v) => (
            <li>
              <a
                href={v.query ? `/items?${v.query}` : '/items'}
                aria-current={v.query === now ? 'true' : undefined}
              >
                <UserText text={v.name} />
              </a>
              <form method="post" action={`/items/views/${v.id}/delete`} class="inline">
                <FormSecrets csrf={csrf} />
                <button type="submit" class="link">
                  ✕
                  <span class="sr-only">
                    {' '}
                    <Said message={t('views.delete', { name: WHO })} who={v.name} />
                  </span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <details class="more save-view" open={f.posted || undefined}>
        <summary>{t('views.save')}</summary>
        <form method="post" action="/items/views" class="inline-form" novalidate>
          <ErrorSummary f={f} t={t} />
          <FormSecrets csrf={csrf} />
          <input type="hidden" name="query" value={now} />
          <TextField
            f={f}
            t={t}
            name="name"
            label={t('views.name')}
            hint={t('views.nameHint')}
            maxlength={80}
            required
          />
          <button type="submit" class="secondary">
            {t('views.saveButton')}
          </button>
        </form>
      </details>
    </section>
  );
}

function Results({
  rows,
  total,
  query,
  pages,
  asked,
  views,
  saving,
  csrf,
  t,
  locale,
}: {
  rows: Row[];
  total: number;
  query: ListQuery;
  pages: number;
  /** The page the URL asked for, when it was past the end (the last page is shown). */
  asked: number | null;
  views: { id: number; name: string; query: string }[];
  saving?: FormView | undefined;
  csrf: string;
  t: Translate;
  locale: 'ru' | 'en';
}) {
  const ctx = { t, locale };
  return (
    <>
      <SavedViews views={views} query={query} saving={saving} csrf={csrf} t={t} />
      <p class="result-count" role="status">
        {t('roadmap.found', { n: total })}
        {pages > 1 ? ` · ${t('roadmap.pageOf', { page: query.page, pages })}` : ''}
      </p>
      {asked !== null && (
        <p class="notice" role="status">
          {t('list.pastEnd', { asked, pages })}
        </p>
      )}
      <DataTable
        rows={rows}
        empty={<p>{t('items.empty')}</p>}
        class="items"
        caption={t('roadmap.caption')}
        hideCaption
        sorting={{
          label: t('table.sortBy'),
          current: query.sort ?? { key: 'due', dir: 'asc' },
          href: (sort) => listUrl({ ...query, sort: sort as Sort<ItemSort> }, 1),
          target: RESULTS,
        }}
        rowClass={(r) => (r.overdue ? 'overdue' : undefined)}
        columns={[
          numberColumn(ctx, 'number'),
          titleColumn(ctx, 'title'),
          roadmapColumn(ctx, 'roadmap'),
          agencyColumn(ctx, 'agency'),
          lifeSituationColumn(ctx),
          dueColumn(ctx, 'due'),
          statusColumn(ctx, 'status'),
        ]}
      />
      <Pager page={query.page} pages={pages} href={(p) => listUrl(query, p)} targetId={RESULTS} t={t} />
    </>
  );
}

function FilterForm({
  query,
  roadmaps,
  agencies,
  lifeSituations,
  directions,
  t,
}: {
  query: ListQuery;
  roadmaps: { id: number; label: string }[];
  agencies: { id: number; label: string }[];
  lifeSituations: { id: number; label: string }[];
  directions: { code: string; label: string }[];
  t: Translate;
}) {
  const f = formView('f');
  const value = (name: keyof ListQuery) => {
    const v = query[name];
    return v === null || typeof v === 'object' ? '' : String(v);
  };
  const select = (
    name: keyof ListQuery,
    label: string,
    empty: string,
    options: { value: string; label: string }[],
  ) => (
    <SelectField f={f} t={t} name={name} label={label} empty={empty} options={options} value={value(name)} />
  );
  return (
    <form
      method="get"
      action="/items"
      class="filters"
      role="search"
      aria-label={t('roadmap.filters')}
      {...hxLoad('/items', RESULTS)}
      hx-trigger="change, submit"
      // Enter in the search box fires change and submit: the later request replaces the earlier one, so
      // one history entry is pushed, not two.
      hx-sync="this:replace"
    >
      <TextField
        f={f}
        t={t}
        name="q"
        type="search"
        label={t('roadmap.search')}
        value={query.q}
        maxlength={200}
        class="field-wide"
      />
      {select('roadmap', t('item.roadmap'), t('roadmap.allRoadmaps'), [
        ...roadmaps.map((r) => ({ value: String(r.id), label: r.label })),
        { value: 'none', label: t('roadmap.noRoadmap') },
      ])}
      {select(
        'kind',
        t('roadmap.kind'),
        t('roadmap.allKinds'),
        ITEM_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })),
      )}
      {select(
        'agency',
        t('item.agency'),
        t('items.allAgencies'),
        agencies.map((a) => ({ value: String(a.id), label: a.label })),
      )}
      {select(
        'ls',
        t('item.lifeSituation'),
        t('roadmap.allLifeSituations'),
        lifeSituations.map((l) => ({ value: String(l.id), label: l.label })),
      )}
      {select(
        'direction',
        t('item.direction'),
        t('roadmap.allDirections'),
        directions.map((d) => ({ value: d.code, label: d.label })),
      )}
      {select(
        'status',
        t('item.status'),
        t('items.allStatuses'),
        STATUS_FILTERS.map((s) => ({
          value: s,
          label: s === 'open' ? t('roadmap.status.open') : t(`status.${s}`),
        })),
      )}
      {select(
        'due',
        t('roadmap.due'),
        t('roadmap.due.any'),
        DUE_WINDOWS.map((d) => ({ value: d, label: t(`roadmap.due.${d}`) })),
      )}
      {/* The sort survives a change of filters. */}
      {query.sort && (
        <>
          <input type="hidden" name="sort" value={query.sort.key} />
          <input type="hidden" name="dir" value={query.sort.dir} />
        </>
      )}
      <div class="buttons">
        <button type="submit">{t('items.filter')}</button>
        {/* A plain link: the form's fields must reset too, so the whole page reloads. */}
        <a href="/items">{t('roadmap.reset')}</a>
      </div>
    </form>
  );
}

async function filterOptions(c: Context<AppEnv>) {
  const { db } = c.var.deps;
  const { locale } = c.var;
  const [roadmaps, agencies, lss, dirs] = await Promise.all([
    roadmapChoices(db),
    agencyList(db),
    lifeSituationList(db),
    directions(db),
  ]);
  const collator = new Intl.Collator(locale);
  return {
    roadmaps: roadmaps.map((r) => ({
      id: r.id,
      label: `${r.code} — ${localized(locale, r.title_ru, r.title_en)}`,
    })),
    agencies: agencies
      .map((a) => ({ id: a.id, label: agencyShort(locale, a) }))
      .sort((a, b) => collator.compare(a.label, b.label)),
    lifeSituations: lss.map((l) => ({ id: l.id, label: localized(locale, l.title_ru, l.title_en) })),
    directions: dirs.map((d) => ({ code: d.code, label: localized(locale, d.title_ru, d.title_en) })),
  };
}

export function roadmapListRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', (c) =>
    listPage(
      c,
      parseListQuery((n) => c.req.query(n)),
    ),
  );

  // Saved views: the list's filters and sort under a name, per person (app/saved-views).
  app.post('/views', async (c) => {
    const { values } = await readForm(c);
    const posted = parseForm(values, viewForm);
    // The query is read again as a list state: whatever was posted, only a valid view is stored.
    const params = new URLSearchParams(posted.query);
    const state = parseListQuery((n) => params.get(n) ?? undefined);
    const query = viewQuery(state);
    try {
      await saveView(c.var.deps.db, { userId: currentUser(c).id, list: 'items', name: posted.name, query });
    } catch (e) {
      if (!(e instanceof ShtabError) || e.code !== 'validation') throw e;
      c.status(422);
      const f = formView('view', {
        values,
        issues: [{ field: 'name', message: c.var.t(e.detail.key, e.detail.params) }],
      });
      return listPage(c, state, f);
    }
    flash(c, 'flash.view.saved', { name: posted.name.trim() });
    return c.redirect(query ? `/items?${query}` : '/items', 303);
  });

  app.post('/views/:id/delete', async (c) => {
    await deleteView(c.var.deps.db, { userId: currentUser(c).id, id: idParam(c) });
    flash(c, 'flash.view.deleted');
    const back = c.req.header('referer');
    const path = back && new URL(back).pathname === '/items' ? new URL(back).search : '';
    return c.redirect(`/items${path}`, 303);
  });

  return app;
}

const viewForm = formSchema({ name: text(), query: text() });

/** The list page (or, for htmx, its results) for a list state; `saving`: a refused "save this view". */
async function listPage(c: Context<AppEnv>, query: ListQuery, saving?: FormView) {
  const { t, locale } = c.var;
  const { db } = c.var.deps;
  const { today } = readContext(c);
  const filters = listFilters(query, today);
  const { sort: _, ...counted } = filters;
  const total = await cachedRead(
    c,
    ['itemCount', JSON.stringify(counted)],
    () => countItems(db, today, counted),
    READ_SCOPES.roadmapList,
  );
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // A page past the end (a stale shared link) shows the last page, saying so.
  const asked = query.page > pages ? query.page : null;
  if (asked !== null) query.page = pages;
  const [rows, views] = await Promise.all([
    cachedRead(
      c,
      ['itemPage', JSON.stringify(filters), query.page],
      () => listItems(db, today, { ...filters, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE }),
      READ_SCOPES.roadmapList,
    ),
    savedViews(db, currentUser(c).id, 'items'),
  ]);
  const title =
    query.page > 1
      ? `${t('items.title')} · ${t('roadmap.pageOf', { page: query.page, pages })}`
      : t('items.title');
  const results = (
    <Results
      rows={rows}
      total={total}
      query={query}
      pages={pages}
      asked={asked}
      views={views}
      saving={saving}
      csrf={c.var.csrfToken ?? ''}
      t={t}
      locale={locale}
    />
  );
  if (wantsFragment(c, RESULTS)) {
    // htmx pushes the canonical URL (no empty parameters), so what lands in the address bar is shareable.
    c.header('HX-Push-Url', listUrl(query));
    return c.html(
      <>
        <title>{`${title} — ${t('app.name')}`}</title>
        {results}
      </>,
    );
  }
  const options = await filterOptions(c);
  return c.render(
    <section>
      <h1>{t('items.title')}</h1>
      <ul class="links">
        <li>
          <a href={listUrl(query, 1, '/exports/items.xlsx')} id="export-list">
            {t('exports.list')}
          </a>{' '}
          <span class="muted">{t('exports.listHint')}</span>
        </li>
        <li>
          <a
            href={`/exports/roadmap-status.xlsx${typeof query.roadmap === 'number' ? `?roadmap=${query.roadmap}` : ''}`}
          >
            {t('exports.importLayout')}
          </a>
        </li>
      </ul>
      <FilterForm query={query} {...options} t={t} />
      <div id={RESULTS}>{results}</div>
    </section>,
    { title, section: 'items' },
  );
}
