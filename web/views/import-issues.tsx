import type { ImportIssue } from '../../domain/imports/index.ts';
import type { Translate } from '../i18n/index.ts';
import { DataTable } from './table.tsx';

const SHOWN = 500;

/**
 * Every problem of an uploaded file with where to look — "row 12, column C «Срок исполнения»" — for the
 * roadmap, score and indicator imports alike. Nothing was written when this shows.
 */
export function ImportIssues({
  issues,
  t,
  summary,
}: {
  issues: ImportIssue[];
  t: Translate;
  summary?: string;
}) {
  const shown = issues.slice(0, SHOWN);
  return (
    <>
      {summary && (
        <p class="alert" role="alert">
          {summary}
        </p>
      )}
      <DataTable
        rows={shown}
        class="import-errors"
        caption={t('imports.errors.caption', { count: issues.length })}
        empty={null}
        columns={[
          { label: t('imports.errors.row'), class: 'num', cell: (i) => i.row ?? '—' },
          {
            label: t('imports.errors.column'),
            cell: (i) => (i.column ? `${i.column}${i.header ? ` «${i.header}»` : ''}` : '—'),
          },
          { label: t('imports.errors.problem'), wide: true, cell: (i) => t(i.key, i.params) },
        ]}
      />
      {issues.length > shown.length && (
        <p class="muted">{t('svc.import.more', { n: issues.length - shown.length })}</p>
      )}
    </>
  );
}
