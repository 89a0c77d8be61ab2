import { Hono, type Context } from 'hono';
import { countItems, listItems, type ItemFilters } from '../../db/read-models/index.ts';
import { addWorkingDays } from '../../domain/calendar/index.ts';
import { ITEM_STATUSES } from '../../domain/control-item/index.ts';
import { addDays, type LocalDate } from '../../domain/local-date.ts';
import { cachedRead, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDate, type Translate } from '../i18n/index.ts';
import { ItemCells, StatusBadge } from '../views/components.tsx';
import { hxLoad, wantsFragment } from '../views/fragment.ts';
import { Pager } from '../views/pager.tsx';

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
  agency: number | null;
  ls: number | null;
  status: StatusFilter | null;
  due: DueWindow | null;
  page: number;
}

const positiveInt = (v: string | undefined, max = 1_000_000) => {
  const n = v && /^\d{1,7}$/.test(v) ? Number(v) : NaN;
  return n >= 1 && n <= max ? n : null;
};
const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | null =>
  v !== undefined && (list as readonly string[]).includes(v) ? (v as T) : null;

/** Unknown or malformed filter values are dropped, never an error: a mistyped shared link still works. */
export function parseListQuery(get: (name: string) => string | undefined): ListQuery {
  return {
    q: (get('q') ?? '').trim().slice(0, 200),
    agency: positiveInt(get('agency')),
    ls: positiveInt(get('ls')),
    status: oneOf(STATUS_FILTERS, get('status')),
    due: oneOf(DUE_WINDOWS, get('due')),
    page: positiveInt(get('page'), 100_000) ?? 1,
  };
}

/** The canonical URL of a list state: fixed parameter order, empty and default values left out. */
export function listUrl(q: ListQuery, page = q.page): string {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  if (q.agency) p.set('agency', String(q.agency));
  if (q.ls) p.set('ls', String(q.ls));
  if (q.status) p.set('status', q.status);
  if (q.due) p.set('due', q.due);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `/items?${s}` : '/items';
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

function Results({
  rows,
  total,
  query,
  pages,
  t,
  locale,
}: {
  rows: Row[];
  total: number;
  query: ListQuery;
  pages: number;
  t: Translate;
  locale: 'ru' | 'en';
}) {
  return (
    <>
      <p class="result-count" role="status">
        {t('roadmap.found', { n: total })}
        {pages > 1 ? ` · ${t('roadmap.pageOf', { page: query.page, pages })}` : ''}
      </p>
      {rows.length === 0 ? (
        <p>{t('items.empty')}</p>
      ) : (
        <table class="items">
          <thead>
            <tr>
              <th scope="col">{t('item.number')}</th>
              <th scope="col">{t('item.title')}</th>
              <th scope="col">{t('item.agency')}</th>
              <th scope="col">{t('item.lifeSituation')}</th>
              <th scope="col">{t('item.currentDue')}</th>
              <th scope="col">{t('item.status')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <ItemCells item={r} locale={locale} t={t} />
                <td>
                  <a href={`/agencies/${r.agency_id}`}>
                    {localized(locale, r.agency_short_ru ?? r.agency_code, r.agency_title_en)}
                  </a>
                </td>
                <td>{r.ls_title_ru ? localized(locale, r.ls_title_ru, r.ls_title_en) : '—'}</td>
                <td class="nowrap">{formatDate(r.current_due, locale)}</td>
                <td>
                  <StatusBadge status={r.status} overdue={r.overdue} t={t} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={query.page} pages={pages} href={(p) => listUrl(query, p)} targetId={RESULTS} t={t} />
    </>
  );
}

function FilterForm({
  query,
  agencies,
  lifeSituations,
  t,
}: {
  query: ListQuery;
  agencies: { id: number; label: string }[];
  lifeSituations: { id: number; label: string }[];
  t: Translate;
}) {
  const select = (
    id: string,
    name: keyof ListQuery,
    label: string,
    all: string,
    options: { value: string; label: string }[],
  ) => (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option value={o.value} selected={String(query[name] ?? '') === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
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
      <div class="field field-wide">
        <label for="f-q">{t('roadmap.search')}</label>
        <input id="f-q" type="search" name="q" value={query.q} maxlength={200} />
      </div>
      {select(
        'f-agency',
        'agency',
        t('item.agency'),
        t('items.allAgencies'),
        agencies.map((a) => ({ value: String(a.id), label: a.label })),
      )}
      {select(
        'f-ls',
        'ls',
        t('item.lifeSituation'),
        t('roadmap.allLifeSituations'),
        lifeSituations.map((l) => ({ value: String(l.id), label: l.label })),
      )}
      {select(
        'f-status',
        'status',
        t('item.status'),
        t('items.allStatuses'),
        STATUS_FILTERS.map((s) => ({
          value: s,
          label: s === 'open' ? t('roadmap.status.open') : t(`status.${s}`),
        })),
      )}
      {select(
        'f-due',
        'due',
        t('roadmap.due'),
        t('roadmap.due.any'),
        DUE_WINDOWS.map((d) => ({ value: d, label: t(`roadmap.due.${d}`) })),
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
  const [agencies, lss] = await Promise.all([
    db.selectFrom('agency').select(['id', 'code', 'short_ru', 'title_ru', 'title_en']).execute(),
    db
      .selectFrom('life_situation')
      .select(['id', 'title_ru', 'title_en'])
      .orderBy('sort')
      .orderBy('id')
      .execute(),
  ]);
  const collator = new Intl.Collator(locale);
  return {
    agencies: agencies
      .map((a) => ({ id: a.id, label: localized(locale, a.short_ru ?? a.title_ru, a.title_en) }))
      .sort((a, b) => collator.compare(a.label, b.label)),
    lifeSituations: lss.map((l) => ({ id: l.id, label: localized(locale, l.title_ru, l.title_en) })),
  };
}

export function roadmapListRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const { today } = readContext(c);
    const query = parseListQuery((n) => c.req.query(n));
    const filters: ItemFilters = {
      ...(query.status ? { status: query.status } : {}),
      ...(query.agency ? { agencyId: query.agency } : {}),
      ...(query.ls ? { lifeSituationId: query.ls } : {}),
      ...(query.q ? { q: query.q } : {}),
      ...dueRange(query.due, today),
    };
    const total = await cachedRead(c, ['itemCount', JSON.stringify(filters)], () =>
      countItems(db, today, filters),
    );
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    // A page past the end (a stale shared link) shows the last page rather than nothing.
    if (query.page > pages) query.page = pages;
    const rows = await cachedRead(c, ['itemPage', JSON.stringify(filters), query.page], () =>
      listItems(db, today, { ...filters, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE }),
    );
    const title =
      query.page > 1
        ? `${t('items.title')} · ${t('roadmap.pageOf', { page: query.page, pages })}`
        : t('items.title');
    const results = <Results rows={rows} total={total} query={query} pages={pages} t={t} locale={locale} />;
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
        <p>
          <a href="/exports/roadmap-status.xlsx">{t('exports.download')}</a>
        </p>
        <FilterForm query={query} {...options} t={t} />
        <div id={RESULTS}>{results}</div>
      </section>,
      { title, section: 'items' },
    );
  });

  return app;
}
