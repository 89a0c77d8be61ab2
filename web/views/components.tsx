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

/** Error text tied to a form field (aria-describedby points here). */
export function FieldError({ id, message }: { id: string; message?: string | undefined }) {
  return message ? (
    <p class="field-error" id={id} role="alert">
      {message}
    </p>
  ) : null;
}

export const hxStatus = (code: number, value: string) => ({ [`hx-status:${code}`]: value });
