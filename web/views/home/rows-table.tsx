import type { Child } from 'hono/jsx';

// A table of typed rows: the columns say how to render each cell. Until the shared data table of issue 14
// lands, the homes' tables all go through here, so switching to it is one file.

export interface Column<T> {
  /** Column heading. */
  label: string;
  cell: (row: T) => Child;
  /** Numbers align right. */
  num?: boolean;
  /** The cell that names the row (a <th scope="row">). */
  rowHeader?: boolean;
  class?: string;
}

export function RowsTable<T>({
  columns,
  rows,
  empty,
  caption,
  class: cls,
  rowClass,
}: {
  columns: Column<T>[];
  rows: T[];
  empty: string;
  caption?: string;
  class?: string;
  rowClass?: (row: T) => string | undefined;
}) {
  if (rows.length === 0) return <p class="muted empty">{empty}</p>;
  return (
    <table class={cls}>
      {caption && <caption class="sr-only">{caption}</caption>}
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" class={c.num ? 'num' : undefined}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr class={rowClass?.(r)}>
            {columns.map((c) => {
              const cls = [c.num ? 'num' : '', c.class ?? ''].filter(Boolean).join(' ') || undefined;
              return c.rowHeader ? (
                <th scope="row" class={cls}>
                  {c.cell(r)}
                </th>
              ) : (
                <td class={cls}>{c.cell(r)}</td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
