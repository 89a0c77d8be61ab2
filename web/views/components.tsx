import type { ItemStatus } from '../../domain/control-item/index.ts';
import type { Translate } from '../i18n/index.ts';

export function StatusBadge({ status, overdue, t }: { status: ItemStatus; overdue?: boolean; t: Translate }) {
  return (
    <span class={`badge status-${status}${overdue ? ' overdue' : ''}`}>
      {t(`status.${status}`)}
      {overdue ? ` · ${t('status.overdue')}` : ''}
    </span>
  );
}

// Form fields, their errors and the error summary: web/views/form.tsx. Tables: web/views/table.tsx.
