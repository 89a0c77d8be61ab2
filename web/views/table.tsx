import type { Child } from 'hono/jsx';
import { hxLoad } from './fragment.ts';

// The one data table. Columns say their header, their cell and how they sort; the table renders the
// empty state, the caption, sortable headers as plain links (they work without JavaScript; with htmx they
// load into the list's results element and push the URL) and, on a phone, stacks each row into label /
// value lines (the CSS reads each cell's data-label), so no table ever scrolls sideways.

export type SortDir = 'asc' | 'desc';
export interface Sort<K extends string = string> {
  key: K;
  dir: SortDir;
}

export interface Column<R, K extends string = string> {
  /** Header text; also the label of the cell when rows are stacked on a phone. */
  label: string;
  cell: (row: R, index: number) => Child;
  /** Cell classes: `num` (right-aligned figures), `nowrap`, … (also on the header). */
  class?: string;
  /** The column sorts by this key (a link in the header). */
  sort?: K;
  /** The direction of the first click: "more is worse/better" columns start high. Default asc. */
  firstDir?: SortDir;
  /** The row's name: a <th scope="row"> rather than a <td>. */
  rowHeader?: boolean;
  /** The header is for screen readers only (a column of actions, a checkbox). */
  hideLabel?: boolean;
  /** The cell spans the whole stacked row on a phone, without its label (the title of an item). */
  wide?: boolean;
}

export interface Sorting<K extends string = string> {
  current: Sort<K>;
  /** The URL of the list sorted by `sort` (the page's other parameters kept, page 1). */
  href: (sort: Sort<K>) => string;
  /** With htmx, sort links load into this element and push the URL. */
  target?: string;
}

export interface DataTableProps<R, K extends string = string> {
  rows: readonly R[];
  columns: readonly (Column<R, K> | false | null | undefined)[];
  /** Shown instead of the table when there are no rows. */
  empty: Child;
  caption?: Child;
  /** The caption is for screen readers only. */
  hideCaption?: boolean;
  sorting?: Sorting<K>;
  /** Row classes (e.g. `overdue`) and ids. */
  rowClass?: (row: R) => string | undefined;
  rowId?: (row: R) => string | undefined;
  class?: string;
  id?: string;
}

const ariaSort = (dir: SortDir) => (dir === 'asc' ? 'ascending' : 'descending');

export function DataTable<R, K extends string = string>(p: DataTableProps<R, K>) {
  if (p.rows.length === 0) return <div class="empty-state">{p.empty}</div>;
  const columns = p.columns.filter((c): c is Column<R, K> => !!c);
  const header = (col: Column<R, K>) => {
    const active = p.sorting && col.sort !== undefined && p.sorting.current.key === col.sort;
    const cls = [col.class, col.hideLabel ? 'sr-label' : undefined].filter(Boolean).join(' ') || undefined;
    if (!p.sorting || col.sort === undefined)
      return (
        <th scope="col" class={cls}>
          {col.hideLabel ? <span class="sr-only">{col.label}</span> : col.label}
        </th>
      );
    const current = p.sorting.current;
    const next: Sort<K> = {
      key: col.sort,
      dir: active ? (current.dir === 'asc' ? 'desc' : 'asc') : (col.firstDir ?? 'asc'),
    };
    const href = p.sorting.href(next);
    return (
      <th scope="col" class={cls} aria-sort={active ? ariaSort(current.dir) : undefined}>
        <a href={href} class="sort-link" {...(p.sorting.target ? hxLoad(href, p.sorting.target) : {})}>
          {col.label}
          <span class="sort-mark" aria-hidden="true">
            {active ? (current.dir === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
          </span>
        </a>
      </th>
    );
  };
  return (
    <table class={`data-table${p.class ? ` ${p.class}` : ''}`} id={p.id}>
      {p.caption !== undefined && (
        <caption class={p.hideCaption ? 'sr-only' : undefined}>{p.caption}</caption>
      )}
      <thead>
        <tr>{columns.map(header)}</tr>
      </thead>
      <tbody>
        {p.rows.map((row, i) => (
          <tr class={p.rowClass?.(row)} id={p.rowId?.(row)}>
            {columns.map((col) => {
              const cls = [col.class, col.wide ? 'wide' : undefined].filter(Boolean).join(' ') || undefined;
              const label = col.wide || col.hideLabel ? undefined : col.label;
              return col.rowHeader ? (
                <th scope="row" class={cls} data-label={label}>
                  {col.cell(row, i)}
                </th>
              ) : (
                <td class={cls} data-label={label}>
                  {col.cell(row, i)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The sort a list's URL asks for (`sort=due&dir=desc`), or the default: unknown keys and directions are
 * dropped, never an error (a mistyped shared link still works).
 */
export function readSort<K extends string>(
  get: (name: string) => string | undefined,
  keys: readonly K[],
  fallback: Sort<K>,
  firstDir: Partial<Record<K, SortDir>> = {},
): Sort<K> {
  const raw = get('sort');
  const key = (keys as readonly string[]).includes(raw ?? '') ? (raw as K) : fallback.key;
  const d = get('dir');
  const dir: SortDir =
    d === 'asc' || d === 'desc' ? d : key === fallback.key ? fallback.dir : (firstDir[key] ?? 'asc');
  return { key, dir };
}

/** Compares rows by a list of keys (for tables sorted in memory); nulls last whatever the direction. */
export function sortRows<R>(
  rows: readonly R[],
  dir: SortDir,
  key: (row: R) => string | number | null | undefined,
  locale: string,
): R[] {
  const collator = new Intl.Collator(locale, { numeric: true });
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
    if (y === null || y === undefined) return -1;
    return (
      sign * (typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y)))
    );
  });
}
