import type { ItemKind, ItemStatus } from '../../domain/control-item/index.ts';
import { localized } from '../context.ts';
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

/**
 * A labelled control with an optional hint and its error message. The control itself should carry
 * `aria-describedby` pointing at `${id}-hint` / `${id}-error` (see describedBy) so both are read out.
 */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: unknown;
}) {
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** The number and title cells every item table starts with; the kind is named unless it is a measure. */
export function ItemCells({
  item,
  locale,
  t,
}: {
  item: { id: number; number: string | null; kind: ItemKind; title_ru: string; title_en: string | null };
  locale: string;
  t: Translate;
}) {
  return (
    <>
      <td class="num">{item.number ?? item.id}</td>
      <td>
        <a href={`/items/${item.id}`}>{localized(locale, item.title_ru, item.title_en)}</a>
        {item.kind !== 'measure' && <span class="muted"> · {t(`kind.${item.kind}`)}</span>}
      </td>
    </>
  );
}
